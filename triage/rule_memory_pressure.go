package triage

import (
	"fmt"
	"strings"
)

var memoryPressureRule = Rule{
	ID:      RuleMemoryPressure,
	Title:   "Memory pressure",
	Prompts: []PromptID{PromptProfiling, PromptHorizontalScaling, PromptBottleneck},
	Causes:  []SignalID{SignalMemoryUtilization, SignalOOMKills},
	Eval:    evalMemoryPressure,
}

func evalMemoryPressure(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	full, killed := s.hot(SignalMemoryUtilization), s.hot(SignalOOMKills)
	if !full && !killed {
		return nil
	}
	b := newFinding(s)
	b.symptom(SignalMemoryUtilization, "under its threshold now: a kill frees memory, and a container meets its own limit while its host has plenty")
	b.symptom(SignalOOMKills, "no process was OOM-killed: the pressure does not hurt yet")
	b.symptom(SignalLatencyP99, "latency is normal: memory is full but not yet slowing requests")
	b.rivalCPU("not CPU-bound")
	b.againstf("Memory is left out of the capacity maths: it tracks data, caches and GC, not the request rate")

	if killed {
		// A kill is the harm itself, not a forecast: critical whatever the
		// memory reads now.
		oom, _ := s.usable(SignalOOMKills)
		b.f.Summary = fmt.Sprintf("Memory pressure already kills processes: %s%s (%s)", oomKillsPhrase(oom.Value.V), s.killedOn(oom), oom.Statistic)
		if mem, ok := s.usable(SignalMemoryUtilization); ok && full {
			b.f.Summary += fmt.Sprintf(", and the fullest host or container uses %s of its memory", mem.Formatted())
		}
		return b.finish(SeverityCritical, classSaturation, countMagnitude(oom.Value.V))
	}
	mem, _ := s.usable(SignalMemoryUtilization)
	b.f.Summary = fmt.Sprintf("The fullest host or container uses %s of its memory: next come OOM kills or swapping", mem.Formatted())
	return b.finish(severityOf(mem.Status), classUtilization, mem.Value.V)
}

// killedOn says where the kills were counted and, across several hosts or
// containers, which ones had them: " across 41 hosts, on app-2:9100".
func (s *Snapshot) killedOn(oom Reading) string {
	if oom.Aggregate != AggregateSum || oom.EntityCount < 2 {
		return oom.Where() // one entity, named
	}
	var names []string
	for _, e := range s.hotEntities(oom) {
		names = append(names, e.Name)
	}
	return oom.Where() + ", on " + strings.Join(names, ", ")
}

// oomKillsPhrase counts kills in words: "1 OOM kill", "3 OOM kills".
func oomKillsPhrase(n float64) string {
	if n == 1 {
		return "1 OOM kill"
	}
	return trimFloat(n, 3) + " OOM kills"
}
