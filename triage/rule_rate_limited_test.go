package triage

import "testing"

func TestRateLimited(t *testing.T) {
	runRuleCases(t, rateLimitedRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalRateLimitedRatio, 0.009))},
		{name: "at warning", snap: sick(read(SignalRateLimitedRatio, 0.01)), want: SeverityWarning},
		{name: "above critical", snap: sick(read(SignalRateLimitedRatio, 0.3)), want: SeverityCritical},
		{name: "missing", snap: sick(absent(SignalRateLimitedRatio))},
		{name: "NaN", snap: sick(nan(SignalRateLimitedRatio))},
	})
}
