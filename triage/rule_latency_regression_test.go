package triage

import "testing"

func TestLatencyRegression(t *testing.T) {
	runRuleCases(t, latencyRegressionRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below 2x the day before", snap: sick(read(SignalLatencyP99, 0.099, baseline(0.05)))},
		{name: "at 2x the day before", snap: sick(read(SignalLatencyP99, 0.1, baseline(0.05))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "Checked and not saturated now: CPU utilization (busiest host) 30%")
			}},
		{name: "5x with nothing measured beside it", snap: snapshot(read(SignalLatencyP99, 0.25, baseline(0.05))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "Not measured, so not ruled out: CPU utilization (busiest host)")
			}},
		{name: "5x with a saturated pool", snap: sick(read(SignalLatencyP99, 0.25, baseline(0.05)), read(SignalDBPoolWaiting, 3))},
		{name: "5x at the connection ceiling", snap: sick(read(SignalLatencyP99, 0.25, baseline(0.05)), absent(SignalDBConnectionUtil), read(SignalDBConnectionsUsed, 99))},
		{name: "missing", snap: sick(absent(SignalLatencyP99))},
		{name: "NaN", snap: sick(nan(SignalLatencyP99))},
	})
}

func TestLatencyRegressionLeavesSlowQueriesToTheirRule(t *testing.T) {
	s := sick(read(SignalLatencyP99, 0.2, baseline(0.02)), read(SignalDBQueryMean, 0.08, baseline(0.005)))
	if found := latencyRegressionRule.Run(s, DefaultRuleSettings()); len(found) != 0 {
		t.Errorf("fired while queries are 16x slower: %q", found[0].Summary)
	}
}
