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
		{name: "long transaction at warning", snap: sick(read(SignalDBLongestTransaction, 60)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "A long-running transaction is open (role not measured): it holds a connection")
			}},
		// The instance and role the longest transaction runs on say what it
		// holds: a read on a replica holds no lock on the primary.
		{name: "long read on a replica", snap: sick(read(SignalDBLongestTransaction, 120, baseline(1),
			entity(120, 1, "instance", "db-2:9187", "role", "replica"), entity(2, 2, "instance", "db-1:9187", "role", "primary"))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "A long-running transaction is open on db-2:9187 (replica): it holds a connection and holds back WAL replay")
				containsLine(t, "evidence", f.Evidence, "Longest open database transaction on instance=db-2:9187, role=replica: 2 min now")
				if len(f.Entities) != 1 || f.Entities[0].Name != "instance=db-2:9187, role=replica" || f.Change != ChangeNew {
					t.Errorf("the long transaction is the change, on its instance and role: %s %+v", f.Change, f.Entities)
				}
			}},
		{name: "long transaction on the primary", snap: sick(read(SignalDBLongestTransaction, 120, baseline(1), entity(120, 1, "instance", "db-1:9187", "role", "primary"))),
			want: SeverityWarning, check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "open on db-1:9187 (primary): it holds locks and a connection, and blocks vacuum")
			}},
		{name: "long transaction, role not measured", snap: sick(read(SignalDBLongestTransaction, 120, baseline(1), withoutRoles(), entity(120, 1, "instance", "db-2:9187"))),
			want: SeverityWarning, check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "open on db-2:9187 (role not measured): it holds a connection; on the primary it also holds locks")
			}},
		{name: "no baseline", snap: sick(read(SignalDBQueryMean, 0.5))},
		{name: "missing", snap: sick(absent(SignalDBQueryP99), absent(SignalDBQueryMean), absent(SignalDBLongestTransaction))},
		{name: "NaN", snap: sick(nan(SignalDBQueryP99), nan(SignalDBLongestTransaction))},
	})
}
