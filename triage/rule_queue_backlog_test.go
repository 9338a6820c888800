package triage

import "testing"

func TestQueueBacklog(t *testing.T) {
	runRuleCases(t, queueBacklogRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "growth below the ratio", snap: sick(read(SignalQueueDepth, 500, windowStart(420)))},
		{name: "growth at the ratio", snap: sick(read(SignalQueueDepth, 600, windowStart(500), series(500, 520, 560, 600))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "The backlog went from 500 messages to 600 messages in the 5m window, 0.333 messages/s; it rose in 3 of 3 steps")
				if f.Score < 300 {
					t.Errorf("growth is saturation: score %v", f.Score)
				}
			}},
		{name: "growth under the depth floor", snap: sick(read(SignalQueueDepth, 90, windowStart(10)))},
		{name: "growth from empty", snap: sick(read(SignalQueueDepth, 150, windowStart(0))), want: SeverityWarning},
		{name: "growing past critical", snap: sick(read(SignalQueueDepth, 20000, windowStart(5000))), want: SeverityCritical},
		{name: "high but draining", snap: sick(read(SignalQueueDepth, 5000, windowStart(8000))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "shrinking")
				if f.Score >= 300 {
					t.Errorf("draining is no saturation: score %v", f.Score)
				}
			}},
		{name: "high, no window start", snap: sick(read(SignalQueueDepth, 999))},
		{name: "missing", snap: sick(absent(SignalQueueDepth))},
		{name: "NaN", snap: sick(nan(SignalQueueDepth, true))},
	})
}
