package triage

import (
	"strings"
	"testing"
)

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
		{name: "at warning, nothing refused", snap: sick(read(SignalDBConnectionUtil, 0.85), refused(0)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "Database connections refused at max_connections on db-1:9104: 0 connections, 30m increase (day before: 0 connections) — no connection was refused at max_connections")
				containsLine(t, "summary", []string{f.Summary}, "new connections will be refused")
			}},
		// Refusals are the harm itself: critical, worded as what happens.
		{name: "at warning and refusing", snap: sick(read(SignalDBConnectionUtil, 0.85, baseline(0.5), entity(0.85, 0.5, "instance", "db-1:9104")), refused(37)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Database connections refused at max_connections on db-1:9104: 37 connections, 30m increase (day before: 0 connections) — at or above warning threshold 1 connection")
				containsLine(t, "summary", []string{f.Summary}, "The database on db-1:9104 is already refusing clients: 37 connections refused at max_connections (30m increase); it uses 85% of max_connections now")
				if strings.Contains(f.Summary, "will be refused") || f.Score < 300 || f.Change != ChangeNew {
					t.Errorf("summary %q score %v change %s", f.Summary, f.Score, f.Change)
				}
			}},
		{name: "refusing after a burst, under the threshold now", snap: sick(read(SignalDBConnectionUtil, 0.5, baseline(0.5), entity(0.5, 0.5, "instance", "db-1:9104")), read(SignalDBConnectionsUsed, 50, baseline(50)), refused(1)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "50% now (day before: 50%, 1x) (50 of 100 connections) — under its threshold now: the refusals came in a burst")
				containsLine(t, "summary", []string{f.Summary}, "already refusing clients: 1 connection refused")
			}},
		// Another instance's limit says nothing about the one refusing.
		{name: "refusing, the limit measured on another database", snap: sick(
			read(SignalDBConnectionUtil, 0.2, baseline(0.2), entity(0.2, 0.2, "instance", "db-1:9187")), refused(5)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				for _, line := range append(f.Against, f.Summary) {
					if strings.Contains(line, "max_connections now") || strings.Contains(line, "db-1:9187") {
						t.Errorf("another database's limit joined: %q", line)
					}
				}
			}},
		{name: "refusals missing", snap: sick(read(SignalDBConnectionUtil, 0.79), absent(SignalDBConnectionsRefused))},
		{name: "missing", snap: sick(absent(SignalDBConnectionUtil), absent(SignalDBConnectionsUsed))},
		{name: "NaN", snap: sick(nan(SignalDBConnectionUtil), nan(SignalDBConnectionsUsed), nan(SignalDBConnectionsRefused))},
	})
}

// refused is n connections MySQL on db-1:9104 refused at max_connections in
// the last 30 minutes, none the day before.
func refused(n float64) Reading {
	return read(SignalDBConnectionsRefused, n, baseline(0), entity(n, 0, "instance", "db-1:9104"))
}
