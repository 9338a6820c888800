package triage

import "testing"

func TestSlowQueries(t *testing.T) {
	runRuleCases(t, slowQueriesRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "mean below 2x the day before", snap: sick(read(SignalDBQueryMean, 0.0039, baseline(0.002)))},
		{name: "mean at 2x the day before", snap: sick(read(SignalDBQueryMean, 0.004, baseline(0.002))), want: SeverityWarning},
		{name: "P99 above 5x the day before", snap: sick(read(SignalDBQueryP99, 0.08, baseline(0.01))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "80 ms, P99 over 5m (day before: 10 ms) — 8x the day-before baseline")
				containsLine(t, "against", f.Against, "no load spike against the day before")
			}},
		{name: "long transaction at warning", snap: sick(read(SignalDBLongestTransaction, 60)), want: SeverityWarning},
		{name: "no baseline", snap: sick(read(SignalDBQueryMean, 0.5))},
		{name: "missing", snap: sick(absent(SignalDBQueryP99), absent(SignalDBQueryMean), absent(SignalDBLongestTransaction))},
		{name: "NaN", snap: sick(nan(SignalDBQueryP99, true), nan(SignalDBLongestTransaction, true))},
	})
}
