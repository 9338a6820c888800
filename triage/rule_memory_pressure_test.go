package triage

import "testing"

func TestMemoryPressure(t *testing.T) {
	runRuleCases(t, memoryPressureRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalMemoryUtilization, 0.79))},
		{name: "at warning", snap: sick(read(SignalMemoryUtilization, 0.8)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				if f.Capacity != nil {
					t.Error("memory is not in the capacity maths")
				}
			}},
		{name: "above critical", snap: sick(read(SignalMemoryUtilization, 0.95)), want: SeverityCritical},
		{name: "missing", snap: sick(absent(SignalMemoryUtilization))},
		{name: "NaN", snap: sick(nan(SignalMemoryUtilization, true))},
	})
}
