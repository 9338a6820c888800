package prompts

import (
	"cmp"
	"slices"
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// Breadth 6: the memory arithmetic follows the measured database engine: a
// MySQL database gets no shared_buffers or work_mem, an engine without
// known rules says so, and an unmeasured one is assumed PostgreSQL, said.
func TestMemoryArithmeticFollowsTheDatabaseEngine(t *testing.T) {
	const gib = 1 << 30
	database := func(engine triage.Engine, exporter string) *triage.Snapshot {
		used := reading(triage.SignalDBConnectionsUsed, "Database connections in use", triage.UnitConnections, 80)
		limit := reading(triage.SignalDBConnectionsMax, "Database max_connections", triage.UnitConnections, 150)
		for _, r := range []*triage.Reading{&used, &limit} {
			r.Engine, r.Exporter = engine, exporter
		}
		return snap(used, limit, reading(triage.SignalMemoryTotal, "RAM (largest host)", triage.UnitBytes, 16*gib),
			reading(triage.SignalInstances, "Service instances", triage.UnitInstances, 4))
	}
	postgresOnly := []string{"shared_buffers = 25%", "work_mem = (", "effective_cache_size = 75%", "~5-10 MB each"}
	for _, tc := range []struct {
		name      string
		s         *triage.Snapshot
		want, not []string
	}{
		{"postgresql", database(triage.EnginePostgreSQL, "postgres_exporter"),
			[]string{"shared_buffers = 25% × 16 GiB = 4 GiB", "work_mem = (16 GiB × 0.25) / 150 max_connections = 27.3 MiB",
				"Connection memory at ~5-10 MB each (PostgreSQL: a process per connection): 80 in use"},
			[]string{"innodb", "assumed"}},
		{"mysql", database(triage.EngineMySQL, "mysqld_exporter"),
			[]string{"MySQL memory from RAM 16 GiB", "innodb_buffer_pool_size = 50-75% × 16 GiB = 8 GiB–12 GiB (the MySQL manual's recommendation",
				"MySQL runs a thread per connection", "PostgreSQL's shared_buffers and work_mem do not apply"},
			postgresOnly},
		{"an engine without known rules", database("cockroachdb", "cockroach"),
			[]string{"no rules of thumb known here for cockroachdb", "no per-connection figure known here for cockroachdb"},
			append([]string{"innodb"}, postgresOnly...)},
		{"engine not measured", database("", "custom"),
			[]string{"PostgreSQL memory from RAM 16 GiB (largest host; use the database server's RAM if it differs) (the database engine is not measured: PostgreSQL assumed",
				"~5-10 MB each (PostgreSQL: a process per connection) (the database engine is not measured"},
			[]string{"innodb"}},
	} {
		in := Input{Diagnosis: diagnosed(tc.s)}
		for _, id := range []string{"connection-pool-optimization", "postgresql-scaling-deep-dive"} {
			wantLines(t, tc.name+"/"+id, Populate(mustLookup(t, id), in).Markdown, tc.want, tc.not)
		}
		wantLines(t, tc.name+"/guidance", LibraryGuidance(mustLookup(t, "connection-pool-optimization"), in), tc.want, tc.not)
	}
	read := Populate(mustLookup(t, "database-read-scaling"), Input{Diagnosis: diagnosed(database(triage.EngineMySQL, "mysqld_exporter"))})
	wantLines(t, "engine placeholder", read.Markdown, []string{"**MySQL (detected via mysqld_exporter; version not measured)**"}, nil)
}

// Breadth 14: the application pool's measured maximum fills "connections per
// app instance" and the configured total; any app-pool reading names the
// pool tool.
func TestAppPoolMaxFillsTheConnectionsPerInstance(t *testing.T) {
	s := snap(
		reading(triage.SignalInstances, "Service instances", triage.UnitInstances, 4),
		reading(triage.SignalDBConnectionsMax, "Database max_connections", triage.UnitConnections, 100),
		reading(triage.SignalAppPoolMax, "Application DB pool maximum size (largest pool)", triage.UnitConnections, 10),
	)
	got := Populate(mustLookup(t, "connection-pool-optimization"), Input{Diagnosis: diagnosed(s)})
	wantLines(t, "measured", got.Markdown, []string{
		"- Connections per app instance: **10 connections (HikariCP pool maximum; largest pool; now)**",
		"- Connection pool tool: **HikariCP application pool (hikaricp (micrometer))**",
		"Configured: total = 4 instances × 10 pool_per_instance (measured: the largest application pool's maximum) = 40 connections, 40% of max_connections.",
	}, []string{"[current setting]", "pool per instance not given"})

	set := Populate(mustLookup(t, "connection-pool-optimization"), Input{Diagnosis: diagnosed(s), Context: map[string]string{"pool_per_instance": "20"}})
	wantLines(t, "the user's value wins", set.Markdown, []string{
		"- Connections per app instance: **20**",
		"Configured: total = 4 instances × 20 pool_per_instance = 80 connections, 80% of max_connections.",
	}, []string{"(measured: the largest"})
}

// redisCommands is a command-mix reading, busiest command first, as the
// collector keeps its entities.
func redisCommands(rates map[string]float64) triage.Reading {
	r := reading(triage.SignalCacheCommands, "Cache commands by command", triage.UnitOpsPerSec, 0)
	for cmd, rate := range rates {
		r.Value.V += rate
		r.Entities = append(r.Entities, triage.Entity{Labels: map[string]string{"cmd": cmd}, Value: triage.Of(rate)})
	}
	slices.SortFunc(r.Entities, func(a, b triage.Entity) int { return cmp.Compare(b.Value.V, a.Value.V) })
	return r
}

// Breadth 14: the Redis prompt's scale line holds the measured rate, memory
// and persistence; its usage line the use the command mix and key TTLs
// point to, when clear, marked as inferred.
func TestRedisPromptFillsScaleAndInferredUse(t *testing.T) {
	const gib = 1 << 30
	ops := reading(triage.SignalCacheOps, "Cache operations", triage.UnitOpsPerSec, 1100)
	used := reading(triage.SignalCacheMemoryUsed, "Cache memory used (largest instance)", triage.UnitBytes, 1.5*gib)
	limit := reading(triage.SignalCacheMemoryMax, "Cache maxmemory (lowest instance)", triage.UnitBytes, 2*gib)
	aof := reading(triage.SignalCacheAOFEnabled, "Redis AOF persistence on (1) or off (0)", "", 1)
	age := reading(triage.SignalCacheRDBSaveAge, "Time since the last Redis RDB save (oldest instance)", triage.UnitSeconds, 720)
	changes := reading(triage.SignalCacheRDBChanges, "Redis changes since the last RDB save (most changed instance)", "changes", 34000)
	ttl := func(v float64) triage.Reading {
		return reading(triage.SignalCacheKeysWithTTL, "Cache keys with a TTL (lowest instance)", triage.UnitRatio, v)
	}
	noLimit := limit
	noLimit.Value = triage.Of(0)
	const usage, scale = "[describe: session store / cache / queue / rate limiter / pub-sub]", "[QPS, memory, persistence requirements]"
	for _, tc := range []struct {
		name      string
		s         *triage.Snapshot
		want, not []string
	}{
		{"cache", snap(ops, used, limit, aof, age, changes, ttl(0.97), redisCommands(map[string]float64{"get": 800, "set": 200, "expire": 150, "ping": 10})),
			[]string{"Current usage: **cache (or session store) (inferred: GET, SET are 100% of the commands that mark a use, 15m average; 97% of keys have a TTL)**",
				"Scale target: **now: QPS 1100 ops/s (15m average); memory 1.5 GiB used of 2 GiB maxmemory (75%); persistence AOF on; last RDB save 12 min ago, 34,000 changes since (the targets are yours to set)**"},
			nil},
		{"store of record", snap(ttl(0.1), redisCommands(map[string]float64{"hgetall": 500, "hset": 100})),
			[]string{"**key/value store of record, not a cache (inferred: HGETALL, HSET are 100% of the commands that mark a use, 15m average; 10% of keys have a TTL)**"},
			[]string{"Scale target: **"}},
		{"queue", snap(redisCommands(map[string]float64{"lpush": 300, "brpop": 290, "get": 40})),
			[]string{"**queue (inferred: LPUSH, BRPOP are 93.7% of the commands that mark a use, 15m average)**"}, nil},
		{"pub/sub", snap(redisCommands(map[string]float64{"publish": 500, "get": 10})), []string{"**pub/sub (inferred: PUBLISH are"}, nil},
		{"no clear use", snap(ops, redisCommands(map[string]float64{"get": 300, "lpush": 250})),
			[]string{usage, "Scale target: **now: QPS 1100 ops/s (15m average); memory not measured; persistence not measured"}, []string{"inferred"}},
		{"no maxmemory", snap(used, noLimit),
			[]string{"memory 1.5 GiB used, no maxmemory set (Redis grows until the host runs out of memory)"}, nil},
		{"nothing measured", snap(), []string{usage, scale}, nil},
	} {
		got := Populate(mustLookup(t, "redis-scaling-and-clustering"), Input{Diagnosis: diagnosed(tc.s)})
		wantLines(t, tc.name, got.Markdown, tc.want, tc.not)
	}
}

// Breadth 15: a utilization that rounds to 100% saturates now, not "at ≈ 1x
// current load".
func TestSaturationPointSaysNowWhenItIsNow(t *testing.T) {
	s := snap(reading(triage.SignalCPUUtilization, "CPU utilization (busiest host)", triage.UnitRatio, 0.996))
	got := Populate(mustLookup(t, "database-sharding-design"), Input{Diagnosis: diagnosed(s)}).Markdown
	wantLines(t, "99.6%", got, []string{"**now: CPU utilization (busiest host) is at 99.6%**"}, []string{"at ≈ 1x"})
}
