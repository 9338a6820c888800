package main

// The scenario suite's expectations: one row per scenario of
// scenariogen_test.go, checked on every backend by TestScenarios (the row
// types and the checks are in scenario_checks_test.go).

import "github.com/scaletriage/scaletriage/triage"

// P99 values are computed in scenariogen_test.go next to each latency
// profile; 0.024211 is the healthy day before.
const p99Healthy = 0.024211

// backgroundOK is the healthy estate as every scenario's day before sees
// it, and as the healthy scenario sees it now.
var backgroundOK = []signalWant{
	{id: "throughput_rps", exporter: "client_golang", value: 576, base: 576, tol: 0.5},
	{id: "latency_p99_seconds", exporter: "client_golang", status: "ok", value: p99Healthy, base: p99Healthy, tol: 0.0005},
	{id: "error_ratio", exporter: "client_golang", status: "ok", value: 0, base: 0, tol: 1e-9},
	{id: "cpu_utilization", exporter: "node_exporter", status: "ok", value: 0.30, base: 0.30, tol: 0.001},
	{id: "cpu_pressure_ratio", exporter: "node_exporter", status: "ok", value: 0.02, base: 0.02, tol: 0.001},
	{id: "cpu_load_per_core", exporter: "node_exporter", status: "ok", value: 0.3, base: 0.3, tol: 0.001},
	{id: "cpu_cores", exporter: "node_exporter", value: 2, base: 2, tol: 0},
	// 1 - 4.3e9 / 8 GiB
	{id: "memory_utilization", exporter: "node_exporter", status: "ok", value: 0.49942, base: 0.49942, tol: 0.0001},
	{id: "db_connections_used", exporter: "postgres_exporter", value: 6, base: 6, tol: 0},
	{id: "db_connections_max", exporter: "postgres_exporter", value: 100, base: 100, tol: 0},
	{id: "db_connection_utilization", exporter: "postgres_exporter", status: "ok", value: 0.06, base: 0.06, tol: 1e-9},
	{id: "db_transactions_per_second", exporter: "postgres_exporter", status: "ok", value: 580.5, base: 580.5, tol: 0.01},
	{id: "cache_hit_ratio", exporter: "redis_exporter", status: "ok", value: 0.95, base: 0.95, tol: 0.0001},
	{id: "cache_ops_per_second", exporter: "redis_exporter", value: 1100, base: 1100, tol: 0.01},
}

var scenarioWants = []scenarioWant{
	{
		name:    "healthy",
		signals: backgroundOK,
		missing: []missingWant{
			{"db_pool_waiting_clients", "not found"},
			{"db_query_mean_seconds", "pg_stat_statements collector is off"},
			{"queue_depth", "not found"},
		},
	},
	{
		name: "pgbouncer-community",
		signals: []signalWant{
			{id: "db_pool_waiting_clients", exporter: "pgbouncer_exporter (community)", status: "critical", value: 59, base: 0, tol: 0.5},
			{id: "db_pool_max_wait_seconds", exporter: "pgbouncer_exporter (community)", status: "warning", value: 0.6, base: 0, tol: 0.01},
			{id: "db_pool_utilization", exporter: "pgbouncer_exporter (community)", status: "critical", value: 1, base: 0.6, tol: 0.001},
			// Server-side mean from SHOW STATS_TOTALS, the clients' wait
			// taken out of query time: 5 ms -> 50 ms, not 640 ms.
			{id: "db_query_mean_seconds", exporter: "pgbouncer_exporter (community)", status: "critical", value: 0.05, base: 0.005, tol: 0.0001},
			{id: "latency_p99_seconds", exporter: "client_golang", status: "critical", value: 0.996403, base: p99Healthy, tol: 0.002},
			{id: "throughput_rps", exporter: "client_golang", value: 6.5, base: 576, tol: 0.5},
			// Postgres runs pool_size queries and is far from max_connections.
			{id: "db_active_connections", exporter: "postgres_exporter", value: 5, base: 4, tol: 0},
			{id: "db_connection_utilization", exporter: "postgres_exporter", status: "ok", value: 0.07, base: 0.06, tol: 1e-9},
		},
		exporters:    []string{"pgbouncer_exporter (community)", "postgres_exporter", "client_golang"},
		notExporters: []string{"pgbouncer-exporter (spreaker)", "prometheus-pgbouncer-exporter (debian)"},
		finding:      "db-pool-exhaustion", prompt: "connection-pool-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"db_pool_waiting_clients: database=app, user=app (new)", "db_pool_max_wait_seconds: database=app, user=app (new)", "db_pool_utilization: database=app, user=app (new)"},
		alarms:     []string{"db-pool-exhaustion critical", "slow-queries critical"},
		promptKeys: []triage.SignalID{"db_pool_waiting_clients"},
	},
	{
		name: "pgbouncer-debian",
		signals: []signalWant{
			{id: "db_pool_waiting_clients", exporter: "prometheus-pgbouncer-exporter (debian)", status: "critical", value: 59, base: 0, tol: 0.5},
			{id: "latency_p99_seconds", exporter: "client_golang", status: "critical", value: 0.996403, base: p99Healthy, tol: 0.002},
			{id: "throughput_rps", exporter: "client_golang", value: 6.5, base: 576, tol: 0.5},
			{id: "db_connection_utilization", exporter: "postgres_exporter", status: "ok", value: 0.07, base: 0.06, tol: 1e-9},
		},
		missing: []missingWant{
			{"db_pool_max_wait_seconds", "Debian prometheus-pgbouncer-exporter"},
			{"db_pool_utilization", "Debian prometheus-pgbouncer-exporter"},
			// Its query time includes the pool wait and nothing subtracts it.
			{"db_query_mean_seconds", "pg_stat_statements"},
		},
		exporters:    []string{"prometheus-pgbouncer-exporter (debian)"},
		notExporters: []string{"pgbouncer_exporter (community)", "pgbouncer-exporter (spreaker)"},
		finding:      "db-pool-exhaustion", prompt: "connection-pool-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"db_pool_waiting_clients: database=app, user=app (new)"},
		alarms:     []string{"db-pool-exhaustion critical"},
		promptKeys: []triage.SignalID{"db_pool_waiting_clients"},
	},
	{
		name: "postgres-max-connections",
		signals: []signalWant{
			{id: "db_connection_utilization", exporter: "postgres_exporter", status: "critical", value: 0.97, base: 0.06, tol: 1e-9},
			{id: "db_connections_used", exporter: "postgres_exporter", value: 97, base: 6, tol: 0},
			{id: "db_connections_max", exporter: "postgres_exporter", value: 100, base: 100, tol: 0},
			// 3 % of requests time out past 10 s: the quantile is clamped.
			{id: "latency_p99_seconds", exporter: "client_golang", status: "critical", value: 10, base: p99Healthy, tol: 1e-9, baseTol: 0.0005, atLeast: true},
			{id: "throughput_rps", exporter: "client_golang", value: 300, base: 576, tol: 0.5},
		},
		finding: "db-connection-ceiling", prompt: "connection-pool-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"db_connection_utilization: db-1:9187 (new)"},
		alarms:     []string{"db-connection-ceiling critical"},
		promptKeys: []triage.SignalID{"db_connections_used"},
	},
	{
		name: "redis-hit-collapse",
		signals: []signalWant{
			{id: "cache_hit_ratio", exporter: "redis_exporter", status: "critical", value: 0.05, base: 0.95, tol: 0.0001},
			// The load on Redis did not change, only its answers.
			{id: "cache_ops_per_second", exporter: "redis_exporter", value: 1100, base: 1100, tol: 0.01},
			{id: "db_transactions_per_second", exporter: "postgres_exporter", status: "ok", value: 700.5, base: 580.5, tol: 0.01},
		},
		finding: "cache-hit-collapse", prompt: "caching-architecture-design",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"cache_hit_ratio: cache-1:9121 (new)"},
		alarms:     []string{"cache-hit-collapse critical"},
		promptKeys: []triage.SignalID{"cache_hit_ratio"},
	},
	{
		name: "cpu-saturation",
		signals: []signalWant{
			{id: "cpu_utilization", exporter: "node_exporter", status: "critical", value: 0.9996, base: 0.30, tol: 0.0001},
			{id: "cpu_pressure_ratio", exporter: "node_exporter", status: "critical", value: 0.94, base: 0.02, tol: 0.001},
			{id: "cpu_load_per_core", exporter: "node_exporter", status: "critical", value: 3.45, base: 0.3, tol: 0.001},
			{id: "latency_p99_seconds", exporter: "client_golang", status: "warning", value: 0.075, base: p99Healthy, tol: 0.0005},
		},
		finding: "cpu-saturation", prompt: "horizontal-scaling-strategy",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"cpu_utilization: app-1:9100 (new)", "cpu_pressure_ratio: app-1:9100 (new)", "cpu_load_per_core: app-1:9100 (new)"},
		alarms:     []string{"cpu-saturation critical"},
		promptKeys: []triage.SignalID{"cpu_utilization", "cpu_pressure_ratio"},
	},
	{
		name: "thundering-herd",
		signals: []signalWant{
			{id: "cache_hit_ratio", exporter: "redis_exporter", status: "critical", value: 0.40, base: 0.95, tol: 0.0001},
			// 2030.5 / 580.5 = 3.5x the day before: warning (2x), under critical (4x).
			{id: "db_transactions_per_second", exporter: "postgres_exporter", status: "warning", value: 2030.5, base: 580.5, tol: 0.01},
			{id: "throughput_rps", exporter: "client_golang", value: 576, base: 576, tol: 0.5},
			{id: "db_active_connections", exporter: "postgres_exporter", value: 12, base: 4, tol: 0},
		},
		finding: "thundering-herd", prompt: "thundering-herd-prevention",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"cache_hit_ratio: cache-1:9121 (new)", "db_transactions_per_second: db-1:9187 (new)"},
		alarms:     []string{"thundering-herd critical", "cache-hit-collapse critical"},
		promptKeys: []triage.SignalID{"cache_hit_ratio", "db_transactions_per_second"},
	},
	{
		name: "replication-lag",
		signals: []signalWant{
			// The primary's 0 (is_replica 0) must not be the one read.
			{id: "replication_lag_seconds", exporter: "postgres_exporter", status: "critical", value: 45, base: 0.2, tol: 0.5},
		},
		finding: "replication-lag", prompt: "database-read-scaling",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"replication_lag_seconds: instance=db-2:9187, role=replica (new)"},
		alarms:     []string{"replication-lag critical"},
		promptKeys: []triage.SignalID{"replication_lag_seconds"},
	},
	{
		name: "queue-backlog",
		signals: []signalWant{
			{id: "queue_depth", exporter: "kafka_exporter", status: "critical", value: 20000, base: 500, tol: 1},
		},
		finding: "queue-backlog", prompt: "queue-based-load-leveling",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"queue_depth: consumergroup=orders-worker, topic=orders (new)"},
		alarms:     []string{"queue-backlog critical"},
		promptKeys: []triage.SignalID{"queue_depth"},
	},
	{
		name: "slow-queries",
		signals: []signalWant{
			// (500*0.040 + 80*0.330) / 580 = 0.08 s, from 0.005 s: 16x.
			{id: "db_query_mean_seconds", exporter: "postgres_exporter (pg_stat_statements)", status: "critical", value: 0.08, base: 0.005, tol: 0.0001},
			{id: "db_transactions_per_second", exporter: "postgres_exporter", status: "ok", value: 580.5, base: 580.5, tol: 0.01},
		},
		finding: "slow-queries", prompt: "database-query-optimization-at-scale",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"db_query_mean_seconds: db-1:9187 (new)"},
		alarms:     []string{"slow-queries critical"},
		promptKeys: []triage.SignalID{"db_query_mean_seconds"},
	},
	{
		name: "latency-regression",
		signals: []signalWant{
			{id: "latency_p99_seconds", exporter: "client_golang", status: "critical", value: 0.209091, base: p99Healthy, tol: 0.001},
			{id: "cpu_utilization", exporter: "node_exporter", status: "ok", value: 0.30, base: 0.30, tol: 0.001},
			{id: "throughput_rps", exporter: "client_golang", value: 576, base: 576, tol: 0.5},
		},
		finding: "latency-regression", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"latency_p99_seconds: app (new)"},
		alarms:     []string{"latency-regression critical"},
		promptKeys: []triage.SignalID{"latency_p99_seconds"},
	},
	{
		name: "fleet-chronic",
		signals: []signalWant{
			// The busiest host, the fullest database, the lowest cache: each
			// an entity's own number, the same the day before.
			{id: "cpu_utilization", exporter: "node_exporter", status: "critical", value: 0.97, base: 0.97, tol: 0.001},
			{id: "db_connection_utilization", exporter: "postgres_exporter", status: "warning", value: 0.92, base: 0.92, tol: 1e-9},
			// 35 %, the reporting cache's, never 65 %: two caches' hits
			// pooled into one ratio is a number no cache has.
			{id: "cache_hit_ratio", exporter: "redis_exporter", status: "critical", value: 0.35, base: 0.35, tol: 0.001},
			{id: "app_pool_waiting", exporter: "hikaricp (micrometer)", status: "critical", value: 25, base: 0, tol: 0},
			{id: "app_pool_utilization", exporter: "hikaricp (micrometer)", status: "critical", value: 1, base: 0.4, tol: 1e-9},
		},
		finding: "db-pool-exhaustion", prompt: "connection-pool-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"app_pool_waiting: instance=checkout-1:8080, pool=checkout (new)", "app_pool_utilization: instance=checkout-1:8080, pool=checkout (new)"},
		alarms:     []string{"db-pool-exhaustion critical", "cpu-saturation warning", "cache-hit-collapse warning", "db-connection-ceiling warning"},
		promptKeys: []triage.SignalID{"app_pool_waiting"},
		chronic: []chronicWant{
			{"cpu-saturation", "batch-1:9100"},
			{"db-connection-ceiling", "analytics-db:9187"},
			{"cache-hit-collapse", "cache-reporting:9121"},
		},
	},
	{
		name: "services-chain",
		signals: []signalWant{
			// The worst service's P99 (ledger's), not all traffic pooled.
			{id: "latency_p99_seconds", exporter: "client_golang", status: "critical", value: 0.242105, base: p99Healthy, tol: 0.001},
			// Throughput is every service's: app 576 + 300 + 200 + 100 + 100 + 0.2.
			{id: "throughput_rps", exporter: "client_golang", value: 1276.2, base: 1276.2, tol: 1},
			{id: "service_calls", exporter: "servicegraph", value: 400.2, base: 400.2, tol: 0.01},
		},
		finding: "latency-regression", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		// search's P99 is over 60 requests (0.2/s in 5m), under the 100 that
		// make a tail: shown unjudged, never a finding's entity.
		entities:   []string{"latency_p99_seconds: ledger (new)", "latency_p99_seconds: payments (new)", "latency_p99_seconds: checkout (new)"},
		alarms:     []string{"latency-regression critical"},
		promptKeys: []triage.SignalID{"latency_p99_seconds"},
	},
	{
		name: "fleet-k8s",
		signals: []signalWant{
			// Containers against their limits: checkout's 0.99 of 1 core now,
			// against checkout's own 0.3 the day before (never the ETL job's
			// 1.94 of 2, the busiest then: issue 19's one entity, one pair).
			{id: "cpu_utilization", exporter: "cadvisor", status: "critical", value: 0.99, base: 0.3, tol: 0.001},
			{id: "cpu_throttling_ratio", exporter: "cadvisor", status: "critical", value: 0.6, base: 0.01, tol: 0.001},
		},
		finding: "cpu-throttling", prompt: "auto-scaling-configuration",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"cpu_throttling_ratio: namespace=shop, workload=checkout-7d9f, container=app (new)", "cpu_throttling_ratio: namespace=batch, workload=etl, container=etl (unchanged)"},
		alarms:     []string{"cpu-throttling critical"},
		promptKeys: []triage.SignalID{"cpu_throttling_ratio"},
	},
	{
		name: "status-code-label",
		signals: []signalWant{
			// express's 15 of 1000 requests/s under status_code="500", 30x the
			// day before's 0.5; app's 0 % (code label, no 5xx).
			{id: "error_ratio", exporter: "client_golang", status: "warning", value: 0.015, base: 0.0005, tol: 0.0001, baseTol: 0.00005},
		},
		finding: "error-spike", prompt: "bottleneck-identification",
		severity: triage.SeverityWarning, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"error_ratio: express (new)"},
		alarms:     []string{"error-spike warning"},
		promptKeys: []triage.SignalID{"error_ratio"},
	},
	{
		name: "replicated-postgres",
		signals: []signalWant{
			{id: "replication_lag_seconds", exporter: "postgres_exporter", status: "critical", value: 45, base: 0.2, tol: 0.5},
			// The primary's writes alone, 2.5x: with the replica's 2000.5
			// read-only transactions/s summed in it would be 1.34x, no spike.
			{id: "db_transactions_per_second", exporter: "postgres_exporter", status: "warning", value: 1450.5, base: 580.5, tol: 0.01},
			// The replica's own day before (1 s), not the primary's 2 s.
			{id: "db_longest_transaction_seconds", exporter: "postgres_exporter", status: "warning", value: 120, base: 1, tol: 0.01},
		},
		finding: "replication-lag", prompt: "database-read-scaling",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"replication_lag_seconds: instance=db-2:9187, role=replica (new)"},
		alarms:     []string{"replication-lag critical", "slow-queries warning"},
		promptKeys: []triage.SignalID{"replication_lag_seconds"},
		says: []string{
			"Replication lag on db-2:9187 (replica) is 45 s",
			"Database transactions on instance=db-1:9187, role=primary: 1450 transactions/s",
			"Longest open database transaction on instance=db-2:9187, role=replica: 2 min now",
			"replay on the lagging replica waits for the queries it conflicts with",
			"Longest open database transaction on instance=db-1:9187, role=primary: 2 s now",
			"no long transaction on the primary",
			"A long-running transaction is open on db-2:9187 (replica)",
		},
	},
	{
		name: "kafka-flow",
		signals: []signalWant{
			// Per partition 250 + 7.5 × 30 + 29 × 15 × 30 = 13525: the lag grew
			// by the producers' excess over the consumers, step by step.
			{id: "queue_depth", exporter: "kafka_exporter", status: "critical", value: 27050, base: 500, tol: 0},
			{id: "queue_produce_rate", exporter: "kafka_exporter", status: "ok", value: 60, base: 30, tol: 1e-9},
			{id: "queue_consume_rate", exporter: "kafka_exporter", status: "ok", value: 30, base: 30, tol: 1e-9},
		},
		finding: "queue-backlog", prompt: "queue-based-load-leveling",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"queue_depth: consumergroup=orders-worker, topic=orders (new)"},
		alarms:     []string{"queue-backlog critical"},
		promptKeys: []triage.SignalID{"queue_depth", "queue_produce_rate", "queue_consume_rate"},
		says: []string{
			"Producers outpace consumers on consumergroup=orders-worker, topic=orders by 30 messages/s: 60 messages/s produced, 30 messages/s consumed (5m average)",
			"producers outpace consumers by 30 messages/s",
		},
		// (27050 / 3600 + 60) / 30 = 2.25
		promptSays: []string{"to keep up, produce / consume = 60 messages/s / 30 messages/s = 2x", "/ 3600 s + 60 messages/s) / 30 messages/s = 2.25x"},
	},
	{
		name: "otel-java-agent",
		signals: []signalWant{
			{id: "app_pool_utilization", exporter: "opentelemetry (semconv 1.25)", status: "critical", value: 1, base: 0.4, tol: 1e-9},
			{id: "app_pool_waiting", exporter: "opentelemetry (semconv 1.25)", status: "critical", value: 25, base: 0, tol: 0},
			// 4 GiB used of used + free + buffered + cached = 8 GiB, never of
			// every state (the slab ones overlap cached and used).
			{id: "memory_utilization", exporter: "otel-hostmetrics", status: "ok", value: 0.5, base: 0.5, tol: 1e-9},
			{id: "cpu_utilization", exporter: "otel-hostmetrics (utilization)", status: "ok", value: 0.3, base: 0.3, tol: 1e-9},
		},
		missing: []missingWant{
			{"cpu_load_per_core", "related metrics present: system_cpu_load_average_15m, system_cpu_load_average_1m, system_cpu_load_average_5m — no candidate of this signal can run on them"},
		},
		finding: "db-pool-exhaustion", prompt: "connection-pool-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities:   []string{"app_pool_waiting: instance=checkout-1:8080, pool_name=HikariPool-1 (new)", "app_pool_utilization: instance=checkout-1:8080, pool_name=HikariPool-1 (new)"},
		alarms:     []string{"db-pool-exhaustion critical"},
		promptKeys: []triage.SignalID{"app_pool_waiting"},
	},
	{
		name: "redis-cpu",
		signals: []signalWant{
			// The main thread's own counters: the process's add its I/O threads.
			{id: "cache_cpu_utilization", exporter: "redis_exporter (main thread)", status: "critical", value: 0.98, base: 0.30, tol: 0.0001},
			{id: "cache_ops_per_second", exporter: "redis_exporter", value: 5100, base: 2100, tol: 0.01},
			{id: "cpu_utilization", exporter: "node_exporter", status: "ok", value: 0.30, base: 0.30, tol: 0.001},
			{id: "throughput_rps", exporter: "client_golang", value: 576, base: 576, tol: 0.5},
		},
		finding: "redis-cpu-saturation", prompt: "redis-scaling-and-clustering",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cache_cpu_utilization: cache-2:9121 (new)"},
		alarms:   []string{"redis-cpu-saturation critical"},
		says: []string{
			"Redis on cache-2:9121 uses 98% of its one core (5m average)",
			// 5100 / 2100 ops/s with flat traffic.
			"each request makes 2.43x the cache calls of the day before (operations 2.43x, traffic 1x): look for a hot key, a missing client-side cache or a retry storm",
			"the host has idle cores: Redis's one command thread is the limit, not the machine",
		},
	},
	{
		name: "oom-kills",
		signals: []signalWant{
			// 1 - 0.5e9 / 8 GiB on app-2, the fullest host.
			{id: "memory_utilization", exporter: "node_exporter", status: "critical", value: 0.941792, base: 0.49942, tol: 0.0001},
			{id: "oom_kills", exporter: "node_exporter", status: "warning", value: 2, base: 0, tol: 0},
		},
		finding: "memory-pressure", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"memory_utilization: app-2:9100 (new)", "oom_kills: app-2:9100 (new)"},
		alarms:   []string{"memory-pressure critical"},
		says:     []string{"Memory pressure already kills processes: 2 OOM kills across 2 hosts, on app-2:9100 (30m increase)"},
	},
	{
		name: "mysql-refusing",
		signals: []signalWant{
			// 3 refused per 30 s scrape for 15 minutes.
			{id: "db_connections_refused", exporter: "mysqld_exporter", status: "warning", value: 90, base: 0, tol: 0},
		},
		exporters: []string{"mysqld_exporter"},
		finding:   "db-connection-ceiling", prompt: "connection-pool-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"db_connections_refused: mysql-1:9104 (new)"},
		alarms:   []string{"db-connection-ceiling critical"},
		says:     []string{"The database on mysql-1:9104 is already refusing clients: 90 connections refused at max_connections (30m increase)"},
	},
	{
		name:    "shared-db-statements",
		finding: "pool-behind-slow-database", prompt: "database-query-optimization-at-scale",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cpu_pressure_ratio: db-1:9100 (new)", "cpu_utilization: db-1:9100 (new)", "db_query_mean_seconds: db-1:9187 (new)"},
		alarms:   []string{"cpu-saturation critical", "db-pool-exhaustion critical", "pool-behind-slow-database critical", "slow-queries critical"},
	},
	{
		name:    "shared-db-plain",
		finding: "pool-behind-slow-database", prompt: "database-query-optimization-at-scale",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cpu_pressure_ratio: db-1:9100 (new)", "cpu_utilization: db-1:9100 (new)"},
		alarms:   []string{"cpu-saturation critical", "db-pool-exhaustion critical", "pool-behind-slow-database critical"},
	},
	{
		name:    "noisy-neighbour",
		finding: "cpu-saturation", prompt: "horizontal-scaling-strategy",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cpu_utilization: node-1:9100 (new)", "cpu_pressure_ratio: node-1:9100 (new)", "cpu_load_per_core: node-1:9100 (new)"},
		alarms:   []string{"cpu-saturation critical"},
	},
	{
		// The app host's CPU saturated (new). The memory crest now against
		// the trough the day before, within the day before's own 84 % ..
		// 97 %, is chronic, not "worse", and ranks below it.
		name:    "noisy-gauge",
		finding: "cpu-saturation", prompt: "horizontal-scaling-strategy",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cpu_utilization: app-1:9100 (new)", "cpu_pressure_ratio: app-1:9100 (new)", "cpu_load_per_core: app-1:9100 (new)"},
		alarms:   []string{"cpu-saturation critical", "memory-pressure warning"},
		chronic:  []chronicWant{{"memory-pressure", "analytics-1:9100"}},
		says:     []string{"Memory utilization (fullest host) on analytics-1:9100: 97% now, 84% the day before (unchanged, its range over 1h either side of this time the day before: 84% to 97%)"},
	},
	{
		name:    "traffic-surge",
		finding: "latency-regression", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"latency_p99_seconds: app (new)"},
		alarms:   []string{"latency-regression critical"},
		says:     []string{"Who brought the change: app's Throughput: new on code=200, handler=/export (0 requests/s -> 630 requests/s), 100% of the increase"},
	},
	{
		name:    "shared-db-graph",
		finding: "pool-behind-slow-database", prompt: "database-query-optimization-at-scale",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cpu_pressure_ratio: db-1:9100 (new)", "cpu_utilization: db-1:9100 (new)"},
		alarms:   []string{"cpu-saturation critical", "db-pool-exhaustion critical", "pool-behind-slow-database critical"},
		says:     []string{"Link from the pool to db-1:9187: service graph: "},
	}, // Issue 20's services scenarios: services_scenario_test.go asserts them.
	{
		// checkout's P99 10x for 30 minutes: the report sees it too.
		name:    "services-history",
		finding: "latency-regression", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"latency_p99_seconds: checkout (new)"},
		alarms:   []string{"latency-regression critical"},
	},
	{
		// Read from spanmetrics alone: payments' server spans, its P99
		// from a histogram in milliseconds and its STATUS_CODE_ERROR share.
		name: "services-traces",
		signals: []signalWant{
			{id: "latency_p99_seconds", exporter: "spanmetrics", status: "critical", value: 0.242105, base: p99Healthy, baseTol: 0.001, tol: 0.001},
			{id: "throughput_rps", exporter: "spanmetrics", value: 243, base: 240, tol: 0.5},
		},
		finding: "latency-regression", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"latency_p99_seconds: payments (new)", "latency_p99_seconds: frontend (new)", "latency_p99_seconds: checkout (new)"},
		alarms:   []string{"error-spike warning", "latency-regression critical"},
	}, {
		// The kills are named by pod and container (kube-state-metrics),
		// not by node; the crash loop in batch is no OOM kill.
		name: "oom-loop",
		signals: []signalWant{
			{id: "oom_kills", exporter: "kube-state-metrics", status: "warning", value: 6, base: 0, tol: 1},
		},
		finding: "memory-pressure", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"oom_kills: namespace=shop, pod=cart-7d9f8-x2x1q, container=cart (new)"},
		alarms:   []string{"memory-pressure critical"},
		says:     []string{"on namespace=shop, pod=cart-7d9f8-x2x1q, container=cart"},
	},
	{
		name:    "cache-miss-storm",
		finding: "thundering-herd", prompt: "thundering-herd-prevention",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"cache_hit_ratio: cache-1:9121 (new)", "db_transactions_per_second: db-1:9187 (new)"},
		alarms:   []string{"cache-hit-collapse critical", "cpu-saturation critical", "thundering-herd critical"},
		says:     []string{"A victim, not the cause: the database host db-1 is CPU-bound under the read load the cache misses brought"},
	},
	{
		name:    "timeouts-chain",
		finding: "latency-regression", prompt: "performance-profiling-and-optimization",
		severity: triage.SeverityCritical, change: triage.ChangeNew, scope: triage.ScopeUnknown,
		entities: []string{"latency_p99_seconds: inventory (new)", "latency_p99_seconds: api (new)", "latency_p99_seconds: frontend (new)"},
		alarms:   []string{"error-spike critical", "latency-regression critical"},
		says:     []string{"and the time goes in inventory, which it calls (P99 242 ms, 10x the day before)", "A victim, not the cause: 10% of api's requests fail while inventory"},
	},
}
