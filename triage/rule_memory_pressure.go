package triage

import "fmt"

var memoryPressureRule = Rule{
	ID:      "memory-pressure",
	Title:   "Memory pressure",
	Prompts: []string{PromptProfiling, PromptHorizontalScaling, PromptBottleneck},
	Causes:  []SignalID{SignalMemoryUtilization},
	Eval:    evalMemoryPressure,
}

func evalMemoryPressure(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	if !s.hot(SignalMemoryUtilization) {
		return nil
	}
	r, _ := s.usable(SignalMemoryUtilization)
	b := newFinding(s)
	b.support(SignalMemoryUtilization)
	b.symptom(SignalLatencyP99, "latency is normal: memory is full but not yet slowing requests")
	b.rival(SignalCPUUtilization, "not CPU-bound")
	b.againstf("Memory is left out of the capacity maths: it tracks data, caches and GC, not the request rate")
	b.f.Summary = fmt.Sprintf("The fullest host or container uses %s of its memory: next come OOM kills or swapping", r.Formatted())
	return b.finish(severityOf(r.Status), classUtilization, r.Value.V)
}
