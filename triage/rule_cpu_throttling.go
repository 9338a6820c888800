package triage

import "fmt"

var cpuThrottlingRule = Rule{
	ID:      RuleCPUThrottling,
	Title:   "CPU throttling by container limits",
	Prompts: []PromptID{PromptAutoScaling, PromptHorizontalScaling, PromptProfiling},
	Causes:  []SignalID{SignalCPUThrottling},
	Eval:    evalCPUThrottling,
}

func evalCPUThrottling(s *Snapshot, set RuleSettings, _ *Capacity) []Finding {
	if !s.hot(SignalCPUThrottling) {
		return nil
	}
	b := newFinding(s)
	b.support(SignalCPUThrottling)
	if name, cpu, bound := containerBound(s); bound {
		// Busy up to its limit and throttled: one condition, said once.
		b.support(SignalCPUUtilization)
		b.symptom(SignalLatencyP99, "latency is normal: the container limit does not hurt requests yet")
		b.rival(SignalAppPoolWaiting, "no request waits for a database connection")
		b.rival(SignalDBPoolWaiting, "no client waits at PgBouncer: the database tier is not queueing")
		b.f.Summary = fmt.Sprintf("CPU-bound at its container limit: %s uses %s of its CPU limit and is throttled in %s of its CPU periods",
			name, FormatNumber(cpu, UnitRatio), FormatNumber(floatOr(s, SignalCPUThrottling), UnitRatio))
		sev := atLeast(severityOf(s.worst(SignalCPUThrottling, SignalCPUUtilization)), SeverityWarning)
		return b.finish(sev, classSaturation, floatOr(s, SignalCPUThrottling))
	}
	b.symptom(SignalLatencyP99, "latency is normal: the throttling does not hurt requests")
	b.rival(SignalCPUUtilization, "the host has spare CPU: the limit, not the machine, is short")

	// Throttling alone is noisy (OpenShift's monitoring drops the
	// kubernetes-mixin alert CPUThrottlingHigh for that, Red Hat bugzilla
	// 1843346): it counts only with a latency symptom beside it.
	sev := severityOf(s.worst(SignalCPUThrottling))
	_, latencyMeasured := s.usable(SignalLatencyP99)
	switch {
	case s.hot(SignalLatencyP99):
		b.f.Summary = "Containers are throttled by their CPU limit while latency rises: the CPU limit is the ceiling"
	case latencyMeasured:
		sev = SeverityInfo
		b.f.Summary = "Containers are throttled by their CPU limit, but latency is normal: worth watching, not the bottleneck"
	default:
		sev = atMost(sev, SeverityWarning)
		b.f.Summary = "Containers are throttled by their CPU limit; latency is not measured, so the impact on requests is unknown"
	}
	return b.finish(sev, classUtilization, floatOr(s, SignalCPUThrottling))
}

// containerBound finds a container that is both hot on CPU against its
// limit (a cAdvisor reading of cpu_utilization) and hot on throttling: the
// container's name and its CPU share of the limit.
func containerBound(s *Snapshot) (string, float64, bool) {
	cpu, ok := s.usable(SignalCPUUtilization)
	thr, ok2 := s.usable(SignalCPUThrottling)
	if !ok || !ok2 || cpu.Tier != TierContainer || cpu.Status.rank() < StatusWarning.rank() || thr.Status.rank() < StatusWarning.rank() {
		return "", 0, false
	}
	if len(cpu.Entities) == 0 || len(thr.Entities) == 0 {
		return "the busiest container", cpu.Value.V, true
	}
	for _, e := range cpu.Entities {
		if cpu.narrowedTo(e).Status.rank() < StatusWarning.rank() {
			continue
		}
		for _, t := range thr.Entities {
			if sameLabels(e.Labels, t.Labels) {
				return cpu.EntityName(e), e.Value.V, true
			}
		}
	}
	return "", 0, false
}
