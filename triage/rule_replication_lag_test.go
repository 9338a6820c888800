package triage

import (
	"strings"
	"testing"
)

// withoutRoles measures a reading as the candidate that cannot tell a
// primary from a replica does: its entities carry the instance alone.
func withoutRoles() readingOption {
	return func(r *Reading) { r.EntityLabels = []string{"instance"} }
}

func TestReplicationLag(t *testing.T) {
	replica := func(v, dayBefore float64) readingOption {
		return entity(v, dayBefore, "instance", "db-2:9187", "role", "replica")
	}
	primary := func(v, dayBefore float64) readingOption {
		return entity(v, dayBefore, "instance", "db-1:9187", "role", "primary")
	}
	lagging := read(SignalReplicationLag, 45, baseline(0.2), replica(45, 0.2))
	runRuleCases(t, replicationLagRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalReplicationLag, 4.9))},
		{name: "at warning", snap: sick(read(SignalReplicationLag, 5)), want: SeverityWarning},
		{name: "above critical", snap: sick(read(SignalReplicationLag, 45)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "45 s now")
			}},
		{name: "names the lagging replica and its role", snap: sick(lagging), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "Replication lag on db-2:9187 (replica) is 45 s")
			}},
		{name: "lagging instance without a measured role",
			snap: sick(read(SignalReplicationLag, 45, withoutRoles(), entity(45, 0.2, "instance", "db-2:9187"))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "db-2:9187 (role not measured) is 45 s")
			}},
		// The primary's writes tripled; summed with the replicas' reads they
		// would not be a spike.
		{name: "write spike on the primary", snap: sick(lagging, read(SignalDBTransactions, 900, baseline(300), primary(900, 300))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "Database transactions on instance=db-1:9187, role=primary: 900 transactions/s")
				containsLine(t, "against", f.Against, "a competing explanation")
			}},
		{name: "calm writes on the primary", snap: sick(lagging, read(SignalDBTransactions, 310, baseline(300), primary(310, 300))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "no write spike on the primary against the day before")
			}},
		{name: "transactions without roles rule no write spike out",
			snap: sick(lagging, read(SignalDBTransactions, 2310, baseline(2300), withoutRoles(), entity(2000, 2000, "instance", "db-2:9187"), entity(310, 300, "instance", "db-1:9187"))),
			want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "role not measured: every instance's transactions, replicas' read-only ones included")
				notLine(t, "against", f.Against, "no write spike on the primary")
			}},
		{name: "long read on the lagging replica, none on the primary",
			snap: sick(lagging, read(SignalDBLongestTransaction, 120, baseline(1), replica(120, 1), primary(2, 2))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Longest open database transaction on instance=db-2:9187, role=replica: 2 min now")
				containsLine(t, "evidence", f.Evidence, "replay on the lagging replica waits")
				containsLine(t, "against", f.Against, "Longest open database transaction on instance=db-1:9187, role=primary: 2 s now (day before: 2 s, 1x) — no long transaction on the primary")
			}},
		{name: "long transaction on the primary", snap: sick(lagging, read(SignalDBLongestTransaction, 400, baseline(2), primary(400, 2), replica(3, 1))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "on instance=db-1:9187, role=primary: 6.67 min now")
				containsLine(t, "against", f.Against, "a competing explanation")
				containsLine(t, "against", f.Against, "no long query on the lagging replica holds its replay back")
			}},
		{name: "longest transaction without roles",
			snap: sick(lagging, read(SignalDBLongestTransaction, 2, baseline(2), withoutRoles(), entity(2, 2, "instance", "db-2:9187"))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "no long transaction on any instance (role not measured")
				notLine(t, "against", f.Against, "transaction on the primary")
			}},
		{name: "missing", snap: sick(absent(SignalReplicationLag))},
		{name: "NaN", snap: sick(nan(SignalReplicationLag))},
	})
}

// notLine fails if one of lines contains unwanted.
func notLine(t *testing.T, what string, lines []string, unwanted string) {
	t.Helper()
	for _, l := range lines {
		if strings.Contains(l, unwanted) {
			t.Errorf("%s must not say %q: %q", what, unwanted, l)
		}
	}
}
