package prompts

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
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

// capacityNeeds are the signals triage.ComputeCapacity reads: the capacity
// utilizations and, for the connection ceiling, connections used and max.
var capacityNeeds = append(slices.Clone(triage.CapacitySignals), sigDBUsed, sigDBMax)

// loadMultiples are the seed's "2x, 5x, 10x current load", as the rules
// project them by default (Input.Multiples overrides them).
var loadMultiples = triage.DefaultRuleSettings().ProjectionMultiples

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
		return triage.Format(r.Value, "", r.AtLeast) + " (" + r.Statistic() + ")", true
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
		parts := e.measuredList(ids...)
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

var projectionSummary = source{needs: capacityNeeds, value: func(e *env) (string, bool) {
	line, ok := e.projections()
	if !ok {
		return "", false
	}
	return "no load test; " + line, true
}}

var saturationPoint = source{needs: capacityNeeds, value: func(e *env) (string, bool) {
	c, ok := e.capacity()
	switch {
	case !ok:
		return "", false
	case c.Utilization >= 1:
		return fmt.Sprintf("now: %s is at %s", e.title(c.Bottleneck), pct(c.Utilization)), true
	case notProportional(c):
		// Utilization driven by slowness says nothing about more load.
		return "", false
	}
	return fmt.Sprintf("at ≈ %sx current load, when %s (now %s) reaches 100%%", num(1/c.Utilization), e.title(c.Bottleneck), pct(c.Utilization)), true
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

// factLittlesLaw sizes the pools from database time: L = λ × W with λ the
// database transaction rate (else the request rate) and W the mean query
// time. The HTTP P99 is no W for this: under pool exhaustion it includes the
// wait for a connection, so it grows with the queue (see factLittlesBound).
var factLittlesLaw = fact{needs: []triage.SignalID{sigDBTPS, sigDBQueryMean, sigThroughput}, work: func(e *env) (string, bool) {
	w, ok := e.reading(sigDBQueryMean)
	if !ok || w.Value.V <= 0 {
		return "", false
	}
	rate, ok := e.reading(sigDBTPS)
	per, how := "transaction", rate.Statistic()
	if !ok || rate.Value.V <= 0 {
		if rate, ok = e.reading(sigThroughput); !ok || rate.Value.V <= 0 {
			return "", false
		}
		per, how = "request", "HTTP requests, "+rate.Statistic()+"; database transactions not measured"
	}
	l := littlesLaw(rate.Value.V, w.Value.V)
	return fmt.Sprintf("Little's law L = λ × W with database time: %s (%s) × %s (mean query time, %s) = %s connections busy on average; "+
		"the pools need at least %s connections in total, plus headroom for bursts (assumes one query per %s; a connection held across several queries or idle in a transaction needs more).",
		rate.Formatted(), how, w.Formatted(), w.Statistic(), num(l), num(math.Ceil(l)), per), true
}}

// factLittlesBound is the P99-based figure, only ever as an upper bound.
var factLittlesBound = fact{needs: []triage.SignalID{sigThroughput, sigLatencyP99, sigDBQueryMean}, work: func(e *env) (string, bool) {
	rate, ok1 := e.reading(sigThroughput)
	lat, ok2 := e.reading(sigLatencyP99)
	if !ok1 || !ok2 {
		return "", false
	}
	bound := ""
	if lat.AtLeast {
		bound = "≥ "
	}
	line := fmt.Sprintf("Upper bound, not a pool size: if every request held a connection for its whole P99, L = %s × %s = %s%s connections. "+
		"The P99 overstates the mean and, when requests wait for a connection, includes that wait, so this figure grows with the queue",
		rate.Formatted(), lat.Formatted(), bound, num(littlesLaw(rate.Value.V, lat.Value.V)))
	if lat.AtLeast {
		line += "; the P99 is clamped at the top histogram bucket, so the true figure is higher still"
	}
	line += "."
	if w, ok := e.reading(sigDBQueryMean); !ok || w.Value.V <= 0 {
		line += " Database time (db_query_mean_seconds) is not measured, so no pool size is derived here."
	}
	return line, true
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
	return fmt.Sprintf("Pool size: pool_size = (core_count × 2) + effective_spindle_count = %s × 2 + %s = %s connections: "+
		"the connections the database server keeps busy efficiently, from its own cores; a total for the database, shared by all app instances (cores: %s; spindles: %s).",
		num(cores), num(spindles), num(poolSizeFormula(cores, spindles)), source, spindleNote), true
}}

// cores prefers the user's database core count over the measured total.
func (e *env) cores() (float64, string, bool) {
	if c, ok := e.number("cores"); ok {
		return c, "the database server's, set by you", true
	}
	if c, ok := e.float(sigCores); ok {
		return c, "cpu_cores counts every scraped host, not only the database server; --set cores=N with the database server's cores", true
	}
	return 0, "", false
}

var factConnectionBudget = fact{needs: []triage.SignalID{sigInstances, sigDBMax, sigDBUsed}, work: func(e *env) (string, bool) {
	instances, ok1 := e.float(sigInstances)
	limit, ok2 := e.float(sigDBMax)
	if !ok1 || !ok2 || instances <= 0 || limit <= 0 {
		return "", false
	}
	n := triage.FormatNumber(instances, triage.UnitInstances)
	line := fmt.Sprintf("Connection budget: max_connections %s / %s = %s connections per instance at most.",
		num(limit), n, num(connectionsPerInstance(limit, instances)))
	if used, ok := e.float(sigDBUsed); ok {
		line += fmt.Sprintf(" In use now: %s of %s (%s).", num(used), num(limit), pct(used/limit))
	}
	if pool, ok := e.number("pool_per_instance"); ok {
		total := totalConnections(instances, pool)
		line += fmt.Sprintf(" Configured: total = %s × %s pool_per_instance = %s connections, %s of max_connections.",
			n, num(pool), num(total), pct(total/limit))
	} else {
		// The (cores × 2) + spindles formula sizes the database's connections
		// from the database's cores: it is never multiplied by app instances.
		line += " Configured pool per instance not given (--set pool_per_instance=N for the configured total)."
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

// factReadReplicas sizes replicas from the database server's CPU. Connection
// utilization is not load (idle pooled connections count as used), so it is
// never used here; the measured CPU is the busiest host's, so unless the user
// gives the database's own, the line says it assumes they are the same.
var factReadReplicas = fact{needs: []triage.SignalID{sigCPU}, work: func(e *env) (string, bool) {
	util, source, ok := e.databaseCPU()
	if !ok {
		return "", false
	}
	multiples := append([]float64{1}, e.multiples...)
	if g, ok := e.number("growth"); ok && g > 0 && !slices.Contains(multiples, g) {
		multiples = append(multiples, g)
	}
	var parts []string
	for _, m := range multiples {
		parts = append(parts, fmt.Sprintf("%sx → %d", num(m), readReplicas(util, m, replicaTarget)))
	}
	return fmt.Sprintf("Read replicas: replicas = ceil(database CPU × load multiple / 0.7 target) − 1 with database CPU %s (%s): %s (assumes reads spread evenly over primary and replicas).",
		pct(util), source, strings.Join(parts, ", ")), true
}}

// databaseCPU is the database server's CPU utilization: the user's db_cpu
// ("45%" or "0.45"), else the measured busiest host's, with the assumption said.
func (e *env) databaseCPU() (float64, string, bool) {
	if v, ok := e.user("db_cpu"); ok {
		pctForm := strings.HasSuffix(strings.TrimSpace(v), "%")
		if f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%")), 64); err == nil && f >= 0 && finite(f) {
			if pctForm || f > 1 {
				f /= 100
			}
			return f, "the database server's, set by you", true
		}
	}
	if u, ok := e.float(sigCPU); ok {
		return u, "assumed to be the database server's: cpu_utilization is the busiest scraped host's, which may be an app host; --set db_cpu=NN% with the database server's", true
	}
	return 0, "", false
}

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

var factProjections = fact{needs: capacityNeeds, work: func(e *env) (string, bool) {
	line, ok := e.projections()
	if !ok {
		return "", false
	}
	return "Load projection: " + line, true
}}

var factBottleneckLaw = fact{needs: append([]triage.SignalID{sigThroughput}, capacityNeeds...), work: func(e *env) (string, bool) {
	c, ok := e.capacity()
	if !ok {
		return "", false
	}
	u := c.Utilization
	line := fmt.Sprintf("Bottleneck law: %s is the most utilized resource at %s", e.title(c.Bottleneck), pct(u))
	if u >= 1 {
		line += fmt.Sprintf("; it is saturated now (1 / %s = %sx current load)", pct(u), num(1/u))
	} else {
		line += fmt.Sprintf("; it saturates at 1 / %s = %sx current load", pct(u), num(1/u))
	}
	switch {
	case notProportional(c):
		line += "; theoretical max throughput: " + notDerivable
		if c.Caveat != "" {
			line += " — " + e.label(c.Caveat)
		}
		if b, ok := c.BaselineMaxThroughput.Float(); ok && b > 0 {
			line += fmt.Sprintf("; at the earlier cost per request it would saturate near %s", triage.FormatNumber(b, triage.UnitRPS))
		}
	case c.MaxThroughput.Usable():
		line += fmt.Sprintf("; theoretical max throughput ≈ %s / %s = %s",
			triage.FormatNumber(c.Throughput.V, triage.UnitRPS), pct(u), triage.FormatNumber(c.MaxThroughput.V, triage.UnitRPS))
	}
	if c.SecondOrder != "" && finite(c.SecondHeadroom) && c.SecondHeadroom > 0 {
		line += fmt.Sprintf("; second-order bottleneck: %s, saturating at %sx", e.title(c.SecondOrder), num(c.SecondHeadroom))
	}
	return line + ".", true
}}

// factQueueDepth drains the backlog at its own net rate over the window,
// (window start − now) / window: the request rate says nothing about how
// fast consumers take messages.
var factQueueDepth = fact{needs: []triage.SignalID{sigQueueDepth}, work: func(e *env) (string, bool) {
	r, ok := e.reading(sigQueueDepth)
	if !ok {
		return "", false
	}
	depth := r.Value.V
	start, okStart := r.WindowStart.Float()
	w := e.snap.Window
	if !okStart || w <= 0 {
		return fmt.Sprintf("Backlog: %s now; drain time not derivable: no window start to measure the net drain rate.", r.Formatted()), true
	}
	rate := (start - depth) / w.Seconds()
	perSecond := r.Unit + "/s"
	trend := fmt.Sprintf("from %s to %s over %s", triage.FormatNumber(start, r.Unit), r.Formatted(), triage.PromDuration(w))
	switch {
	case rate > 0:
		return fmt.Sprintf("Backlog drain: the queue went %s, a net drain of (%s − %s) / %s = %s; at that rate the %s drain in %s / %s = %s.",
			trend, num(start), num(depth), num(w.Seconds())+" s", triage.FormatNumber(rate, perSecond),
			r.Formatted(), num(depth), triage.FormatNumber(rate, perSecond), triage.FormatNumber(depth/rate, triage.UnitSeconds)), true
	case rate < 0:
		return fmt.Sprintf("Backlog not draining: +%s over the window (%s): producers outpace consumers, so there is no drain time.",
			triage.FormatNumber(-rate, perSecond), trend), true
	}
	return fmt.Sprintf("Backlog not draining: flat %s: no net drain, so there is no drain time.", trend), true
}}

// capacity is the bottleneck law for this prompt: the finding's own Capacity
// when the rules computed one, else triage.ComputeCapacity on the snapshot,
// so that a prompt never names a different bottleneck than the rules do.
// ok is false when no resource is measurably utilized.
func (e *env) capacity() (*triage.Capacity, bool) {
	if !e.capDone {
		e.capDone = true
		if e.finding != nil && e.finding.Capacity != nil {
			e.cap = e.finding.Capacity
		} else {
			e.cap = triage.ComputeCapacity(e.snap, e.multiples)
		}
	}
	c := e.cap
	return c, c != nil && c.Bottleneck != "" && c.Utilization > 0 && finite(c.Utilization)
}

// notProportional reports a capacity whose max throughput triage left
// unknown although throughput is measured (Capacity.Caveat says why):
// utilization is driven by something other than load (slowness), so
// throughput / utilization means nothing.
func notProportional(c *triage.Capacity) bool {
	return c.Caveat != "" || c.Throughput.Usable() && !c.MaxThroughput.Usable()
}

// notDerivable is what the prompts say instead of a max throughput then.
const notDerivable = "not derivable: utilization is not proportional to load right now"

// projections prints each resource's utilization at 2x, 5x, 10x load, from
// the same capacity model as the bottleneck law.
func (e *env) projections() (string, bool) {
	c, ok := e.capacity()
	if !ok {
		return "", false
	}
	var parts []string
	for _, p := range c.Projections {
		ids := make([]triage.SignalID, 0, len(p.Utilizations))
		for id, u := range p.Utilizations {
			if finite(u) {
				ids = append(ids, id)
			}
		}
		// Most utilized first, ties by id, as triage orders them.
		slices.SortFunc(ids, func(a, b triage.SignalID) int {
			if c := cmp.Compare(p.Utilizations[b], p.Utilizations[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		us := make([]string, len(ids))
		for i, id := range ids {
			u := p.Utilizations[id]
			mark := ""
			if u >= 1 {
				mark = " (saturated)"
			}
			us[i] = fmt.Sprintf("%s %s%s", e.title(id), pct(u), mark)
		}
		if len(us) > 0 {
			parts = append(parts, fmt.Sprintf("at %sx: %s", num(p.Multiple), strings.Join(us, ", ")))
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	how := "linear in load from current utilization"
	if notProportional(c) {
		how += "; utilization is not proportional to load right now, so this is no forecast"
	}
	return strings.Join(parts, "; ") + " (" + how + ").", true
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

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
