package triage

import (
	"slices"
	"strings"
	"testing"
)

// The core signal ids the JSON report (version 1) promises: scripts key on
// them, so they change only with a new version. Each must be in the catalog
// with candidates, a unit and an enable hint.
var contractSignals = []SignalID{
	"throughput_rps", "latency_p99_seconds", "error_ratio", "cpu_utilization", "cpu_throttling_ratio",
	"memory_utilization", "instances", "cpu_cores", "db_connections_used", "db_connections_max",
	"db_connection_utilization", "db_pool_utilization", "db_pool_waiting_clients", "db_pool_max_wait_seconds",
	"db_query_p99_seconds", "cache_hit_ratio", "cache_evictions_per_second", "replication_lag_seconds", "queue_depth",
}

func TestCatalogHasEveryContractSignal(t *testing.T) {
	cat := DefaultCatalog()
	for _, id := range contractSignals {
		d, ok := cat.Def(id)
		if !ok {
			t.Errorf("%s missing from the catalog", id)
			continue
		}
		if len(d.Candidates) == 0 || d.Enable == "" || d.Title == "" {
			t.Errorf("%s: needs candidates, a title and an enable hint", id)
		}
	}
}

func TestCatalogEntriesAreWellFormed(t *testing.T) {
	seen := map[SignalID]bool{}
	for _, d := range DefaultCatalog() {
		if seen[d.ID] {
			t.Errorf("%s listed twice", d.ID)
		}
		seen[d.ID] = true
		if d.Thresholds != (Thresholds{}) && d.Thresholds.Source == "" {
			t.Errorf("%s: thresholds without a source", d.ID)
		}
		if err := d.Thresholds.validate(); err != nil {
			t.Errorf("%s: %v", d.ID, err)
		}
		if err := d.Aggregate.validate(); err != nil {
			t.Errorf("%s: %v", d.ID, err)
		}
		for _, c := range d.Candidates {
			// validate checks the statistic and tier; every built-in
			// candidate also names its tier.
			if c.Tier == "" {
				t.Errorf("%s/%s: no tier", d.ID, c.Exporter)
			}
			if err := c.validate(); err != nil || len(c.Metrics) == 0 {
				t.Errorf("%s: candidate %q: %v (metrics %v)", d.ID, c.Exporter, err, c.Metrics)
			}
			// Metrics may include a fingerprint that tells exporter families
			// apart, but the query must read at least one of them.
			used := false
			for _, m := range c.Metrics {
				used = used || strings.Contains(c.Query, m)
			}
			if !used {
				t.Errorf("%s/%s: the query reads none of its detection metrics %v", d.ID, c.Exporter, c.Metrics)
			}
			if strings.Count(c.Query, "(") != strings.Count(c.Query, ")") {
				t.Errorf("%s/%s: unbalanced parentheses", d.ID, c.Exporter)
			}
		}
	}
}

func TestCandidateExpand(t *testing.T) {
	c := Candidate{Query: `sum(rate(x{code=~"5..",$SEL}[$RATE])) / sum(rate(x{$SEL}[$RATE]))`}
	if got := c.Expand("", "5m"); got != `sum(rate(x{code=~"5.."}[5m])) / sum(rate(x[5m]))` {
		t.Errorf("empty selector: %s", got)
	}
	if got := c.Expand(`job="api", env="prod"`, "1m"); got != `sum(rate(x{code=~"5..",job="api", env="prod"}[1m])) / sum(rate(x{job="api", env="prod"}[1m]))` {
		t.Errorf("selector: %s", got)
	}
	if !c.Scoped() || (Candidate{Query: "sum(pg_up)"}).Scoped() {
		t.Error("Scoped")
	}
}

func TestCatalogMerge(t *testing.T) {
	crit := 10.0
	cat, err := DefaultCatalog().Merge(map[SignalID]SignalOverride{
		"db_pool_waiting_clients": {Thresholds: Thresholds{Critical: &crit}, Candidates: []Candidate{{Exporter: "mine", Metrics: []string{"my_waiters"}, Query: "sum(my_waiters)", Statistic: "now"}}},
		"orders_backlog":          {Title: "Orders backlog", Tier: TierQueue, Candidates: []Candidate{{Exporter: "app", Metrics: []string{"orders"}, Query: "sum(orders)", Statistic: "now"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := cat.Def("db_pool_waiting_clients")
	if d.Candidates[0].Exporter != "mine" || *d.Thresholds.Critical != 10 || *d.Thresholds.Warning != 1 {
		t.Errorf("override: %+v", d)
	}
	if d.Candidates[0].Tier != TierPooler {
		t.Errorf("a config candidate inherits its signal's tier: %q", d.Candidates[0].Tier)
	}
	if added, ok := cat.Def("orders_backlog"); !ok || added.Title != "Orders backlog" || added.Candidates[0].Tier != TierQueue {
		t.Errorf("new signal: %+v", added)
	}
	if orig, _ := DefaultCatalog().Def("db_pool_waiting_clients"); orig.Candidates[0].Exporter == "mine" {
		t.Error("Merge changed the default catalog")
	}
	if _, err := DefaultCatalog().Merge(map[SignalID]SignalOverride{"typo_signal": {Thresholds: Thresholds{Critical: &crit}}}); err == nil || !strings.Contains(err.Error(), "typo_signal") {
		t.Errorf("unknown id: %v", err)
	}
	for name, cand := range map[string]Candidate{
		"needs a statistic": {Exporter: "mine", Metrics: []string{"m"}, Query: "avg_over_time(m[5m])"},
		"unknown tier":      {Exporter: "mine", Metrics: []string{"m"}, Query: "m", Statistic: "now", Tier: "rack"},
	} {
		_, err := DefaultCatalog().Merge(map[SignalID]SignalOverride{"queue_depth": {Candidates: []Candidate{cand}}})
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "signals.queue_depth.candidates") {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := Thresholds{Direction: "sideways"}
	if _, err := DefaultCatalog().Merge(map[SignalID]SignalOverride{"queue_depth": {Thresholds: bad}}); err == nil || !strings.Contains(err.Error(), "signals.queue_depth.thresholds") {
		t.Errorf("bad direction: %v", err)
	}
}

func TestStatisticIsDeclaredNotGuessed(t *testing.T) {
	cat := DefaultCatalog()
	for _, tc := range []struct {
		id       SignalID
		exporter string
		want     string
	}{
		{SignalLatencyP99, "client_golang", "P99 over 2m"},
		{SignalThroughput, "client_golang", "2m average"},
		{SignalCPULoadPerCore, "node_exporter", "1m load average"}, // a gauge that is an average
		{SignalAppPoolWaiting, "go database/sql", "2m average"},    // a rate among gauges
		{SignalAppPoolWaiting, "hikaricp (micrometer)", "now"},
		{SignalDBConnectionsUsed, "postgres_exporter", "now"},
	} {
		d, _ := cat.Def(tc.id)
		i := slices.IndexFunc(d.Candidates, func(c Candidate) bool { return c.Exporter == tc.exporter })
		if i < 0 {
			t.Fatalf("%s/%s not in the catalog", tc.id, tc.exporter)
		}
		var r Reading
		r.MeasuredBy(d.Candidates[i], "q", "2m")
		if r.Statistic != tc.want {
			t.Errorf("%s/%s: statistic %q, want %q", tc.id, tc.exporter, r.Statistic, tc.want)
		}
	}
}

func TestEngineAndTierAreCatalogFacts(t *testing.T) {
	cat := DefaultCatalog()
	for _, tc := range []struct {
		id       SignalID
		exporter string
		engine   Engine
		tier     Tier
	}{
		{SignalDBConnectionsMax, "postgres_exporter", EnginePostgreSQL, TierDatabase},
		{SignalDBConnectionsMax, "mysqld_exporter", EngineMySQL, TierDatabase},
		{SignalDBPoolWaiting, "prometheus-pgbouncer-exporter (debian)", EnginePgBouncer, TierPooler},
		{SignalAppPoolUtilization, "hikaricp (native)", EngineHikariCP, TierAppPool},
		{SignalCPUUtilization, "node_exporter", "", TierHost},
		{SignalCPUUtilization, "cadvisor", "", TierContainer},
		{SignalReplicationLag, "redis_exporter", EngineRedis, TierCache},
		{SignalQueueDepth, "kminion", EngineKafka, TierQueue},
	} {
		d, _ := cat.Def(tc.id)
		i := slices.IndexFunc(d.Candidates, func(c Candidate) bool { return c.Exporter == tc.exporter })
		if i < 0 {
			t.Fatalf("%s/%s not in the catalog", tc.id, tc.exporter)
		}
		if c := d.Candidates[i]; c.Engine != tc.engine || c.Tier != tc.tier {
			t.Errorf("%s/%s: engine %q tier %q, want %q %q", tc.id, tc.exporter, c.Engine, c.Tier, tc.engine, tc.tier)
		}
	}
}

// A catalog recorded before candidates declared their facts gets them from
// the built-in one, matched by signal and exporter, never by query text.
func TestWithFactsFromFillsOldRecordings(t *testing.T) {
	old := DefaultCatalog()
	for i := range old {
		old[i].Aggregation = ""
		for j := range old[i].Candidates {
			c := &old[i].Candidates[j]
			c.Statistic, c.Engine, c.Tier = "", "", ""
			c.Query += " " // a query that changed since is still the same candidate
		}
	}
	old = append(old, SignalDef{ID: "custom", Candidates: []Candidate{{Exporter: "mine", Query: "x"}}})
	filled := old.WithFactsFrom(DefaultCatalog())
	d, _ := filled.Def(SignalCPUUtilization)
	if d.Aggregation != "busiest host" || d.Candidates[0].Statistic != "$RATE average" || d.Candidates[0].Tier != TierHost {
		t.Errorf("cpu: %+v", d)
	}
	if c, _ := filled.Def("custom"); c.Candidates[0].Statistic != "" {
		t.Errorf("an unknown candidate got facts: %+v", c)
	}
	if old[0].Candidates[0].Statistic != "" {
		t.Error("WithFactsFrom changed its receiver")
	}
}

// Containers are not hosts: a cAdvisor reading of a signal titled for hosts
// is titled for containers.
func TestCandidateAggregationRetitlesTheReading(t *testing.T) {
	d, _ := DefaultCatalog().Def(SignalCPUUtilization)
	for _, tc := range []struct{ exporter, title string }{
		{"node_exporter", "CPU utilization (busiest host)"},
		{"cadvisor", "CPU utilization (busiest container)"},
	} {
		i := slices.IndexFunc(d.Candidates, func(c Candidate) bool { return c.Exporter == tc.exporter })
		r := Reading{ID: d.ID, Title: d.Title, Aggregation: d.Aggregation}
		r.MeasuredBy(d.Candidates[i], "q", "5m")
		if r.Title != tc.title || !strings.Contains(r.Title, r.Aggregation) {
			t.Errorf("%s: title %q aggregation %q, want %q", tc.exporter, r.Title, r.Aggregation, tc.title)
		}
	}
}
