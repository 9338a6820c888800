package triage

import "testing"

func TestCPUSaturation(t *testing.T) {
	saturated := func(t *testing.T, f Finding) {
		if f.Score < 300 || f.Capacity == nil {
			t.Errorf("pressure is saturation: score %v capacity %v", f.Score, f.Capacity)
		}
	}
	runRuleCases(t, cpuSaturationRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "utilization below warning", snap: sick(read(SignalCPUUtilization, 0.79))},
		{name: "utilization at warning", snap: sick(read(SignalCPUUtilization, 0.8)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "no client waits at PgBouncer")
				if f.Score >= 300 {
					t.Errorf("busy without waiting is utilization, score %v", f.Score)
				}
			}},
		{name: "utilization above critical", snap: sick(read(SignalCPUUtilization, 0.97)), want: SeverityCritical},
		{name: "pressure below warning", snap: sick(read(SignalCPUPressure, 0.09))},
		{name: "pressure below warning", snap: sick(read(SignalCPUPressure, 0.24))},
		{name: "pressure at warning", snap: sick(read(SignalCPUPressure, 0.25)), want: SeverityWarning, check: saturated},
		{name: "load per core above critical", snap: sick(read(SignalCPULoadPerCore, 2.5)), want: SeverityCritical, check: saturated},
		{name: "missing", snap: sick(absent(SignalCPUUtilization), absent(SignalCPUPressure), absent(SignalCPULoadPerCore))},
		{name: "NaN", snap: sick(nan(SignalCPUUtilization), nan(SignalCPUPressure))},
		{name: "busy with Redis's core full", snap: sick(read(SignalCPUUtilization, 0.9), redisCore(0.97)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "on cache-1:9121: 97%, 5m average (day before: 30%, 3.23x) — at or above critical threshold 95%: a competing explanation — Redis runs its commands on one core")
			}},
		{name: "busy with rivals unmeasured", snap: snapshot(read(SignalCPUUtilization, 0.96)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "PgBouncer clients waiting for a server connection: not measured — cannot be ruled out")
			}},
	})
}
