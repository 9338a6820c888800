package triage

import "testing"

func TestDBConnectionCeiling(t *testing.T) {
	derivedOnly := func(used float64) *Snapshot {
		return sick(absent(SignalDBConnectionUtil), read(SignalDBConnectionsUsed, used), read(SignalDBConnectionsMax, 100))
	}
	runRuleCases(t, dbConnectionCeilingRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalDBConnectionUtil, 0.79))},
		{name: "at warning", snap: sick(read(SignalDBConnectionUtil, 0.8)), want: SeverityWarning},
		{name: "above critical", snap: sick(read(SignalDBConnectionUtil, 0.96)), want: SeverityCritical},
		{name: "warning with waiters upstream", snap: sick(read(SignalDBConnectionUtil, 0.85), read(SignalAppPoolWaiting, 3)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				if f.Score < 300 {
					t.Errorf("waiters make it saturation, score %v", f.Score)
				}
			}},
		{name: "derived from used / max, below", snap: derivedOnly(79)},
		{name: "derived from used / max, at critical", snap: derivedOnly(95), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "95% of max_connections now (95 of 100 connections)")
			}},
		{name: "max of zero", snap: sick(absent(SignalDBConnectionUtil), read(SignalDBConnectionsUsed, 5), read(SignalDBConnectionsMax, 0))},
		{name: "missing", snap: sick(absent(SignalDBConnectionUtil), absent(SignalDBConnectionsUsed))},
		{name: "NaN", snap: sick(nan(SignalDBConnectionUtil, true), nan(SignalDBConnectionsUsed, true))},
	})
}
