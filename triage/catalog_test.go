package triage

import (
	"strings"
	"testing"
)

// The signal ids of the report contract (design.md): each must be in the
// catalog with candidates, a unit and an enable hint.
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
		for _, c := range d.Candidates {
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
		"db_pool_waiting_clients": {Thresholds: Thresholds{Critical: &crit}, Candidates: []Candidate{{Exporter: "mine", Metrics: []string{"my_waiters"}, Query: "sum(my_waiters)"}}},
		"orders_backlog":          {Title: "Orders backlog", Candidates: []Candidate{{Exporter: "app", Metrics: []string{"orders"}, Query: "sum(orders)"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := cat.Def("db_pool_waiting_clients")
	if d.Candidates[0].Exporter != "mine" || *d.Thresholds.Critical != 10 || *d.Thresholds.Warning != 1 {
		t.Errorf("override: %+v", d)
	}
	if added, ok := cat.Def("orders_backlog"); !ok || added.Title != "Orders backlog" {
		t.Errorf("new signal: %+v", added)
	}
	if orig, _ := DefaultCatalog().Def("db_pool_waiting_clients"); orig.Candidates[0].Exporter == "mine" {
		t.Error("Merge changed the default catalog")
	}
	if _, err := DefaultCatalog().Merge(map[SignalID]SignalOverride{"typo_signal": {Thresholds: Thresholds{Critical: &crit}}}); err == nil || !strings.Contains(err.Error(), "typo_signal") {
		t.Errorf("unknown id: %v", err)
	}
	bad := Thresholds{Direction: "sideways"}
	if _, err := DefaultCatalog().Merge(map[SignalID]SignalOverride{"queue_depth": {Thresholds: bad}}); err == nil || !strings.Contains(err.Error(), "signals.queue_depth.thresholds") {
		t.Errorf("bad direction: %v", err)
	}
}
