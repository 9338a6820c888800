package triage

import (
	"strings"
	"testing"
)

func TestPoolBehindSlowDatabase(t *testing.T) {
	// The database db-1:9187 on host db-1 (node_exporter db-1:9100), the
	// app on app-1, orders' pool waiting.
	waiting := read(SignalAppPoolWaiting, 12, baseline(0), entity(12, 0, "instance", "orders-1:8080", "db_name", "orders"))
	tx := read(SignalDBTransactions, 690, baseline(160), entity(690, 160, "instance", "db-1:9187"))
	tx.Contributors = []Contributor{
		{Signal: SignalDBTransactions, Entity: map[string]string{"instance": "db-1:9187"}, Labels: map[string]string{"datname": "billing"}, Now: Of(590), Before: Of(60), Unit: "transactions/s", Share: 1},
		{Signal: SignalDBTransactions, Entity: map[string]string{"instance": "db-1:9187"}, Labels: map[string]string{"datname": "orders"}, Now: Of(60), Before: Of(60), Unit: "transactions/s"},
	}
	hostCPU := func(now, before float64) Reading {
		return read(SignalCPUUtilization, now, baseline(before), entity(now, before, "instance", "db-1:9100"), entity(0.3, 0.3, "instance", "app-1:9100"))
	}
	psi := func(now, before float64) Reading {
		return read(SignalCPUPressure, now, baseline(before), entity(now, before, "instance", "db-1:9100"))
	}
	queryMean := func(now, before float64) Reading {
		return read(SignalDBQueryMean, now, baseline(before), entity(now, before, "instance", "db-1:9187"))
	}
	connUtil := read(SignalDBConnectionUtil, 0.06, baseline(0.06), entity(0.06, 0.06, "instance", "db-1:9187"))
	says := func(want ...string) func(*testing.T, Finding) {
		return func(t *testing.T, f Finding) {
			all := f.Summary + "\n" + strings.Join(f.Evidence, "\n")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("no %q in %s", w, all)
				}
			}
		}
	}
	scoped := func(s *Snapshot, deps ...string) *Snapshot {
		s.Scope = &ServiceScope{Selector: `job="orders"`, Identity: map[string][]string{"instance": {"orders-1:8080"}, "db_name": {"orders"}}}
		if len(deps) > 0 {
			m, _ := NewMatcher("instance", MatchEqual, deps[0])
			s.Scope.Dependencies = map[Tier][]Matchers{TierDatabase: {{m}}}
		}
		return s
	}
	saturated := func() *Snapshot { return sick(waiting, tx, connUtil, hostCPU(0.95, 0.30), psi(0.7, 0.02)) }
	// HikariCP names no database: only a service-graph edge links it.
	hikari := read(SignalAppPoolWaiting, 12, baseline(0), entity(12, 0, "instance", "orders-1:8080", "pool", "HikariPool-1"))
	graph := read(SignalServiceCalls, 650, baseline(120), entity(60, 60, "client", "orders", "server", "orders"), entity(590, 60, "client", "billing", "server", "billing"))
	// The service's own series with a job and no database name.
	withJob := func(s *Snapshot) *Snapshot {
		s.Scope = &ServiceScope{Selector: `job="orders"`, Identity: map[string][]string{"job": {"orders"}, "instance": {"orders-1:8080"}}}
		return s
	}
	runRuleCases(t, poolBehindSlowDatabaseRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "database host saturated, linked by datname", snap: saturated(), want: SeverityCritical,
			check: says("db-1:9187, got slow", "do not enlarge the pool", "datname match", "+9.83x on datname=billing", "100% of the increase")},
		{name: "what made the database slow: cache misses", snap: sick(waiting, tx, connUtil, hostCPU(0.95, 0.30), psi(0.7, 0.02),
			read(SignalCacheHitRatio, 0.2, baseline(0.95), entity(0.2, 0.95, "instance", "cache-1:9121"))), want: SeverityCritical,
			check: says("What made db-1:9187 slow: the cache hit ratio fell to 20% and its load rose to 4.31x the day before — see thundering-herd")},
		{name: "slow queries only, Little's law", snap: sick(waiting, tx, connUtil, queryMean(0.2, 0.007)), want: SeverityCritical,
			check: says("Little's law on db-1:9187: 690 transactions/s × 200 ms mean query time = 138 connections busy", "the day before: 160 transactions/s × 7 ms = 1.12 connections")},
		{name: "database saturated as before: chronic explains no new wait", snap: sick(waiting, tx, connUtil, hostCPU(0.96, 0.96), psi(0.7, 0.7))},
		{name: "another host saturated", snap: sick(waiting, tx, connUtil, read(SignalCPUUtilization, 0.97, baseline(0.3), entity(0.97, 0.3, "instance", "etl-1:9100")))},
		{name: "no client waits", snap: sick(tx, connUtil, hostCPU(0.95, 0.30), psi(0.7, 0.02))},
		{name: "selected service, config names this database", snap: scoped(saturated(), "db-1:9187"), want: SeverityCritical,
			check: says(`config dependencies: database {instance="db-1:9187"}`)},
		{name: "selected service, config names another database", snap: scoped(saturated(), "orders-db:9187")},
		{name: "selected service, datname link", snap: scoped(saturated()), want: SeverityCritical, check: says("datname match")},
		{name: "selected service, service-graph edge", snap: withJob(sick(hikari, graph, tx, connUtil, hostCPU(0.95, 0.30))), want: SeverityCritical,
			check: says("service graph: orders -> orders (a database on db-1:9187)")},
		{name: "selected service, no link at all", snap: withJob(sick(hikari, tx, connUtil, hostCPU(0.95, 0.30)))},
		{name: "missing", snap: sick(waiting, absent(SignalCPUUtilization), absent(SignalCPUPressure), absent(SignalDBQueryMean))},
		{name: "NaN", snap: sick(waiting, tx, nan(SignalCPUUtilization), nan(SignalCPUPressure), nan(SignalDBQueryMean))},
	})
}

// The victim's own finding says so once the chain holds.
func TestPoolExhaustionIsAVictimOfASlowDatabase(t *testing.T) {
	s := sick(
		read(SignalAppPoolWaiting, 12, baseline(0), entity(12, 0, "instance", "orders-1:8080", "db_name", "orders")),
		read(SignalDBConnectionUtil, 0.06, baseline(0.06), entity(0.06, 0.06, "instance", "db-1:9187")),
		read(SignalCPUPressure, 0.7, baseline(0.02), entity(0.7, 0.02, "instance", "db-1:9100")),
	)
	found := dbPoolExhaustionRule.Run(s, DefaultRuleSettings())
	if len(found) != 1 || !strings.HasPrefix(found[0].Summary, "A victim, not the cause") || found[0].Score >= 200 {
		t.Fatalf("%+v", found)
	}
	if !strings.Contains(found[0].Summary, "only database instance measured (db-1:9187)") {
		t.Errorf("the link is not said: %s", found[0].Summary)
	}
}
