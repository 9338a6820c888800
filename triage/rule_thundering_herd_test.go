package triage

import (
	"strings"
	"testing"
)

func TestThunderingHerd(t *testing.T) {
	collapsed := read(SignalCacheHitRatio, 0.6, baseline(0.95))
	runRuleCases(t, thunderingHerdRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "collapse, DB load below the spike ratio", snap: sick(collapsed, read(SignalDBTransactions, 990, baseline(500)))},
		{name: "collapse, DB load at the spike ratio", snap: sick(collapsed, read(SignalDBTransactions, 1000, baseline(500))), want: SeverityWarning},
		{name: "collapse, active connections 4x", snap: sick(collapsed, read(SignalDBActiveConnections, 20, baseline(5))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				if f.Score < 300 || f.Capacity == nil {
					t.Errorf("a herd is saturation: score %v", f.Score)
				}
			}},
		{name: "traffic grew as much", snap: sick(collapsed, read(SignalDBTransactions, 1500, baseline(500)), read(SignalThroughput, 300, baseline(100))),
			want: SeverityWarning, check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "plain growth")
			}},
		{name: "DB spike without collapse", snap: sick(read(SignalDBTransactions, 1500, baseline(500)))},
		{name: "DB load missing", snap: sick(collapsed, absent(SignalDBTransactions), absent(SignalDBActiveConnections))},
		{name: "cache NaN", snap: sick(nan(SignalCacheHitRatio), read(SignalDBTransactions, 1500, baseline(500)))},
		{name: "DB load NaN", snap: sick(collapsed, nan(SignalDBTransactions), nan(SignalDBActiveConnections))},
		{name: "DB load +Inf", snap: sick(collapsed, inf(SignalDBTransactions, baseline(500)), inf(SignalDBActiveConnections, baseline(5)))},
	})
}

// TestMissStormChain is the chain from a database saturated by cache misses
// to the cache: linked, the herd says the link and what the misses did to
// the database host, whose own CPU finding says it is a victim.
func TestMissStormChain(t *testing.T) {
	cache := read(SignalCacheHitRatio, 0.2, baseline(0.95), entity(0.2, 0.95, "instance", "cache-1:9121"))
	tx := read(SignalDBTransactions, 2030, baseline(580), entity(2030, 580, "instance", "db-1:9187"))
	dbHostCPU := read(SignalCPUUtilization, 0.95, baseline(0.3), entity(0.95, 0.3, "instance", "db-1:9100"), entity(0.3, 0.3, "instance", "app-1:9100"))
	appHostCPU := read(SignalCPUUtilization, 0.95, baseline(0.3), entity(0.95, 0.3, "instance", "app-1:9100"), entity(0.3, 0.3, "instance", "db-1:9100"))
	psi := read(SignalCPUPressure, 0.55, baseline(0.02), entity(0.55, 0.02, "instance", "db-1:9100"))
	twoCaches := read(SignalCacheHitRatio, 0.2, baseline(0.95), entity(0.2, 0.95, "instance", "cache-1:9121"), entity(0.97, 0.97, "instance", "sessions:9121"))
	scoped := func(s *Snapshot, cache string) *Snapshot {
		s.Scope = &ServiceScope{Selector: `job="app"`, Identity: map[string][]string{"job": {"app"}}}
		db, _ := NewMatcher("instance", MatchEqual, "db-1:9187")
		c, _ := NewMatcher("instance", MatchEqual, cache)
		s.Scope.Dependencies = map[Tier][]Matchers{TierDatabase: {{db}}, TierCache: {{c}}}
		return s
	}
	says := func(rule string, link string, want ...string) func(*testing.T, Finding) {
		return func(t *testing.T, f Finding) {
			if f.Link != link {
				t.Errorf("%s: link %q, want %q", rule, f.Link, link)
			}
			all := f.Summary + "\n" + strings.Join(f.Evidence, "\n")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("%s: no %q in %s", rule, w, all)
				}
			}
		}
	}
	only := "the only cache (cache-1:9121) and the only database (db-1:9187) measured"
	runRuleCases(t, thunderingHerdRule, []ruleCase{
		{name: "linked: the only cache and database", snap: sick(cache, tx, dbHostCPU, psi), want: SeverityCritical,
			check: says("herd", only, "Link from the cache to the database", "What the misses did to the database: CPU pressure", "the database is the victim")},
		{name: "linked by the config", snap: scoped(sick(cache, tx, dbHostCPU, psi), "cache-1:9121"), want: SeverityCritical,
			check: says("herd", "the service's cache (config dependencies: cache {instance=\"cache-1:9121\"}) and database (config dependencies: database {instance=\"db-1:9187\"})")},
		{name: "the config names another cache: no link", snap: scoped(sick(cache, tx, dbHostCPU), "sessions:9121"), want: SeverityCritical, check: says("herd", "")},
		{name: "two caches, no service: no link", snap: sick(twoCaches, tx, dbHostCPU), want: SeverityCritical, check: says("herd", "")},
	})
	victim := func(rule string) func(*testing.T, Finding) {
		return func(t *testing.T, f Finding) {
			says(rule, only, "A victim, not the cause", "see thundering-herd")(t, f)
		}
	}
	runRuleCases(t, cpuSaturationRule, []ruleCase{
		{name: "the database host under the misses is a victim", snap: sick(cache, tx, dbHostCPU, psi), want: SeverityCritical, check: victim("cpu")},
		{name: "another host is no victim", snap: sick(cache, tx, appHostCPU), want: SeverityCritical, check: says("cpu", "")},
		{name: "no storm: the host is the finding", snap: sick(tx, dbHostCPU, psi), want: SeverityCritical, check: says("cpu", "", "Runnable work waits")},
	})
	slow := read(SignalDBQueryMean, 0.025, baseline(0.002), entity(0.025, 0.002, "instance", "db-1:9187"))
	runRuleCases(t, slowQueriesRule, []ruleCase{
		{name: "queries slowed by the misses are a victim", snap: sick(cache, tx, slow), want: SeverityCritical, check: victim("slow")},
		{name: "no storm: the queries are the finding", snap: sick(slow), want: SeverityCritical, check: says("slow", "", "query plans")},
	})
}
