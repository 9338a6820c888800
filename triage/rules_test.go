package triage

import (
	"slices"
	"strings"
	"testing"
)

// poolExhaustion is the lab's PgBouncer incident
// (docs/facts.md#lab-pool-exhaustion): 59 clients wait, the server pool is
// full, Postgres is far from max_connections.
func poolExhaustion() *Snapshot {
	return sick(
		read(SignalDBPoolWaiting, 59, baseline(0)),
		read(SignalDBPoolUtilization, 1.0, baseline(0.5)),
		read(SignalDBPoolMaxWait, 0.6, baseline(0)),
		read(SignalDBConnectionUtil, 0.07, baseline(0.06)),
		read(SignalDBConnectionsUsed, 7, baseline(6)),
		read(SignalLatencyP99, 0.995, baseline(0.02), clamped()),
		read(SignalCPUUtilization, 0.25, baseline(0.22)),
		read(SignalThroughput, 6.5, baseline(576)),
	)
}

func TestDiagnose(t *testing.T) {
	tests := []struct {
		name    string
		snap    *Snapshot
		top     RuleID
		sev     Severity
		prompt  PromptID
		check   func(t *testing.T, f Finding)
		without []RuleID // rules that must not fire
	}{
		{
			name: "PgBouncer pool exhaustion", snap: poolExhaustion(),
			top: "db-pool-exhaustion", sev: SeverityCritical, prompt: PromptConnectionPool,
			without: []RuleID{"latency-regression", "db-connection-ceiling"},
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "59 clients")
				containsLine(t, "evidence", f.Evidence, "Latency P99: ≥ 995 ms, P99 over 5m (day before: 20 ms)")
				containsLine(t, "against", f.Against, "25%, 5m average (day before: 22%, 1.14x) — not CPU-bound")
				containsLine(t, "against", f.Against, "7% now (day before: 6%, 1.17x) (7 of 100 connections) — the database itself is not the limit")
				if !strings.Contains(f.Summary, "pool is too small or connections are held too long at the PgBouncer tier") {
					t.Errorf("summary %q", f.Summary)
				}
				if f.Capacity == nil || f.Capacity.Bottleneck != SignalDBPoolUtilization || f.Capacity.SecondOrder != SignalAppPoolUtilization {
					t.Errorf("capacity %+v", f.Capacity)
				}
			},
		},
		{
			name: "Postgres at max_connections with pool waiters",
			snap: sick(
				read(SignalDBPoolWaiting, 12, baseline(0)),
				read(SignalDBPoolUtilization, 1.0, baseline(0.5)),
				read(SignalDBConnectionUtil, 0.97, baseline(0.5)),
				read(SignalDBConnectionsUsed, 97, baseline(50)),
			),
			top: "db-connection-ceiling", sev: SeverityCritical, prompt: PromptConnectionPool,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "97% now")
				containsLine(t, "evidence", f.Evidence, "12 clients")
			},
		},
		{
			name: "cache collapse", snap: sick(read(SignalCacheHitRatio, 0.4, baseline(0.95))),
			top: "cache-hit-collapse", sev: SeverityCritical, prompt: PromptCachingArchitecture,
			without: []RuleID{"thundering-herd"},
		},
		{
			name: "cache collapse with DB transactions 3x", snap: sick(
				read(SignalCacheHitRatio, 0.4, baseline(0.95)),
				read(SignalDBTransactions, 1500, baseline(500)),
			),
			top: "thundering-herd", sev: SeverityCritical, prompt: PromptThunderingHerd,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "The miss share of reads is 12x the day before's")
				containsLine(t, "against", f.Against, "traffic did not grow as much")
			},
		},
		{
			name: "CPU saturation", snap: sick(
				read(SignalCPUUtilization, 0.99, baseline(0.4)),
				read(SignalCPUPressure, 0.9, baseline(0.01)),
			),
			top: "cpu-saturation", sev: SeverityCritical, prompt: PromptHorizontalScaling,
		},
		{
			name: "P99 5x with nothing saturated", snap: sick(read(SignalLatencyP99, 0.25, baseline(0.05))),
			top: "latency-regression", sev: SeverityCritical, prompt: PromptProfiling,
			check: func(t *testing.T, f Finding) {
				if f.Prompts[1] != PromptLoadTesting {
					t.Errorf("prompts %v", f.Prompts)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found := Diagnose(tc.snap, DefaultRuleSettings()).Findings
			if len(found) == 0 {
				t.Fatal("no finding")
			}
			top := found[0]
			if top.ID != tc.top || top.Severity != tc.sev || top.Prompts[0] != tc.prompt {
				t.Fatalf("top %s %s %v, want %s %s %s; all: %v", top.ID, top.Severity, top.Prompts, tc.top, tc.sev, tc.prompt, ids(found))
			}
			for _, f := range found {
				checkFinding(t, f.ID, f)
				for _, not := range tc.without {
					if f.ID == not {
						t.Errorf("%s fired: %s", not, f.Summary)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, top)
			}
		})
	}
}

func TestDiagnoseHealthy(t *testing.T) {
	found := Diagnose(snapshot(healthy()...), DefaultRuleSettings()).Findings
	for _, f := range found {
		if f.Severity != SeverityInfo {
			t.Errorf("healthy system: %s %s: %s", f.ID, f.Severity, f.Summary)
		}
	}
	if len(found) != 1 || found[0].ID != "capacity-headroom" {
		t.Errorf("want the capacity-headroom info only, got %v", ids(found))
	}
}

func TestDiagnoseEmptySnapshot(t *testing.T) {
	if found := Diagnose(&Snapshot{}, DefaultRuleSettings()).Findings; len(found) != 0 {
		t.Errorf("no signal, yet %v", ids(found))
	}
}

// Missing, NaN or infinite signals never trigger a rule, even marked
// critical by mistake.
func TestDiagnoseUnusableSignals(t *testing.T) {
	var nans, infs, missing []Reading
	for _, r := range healthy() {
		nans = append(nans, nan(r.ID))
		infs = append(infs, inf(r.ID, baseline(1)))
		missing = append(missing, absent(r.ID))
	}
	for name, s := range map[string]*Snapshot{"NaN": snapshot(nans...), "+Inf": snapshot(infs...), "missing": snapshot(missing...)} {
		if found := Diagnose(s, DefaultRuleSettings()).Findings; len(found) != 0 {
			t.Errorf("%s: %v", name, ids(found))
		}
	}
}

func TestDiagnoseIsDeterministic(t *testing.T) {
	first := Diagnose(poolExhaustion(), DefaultRuleSettings()).Findings
	for range 20 {
		again := Diagnose(poolExhaustion(), DefaultRuleSettings()).Findings
		if strings.Join(ids(again), ",") != strings.Join(ids(first), ",") {
			t.Fatalf("order changed: %v vs %v", ids(again), ids(first))
		}
	}
	for i := 1; i < len(first); i++ {
		a, b := first[i-1], first[i]
		if a.Score < b.Score || a.Score == b.Score && a.ID > b.ID {
			t.Errorf("not ranked: %s %v before %s %v", a.ID, a.Score, b.ID, b.Score)
		}
	}
}

// TestRulesKeepTheRegistrationContract: what every rule in Rules() must
// declare. Its prompts must also exist in the library: prompts'
// TestVocabularyResolves checks that, which this package cannot.
func TestRulesKeepTheRegistrationContract(t *testing.T) {
	seen := map[RuleID]bool{}
	catalog := DefaultCatalog()
	for _, r := range Rules() {
		if r.ID == "" || seen[r.ID] {
			t.Errorf("rule %q: empty or duplicate id", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Eval == nil {
			t.Errorf("rule %s: no title or no Eval", r.ID)
		}
		if len(r.Causes) == 0 {
			t.Errorf("rule %s: no Causes, so its findings' change is unknown", r.ID)
		}
		for _, c := range r.Causes {
			if _, ok := catalog.Def(c); !ok {
				t.Errorf("rule %s: cause %q is not a signal of the catalog", r.ID, c)
			}
		}
		if len(r.Prompts) == 0 {
			t.Errorf("rule %s leads to no prompt", r.ID)
		}
		for i, p := range r.Prompts {
			if slices.Contains(r.Prompts[:i], p) {
				t.Errorf("rule %s lists prompt %s twice", r.ID, p)
			}
		}
	}
}

func ids(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f.ID) + "/" + string(f.Severity)
	}
	return out
}

// A prompt written for one engine follows the measured engine: a MySQL
// database gets no PostgreSQL deep dive, an unmeasured one keeps it.
func TestEnginePromptsFollowTheMeasuredEngine(t *testing.T) {
	measuredBy := func(r Reading, exporter string) Reading {
		d, _ := defaultCatalog().Def(r.ID)
		for _, c := range d.Candidates {
			if c.Exporter == exporter {
				r.MeasuredBy(c, c.Expand("", "5m"), "5m")
			}
		}
		return r
	}
	ceiling := func(exporter string) []Reading {
		return []Reading{
			measuredBy(read(SignalDBConnectionsUsed, 97), exporter),
			measuredBy(read(SignalDBConnectionsMax, 100), exporter),
			measuredBy(read(SignalDBConnectionUtil, 0.97), exporter),
			read(SignalAppPoolWaiting, 12),
		}
	}
	unmeasured := ceiling("postgres_exporter")
	for i := range unmeasured {
		unmeasured[i].Engine = ""
	}
	for _, tc := range []struct {
		name     string
		readings []Reading
		want     bool
	}{
		{"postgresql", ceiling("postgres_exporter"), true},
		{"mysql", ceiling("mysqld_exporter"), false},
		{"engine not measured", unmeasured, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			others := slices.DeleteFunc(healthy(), func(r Reading) bool { return r.Tier == TierDatabase })
			found := dbConnectionCeilingRule.Run(snapshot(append(others, tc.readings...)...), DefaultRuleSettings())
			if len(found) != 1 {
				t.Fatalf("want one finding, got %v", ids(found))
			}
			if got := slices.Contains(found[0].Prompts, PromptPostgreSQLDeepDive); got != tc.want {
				t.Errorf("PostgreSQL deep dive offered: %v, want %v (prompts %v)", got, tc.want, found[0].Prompts)
			}
			if found[0].Prompts[0] != PromptConnectionPool {
				t.Errorf("primary prompt %s", found[0].Prompts[0])
			}
		})
	}
}
