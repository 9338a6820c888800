package triage

import "testing"

func TestReplicationLag(t *testing.T) {
	runRuleCases(t, replicationLagRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalReplicationLag, 4.9))},
		{name: "at warning", snap: sick(read(SignalReplicationLag, 5)), want: SeverityWarning},
		{name: "above critical", snap: sick(read(SignalReplicationLag, 45)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "45 s now")
			}},
		{name: "missing", snap: sick(absent(SignalReplicationLag))},
		{name: "NaN", snap: sick(nan(SignalReplicationLag, true))},
	})
}
