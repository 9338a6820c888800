package triage

import (
	"strings"
	"testing"
)

// redisCore is Redis's main thread on cache-1:9121 at v of its one core,
// 30 % the day before.
func redisCore(v float64) Reading {
	return read(SignalCacheCPU, v, baseline(0.3), entity(v, 0.3, "instance", "cache-1:9121"))
}

func TestRedisCPUSaturation(t *testing.T) {
	runRuleCases(t, redisCPURule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(redisCore(0.84))},
		{name: "at warning, the host idle", snap: sick(redisCore(0.85), read(SignalCPUUtilization, 0.2, baseline(0.2))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Redis CPU, share of one core (busiest instance) on cache-1:9121: 85%, 5m average (day before: 30%, 2.83x)")
				containsLine(t, "against", f.Against, "the host has idle cores: Redis's one command thread is the limit, not the machine")
				containsLine(t, "summary", []string{f.Summary}, "Redis on cache-1:9121 uses 85% of its one core (5m average)")
				if len(f.Entities) != 1 || f.Entities[0].Name != "cache-1:9121" || f.Change != ChangeNew {
					t.Errorf("entities %+v change %s", f.Entities, f.Change)
				}
			}},
		{name: "above critical", snap: sick(redisCore(0.98)), want: SeverityCritical},
		{name: "ops surge with flat traffic", snap: sick(redisCore(0.97),
			read(SignalCacheOps, 3300, baseline(1100)), read(SignalThroughput, 100, baseline(100))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Cache operations at 3x the day before, Throughput at 1x: each request makes 3x the cache calls it made then")
				containsLine(t, "summary", []string{f.Summary}, "look for a hot key, a missing client-side cache or a retry storm")
			}},
		{name: "ops grew with traffic", snap: sick(redisCore(0.97),
			read(SignalCacheOps, 3300, baseline(1100)), read(SignalThroughput, 300, baseline(100))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "traffic rose to 3x the day before")
				if strings.Contains(f.Summary, "retry storm") {
					t.Errorf("growth named a surge: %s", f.Summary)
				}
			}},
		{name: "missing", snap: sick(absent(SignalCacheCPU))},
		{name: "NaN", snap: sick(nan(SignalCacheCPU))},
	})
}

// While Redis's one core is full, no finding may rule CPU out because the
// hosts are idle: the line names Redis's core instead.
func TestIdleHostsDoNotRuleOutAFullRedisCore(t *testing.T) {
	cases := []struct {
		rule Rule
		snap []Reading
	}{
		{dbPoolExhaustionRule, []Reading{read(SignalAppPoolWaiting, 12, baseline(0))}},
		{dbConnectionCeilingRule, []Reading{read(SignalDBConnectionUtil, 0.96, baseline(0.5))}},
		{slowQueriesRule, []Reading{read(SignalDBQueryMean, 0.01, baseline(0.002))}},
		{errorSpikeRule, []Reading{read(SignalErrorRatio, 0.2, baseline(0.001))}},
		{queueBacklogRule, []Reading{read(SignalQueueDepth, 20000, baseline(500), windowStart(500))}},
		{memoryPressureRule, []Reading{read(SignalMemoryUtilization, 0.95, baseline(0.5))}},
	}
	for _, tc := range cases {
		t.Run(string(tc.rule.ID), func(t *testing.T) {
			idle := read(SignalCPUUtilization, 0.2, baseline(0.2))
			calm := tc.rule.Run(sick(append(tc.snap, idle)...), DefaultRuleSettings())
			full := tc.rule.Run(sick(append(tc.snap, idle, redisCore(0.97))...), DefaultRuleSettings())
			if len(calm) != 1 || len(full) != 1 {
				t.Fatalf("findings: %d with a calm Redis, %d with a full one", len(calm), len(full))
			}
			containsLine(t, "against (calm Redis)", calm[0].Against, "not CPU-bound")
			against := strings.Join(full[0].Against, "\n")
			if strings.Contains(against, "not CPU-bound") {
				t.Errorf("CPU ruled out while Redis's core is full:\n%s", against)
			}
			containsLine(t, "against", full[0].Against, "20%, 5m average (day before: 20%, 1x) — the hosts have idle cores, which does not rule out Redis's single core")
			containsLine(t, "against", full[0].Against, "on cache-1:9121: 97%, 5m average (day before: 30%, 3.23x) — at or above critical threshold 95%: a competing explanation")
		})
	}
}
