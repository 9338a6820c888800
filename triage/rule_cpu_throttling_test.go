package triage

import "testing"

func TestCPUThrottling(t *testing.T) {
	slow := read(SignalLatencyP99, 0.2, baseline(0.05))
	runRuleCases(t, cpuThrottlingRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalCPUThrottling, 0.24), slow)},
		{name: "at warning with latency up", snap: sick(read(SignalCPUThrottling, 0.25), slow), want: SeverityWarning},
		{name: "above critical with latency up", snap: sick(read(SignalCPUThrottling, 0.6), slow), want: SeverityCritical},
		{name: "above critical, latency normal", snap: sick(read(SignalCPUThrottling, 0.6)), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "the throttling does not hurt requests")
			}},
		{name: "above critical, latency not measured", snap: sick(read(SignalCPUThrottling, 0.6), absent(SignalLatencyP99)), want: SeverityWarning},
		{name: "missing", snap: sick(absent(SignalCPUThrottling), slow)},
		{name: "NaN", snap: sick(nan(SignalCPUThrottling, true), slow)},
	})
}
