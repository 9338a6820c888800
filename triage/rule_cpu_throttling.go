package triage

var cpuThrottlingRule = Rule{
	ID:      "cpu-throttling",
	Title:   "CPU throttling by container limits",
	Prompts: []string{PromptAutoScaling, PromptHorizontalScaling, PromptProfiling},
	Causes:  []SignalID{SignalCPUThrottling},
	Eval:    evalCPUThrottling,
}

func evalCPUThrottling(s *Snapshot, set RuleSettings, _ *Capacity) []Finding {
	if !s.hot(SignalCPUThrottling) {
		return nil
	}
	b := newFinding(s)
	b.support(SignalCPUThrottling)
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
