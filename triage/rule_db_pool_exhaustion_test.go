package triage

import (
	"strings"
	"testing"
)

func TestDBPoolExhaustion(t *testing.T) {
	summary := func(want string) func(*testing.T, Finding) {
		return func(t *testing.T, f Finding) {
			if !strings.Contains(f.Summary, want) {
				t.Errorf("summary %q, want %q", f.Summary, want)
			}
		}
	}
	atCeiling := read(SignalDBConnectionUtil, 0.97)
	runRuleCases(t, dbPoolExhaustionRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "lab incident", snap: poolExhaustion(), want: SeverityCritical,
			check: summary("at the PgBouncer tier")},
		{name: "PgBouncer waiters below warning", snap: sick(read(SignalDBPoolWaiting, 0.5))},
		{name: "PgBouncer waiters at warning", snap: sick(read(SignalDBPoolWaiting, 1)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				if f.Score < 300 {
					t.Errorf("waiters are saturation, score %v", f.Score)
				}
			}},
		{name: "app pool waiters above critical", snap: sick(read(SignalAppPoolWaiting, 8)), want: SeverityCritical,
			check: summary("at the app tier")},
		{name: "both tiers wait", snap: sick(read(SignalAppPoolWaiting, 2), read(SignalDBPoolWaiting, 2)), want: SeverityWarning,
			check: summary("at the app/PgBouncer tier")},
		{name: "oldest wait at critical", snap: sick(read(SignalDBPoolMaxWait, 1)), want: SeverityCritical},
		{name: "pool full, nobody waits", snap: sick(read(SignalAppPoolUtilization, 0.85)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				summary("no client waits yet")(t, f)
				if f.Score >= 300 {
					t.Errorf("utilization only, score %v", f.Score)
				}
			}},
		{name: "waiters at the database ceiling", snap: sick(read(SignalDBPoolWaiting, 10), atCeiling), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				summary("the database connection limit is the ceiling")(t, f)
				if f.Score >= 200 {
					t.Errorf("explained by the ceiling, must rank under it: score %v", f.Score)
				}
			}},
		{name: "ceiling unmeasured", snap: sick(read(SignalDBPoolWaiting, 10), absent(SignalDBConnectionUtil), absent(SignalDBConnectionsUsed)),
			want: SeverityCritical, check: summary("not measured")},
		{name: "missing", snap: sick(absent(SignalDBPoolWaiting), absent(SignalAppPoolWaiting), absent(SignalDBPoolUtilization))},
		{name: "NaN", snap: sick(nan(SignalDBPoolWaiting), nan(SignalAppPoolWaiting), nan(SignalDBPoolMaxWait))},
	})
}

// Without a day-before value, an "ok" latency proves nothing: the window may
// start inside the incident.
func TestPoolExhaustionDoesNotClearUnjudgedSymptoms(t *testing.T) {
	s := sick(read(SignalDBPoolWaiting, 40), read(SignalLatencyP99, 1.2), read(SignalDBQueryMean, 0.6))
	for i, r := range s.Readings {
		if r.ID == SignalLatencyP99 || r.ID == SignalDBQueryMean {
			s.Readings[i].Baseline, s.Readings[i].Status = None, StatusOK
		}
	}
	found := dbPoolExhaustionRule.Run(s, DefaultRuleSettings())
	if len(found) != 1 {
		t.Fatalf("%d findings", len(found))
	}
	containsLine(t, "against", found[0].Against, "Latency P99: 1.2 s, P99 over 5m (no day-before baseline) — no usable day-before baseline to compare with")
	containsLine(t, "against", found[0].Against, "no usable day-before baseline to compare with: cannot be ruled out")
}
