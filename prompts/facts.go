package prompts

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

// capacityNeeds are the signals the bottleneck law reads.
var capacityNeeds = triage.CapacityInputs()

// loadMultiples are the seed's "2x, 5x, 10x current load", as the rules
// project them by default (Input.Multiples overrides them).
var loadMultiples = triage.DefaultRuleSettings().ProjectionMultiples

// filler is one way to fill a placeholder. needs names the signals it reads,
// for the evidence table of the library guidance.
type filler struct {
	needs []triage.SignalID
	value func(e *env) (string, bool)
}

// fact is one line of arithmetic on measured numbers.
type fact struct {
	needs []triage.SignalID
	work  func(e *env) (string, bool)
}

// signal binds a reading with its unit and window.
func signal(id triage.SignalID) filler {
	return filler{needs: []triage.SignalID{id}, value: func(e *env) (string, bool) { return e.measured(id) }}
}

// count binds a reading as a bare number, for templates that print the unit
// themselves ("Current: [N] instances").
func count(id triage.SignalID) filler {
	return filler{needs: []triage.SignalID{id}, value: func(e *env) (string, bool) {
		r, ok := e.reading(id)
		if !ok {
			return "", false
		}
		return triage.Format(r.Value, "", r.AtLeast) + " (" + r.Statistic + ")", true
	}}
}

// userValue binds the first config context field that is set.
func userValue(keys ...string) filler {
	return filler{value: func(e *env) (string, bool) {
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
func metricsSummary(ids ...triage.SignalID) filler {
	return filler{needs: ids, value: func(e *env) (string, bool) {
		parts := e.measuredList(ids...)
		return strings.Join(parts, ", "), len(parts) > 0
	}}
}

// shortName is the name of a signal inside a sentence.
func (e *env) shortName(id triage.SignalID) string {
	switch id {
	case triage.SignalThroughput:
		return "throughput"
	case triage.SignalLatencyP99:
		return "latency"
	case triage.SignalErrorRatio:
		return "errors"
	case triage.SignalCPUUtilization:
		return "CPU"
	case triage.SignalMemoryUtilization:
		return "memory"
	case triage.SignalCPUCores:
		return "cores"
	case triage.SignalMemoryTotal:
		return "RAM"
	}
	return strings.ToLower(e.title(id))
}

var dbConnections = filler{needs: []triage.SignalID{triage.SignalDBConnectionsUsed, triage.SignalDBConnectionsMax}, value: func(e *env) (string, bool) {
	used, ok1 := e.float(triage.SignalDBConnectionsUsed)
	limit, ok2 := e.float(triage.SignalDBConnectionsMax)
	if !ok1 || !ok2 || limit <= 0 {
		return "", false
	}
	return fmt.Sprintf("%s used / %s max (%s, now)", num(used), num(limit), pct(used/limit)), true
}}

// dbQueryTime prefers the client-side P99 and says so when only the
// server-side mean exists.
var dbQueryTime = filler{needs: []triage.SignalID{triage.SignalDBQueryP99, triage.SignalDBQueryMean}, value: func(e *env) (string, bool) {
	if v, ok := e.measured(triage.SignalDBQueryP99); ok {
		return v, true
	}
	if v, ok := e.measured(triage.SignalDBQueryMean); ok {
		return v + ", mean, not P99", true
	}
	return "", false
}}

// dbEngine names the database from the engine its readings declare (a
// pooler's readings name the pooler, not the database behind it).
var dbEngine = filler{needs: []triage.SignalID{triage.SignalDBConnectionsMax, triage.SignalDBConnectionsUsed}, value: func(e *env) (string, bool) {
	r, ok := e.databaseReading()
	if !ok {
		return "", false
	}
	return e.label(r.Engine.Name()) + " (detected via " + e.label(r.Exporter) + "; version not measured)", true
}}

// databaseReading is the first usable reading of the database tier that
// declares its engine: what the database is, as the catalog knows it.
func (e *env) databaseReading() (triage.Reading, bool) {
	for _, r := range e.snap.Readings {
		if r.Tier == triage.TierDatabase && r.Engine != "" && r.Usable() {
			return r, true
		}
	}
	return triage.Reading{}, false
}

// databaseEngine is the measured database engine; when none is measured,
// PostgreSQL, the engine the seed's database prompts are written for, with
// the assumption said.
func (e *env) databaseEngine() (engine triage.Engine, assumption string) {
	if r, ok := e.databaseReading(); ok {
		return r.Engine, ""
	}
	return triage.EnginePostgreSQL, " (the database engine is not measured: PostgreSQL assumed, as the prompt is written for it)"
}

// poolTool names the connection pools whose readings answered: the pooler
// by its engine, then the application's pool, each with its exporter.
var poolTool = filler{needs: poolSignals, value: func(e *env) (string, bool) {
	var tools []string
	seen := map[triage.Tier]bool{}
	for _, id := range poolSignals {
		r, ok := e.reading(id)
		if !ok || seen[r.Tier] {
			continue
		}
		seen[r.Tier] = true
		name := orDash(r.Engine.Name())
		if r.Tier == triage.TierAppPool {
			name = strings.TrimSpace(r.Engine.Name() + " application pool")
		}
		tools = append(tools, e.label(name)+" ("+e.label(r.Exporter)+")")
	}
	return strings.Join(tools, " + "), len(tools) > 0
}}

// poolSignals are the readings that show a pool in use: the pooler's, then
// the application's.
var poolSignals = []triage.SignalID{triage.SignalDBPoolWaiting, triage.SignalDBPoolUtilization,
	triage.SignalAppPoolUtilization, triage.SignalAppPoolWaiting, triage.SignalAppPoolMax}

// appPoolMax binds the measured maximum of the application pools as the
// connections each app instance may open.
var appPoolMax = filler{needs: []triage.SignalID{triage.SignalAppPoolMax}, value: func(e *env) (string, bool) {
	r, ok := e.reading(triage.SignalAppPoolMax)
	if !ok {
		return "", false
	}
	what := strings.TrimSpace(r.Engine.Name() + " pool maximum")
	return fmt.Sprintf("%s (%s; %s)", r.Formatted(), e.label(what), e.qualifier(r)), true
}}

// findingIssue binds the page the triage started from and the verdict
// that led to the prompt.
var findingIssue = filler{value: func(e *env) (string, bool) {
	var parts []string
	if e.alert != nil {
		parts = append(parts, e.label(e.alert.Headline(e.snap.At)))
	}
	if e.finding != nil && e.finding.Title != "" {
		s := e.label(e.finding.Title)
		if e.finding.Summary != "" {
			s += ": " + e.label(e.finding.Summary)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; "), len(parts) > 0
}}

var peakQPS = filler{needs: []triage.SignalID{triage.SignalThroughput}, value: func(e *env) (string, bool) {
	avg, ok := e.float(triage.SignalThroughput)
	if !ok {
		return "", false
	}
	low, high := peakRange(avg)
	return fmt.Sprintf("%s–%s (2-3x the measured %s average over %s)", num(low), num(high),
		triage.FormatNumber(avg, triage.UnitRPS), orWindow(e)), true
}}

var eventsPerDay = filler{needs: []triage.SignalID{triage.SignalThroughput}, value: func(e *env) (string, bool) {
	rps, ok := e.float(triage.SignalThroughput)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%s (%s × 86,400 s/day, counting requests as events)", num(rps*86400/1e6),
		triage.FormatNumber(rps, triage.UnitRPS)), true
}}

// scaledUserValue binds base × growth from the context ("[N * growth]").
func scaledUserValue(base, growth string) filler {
	return filler{value: func(e *env) (string, bool) {
		n, ok1 := e.number(base)
		g, ok2 := e.number(growth)
		if !ok1 || !ok2 {
			return "", false
		}
		return fmt.Sprintf("%s (%s × %s growth)", num(n*g), num(n), num(g)), true
	}}
}

var targetInstances = filler{needs: []triage.SignalID{triage.SignalInstances}, value: func(e *env) (string, bool) {
	n, ok1 := e.float(triage.SignalInstances)
	g, ok2 := e.number("growth")
	if !ok1 || !ok2 {
		return "", false
	}
	return fmt.Sprintf("%s (%s now × %s growth)", num(math.Ceil(n*g)), num(n), num(g)), true
}}

// hostShape binds what is measured about the hosts; the instance type is
// never measured, so it says so instead of guessing.
var hostShape = filler{needs: []triage.SignalID{triage.SignalCPUCores, triage.SignalMemoryTotal}, value: func(e *env) (string, bool) {
	parts := e.measuredList(triage.SignalCPUCores, triage.SignalMemoryTotal)
	if len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, ", ") + "; " + e.instanceType(), true
}}

// hostUtilization is the primary's host: its CPU when primary and replica
// are told apart and the host is measured, never a replica's or another
// host's number passed off as the primary's.
var hostUtilization = filler{needs: []triage.SignalID{triage.SignalCPUUtilization, triage.SignalDBConnectionUtil}, value: func(e *env) (string, bool) {
	cpu, primary, ok := e.snap.PrimaryHostCPU()
	var parts []string
	switch {
	case ok:
		parts = append(parts, fmt.Sprintf("CPU %s (the primary's host %s; %s)", cpu.Formatted(), e.label(primary), cpu.Statistic))
	case primary != "":
		parts = append(parts, fmt.Sprintf("CPU of the primary's host %s not measured", e.label(primary)))
	default:
		parts = e.measuredList(triage.SignalCPUUtilization)
		if len(parts) > 0 {
			parts[0] += ", assumed to be the primary's: primary and replica are not told apart"
		}
	}
	parts = append(parts, e.measuredList(triage.SignalDBConnectionUtil)...)
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

var slowQueries = metricsSummary(triage.SignalDBQueryP99, triage.SignalDBQueryMean, triage.SignalDBLongestTransaction)

var resourceUsage = metricsSummary(triage.SignalThroughput, triage.SignalCPUUtilization, triage.SignalMemoryUtilization)

var currentMetrics = metricsSummary(triage.SignalThroughput, triage.SignalLatencyP99, triage.SignalErrorRatio, triage.SignalCPUUtilization, triage.SignalMemoryUtilization)

var projectionSummary = filler{needs: capacityNeeds, value: func(e *env) (string, bool) {
	line, ok := e.projections()
	if !ok {
		return "", false
	}
	return "no load test; " + line, true
}}

var saturationPoint = filler{needs: capacityNeeds, value: func(e *env) (string, bool) {
	c, ok := e.capacity()
	switch {
	case !ok:
		return "", false
	case c.Utilization >= 1 || num(c.Headroom) == "1":
		// "at ≈ 1x current load" would mean: now.
		return fmt.Sprintf("now: %s is at %s", e.title(c.Bottleneck), pct(c.Utilization)), true
	case c.NotProportional():
		// Utilization driven by slowness says nothing about more load.
		return "", false
	}
	return fmt.Sprintf("at ≈ %sx current load, when %s (now %s) reaches 100%%", num(1/c.Utilization), e.title(c.Bottleneck), pct(c.Utilization)), true
}}

// ---- facts: the arithmetic appended to prompts and shown in guidance ----

var factPeakQPS = fact{needs: []triage.SignalID{triage.SignalThroughput}, work: func(e *env) (string, bool) {
	avg, ok := e.float(triage.SignalThroughput)
	if !ok {
		return "", false
	}
	ops, low := triage.ShowWorking(func(x ...float64) float64 { return x[0] * peakLowFactor }, triage.UnitRPS, triage.Operand{V: avg})
	_, high := triage.ShowWorking(func(x ...float64) float64 { return x[0] * peakHighFactor }, triage.UnitRPS, triage.Operand{V: avg})
	return fmt.Sprintf("QPS: average %s over %s; peak at 2-3x average: %s × 2 = %s, × 3 = %s.",
		triage.FormatNumber(avg, triage.UnitRPS), orWindow(e), ops[0], low, high), true
}}

var factDailyVolume = fact{needs: []triage.SignalID{triage.SignalThroughput}, work: func(e *env) (string, bool) {
	rps, ok := e.float(triage.SignalThroughput)
	if !ok {
		return "", false
	}
	ops, perDay := triage.ShowWorking(func(x ...float64) float64 { return x[0] * 86400 }, "", triage.Operand{V: rps, Unit: triage.UnitRPS})
	return fmt.Sprintf("Daily volume: %s × 86,400 s/day = %s requests/day at the current rate.", ops[0], perDay), true
}}

// factLittlesLaw sizes the pools from database time: L = λ × W with λ the
// database transaction rate (else the request rate) and W the mean query
// time. The HTTP P99 is no W for this: under pool exhaustion it includes the
// wait for a connection, so it grows with the queue (see factLittlesBound).
var factLittlesLaw = fact{needs: []triage.SignalID{triage.SignalDBTransactions, triage.SignalDBQueryMean, triage.SignalThroughput}, work: func(e *env) (string, bool) {
	w, ok := e.reading(triage.SignalDBQueryMean)
	if !ok || w.Value.V <= 0 {
		return "", false
	}
	rate, ok := e.reading(triage.SignalDBTransactions)
	per, how := "transaction", rate.Statistic
	if !ok || rate.Value.V <= 0 {
		if rate, ok = e.reading(triage.SignalThroughput); !ok || rate.Value.V <= 0 {
			return "", false
		}
		per, how = "request", "HTTP requests, "+rate.Statistic+"; database transactions not measured"
	}
	ops, l := triage.ShowWorking(littles, "", triage.Operand{V: rate.Value.V, Unit: rate.Unit}, triage.Operand{V: w.Value.V, Unit: w.Unit})
	return fmt.Sprintf("Little's law L = λ × W with database time: %s (%s) × %s (mean query time, %s) = %s connections busy on average; "+
		"the pools need at least %s connections in total, plus headroom for bursts (assumes one query per %s; a connection held across several queries or idle in a transaction needs more).",
		ops[0], how, ops[1], w.Statistic, l, num(math.Ceil(littlesLaw(rate.Value.V, w.Value.V))), per), true
}}

// littles is littlesLaw for triage.ShowWorking.
func littles(x ...float64) float64 { return littlesLaw(x[0], x[1]) }

// factLittlesBound is the P99-based figure, only ever as an upper bound.
var factLittlesBound = fact{needs: []triage.SignalID{triage.SignalThroughput, triage.SignalLatencyP99, triage.SignalDBQueryMean}, work: func(e *env) (string, bool) {
	rate, ok1 := e.reading(triage.SignalThroughput)
	lat, ok2 := e.reading(triage.SignalLatencyP99)
	if !ok1 || !ok2 {
		return "", false
	}
	bound := ""
	if lat.AtLeast {
		bound = "≥ "
	}
	ops, l := triage.ShowWorking(littles, "", triage.Operand{V: rate.Value.V, Unit: rate.Unit}, triage.Operand{V: lat.Value.V, Unit: lat.Unit})
	line := fmt.Sprintf("Upper bound, not a pool size: if every request held a connection for its whole P99, L = %s × %s%s = %s%s connections. "+
		"The P99 overstates the mean and, when requests wait for a connection, includes that wait, so this figure grows with the queue",
		ops[0], bound, ops[1], bound, l)
	if lat.AtLeast {
		line += "; the P99 is clamped at the top histogram bucket, so the true figure is higher still"
	}
	line += "."
	if w, ok := e.reading(triage.SignalDBQueryMean); !ok || w.Value.V <= 0 {
		line += " Database time (db_query_mean_seconds) is not measured, so no pool size is derived here."
	}
	return line, true
}}

var factPoolFormula = fact{needs: []triage.SignalID{triage.SignalCPUCores}, work: func(e *env) (string, bool) {
	cores, source, ok := e.cores()
	if !ok {
		return "", false
	}
	spindles, spindleNote := e.spindles()
	return fmt.Sprintf("Pool size: pool_size = (core_count × 2) + effective_spindle_count = %s × 2 + %s = %s connections: "+
		"the connections the database server keeps busy efficiently, from its own cores; a total for the database, shared by all app instances (cores: %s; spindles: %s).",
		num(cores), num(spindles), num(poolSizeFormula(cores, spindles)), source, spindleNote), true
}}

// spindles is the formula's effective spindle count, the user's or an
// SSD's, and where it came from.
func (e *env) spindles() (float64, string) {
	if n, set := e.number("spindles"); set {
		return n, "set by you"
	}
	return ssdSpindles, "SSD assumed; --set spindles=N"
}

// cores prefers the user's database core count over the measured total.
func (e *env) cores() (float64, string, bool) {
	if c, ok := e.number("cores"); ok {
		return c, "the database server's, set by you", true
	}
	if c, ok := e.float(triage.SignalCPUCores); ok {
		return c, "cpu_cores counts every scraped host, not only the database server; --set cores=N with the database server's cores", true
	}
	return 0, "", false
}

var factConnectionBudget = fact{needs: []triage.SignalID{triage.SignalInstances, triage.SignalDBConnectionsMax, triage.SignalDBConnectionsUsed, triage.SignalAppPoolMax}, work: func(e *env) (string, bool) {
	instances, ok1 := e.float(triage.SignalInstances)
	limit, ok2 := e.float(triage.SignalDBConnectionsMax)
	if !ok1 || !ok2 || instances <= 0 || limit <= 0 {
		return "", false
	}
	n := triage.FormatNumber(instances, triage.UnitInstances)
	line := fmt.Sprintf("Connection budget: max_connections %s / %s = %s connections per instance at most.",
		num(limit), n, num(connectionsPerInstance(limit, instances)))
	if used, ok := e.float(triage.SignalDBConnectionsUsed); ok {
		line += fmt.Sprintf(" In use now: %s of %s (%s).", num(used), num(limit), pct(used/limit))
	}
	if pool, source, ok := e.poolPerInstance(); ok {
		total := totalConnections(instances, pool)
		line += fmt.Sprintf(" Configured: total = %s × %s pool_per_instance%s = %s connections, %s of max_connections.",
			n, num(pool), source, num(total), pct(total/limit))
	} else {
		// The (cores × 2) + spindles formula sizes the database's connections
		// from the database's cores: it is never multiplied by app instances.
		line += " Configured pool per instance not given (--set pool_per_instance=N for the configured total)."
	}
	return line, true
}}

// poolPerInstance is the connections each app instance may open: the
// user's pool_per_instance, else the largest measured application pool's
// maximum, with where it comes from.
func (e *env) poolPerInstance() (pool float64, source string, ok bool) {
	if pool, ok := e.number("pool_per_instance"); ok {
		return pool, "", true
	}
	if pool, ok := e.float(triage.SignalAppPoolMax); ok {
		return pool, " (measured: the largest application pool's maximum)", true
	}
	return 0, "", false
}

// factConnectionMemory prices the measured connections in RAM with the
// engine's own figure: ~5-10 MB is PostgreSQL's (a process per connection).
var factConnectionMemory = fact{needs: []triage.SignalID{triage.SignalDBConnectionsUsed, triage.SignalDBConnectionsMax}, work: func(e *env) (string, bool) {
	var parts []string
	for _, c := range []struct {
		id   triage.SignalID
		what string
	}{{triage.SignalDBConnectionsUsed, "in use"}, {triage.SignalDBConnectionsMax, "allowed by max_connections"}} {
		if n, ok := e.float(c.id); ok {
			low, high := connectionMemory(n)
			parts = append(parts, fmt.Sprintf("%s %s ≈ %s–%s", num(n), c.what,
				triage.FormatNumber(low, triage.UnitBytes), triage.FormatNumber(high, triage.UnitBytes)))
		}
	}
	if len(parts) == 0 {
		return "", false
	}
	switch engine, assumption := e.databaseEngine(); engine {
	case triage.EnginePostgreSQL:
		return "Connection memory at ~5-10 MB each (PostgreSQL: a process per connection)" + assumption + ": " + strings.Join(parts, "; ") + ".", true
	case triage.EngineMySQL:
		return "Connection memory: MySQL runs a thread per connection whose buffers (sort_buffer_size, join_buffer_size, read_buffer_size) " +
			"are allocated as queries need them (MySQL manual, \"How MySQL Uses Memory\"), so no per-connection figure is derived; PostgreSQL's ~5-10 MB does not apply.", true
	default:
		return "Connection memory: no per-connection figure known here for " + e.label(engine.Name()) + "; PostgreSQL's ~5-10 MB does not apply.", true
	}
}}

// factDatabaseMemory applies the database engine's own documented rules of
// thumb to the RAM: a MySQL server gets no shared_buffers.
var factDatabaseMemory = fact{needs: []triage.SignalID{triage.SignalMemoryTotal, triage.SignalDBConnectionsMax}, work: func(e *env) (string, bool) {
	ram, ok := e.float(triage.SignalMemoryTotal)
	if !ok {
		return "", false
	}
	r := triage.FormatNumber(ram, triage.UnitBytes)
	bytes := func(f float64) string { return triage.FormatNumber(f, triage.UnitBytes) }
	engine, assumption := e.databaseEngine()
	from := fmt.Sprintf("from RAM %s (largest host; use the database server's RAM if it differs)%s", r, assumption)
	switch engine {
	case triage.EnginePostgreSQL:
		sb, ec, _ := postgresMemory(ram, 0)
		line := fmt.Sprintf("PostgreSQL memory %s: shared_buffers = 25%% × %s = %s; effective_cache_size = 75%% × %s = %s", from, r, bytes(sb), r, bytes(ec))
		if limit, ok := e.float(triage.SignalDBConnectionsMax); ok && limit > 0 {
			_, _, wm := postgresMemory(ram, limit)
			line += fmt.Sprintf("; work_mem = (%s × 0.25) / %s max_connections = %s", r, num(limit), bytes(wm))
		}
		return line + ".", true
	case triage.EngineMySQL:
		low, high := mysqlBufferPool(ram)
		return fmt.Sprintf("MySQL memory %s: innodb_buffer_pool_size = 50-75%% × %s = %s–%s (the MySQL manual's recommendation, \"How MySQL Uses Memory\"; "+
			"less when the host runs more than MySQL); PostgreSQL's shared_buffers and work_mem do not apply.",
			from, r, bytes(low), bytes(high)), true
	}
	return fmt.Sprintf("Database memory: no rules of thumb known here for %s; PostgreSQL's (shared_buffers, effective_cache_size, work_mem) do not apply.",
		e.label(engine.Name())), true
}}

// factReadReplicas sizes replicas from the database server's CPU. Connection
// utilization is not load (idle pooled connections count as used), so it is
// never used here; the measured CPU is the busiest host's, so unless the user
// gives the database's own, the line says it assumes they are the same.
var factReadReplicas = fact{needs: []triage.SignalID{triage.SignalCPUUtilization}, work: func(e *env) (string, bool) {
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
		load := "at the current load"
		if m != 1 {
			load = "at " + num(m) + "x load"
		}
		parts = append(parts, fmt.Sprintf("%d %s", readReplicas(util, m, replicaTarget), load))
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
	if u, ok := e.float(triage.SignalCPUUtilization); ok {
		return u, "assumed to be the database server's: cpu_utilization is the busiest scraped host's, which may be an app host; --set db_cpu=NN% with the database server's", true
	}
	return 0, "", false
}

var factRedisHeadroom = fact{needs: []triage.SignalID{triage.SignalCacheOps}, work: func(e *env) (string, bool) {
	ops, ok := e.float(triage.SignalCacheOps)
	if !ok || ops <= 0 {
		return "", false
	}
	low, high := redisHeadroom(ops)
	return fmt.Sprintf("Redis headroom: a single instance tops out at ~100K–200K ops/s; 100,000 / %s = %sx, 200,000 / %s = %sx the current rate.",
		num(ops), num(low), num(ops), num(high)), true
}}

var factRightSizing = fact{needs: []triage.SignalID{triage.SignalCPUUtilization, triage.SignalMemoryUtilization}, work: func(e *env) (string, bool) {
	cpu, ok1 := e.float(triage.SignalCPUUtilization)
	mem, ok2 := e.float(triage.SignalMemoryUtilization)
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

var factBottleneckLaw = fact{needs: append([]triage.SignalID{triage.SignalThroughput}, capacityNeeds...), work: func(e *env) (string, bool) {
	c, ok := e.capacity()
	if !ok {
		return "", false
	}
	return "Bottleneck law: " + e.label(c.Statement(e.snap)) + ".", true
}}

// factQueueDepth drains the backlog at its own net rate over the window,
// (window start − now) / window: the request rate says nothing about how
// fast consumers take messages.
var factQueueDepth = fact{needs: []triage.SignalID{triage.SignalQueueDepth}, work: func(e *env) (string, bool) {
	r, ok := e.reading(triage.SignalQueueDepth)
	if !ok {
		return "", false
	}
	depth := r.Value.V
	rate, start, ok := e.snap.NetDrain(r)
	if !ok {
		return fmt.Sprintf("Backlog: %s now; drain time not derivable: no window start to measure the net drain rate.", r.Formatted()), true
	}
	w := e.snap.Window
	perSecond := r.Unit + "/s"
	trend := fmt.Sprintf("from %s to %s over %s", triage.FormatNumber(start, r.Unit), r.Formatted(), triage.PromDuration(w))
	switch {
	case rate > 0:
		drainOps, drain := triage.ShowWorking(func(x ...float64) float64 { return (x[0] - x[1]) / x[2] }, perSecond,
			triage.Operand{V: start}, triage.Operand{V: depth}, triage.Operand{V: w.Seconds()})
		timeOps, drainTime := triage.ShowWorking(func(x ...float64) float64 { return x[0] / x[1] }, triage.UnitSeconds,
			triage.Operand{V: depth}, triage.Operand{V: rate, Unit: perSecond})
		return fmt.Sprintf("Backlog drain: the queue went %s, a net drain of (%s − %s) / %s s = %s; at that rate the %s drain in %s / %s = %s.",
			trend, drainOps[0], drainOps[1], drainOps[2], drain, r.Formatted(), timeOps[0], timeOps[1], drainTime), true
	case rate < 0:
		return fmt.Sprintf("Backlog not draining: +%s over the window (%s): producers outpace consumers, so there is no drain time.",
			triage.FormatNumber(-rate, perSecond), trend), true
	}
	return fmt.Sprintf("Backlog not draining: flat %s: no net drain, so there is no drain time.", trend), true
}}

// capacity is the bottleneck law for this prompt: the finding's own, else
// the diagnosis's, computed once by triage.Diagnose, so that a prompt never
// names a different bottleneck than the rules do. ok is false when no
// resource is measurably utilized.
func (e *env) capacity() (*triage.Capacity, bool) {
	c := e.diagnosis.Capacity
	if e.finding != nil && e.finding.Capacity != nil {
		c = e.finding.Capacity
	}
	return c, c != nil && c.Bottleneck != "" && c.Utilization > 0 && finite(c.Utilization)
}

// projections joins the capacity's projection lines into one sentence.
func (e *env) projections() (string, bool) {
	c, ok := e.capacity()
	if !ok {
		return "", false
	}
	lines := c.ProjectionLines(e.snap)
	if len(lines) == 0 {
		return "", false
	}
	for i, l := range lines { // clauses of one sentence
		lines[i] = strings.ToLower(l[:1]) + l[1:]
	}
	return e.label(strings.Join(lines, "; ")) + ".", true
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
