package triage

import "fmt"

var cpuSaturationRule = Rule{
	ID:      RuleCPUSaturation,
	Title:   "CPU saturation",
	Prompts: []PromptID{PromptHorizontalScaling, PromptProfiling, PromptAutoScaling, PromptBottleneck},
	Causes:  []SignalID{SignalCPUUtilization, SignalCPUPressure, SignalCPULoadPerCore},
	Eval:    evalCPUSaturation,
}

func evalCPUSaturation(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	// Pressure and run queue say work waits for a core (USE saturation);
	// busy time alone is utilization and, on a shared host, not conclusive
	// (an idle lab read busy ≈ 0.99 while a neighbour job built Go:
	// docs/facts.md#lab-cpu-saturation).
	waiting := s.hot(SignalCPUPressure, SignalCPULoadPerCore)
	busy := s.hot(SignalCPUUtilization)
	if _, _, bound := containerBound(s); (!waiting && !busy) || bound && !waiting {
		return nil // a container at its limit is cpu-throttling's one finding
	}
	b := newFinding(s)
	// Evidence for is what is hot; a calm pressure or run queue beside a
	// busy CPU is evidence against saturation (busy, nothing waits).
	for _, id := range []SignalID{SignalCPUUtilization, SignalCPUPressure, SignalCPULoadPerCore} {
		if s.hot(id) {
			b.support(id)
		} else {
			b.rival(id, "nothing waits for a core: busy, not saturated")
		}
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	b.rival(SignalDBPoolWaiting, "no client waits at PgBouncer: the database tier is not queueing")
	b.rival(SignalAppPoolWaiting, "no request waits for a database connection")
	b.rival(SignalCPUThrottling, "no container is held back by its CPU limit")
	b.redisCoreRival()

	sev := severityOf(s.worst(SignalCPUUtilization, SignalCPUPressure, SignalCPULoadPerCore))
	class, magnitude := classUtilization, floatOr(s, SignalCPUUtilization)
	cpu, _ := s.Get(SignalCPUUtilization)
	b.f.Summary = fmt.Sprintf("%s%s is %s: CPU is the first resource to run out", s.TitleOf(SignalCPUUtilization), cpu.Where(), FormatNumber(magnitude, UnitRatio))
	if waiting {
		class, magnitude = classSaturation, floatOr(s, SignalCPUPressure)
		b.f.Summary = "Runnable work waits for a CPU core: the hosts are CPU-bound"
	}
	if m, ok := s.missStormOf(set); ok && m.onHost(busiestHost(cpu)) {
		// The database host, saturated by the reads a fallen cache let
		// through: thundering-herd names the cause.
		class, b.f.Link = classSymptom, m.basis
		b.f.Summary = m.victimSentence("the database host " + busiestHost(cpu) + " is CPU-bound")
	}
	b.f.Capacity = capacity
	return b.finish(sev, class, magnitude)
}
