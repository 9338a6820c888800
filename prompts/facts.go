package prompts

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

// Signal ids the bindings and facts read (see triage/catalog.yaml).
const (
	sigThroughput     triage.SignalID = "throughput_rps"
	sigLatencyP99     triage.SignalID = "latency_p99_seconds"
	sigErrorRatio     triage.SignalID = "error_ratio"
	sigCPU            triage.SignalID = "cpu_utilization"
	sigMemory         triage.SignalID = "memory_utilization"
	sigInstances      triage.SignalID = "instances"
	sigCores          triage.SignalID = "cpu_cores"
	sigRAM            triage.SignalID = "memory_total_bytes"
	sigDBUsed         triage.SignalID = "db_connections_used"
	sigDBMax          triage.SignalID = "db_connections_max"
	sigDBUtil         triage.SignalID = "db_connection_utilization"
	sigPgbPoolUtil    triage.SignalID = "db_pool_utilization"
	sigPgbWaiting     triage.SignalID = "db_pool_waiting_clients"
	sigPgbMaxWait     triage.SignalID = "db_pool_max_wait_seconds"
	sigAppPoolUtil    triage.SignalID = "app_pool_utilization"
	sigAppPoolWaiting triage.SignalID = "app_pool_waiting"
	sigDBQueryP99     triage.SignalID = "db_query_p99_seconds"
	sigDBQueryMean    triage.SignalID = "db_query_mean_seconds"
	sigDBLongestTx    triage.SignalID = "db_longest_transaction_seconds"
	sigDBTPS          triage.SignalID = "db_transactions_per_second"
	sigCacheHit       triage.SignalID = "cache_hit_ratio"
	sigCacheEvictions triage.SignalID = "cache_evictions_per_second"
	sigCacheOps       triage.SignalID = "cache_ops_per_second"
	sigCacheMemory    triage.SignalID = "cache_memory_utilization"
	sigReplLag        triage.SignalID = "replication_lag_seconds"
	sigQueueDepth     triage.SignalID = "queue_depth"
)

// loadSignals are the utilizations assumed to grow linearly with load when
// no finding carries the rules' own capacity projections.
var loadSignals = []triage.SignalID{sigCPU, sigDBUtil, sigPgbPoolUtil, sigAppPoolUtil}

// loadMultiples are the seed's "2x, 5x, 10x current load".
var loadMultiples = []float64{2, 5, 10}

// source is one way to bind a placeholder. needs names the signals it reads,
// for the evidence table of the library guidance.
type source struct {
	needs []triage.SignalID
	value func(e *env) (string, bool)
}

// fact is one line of arithmetic on measured numbers.
type fact struct {
	needs []triage.SignalID
	work  func(e *env) (string, bool)
}

// signal binds a reading with its unit and window.
func signal(id triage.SignalID) source {
	return source{needs: []triage.SignalID{id}, value: func(e *env) (string, bool) { return e.measured(id) }}
}

// count binds a reading as a bare number, for templates that print the unit
// themselves ("Current: [N] instances").
func count(id triage.SignalID) source {
	return source{needs: []triage.SignalID{id}, value: func(e *env) (string, bool) {
		r, ok := e.reading(id)
		if !ok {
			return "", false
		}
		return triage.Format(r.Value, "", r.AtLeast) + " (" + e.aggregation(r) + ")", true
	}}
}

// userValue binds the first config context field that is set.
func userValue(keys ...string) source {
	return source{value: func(e *env) (string, bool) {
		for _, k := range keys {
			if v, ok := e.user(k); ok {
				return v, true
			}
		}
		return "", false
	}}
}

// metricsSummary binds "6.5 requests/s (15m average), P99 ≥ 995 ms ..." from
// whichever of the signals are measured.
func metricsSummary(ids ...triage.SignalID) source {
	return source{needs: ids, value: func(e *env) (string, bool) {
		var parts []string
		for _, id := range ids {
			if v, ok := e.measured(id); ok {
				parts = append(parts, e.shortName(id)+" "+v)
			}
		}
		return strings.Join(parts, ", "), len(parts) > 0
	}}
}

// shortName is the name of a signal inside a sentence.
func (e *env) shortName(id triage.SignalID) string {
	switch id {
	case sigThroughput:
		return "throughput"
	case sigLatencyP99:
		return "latency"
	case sigErrorRatio:
		return "errors"
	case sigCPU:
		return "CPU"
	case sigMemory:
		return "memory"
	case sigCores:
		return "cores"
	case sigRAM:
		return "RAM"
	}
	return strings.ToLower(e.title(id))
}

var dbConnections = source{needs: []triage.SignalID{sigDBUsed, sigDBMax}, value: func(e *env) (string, bool) {
	used, ok1 := e.float(sigDBUsed)
	limit, ok2 := e.float(sigDBMax)
	if !ok1 || !ok2 || limit <= 0 {
		return "", false
	}
	return fmt.Sprintf("%s used / %s max (%s, now)", num(used), num(limit), pct(used/limit)), true
}}

// dbQueryTime prefers the client-side P99 and says so when only the
// server-side mean exists.
var dbQueryTime = source{needs: []triage.SignalID{sigDBQueryP99, sigDBQueryMean}, value: func(e *env) (string, bool) {
	if v, ok := e.measured(sigDBQueryP99); ok {
		return v, true
	}
	if v, ok := e.measured(sigDBQueryMean); ok {
		return v + ", mean, not P99", true
	}
	return "", false
}}

// engines maps exporter families to the database they watch.
var engines = []struct{ exporter, engine string }{
	{"postgres", "PostgreSQL"}, {"pgbouncer", "PostgreSQL"}, {"mysql", "MySQL"},
}

// dbEngine names the database from the exporter that measured it.
var dbEngine = source{needs: []triage.SignalID{sigDBMax, sigDBUsed}, value: func(e *env) (string, bool) {
	for _, id := range []triage.SignalID{sigDBMax, sigDBUsed} {
		r, ok := e.reading(id)
		if !ok {
			continue
		}
		for _, m := range engines {
			if strings.Contains(strings.ToLower(r.Exporter), m.exporter) {
				return m.engine + " (detected via " + e.label(r.Exporter) + "; version not measured)", true
			}
		}
	}
	return "", false
}}

// poolTool names the connection poolers whose exporters answered.
var poolTool = source{needs: []triage.SignalID{sigPgbWaiting, sigPgbPoolUtil, sigAppPoolUtil}, value: func(e *env) (string, bool) {
	var tools []string
	for _, t := range []struct {
		id   triage.SignalID
		name string
	}{{sigPgbWaiting, "PgBouncer"}, {sigPgbPoolUtil, "PgBouncer"}, {sigAppPoolUtil, "application pool"}} {
		r, ok := e.reading(t.id)
		if !ok {
			continue
		}
		tool := t.name + " (" + e.label(r.Exporter) + ")"
		if !strings.Contains(strings.Join(tools, ","), t.name) {
			tools = append(tools, tool)
		}
	}
	return strings.Join(tools, " + "), len(tools) > 0
}}

// findingIssue binds the verdict that led to the prompt.
var findingIssue = source{value: func(e *env) (string, bool) {
	if e.finding == nil || e.finding.Title == "" {
		return "", false
	}
	s := e.label(e.finding.Title)
	if e.finding.Summary != "" {
		s += ": " + e.label(e.finding.Summary)
	}
	return s, true
}}

var peakQPS = source{needs: []triage.SignalID{sigThroughput}, value: func(e *env) (string, bool) {
	avg, ok := e.float(sigThroughput)
	if !ok {
		return "", false
	}
	low, high := peakRange(avg)
	return fmt.Sprintf("%s–%s (2-3x the measured %s average over %s)", num(low), num(high),
		triage.FormatNumber(avg, triage.UnitRPS), orWindow(e)), true
}}

var eventsPerDay = source{needs: []triage.SignalID{sigThroughput}, value: func(e *env) (string, bool) {
	rps, ok := e.float(sigThroughput)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s (%s × 86,400 s/day, counting requests as events)", num(rps*86400/1e6),
		triage.FormatNumber(rps, triage.UnitRPS)), true
}}

// scaledUserValue binds base × growth from the context ("[N * growth]").
func scaledUserValue(base, growth string) source {
	return source{value: func(e *env) (string, bool) {
		n, ok1 := e.number(base)
		g, ok2 := e.number(growth)
		if !ok1 || !ok2 {
			return "", false
		}
		return fmt.Sprintf("%s (%s × %s growth)", num(n*g), num(n), num(g)), true
	}}
}

var targetInstances = source{needs: []triage.SignalID{sigInstances}, value: func(e *env) (string, bool) {
	n, ok1 := e.float(sigInstances)
	g, ok2 := e.number("growth")
	if !ok1 || !ok2 {
		return "", false
	}
	return fmt.Sprintf("%s (%s now × %s growth)", num(math.Ceil(n*g)), num(n), num(g)), true
}}

// hostShape binds what is measured about the hosts; the instance type is
// never measured, so it says so instead of guessing.
var hostShape = source{needs: []triage.SignalID{sigCores, sigRAM}, value: func(e *env) (string, bool) {
	parts := e.measuredList(sigCores, sigRAM)
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, ", ") + "; " + e.instanceType(), true
}}

var hostUtilization = source{needs: []triage.SignalID{sigCPU, sigDBUtil}, value: func(e *env) (string, bool) {
	parts := e.measuredList(sigCPU, sigDBUtil)
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, ", ") + "; " + e.instanceType(), true
}}

func (e *env) instanceType() string {
	if v, ok := e.user("instance_type"); ok {
		return "instance type " + v
	}
	return "instance type not given (--set instance_type=...)"
}

// measuredList prints "<name> <value>" for each measured signal.
func (e *env) measuredList(ids ...triage.SignalID) []string {
	var parts []string
	for _, id := range ids {
		if v, ok := e.measured(id); ok {
			parts = append(parts, e.shortName(id)+" "+v)
		}
	}
	return parts
}

var slowQueries = metricsSummary(sigDBQueryP99, sigDBQueryMean, sigDBLongestTx)

var resourceUsage = metricsSummary(sigThroughput, sigCPU, sigMemory)

var currentMetrics = metricsSummary(sigThroughput, sigLatencyP99, sigErrorRatio, sigCPU, sigMemory)

var projectionSummary = source{needs: loadSignals, value: func(e *env) (string, bool) {
	line, ok := e.projections()
	if !ok {
		return "", false
	}
	return "no load test; " + line, true
}}

var saturationPoint = source{needs: loadSignals, value: func(e *env) (string, bool) {
	b, ok := e.bottleneck()
	if !ok {
		return "", false
	}
	return fmt.Sprintf("at ≈ %sx current load, when %s (now %s) reaches 100%%", num(1/b.util), e.title(b.id), pct(b.util)), true
}}

// ---- facts: the arithmetic appended to prompts and shown in guidance ----

var factPeakQPS = fact{needs: []triage.SignalID{sigThroughput}, work: func(e *env) (string, bool) {
	avg, ok := e.float(sigThroughput)
	if !ok {
		return "", false
	}
	low, high := peakRange(avg)
	return fmt.Sprintf("QPS: average %s over %s; peak at 2-3x average: %s × 2 = %s, × 3 = %s.",
		triage.FormatNumber(avg, triage.UnitRPS), orWindow(e), num(avg),
		triage.FormatNumber(low, triage.UnitRPS), triage.FormatNumber(high, triage.UnitRPS)), true
}}

var factDailyVolume = fact{needs: []triage.SignalID{sigThroughput}, work: func(e *env) (string, bool) {
	rps, ok := e.float(sigThroughput)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("Daily volume: %s × 86,400 s/day = %s requests/day at the current rate.",
		triage.FormatNumber(rps, triage.UnitRPS), num(rps*86400)), true
}}

var factLittlesLaw = fact{needs: []triage.SignalID{sigThroughput, sigLatencyP99}, work: func(e *env) (string, bool) {
	rate, ok1 := e.float(sigThroughput)
	lat, ok2 := e.reading(sigLatencyP99)
	if !ok1 || !ok2 {
		return "", false
	}
	l := littlesLaw(rate, lat.Value.V)
	bound := ""
	if lat.AtLeast {
		bound = "≥ "
	}
	line := fmt.Sprintf("Little's law L = λ × W: %s × %s (P99) = %s%s concurrent requests; if each request holds one database connection throughout, the pools need %s%s connections in total.",
		triage.FormatNumber(rate, triage.UnitRPS), lat.Formatted(), bound, num(l), bound, num(math.Ceil(l)))
	line += " W is the P99, which overstates the mean"
	if lat.AtLeast {
		line += ", and is clamped at the top histogram bucket, so the true P99 is higher"
	}
	return line + ".", true
}}

var factPoolFormula = fact{needs: []triage.SignalID{sigCores}, work: func(e *env) (string, bool) {
	cores, source, ok := e.cores()
	if !ok {
		return "", false
	}
	spindles, set := e.number("spindles")
	spindleNote := "set by you"
	if !set {
		spindles, spindleNote = ssdSpindles, "SSD assumed; --set spindles=N"
	}
	return fmt.Sprintf("Pool size: pool_size = (core_count × 2) + effective_spindle_count = %s × 2 + %s = %s connections (cores: %s; spindles: %s).",
		num(cores), num(spindles), num(poolSizeFormula(cores, spindles)), source, spindleNote), true
}}

// cores prefers the user's database core count over the measured total.
func (e *env) cores() (float64, string, bool) {
	if c, ok := e.number("cores"); ok {
		return c, "set by you", true
	}
	if c, ok := e.float(sigCores); ok {
		return c, "cpu_cores, all scraped hosts; use the database server's cores if they differ", true
	}
	return 0, "", false
}

var factConnectionBudget = fact{needs: []triage.SignalID{sigInstances, sigDBMax, sigDBUsed}, work: func(e *env) (string, bool) {
	instances, ok1 := e.float(sigInstances)
	limit, ok2 := e.float(sigDBMax)
	if !ok1 || !ok2 || instances <= 0 {
		return "", false
	}
	line := fmt.Sprintf("Connection budget: max_connections %s / %s app instances = %s connections per instance at most.",
		num(limit), num(instances), num(connectionsPerInstance(limit, instances)))
	if used, ok := e.float(sigDBUsed); ok && limit > 0 {
		line += fmt.Sprintf(" In use now: %s of %s (%s).", num(used), num(limit), pct(used/limit))
	}
	if pool, ok := e.number("pool_per_instance"); ok {
		total := totalConnections(instances, pool)
		line += fmt.Sprintf(" Configured: total = %s instances × %s pool_per_instance = %s connections, %s of max_connections.",
			num(instances), num(pool), num(total), pct(total/limit))
	} else if cores, _, ok := e.cores(); ok {
		pool := poolSizeFormula(cores, ssdSpindles)
		total := totalConnections(instances, pool)
		line += fmt.Sprintf(" With the formula's pool: total = %s instances × %s = %s connections, %s of max_connections (set pool_per_instance for the configured value).",
			num(instances), num(pool), num(total), pct(total/limit))
	}
	return line, true
}}

var factConnectionMemory = fact{needs: []triage.SignalID{sigDBUsed, sigDBMax}, work: func(e *env) (string, bool) {
	var parts []string
	for _, c := range []struct {
		id   triage.SignalID
		what string
	}{{sigDBUsed, "in use"}, {sigDBMax, "allowed by max_connections"}} {
		if n, ok := e.float(c.id); ok {
			low, high := connectionMemory(n)
			parts = append(parts, fmt.Sprintf("%s %s ≈ %s–%s", num(n), c.what,
				triage.FormatNumber(low, triage.UnitBytes), triage.FormatNumber(high, triage.UnitBytes)))
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	return "Connection memory at ~5-10 MB each: " + strings.Join(parts, "; ") + ".", true
}}

var factPostgresMemory = fact{needs: []triage.SignalID{sigRAM, sigDBMax}, work: func(e *env) (string, bool) {
	ram, ok := e.float(sigRAM)
	if !ok {
		return "", false
	}
	sb, ec, wm := postgresMemory(ram, 0)
	r := triage.FormatNumber(ram, triage.UnitBytes)
	line := fmt.Sprintf("PostgreSQL memory from RAM %s (largest host; use the database server's RAM if it differs): shared_buffers = 25%% × %s = %s; effective_cache_size = 75%% × %s = %s",
		r, r, triage.FormatNumber(sb, triage.UnitBytes), r, triage.FormatNumber(ec, triage.UnitBytes))
	if limit, ok := e.float(sigDBMax); ok && limit > 0 {
		_, _, wm = postgresMemory(ram, limit)
		line += fmt.Sprintf("; work_mem = (%s × 0.25) / %s max_connections = %s",
			r, num(limit), triage.FormatNumber(wm, triage.UnitBytes))
	}
	return line + ".", true
}}

var factReadReplicas = fact{needs: []triage.SignalID{sigDBUtil, sigCPU}, work: func(e *env) (string, bool) {
	id := sigDBUtil
	util, ok := e.float(id)
	if !ok {
		id = sigCPU
		if util, ok = e.float(id); !ok {
			return "", false
		}
	}
	multiples := append([]float64{1}, loadMultiples...)
	if g, ok := e.number("growth"); ok && g > 0 && !slices.Contains(multiples, g) {
		multiples = append(multiples, g)
	}
	var parts []string
	for _, m := range multiples {
		parts = append(parts, fmt.Sprintf("%sx → %d", num(m), readReplicas(util, m, replicaTarget)))
	}
	return fmt.Sprintf("Read replicas: replicas = ceil(utilization × load multiple / 0.7 target) − 1 with %s = %s: %s (assumes reads spread evenly over primary and replicas).",
		e.title(id), pct(util), strings.Join(parts, ", ")), true
}}

var factRedisHeadroom = fact{needs: []triage.SignalID{sigCacheOps}, work: func(e *env) (string, bool) {
	ops, ok := e.float(sigCacheOps)
	if !ok || ops <= 0 {
		return "", false
	}
	low, high := redisHeadroom(ops)
	return fmt.Sprintf("Redis headroom: a single instance tops out at ~100K–200K ops/s; 100,000 / %s = %sx, 200,000 / %s = %sx the current rate.",
		num(ops), num(low), num(ops), num(high)), true
}}

var factRightSizing = fact{needs: []triage.SignalID{sigCPU, sigMemory}, work: func(e *env) (string, bool) {
	cpu, ok1 := e.float(sigCPU)
	mem, ok2 := e.float(sigMemory)
	if !ok1 || !ok2 {
		return "", false
	}
	verdict := "not over-provisioned by this rule"
	if overProvisioned(cpu, mem) {
		verdict = "over-provisioned: a downsizing candidate"
	}
	return fmt.Sprintf("Right-sizing rule (CPU < 40%% and memory < 60%% ⇒ over-provisioned): CPU %s (busiest host), memory %s (fullest host) ⇒ %s.",
		pct(cpu), pct(mem), verdict), true
}}

var factProjections = fact{needs: loadSignals, work: func(e *env) (string, bool) {
	line, ok := e.projections()
	if !ok {
		return "", false
	}
	return "Load projection: " + line, true
}}

var factBottleneckLaw = fact{needs: append([]triage.SignalID{sigThroughput}, loadSignals...), work: func(e *env) (string, bool) {
	b, ok := e.bottleneck()
	if !ok {
		return "", false
	}
	line := fmt.Sprintf("Bottleneck law: %s is the most utilized resource at %s; it saturates at 1 / %s = %sx current load",
		e.title(b.id), pct(b.util), pct(b.util), num(1/b.util))
	if b.throughput > 0 {
		line += fmt.Sprintf("; theoretical max throughput ≈ %s / %s = %s",
			triage.FormatNumber(b.throughput, triage.UnitRPS), pct(b.util), triage.FormatNumber(b.throughput/b.util, triage.UnitRPS))
	}
	if b.second != "" {
		line += fmt.Sprintf("; second-order bottleneck: %s, saturating at %sx", e.title(b.second), num(b.secondHeadroom))
	}
	return line + ".", true
}}

var factQueueDepth = fact{needs: []triage.SignalID{sigQueueDepth, sigThroughput}, work: func(e *env) (string, bool) {
	depth, ok1 := e.float(sigQueueDepth)
	rps, ok2 := e.float(sigThroughput)
	if !ok1 || !ok2 || rps <= 0 {
		return "", false
	}
	return fmt.Sprintf("Backlog drain time at the current request rate: %s messages / %s = %s (if consumers keep pace with requests).",
		num(depth), triage.FormatNumber(rps, triage.UnitRPS), triage.FormatNumber(depth/rps, triage.UnitSeconds)), true
}}

// bottleneckNumbers is the bottleneck law: from the finding's Capacity when
// the rules computed it, else from the load signals.
type bottleneckNumbers struct {
	id, second     triage.SignalID
	util           float64
	secondHeadroom float64
	throughput     float64 // 0 when not measured
}

func (e *env) bottleneck() (bottleneckNumbers, bool) {
	if c := e.capacity(); c != nil && c.Utilization > 0 && !math.IsNaN(c.Utilization) {
		b := bottleneckNumbers{id: c.Bottleneck, util: c.Utilization, second: c.SecondOrder, secondHeadroom: c.SecondHeadroom}
		b.throughput, _ = c.Throughput.Float()
		return b, true
	}
	var b bottleneckNumbers
	for _, id := range loadSignals {
		u, ok := e.float(id)
		if !ok || u <= 0 {
			continue
		}
		switch {
		case u > b.util:
			if b.id != "" {
				b.second, b.secondHeadroom = b.id, 1/b.util
			}
			b.id, b.util = id, u
		case b.second == "" || 1/u < b.secondHeadroom:
			b.second, b.secondHeadroom = id, 1/u
		}
	}
	b.throughput, _ = e.float(sigThroughput)
	return b, b.id != ""
}

func (e *env) capacity() *triage.Capacity {
	if e.finding == nil {
		return nil
	}
	return e.finding.Capacity
}

// projections prints utilization at 2x, 5x, 10x load: the rules'
// projections when present, else linear in load from the current values.
func (e *env) projections() (string, bool) {
	type step struct {
		multiple float64
		utils    map[triage.SignalID]float64
	}
	var steps []step
	how := "from the rules' capacity model"
	if c := e.capacity(); c != nil && len(c.Projections) > 0 {
		for _, p := range c.Projections {
			steps = append(steps, step{p.Multiple, p.Utilizations})
		}
	} else {
		how = "linear in load from current utilization"
		current := map[triage.SignalID]float64{}
		for _, id := range loadSignals {
			if u, ok := e.float(id); ok {
				current[id] = u
			}
		}
		if len(current) == 0 {
			return "", false
		}
		for _, m := range loadMultiples {
			s := step{m, map[triage.SignalID]float64{}}
			for id, u := range current {
				s.utils[id] = projectUtilization(u, m)
			}
			steps = append(steps, s)
		}
	}
	var parts []string
	for _, s := range steps {
		var us []string
		for _, id := range orderedIDs(s.utils) {
			u := s.utils[id]
			if math.IsNaN(u) || math.IsInf(u, 0) {
				continue
			}
			mark := ""
			if u >= 1 {
				mark = " (saturated)"
			}
			us = append(us, fmt.Sprintf("%s %s%s", e.title(id), pct(u), mark))
		}
		if len(us) > 0 {
			parts = append(parts, fmt.Sprintf("at %sx: %s", num(s.multiple), strings.Join(us, ", ")))
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "; ") + " (" + how + ").", true
}

// orderedIDs puts the load signals first in their fixed order, then any
// other ids in sorted order, so output is deterministic.
func orderedIDs(m map[triage.SignalID]float64) []triage.SignalID {
	var ids []triage.SignalID
	for _, id := range loadSignals {
		if _, ok := m[id]; ok {
			ids = append(ids, id)
		}
	}
	var rest []string
	for id := range m {
		if !slices.Contains(loadSignals, id) {
			rest = append(rest, string(id))
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		ids = append(ids, triage.SignalID(id))
	}
	return ids
}

// num prints a plain number with up to 3 significant digits.
func num(f float64) string { return triage.FormatNumber(f, "") }

// pct prints a ratio as a percentage.
func pct(f float64) string { return triage.FormatNumber(f, triage.UnitRatio) }

// orWindow names the range a rate was averaged over.
func orWindow(e *env) string {
	if w := e.rateWindow(); w != "" {
		return w
	}
	return "the window"
}
