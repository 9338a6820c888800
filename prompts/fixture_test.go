package prompts

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/replaytest"
	"github.com/scaletriage/scaletriage/triage"
)

// poolExhaustion is a hand-made snapshot of a PgBouncer pool exhaustion:
// few requests, a P99 clamped at the top bucket, 59 clients waiting while
// PostgreSQL has 93 free connections.
func poolExhaustion() *triage.Snapshot {
	at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	r := func(id triage.SignalID, title string, unit triage.Unit, v, baseline float64, status triage.Status, exporter, query string) triage.Reading {
		return triage.Reading{ID: id, Title: title, Unit: unit, Value: triage.Of(v), Baseline: triage.Of(baseline),
			Status: status, Exporter: exporter, Query: query}
	}
	readings := []triage.Reading{
		r(triage.SignalThroughput, "Throughput", triage.UnitRPS, 6.5, 6.1, triage.StatusOK, "client_golang",
			`sum(rate(http_request_duration_seconds_count{job="api"}[15m]))`),
		r(triage.SignalLatencyP99, "Latency P99", triage.UnitSeconds, 0.995, 0.045, triage.StatusCritical, "client_golang",
			`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[15m])))`),
		r(triage.SignalErrorRatio, "Error ratio (5xx)", triage.UnitRatio, 0.004, 0.001, triage.StatusOK, "client_golang",
			`(sum(rate(http_request_duration_seconds_count{code=~"5..|5xx",job="api"}[15m])) or vector(0)) / sum(rate(http_request_duration_seconds_count{job="api"}[15m]))`),
		r(triage.SignalInstances, "Service instances", triage.UnitInstances, 1, 1, triage.StatusOK, "client_golang",
			`count(count by (instance) (http_request_duration_seconds_count{job="api"}))`),
		r(triage.SignalCPUUtilization, "CPU utilization (busiest host)", triage.UnitRatio, 0.22, 0.2, triage.StatusOK, "node_exporter",
			`max(1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[15m])))`),
		r(triage.SignalCPUCores, "CPU cores (all hosts)", triage.UnitCores, 2, 2, triage.StatusOK, "node_exporter",
			`count(node_cpu_seconds_total{mode="idle"})`),
		r(triage.SignalMemoryUtilization, "Memory utilization (fullest host or container)", triage.UnitRatio, 0.41, 0.4, triage.StatusOK, "node_exporter",
			`max(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)`),
		r(triage.SignalMemoryTotal, "RAM (largest host)", triage.UnitBytes, 24*(1<<30), 24*(1<<30), triage.StatusOK, "node_exporter",
			`max(node_memory_MemTotal_bytes)`),
		r(triage.SignalDBConnectionsUsed, "Database connections in use", triage.UnitConnections, 7, 6, triage.StatusOK, "postgres_exporter",
			`sum(pg_stat_activity_count)`),
		r(triage.SignalDBConnectionsMax, "Database max_connections", triage.UnitConnections, 100, 100, triage.StatusOK, "postgres_exporter",
			`min(pg_settings_max_connections)`),
		r(triage.SignalDBConnectionUtil, "Database connections / max_connections", triage.UnitRatio, 0.07, 0.06, triage.StatusOK, "postgres_exporter",
			`max(sum by (instance) (pg_stat_activity_count) / on (instance) min by (instance) (pg_settings_max_connections))`),
		r(triage.SignalDBPoolUtilization, "PgBouncer server pool in use (fullest database)", triage.UnitRatio, 1, 0.3, triage.StatusCritical, "pgbouncer_exporter (community)",
			`max(sum by (database) (pgbouncer_pools_server_active_connections) / on (database) sum by (database) (label_replace(pgbouncer_databases_pool_size, "database", "$1", "name", "(.+)") > 0))`),
		r(triage.SignalDBPoolWaiting, "PgBouncer clients waiting for a server connection", triage.UnitClients, 59, 0, triage.StatusCritical, "pgbouncer_exporter (community)",
			`sum(pgbouncer_pools_client_waiting_connections)`),
		{ID: triage.SignalDBQueryMean, Title: "Database query mean time (server side)", Unit: triage.UnitSeconds,
			Value: triage.Of(math.NaN()), Baseline: triage.Of(0.004), Status: triage.StatusMissing,
			Reason: "NaN: no queries completed in the window", Exporter: "pgbouncer_exporter (community)",
			Query: `sum(rate(pgbouncer_stats_totals_queries_duration_seconds_total[15m])) / sum(rate(pgbouncer_stats_totals_queries_pooled_total[15m]))`},
		{ID: triage.SignalDBQueryP99, Title: "Database query P99 (client side)", Unit: triage.UnitSeconds, Status: triage.StatusMissing,
			Reason: "no data: export a DB-client duration histogram from the app (OpenTelemetry db.client.operation.duration)"},
		{ID: triage.SignalCacheHitRatio, Title: "Cache hit ratio", Unit: triage.UnitRatio, Status: triage.StatusMissing,
			Reason: "no data: run redis_exporter (or memcached_exporter) against the cache"},
	}
	for i := range readings {
		readings[i] = measured(readings[i])
	}
	readings[1].AtLeast = true
	return &triage.Snapshot{
		Source:    triage.Source{URL: "<redacted>", Backend: "prometheus 2.42.0"},
		Window:    15 * time.Minute,
		At:        at,
		Selector:  `job="api"`,
		Readings:  readings,
		Exporters: []string{"client_golang", "node_exporter", "postgres_exporter", "pgbouncer_exporter (community)"},
		Queries:   32,
	}
}

// poolFinding is the verdict a pool-exhaustion rule would return.
func poolFinding() *triage.Finding {
	return &triage.Finding{
		ID: "db-pool-exhaustion", Severity: triage.SeverityCritical, Score: 95,
		Title:   "PgBouncer pool exhausted",
		Summary: "59 clients wait for a PgBouncer server connection while PostgreSQL uses 7 of 100 connections: the ceiling is the PgBouncer pool_size",
		Evidence: []string{
			"59 clients waiting for a server connection (instant), 0 a day before",
			"PgBouncer server pool 100% in use (instant), 30% a day before",
			"Latency P99 ≥ 995 ms (P99 over 15m), 22x the day before",
		},
		Against: []string{
			"CPU 22% (busiest host): not CPU-bound",
			"PostgreSQL at 7% of max_connections: the database itself has room",
		},
		Prompts: []triage.PromptID{"connection-pool-optimization", "bottleneck-identification"},
		Signals: []triage.SignalID{triage.SignalDBPoolWaiting, triage.SignalDBPoolUtilization, triage.SignalLatencyP99, triage.SignalDBConnectionsUsed, triage.SignalDBConnectionsMax, triage.SignalCPUUtilization, triage.SignalDBQueryMean},
		// What the rules compute: the pool went from 30% at 6.1 requests/s
		// to 100% at 6.5, so no max throughput (triage.Capacity.Caveat).
		Capacity: triage.ComputeCapacity(poolExhaustion(), []float64{2, 5, 10}),
	}
}

// diagnosed is the diagnosis triage.Diagnose makes of snap.
func diagnosed(snap *triage.Snapshot) triage.Diagnosis {
	return triage.Diagnose(snap, triage.DefaultRuleSettings())
}

// measured gives a hand-made reading the facts the collector copies from
// the catalog candidate of its exporter: statistic (15m rate window),
// engine, tier and aggregation.
func measured(r triage.Reading) triage.Reading {
	d, _ := triage.DefaultCatalog().Def(r.ID)
	r.Aggregation = d.Aggregation
	for _, c := range d.Candidates {
		if c.Exporter == r.Exporter {
			r.MeasuredBy(c, r.Query, "15m")
			break
		}
	}
	return r
}

// replayed is Diagnose's verdict on a recording of a scenario incident.
func replayed(t *testing.T, name string) triage.Diagnosis {
	return replaytest.Diagnose(t, filepath.Join("..", "testdata", "recordings", name+".json"))
}
