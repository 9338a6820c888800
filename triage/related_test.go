package triage

import (
	"slices"
	"testing"
)

func TestRelatedPatternsAreNamesOrPrefixes(t *testing.T) {
	for _, p := range []string{"hikaricp_*", "db_client_connection*", "node_load1", "kube_pod_container_status_last_terminated_reason"} {
		if err := (SignalDef{ID: "x", Related: []string{p}}).validateRelated(); err != nil {
			t.Errorf("%q rejected: %v", p, err)
		}
	}
	for _, p := range []string{"", "*", "hikari*cp", "hikaricp_**", "a b", "db_.*", "1abc"} {
		if err := (SignalDef{ID: "x", Related: []string{p}}).validateRelated(); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
	for _, d := range DefaultCatalog() {
		if err := d.validateRelated(); err != nil {
			t.Error(err)
		}
	}
}

func TestRelatedPresentMatchesPrefixesAndNames(t *testing.T) {
	d := SignalDef{Related: []string{"db_client_connection*", "hikaricp_*", "node_load1"}}
	present := map[string]bool{
		"hikaricp_connections_active": true, "db_client_connections_usage": true, "node_load1": true,
		"node_load15": true, "http_requests_total": true, "hikaricp": true, "hikaricp_gone": false,
	}
	want := []string{"db_client_connections_usage", "hikaricp_connections_active", "node_load1"}
	if got := d.RelatedPresent(present); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := (SignalDef{}).RelatedPresent(present); got != nil {
		t.Errorf("no related patterns, yet %v", got)
	}
}

// The candidates for the exporters of the "Diagnosis breadth" work declare
// the facts the rules and prompts read, never guessed from their queries.
func TestBreadthCandidatesDeclareTheirFacts(t *testing.T) {
	cat := DefaultCatalog()
	for _, tc := range []struct {
		id        SignalID
		exporter  string
		statistic string
		engine    Engine
		tier      Tier
		entity    []string
	}{
		{SignalAppPoolUtilization, "opentelemetry (semconv 1.25)", "now", "", TierAppPool, []string{"instance", "pool_name"}},
		{SignalAppPoolWaiting, "opentelemetry (semconv 1.25)", "now", "", TierAppPool, []string{"instance", "pool_name"}},
		{SignalMemoryUtilization, "otel-hostmetrics", "now", "", TierHost, []string{"instance"}},
		{SignalMemoryUtilization, "otel-hostmetrics (utilization)", "now", "", TierHost, []string{"instance"}},
		{SignalCPUUtilization, "otel-hostmetrics (utilization)", "$RATE average", "", TierHost, []string{"instance"}},
		{SignalCacheCPU, "redis_exporter (main thread)", "$RATE average", EngineRedis, TierCache, []string{"instance"}},
		{SignalCacheCPU, "redis_exporter", "$RATE average", EngineRedis, TierCache, []string{"instance"}},
		{SignalOOMKills, "node_exporter", "30m increase", "", TierHost, []string{"instance"}},
		{SignalOOMKills, "cadvisor", "30m increase", "", TierContainer, []string{"namespace", "pod", "container"}},
		{SignalOOMKills, "kube-state-metrics", "30m increase", "", TierContainer, []string{"namespace", "pod", "container"}},
		{SignalDBConnectionsRefused, "mysqld_exporter", "30m increase", EngineMySQL, TierDatabase, []string{"instance"}},
	} {
		d, _ := cat.Def(tc.id)
		i := slices.IndexFunc(d.Candidates, func(c Candidate) bool { return c.Exporter == tc.exporter })
		if i < 0 {
			t.Errorf("%s/%s not in the catalog", tc.id, tc.exporter)
			continue
		}
		c := d.Candidates[i]
		if c.Statistic != tc.statistic || c.Engine != tc.engine || c.Tier != tc.tier || !slices.Equal(c.EntityLabels, tc.entity) {
			t.Errorf("%s/%s: statistic %q engine %q tier %q entity %v", tc.id, tc.exporter, c.Statistic, c.Engine, c.Tier, c.EntityLabels)
		}
	}
}
