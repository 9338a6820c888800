package main

// The scenario generator: synthetic incidents written as OpenMetrics text,
// backfilled into a real Prometheus by scenario_test.go. The files under
// testdata/scenarios are generated, committed and checked here:
//
//	go test ./cmd/scaletriage -run TestGenerateScenarios -update
//
// Every scenario has its own evaluation instant `at`, three days apart from
// the next, and two segments at a 30 s step: the day before
// [at-24h-40m, at-24h+5m] (the report's `offset 1d` baseline) and the
// incident [at-40m, at]. The incident starts at at-15m, so that the report's
// default 15m window starts healthy (its first sparkline point is the
// pre-incident value) and the 5m rate() window at `at` is entirely inside
// the incident. Values follow the lab's incidents (docs/facts.md#lab-measurements).

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/golden"
)

// -update-scenarios is the name -update had here before internal/golden.
func init() { golden.Alias("update-scenarios") }

// scenarioDir is relative to this package (go test runs in the package dir).
const scenarioDir = "../../testdata/scenarios"

const (
	scenarioStep      = 30 * time.Second
	scenarioLead      = 40 * time.Minute // incident segment length before at
	scenarioAfter     = 5 * time.Minute  // day-before segment continues past at-24h
	scenarioIncidentT = 15 * time.Minute // incident starts at at-15m
)

// latencyBuckets are the app histogram's finite upper bounds (client_golang
// defaults plus 1ms/2.5ms, as in the lab app).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// scCDF is the share of requests at or under each bound of latencyBuckets
// (cumulative, non-decreasing); the +Inf bucket is always 1.
type scCDF []float64

// Latency profiles. The P99 that histogram_quantile computes from each is
// stated next to it (linear interpolation inside the bucket holding rank
// 0.99); the scenario table asserts those numbers.
var (
	// P99 = 0.01 + (0.99-0.90)/(0.995-0.90)*0.015 = 0.024211 s (lab: 18-21 ms, docs/facts.md#lab-pool-exhaustion).
	latencyHealthy = scCDF{0, .02, .20, .90, .995, 1, 1, 1, 1, 1, 1, 1, 1}
	// P99 = 0.025 + (0.99-0.97)/(0.995-0.97)*0.025 = 0.045 s (1.86x: under the 2x band).
	latencySlower = scCDF{0, .01, .10, .60, .97, .995, 1, 1, 1, 1, 1, 1, 1}
	// P99 = 0.05 + (0.99-0.985)/(0.995-0.985)*0.05 = 0.075 s (3.1x).
	latencyCPUBound = scCDF{0, .005, .05, .40, .80, .985, .995, 1, 1, 1, 1, 1, 1}
	// P99 = 0.1 + (0.99-0.97)/(0.9975-0.97)*0.15 = 0.209091 s (8.6x).
	latencyRegressed = scCDF{0, .01, .10, .50, .80, .90, .97, .9975, 1, 1, 1, 1, 1}
	// P99 = 0.1 + (0.99-0.90)/(0.995-0.90)*0.15 = 0.242105 s (10x).
	latencySlowQueries = scCDF{0, 0, .01, .10, .30, .60, .90, .995, 1, 1, 1, 1, 1}
	// Queued behind a 5-connection pool: P99 = 0.5 + (0.99-0.30)/(0.995-0.30)*0.5
	// = 0.996403 s (lab: 0.995 s, bucket-capped: docs/facts.md#g9-bucket-limited-p99).
	latencyPoolQueue = scCDF{0, 0, 0, .002, .005, .01, .02, .05, .30, .995, 1, 1, 1}
	// Connection-acquire timeouts: 3 % of requests take longer than the top
	// finite bucket, so histogram_quantile returns 10 and the report must say
	// "at least".
	latencyTimeouts = scCDF{0, .01, .10, .50, .80, .85, .88, .90, .92, .93, .94, .95, .97}
)

// scLevel is a value over time: base before the incident (and the whole day
// before), moving linearly to peak over ramp from the incident start. For a
// counter it is the per-second rate.
type scLevel struct {
	base, peak float64
	ramp       time.Duration
}

func scFlat(v float64) scLevel { return scLevel{base: v, peak: v} }

// jump reaches peak one minute into the incident: a step change, softened
// the way scrapes see one.
func scJump(base, peak float64) scLevel { return scLevel{base: base, peak: peak, ramp: time.Minute} }

// ramp grows linearly over d (a queue filling up, a replica falling behind).
func scRamp(base, peak float64, d time.Duration) scLevel {
	return scLevel{base: base, peak: peak, ramp: d}
}

// at returns the level at t, given when the incident started.
func (l scLevel) at(t, start time.Time) float64 {
	// A sample at t covers the step that ends at t: the one ending at start
	// is still healthy.
	if !t.After(start) {
		return l.base
	}
	w := 1.0
	if l.ramp > 0 {
		w = min(1, float64(t.Sub(start))/float64(l.ramp))
	}
	return l.base + w*(l.peak-l.base)
}

// scSeries is one labelled series with one value per sample time.
type scSeries struct {
	name   string
	labels string // rendered {k="v",...}
	values []float64
}

// family is an OpenMetrics metric family; promtool wants each contiguous.
type scFamily struct {
	name, typ string
	series    []scSeries
}

// scenarioBuilder accumulates the families of one scenario.
type scenarioBuilder struct {
	at, start time.Time
	times     []time.Time
	families  []*scFamily
	// leScale multiplies the histograms' bounds and sums (1000: a
	// histogram in milliseconds); 0 is 1.
	leScale float64
}

func newScenarioBuilder(at time.Time) *scenarioBuilder {
	b := &scenarioBuilder{at: at, start: at.Add(-scenarioIncidentT)}
	day := at.Add(-24 * time.Hour)
	for t := day.Add(-scenarioLead); !t.After(day.Add(scenarioAfter)); t = t.Add(scenarioStep) {
		b.times = append(b.times, t)
	}
	for t := at.Add(-scenarioLead); !t.After(at); t = t.Add(scenarioStep) {
		b.times = append(b.times, t)
	}
	return b
}

// labelText renders alternating key, value pairs; the caller passes job and
// instance first so that every series carries them.
func labelText(kv []string) string {
	if len(kv)%2 != 0 {
		panic("odd label list: " + strings.Join(kv, ","))
	}
	parts := make([]string, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		parts = append(parts, kv[i]+"="+strconv.Quote(kv[i+1]))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func (b *scenarioBuilder) family(name, typ string) *scFamily {
	for _, f := range b.families {
		if f.name == name {
			if f.typ != typ {
				panic(fmt.Sprintf("family %s declared as %s and %s", name, f.typ, typ))
			}
			return f
		}
	}
	f := &scFamily{name: name, typ: typ}
	b.families = append(b.families, f)
	return f
}

// gauge adds a gauge following lv.
func (b *scenarioBuilder) gauge(name string, lv scLevel, labels ...string) {
	values := make([]float64, 0, len(b.times))
	for _, t := range b.times {
		values = append(values, lv.at(t, b.start))
	}
	b.gaugeValues(name, values, labels...)
}

// gaugeValues adds a gauge with one value per sample time.
func (b *scenarioBuilder) gaugeValues(name string, values []float64, labels ...string) {
	f := b.family(name, "gauge")
	f.series = append(f.series, scSeries{name: name, labels: labelText(labels), values: values})
}

// counter adds a cumulative counter whose rate follows perSecond. It starts
// at a non-zero value, as a long-running exporter's would.
func (b *scenarioBuilder) counter(name string, perSecond scLevel, labels ...string) {
	// 1e6 s is about 11.6 days of uptime at the base rate.
	s := scSeries{name: name, labels: labelText(labels), values: b.integrate(1e6*perSecond.base, perSecond)}
	f := b.family(strings.TrimSuffix(name, "_total"), "counter")
	f.series = append(f.series, s)
}

// integrate is a value that starts at from and grows at perSecond, across
// the gap between the two segments too, so that it never goes down.
func (b *scenarioBuilder) integrate(from float64, perSecond scLevel) []float64 {
	values := make([]float64, 0, len(b.times))
	v := from
	for i, t := range b.times {
		if i > 0 {
			v += perSecond.at(t, b.start) * t.Sub(b.times[i-1]).Seconds()
		}
		values = append(values, math.Round(v*1000)/1000)
	}
	return values
}

// histogram adds a request-duration histogram: rps requests per second whose
// durations follow healthy before the incident and incident after it (mixed
// linearly over rps' ramp, at least a minute). Counts are integers per step, and each bucket's
// increment is rounded from the same count and a non-decreasing cdf, so the
// buckets stay cumulative and +Inf equals _count exactly.
func (b *scenarioBuilder) histogram(name string, rps scLevel, healthy, incident scCDF, labels ...string) {
	b.histogramOf(name, 1e6*rps.base, healthy, func(t time.Time, seconds float64) (float64, func(k int) float64) {
		n := math.Round(rps.at(t, b.start) * seconds)
		// The latency shape changes as fast as the request rate does.
		w := scLevel{base: 0, peak: 1, ramp: max(rps.ramp, time.Minute)}.at(t, b.start)
		return n, func(k int) float64 { return (1-w)*healthy[k] + w*incident[k] }
	}, labels...)
}

// histogramOf adds a request-duration histogram that has served total
// requests of shape start before the first sample; step gives each later
// step's request count (an integer) and the share of them at or under each
// finite bound k. Each bucket's increment is rounded from the same count
// and a non-decreasing cdf, so the buckets stay cumulative and +Inf equals
// _count exactly.
func (b *scenarioBuilder) histogramOf(name string, total float64, start scCDF, step func(t time.Time, seconds float64) (float64, func(k int) float64), labels ...string) {
	nb := len(latencyBuckets) + 1
	buckets := make([]scSeries, nb)
	for i := range buckets {
		le := "+Inf"
		if i < len(latencyBuckets) {
			le = strconv.FormatFloat(latencyBuckets[i]*b.scale(), 'g', -1, 64)
		}
		buckets[i] = scSeries{name: name + "_bucket", labels: labelText(append(append([]string{}, labels...), "le", le))}
	}
	count := scSeries{name: name + "_count", labels: labelText(labels)}
	sum := scSeries{name: name + "_sum", labels: labelText(labels)}
	cum := make([]float64, nb)
	var seconds float64
	for i, t := range b.times {
		if i > 0 {
			n, cdf := step(t, t.Sub(b.times[i-1]).Seconds())
			mix := func(k int) float64 {
				if k >= len(latencyBuckets) {
					return 1
				}
				return cdf(k)
			}
			prev := 0.0
			for k := range nb {
				c := math.Round(n * mix(k))
				cum[k] += c
				// Observations in (le[k-1], le[k]] count at the bucket's
				// midpoint; beyond the top bucket at 15 s (a timeout).
				upper, lower := 15.0, 0.0
				if k < len(latencyBuckets) {
					upper = latencyBuckets[k]
				}
				if k > 0 {
					lower = latencyBuckets[k-1]
				}
				seconds += (c - prev) * (lower + upper) / 2
				prev = c
			}
			total += n
		} else {
			// A running service already has history: start every bucket
			// from the shape of its earlier requests.
			for k := range nb {
				if k < len(latencyBuckets) {
					cum[k] = math.Round(total * start[k])
				} else {
					cum[k] = total
				}
			}
			seconds = total * 0.008
		}
		for k := range nb {
			buckets[k].values = append(buckets[k].values, cum[k])
		}
		count.values = append(count.values, total)
		sum.values = append(sum.values, math.Round(seconds*b.scale()*1000)/1000)
	}
	f := b.family(name, "histogram")
	f.series = append(f.series, buckets...)
	f.series = append(f.series, count, sum)
}

func (b *scenarioBuilder) scale() float64 {
	if b.leScale == 0 {
		return 1
	}
	return b.leScale
}

// openMetrics renders the scenario: families contiguous, timestamps in
// seconds, `# EOF` last (promtool's three requirements).
func (b *scenarioBuilder) openMetrics() []byte {
	var buf bytes.Buffer
	for _, f := range b.families {
		fmt.Fprintf(&buf, "# TYPE %s %s\n", f.name, f.typ)
		for _, s := range f.series {
			for i, t := range b.times {
				if math.IsNaN(s.values[i]) {
					continue // absent: the series did not exist then
				}
				fmt.Fprintf(&buf, "%s%s %s %d\n", s.name, s.labels, strconv.FormatFloat(s.values[i], 'g', -1, 64), t.Unix())
			}
		}
	}
	buf.WriteString("# EOF\n")
	return buf.Bytes()
}

// Instances and jobs of the synthetic estate.
var (
	nodeLabels     = []string{"job", "node", "instance", "app-1:9100"}
	appLabels      = []string{"job", "app", "instance", "app-1:8080", "handler", "/work", "method", "get", "code", "200"}
	pgLabels       = []string{"job", "postgres", "instance", "db-1:9187"}
	pgReplica      = []string{"job", "postgres", "instance", "db-2:9187"}
	redisLabels    = []string{"job", "redis", "instance", "cache-1:9121"}
	pgbouncerLabel = []string{"job", "pgbouncer", "instance", "pgbouncer-1:9127"}
	kafkaLabels    = []string{"job", "kafka", "instance", "kafka-exporter:9308"}
)

func scWith(base []string, kv ...string) []string { return append(append([]string{}, base...), kv...) }

// scBackground is the healthy estate every scenario has; an incident
// overrides some of its levels. The defaults are the lab's baseline: 576
// requests/s, P99 24 ms, 30 % CPU on 2 cores, 6 of 100 Postgres
// connections, 95 % cache hits.
type scBackground struct {
	rps              scLevel
	latency          scCDF
	cpuIdle          scLevel // per core, seconds/s
	load1            scLevel
	cpuPressure      scLevel
	pgActive, pgIdle scLevel
	pgIdleInTx       scLevel
	xactCommit       scLevel
	cacheHits        scLevel
	cacheMisses      scLevel
	// noHosts leaves node_exporter out: a Kubernetes fleet read through
	// cAdvisor, whose CPU is the containers' against their limits.
	noHosts bool
	// noApp leaves out the app's HTTP histogram: a fleet seen only through
	// metrics derived from traces.
	noApp bool
}

func defaultBackground() scBackground {
	return scBackground{
		rps:         scFlat(576),
		latency:     latencyHealthy,
		cpuIdle:     scFlat(0.70),
		load1:       scFlat(0.6),
		cpuPressure: scFlat(0.02),
		pgActive:    scFlat(4),
		pgIdle:      scFlat(2),
		pgIdleInTx:  scFlat(0),
		xactCommit:  scFlat(580),
		cacheHits:   scFlat(950),
		cacheMisses: scFlat(50),
	}
}

// build writes the background into b.
func (bg scBackground) build(b *scenarioBuilder, incidentLatency scCDF) {
	if !bg.noHosts {
		bg.buildHost(b)
	}
	bg.buildServices(b, incidentLatency)
}

// buildHost writes the app host's node_exporter series.
func (bg scBackground) buildHost(b *scenarioBuilder) {
	for _, cpu := range []string{"0", "1"} {
		// Busy time is split 3:1 between user and system; idle is what the
		// catalog reads, the other modes must not change its answer.
		busyUser := scLevel{base: (1 - bg.cpuIdle.base) * 0.75, peak: (1 - bg.cpuIdle.peak) * 0.75, ramp: bg.cpuIdle.ramp}
		busySys := scLevel{base: (1 - bg.cpuIdle.base) * 0.25, peak: (1 - bg.cpuIdle.peak) * 0.25, ramp: bg.cpuIdle.ramp}
		b.counter("node_cpu_seconds_total", bg.cpuIdle, scWith(nodeLabels, "cpu", cpu, "mode", "idle")...)
		b.counter("node_cpu_seconds_total", busyUser, scWith(nodeLabels, "cpu", cpu, "mode", "user")...)
		b.counter("node_cpu_seconds_total", busySys, scWith(nodeLabels, "cpu", cpu, "mode", "system")...)
	}
	b.gauge("node_load1", bg.load1, nodeLabels...)
	b.counter("node_pressure_cpu_waiting_seconds_total", bg.cpuPressure, nodeLabels...)
	b.gauge("node_memory_MemTotal_bytes", scFlat(8<<30), nodeLabels...)
	b.gauge("node_memory_MemAvailable_bytes", scFlat(4.3e9), nodeLabels...)
}

// buildServices writes the app, its database and its cache.
func (bg scBackground) buildServices(b *scenarioBuilder, incidentLatency scCDF) {
	if !bg.noApp {
		b.histogram("http_request_duration_seconds", bg.rps, bg.latency, incidentLatency, appLabels...)
	}

	b.gauge("pg_up", scFlat(1), pgLabels...)
	b.gauge("pg_settings_max_connections", scFlat(100), pgLabels...)
	b.gauge("pg_stat_activity_count", bg.pgActive, scWith(pgLabels, "datname", "app", "state", "active")...)
	b.gauge("pg_stat_activity_count", bg.pgIdle, scWith(pgLabels, "datname", "app", "state", "idle")...)
	b.gauge("pg_stat_activity_count", bg.pgIdleInTx, scWith(pgLabels, "datname", "app", "state", "idle in transaction")...)
	b.counter("pg_stat_database_xact_commit", bg.xactCommit, scWith(pgLabels, "datname", "app")...)
	b.counter("pg_stat_database_xact_rollback", scFlat(0.5), scWith(pgLabels, "datname", "app")...)

	b.counter("redis_keyspace_hits_total", bg.cacheHits, redisLabels...)
	b.counter("redis_keyspace_misses_total", bg.cacheMisses, redisLabels...)
	// Commands stay flat in a hit collapse: the load did not change, only
	// the answers did (27.9k vs 26.3k ops/s: docs/facts.md#lab-cache-hit-collapse).
	b.counter("redis_commands_processed_total", scFlat(1100), redisLabels...)
}

// scenarioSpec is one synthetic incident.
type scenarioSpec struct {
	name string
	at   time.Time
	// tune changes the background levels; incident adds the incident's own
	// series (exporters the healthy estate does not run).
	tune     func(*scBackground)
	latency  scCDF // the app's latency during the incident
	incident func(*scenarioBuilder)
}

// scenarioAt spaces the instants three days apart (the day before plus the
// day itself plus a spare day), so that one TSDB holds every scenario and no
// 2h block of one overlaps another's.
func scenarioAt(i int) time.Time {
	return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC).AddDate(0, 0, 3*i)
}

// pgbouncerCommunity writes the prometheus-community/pgbouncer_exporter names.
func pgbouncerCommunity(b *scenarioBuilder) {
	pool := scWith(pgbouncerLabel, "database", "app", "user", "app")
	b.gauge("pgbouncer_pools_client_active_connections", scJump(4, 5), pool...)
	b.gauge("pgbouncer_pools_client_waiting_connections", scJump(0, 59), pool...)
	b.gauge("pgbouncer_pools_server_active_connections", scJump(3, 5), pool...)
	b.gauge("pgbouncer_pools_server_idle_connections", scJump(2, 0), pool...)
	b.gauge("pgbouncer_pools_client_maxwait_seconds", scJump(0, 0.6), pool...)
	b.gauge("pgbouncer_databases_pool_size", scFlat(5), scWith(pgbouncerLabel, "name", "app", "database", "app", "host", "127.0.0.1", "port", "5432", "pool_mode", "transaction")...)
	b.gauge("pgbouncer_up", scFlat(1), pgbouncerLabel...)
	db := scWith(pgbouncerLabel, "database", "app")
	b.counter("pgbouncer_stats_totals_queries_pooled_total", pooledQueries, db...)
	b.counter("pgbouncer_stats_totals_queries_duration_seconds_total", pooledQuerySeconds, db...)
	b.counter("pgbouncer_stats_totals_client_wait_seconds_total", pooledWaitSeconds, db...)
	// One statement per transaction: the transactions are the queries, and
	// the server connections they hold are busy 576 × 5 ms = 2.88 of them,
	// then all 5; PgBouncer counts the clients' wait into transaction time
	// too (seen in the lab's demo recording: 83 s/s with 78 waiting).
	b.counter("pgbouncer_stats_totals_sql_transactions_pooled_total", pooledQueries, db...)
	b.counter("pgbouncer_stats_totals_server_in_transaction_seconds_total", scJump(576*0.005, 5+59), db...)
}

// The queries PgBouncer pools: the app's 576/s at 5 ms the day before; in
// the incident a batch job's 50 ms queries (docs/facts.md#lab-pool-exhaustion: pgbench running
// pg_sleep(0.05) on 60 clients, 93.7 tps) hold the 5 server connections and
// the app gets 6.5/s through: about 100 queries/s at a 50 ms mean. PgBouncer
// counts the clients' wait into query time (seen in the lab: lab/README.md, L5): 59 waiting
// clients wait 59 s per second (Little's law), all of it in query time.
var (
	pooledQueries      = scJump(576, 100)
	pooledWaitSeconds  = scJump(0, 59)
	pooledQuerySeconds = scJump(576*0.005, 100*0.05+59)
)

// pgbouncerDebian writes the Debian prometheus-pgbouncer-exporter 1.7 names:
// no server counts, no maxwait (docs/facts.md#pgbouncer-exporters).
func pgbouncerDebian(b *scenarioBuilder) {
	pool := scWith(pgbouncerLabel, "database", "app", "user", "app")
	b.gauge("pgbouncer_active_clients", scJump(4, 5), pool...)
	b.gauge("pgbouncer_waiting_clients", scJump(0, 59), pool...)
	b.gauge("pgbouncer_pool_size", scFlat(5), scWith(pgbouncerLabel, "database", "app")...)
	b.gauge("pgbouncer_reserve_pool", scFlat(0), scWith(pgbouncerLabel, "database", "app")...)
	// SHOW STATS in microseconds, as this exporter keeps them.
	db := scWith(pgbouncerLabel, "database", "app")
	b.counter("pgbouncer_requests_total", pooledQueries, db...)
	b.counter("pgbouncer_query_microseconds_total", scLevel{base: pooledQuerySeconds.base * 1e6, peak: pooledQuerySeconds.peak * 1e6, ramp: pooledQuerySeconds.ramp}, db...)
}

// poolExhaustion is lab incident 5a seen from the app and Postgres: requests
// queue behind PgBouncer's 5 server connections, throughput collapses
// (closed-loop clients), Postgres runs exactly pool_size queries and is far
// from max_connections.
func poolExhaustion(bg *scBackground) {
	bg.rps = scJump(576, 6.5)
	bg.pgActive = scJump(4, 5)
	bg.pgIdle = scJump(2, 2)
	bg.xactCommit = scJump(580, 100)
}

// scenarios is the suite. Order fixes the instants: append, never insert.
var scenarios = []scenarioSpec{
	{name: "healthy", latency: latencyHealthy},
	{name: "pgbouncer-community", tune: poolExhaustion, latency: latencyPoolQueue, incident: pgbouncerCommunity},
	{name: "pgbouncer-debian", tune: poolExhaustion, latency: latencyPoolQueue, incident: pgbouncerDebian},
	{name: "postgres-max-connections", latency: latencyTimeouts, tune: func(bg *scBackground) {
		// 60 active + 30 idle + 7 idle in transaction = 97 of 100.
		bg.pgActive, bg.pgIdle, bg.pgIdleInTx = scJump(4, 60), scJump(2, 30), scJump(0, 7)
		bg.rps = scJump(576, 300)
	}},
	{name: "redis-hit-collapse", latency: latencyHealthy, tune: func(bg *scBackground) {
		// 95 % -> 5 %: the keys are gone (flush or expiry), the load is not.
		bg.cacheHits, bg.cacheMisses = scJump(950, 50), scJump(50, 950)
		bg.xactCommit = scJump(580, 700) // the app tolerates misses: 1.2x, not a herd
	}},
	{name: "cpu-saturation", latency: latencyCPUBound, tune: func(bg *scBackground) {
		// docs/facts.md#lab-cpu-saturation: busy 0.9996, PSI waiting 0.94, load1 6.9 on 2 cores.
		bg.cpuIdle = scJump(0.70, 0.0004)
		bg.cpuPressure = scJump(0.02, 0.94)
		bg.load1 = scJump(0.6, 6.9)
	}},
	{name: "thundering-herd", latency: latencySlower, tune: func(bg *scBackground) {
		// Hits 95 % -> 40 %: every miss reads from Postgres, whose
		// transactions go to 3.5x the day before with flat traffic.
		bg.cacheHits, bg.cacheMisses = scJump(950, 400), scJump(50, 600)
		bg.xactCommit = scJump(580, 2030)
		bg.pgActive = scJump(4, 12)
	}},
	{name: "replication-lag", latency: latencyHealthy, incident: func(b *scenarioBuilder) {
		// The replica falls 45 s behind over 10 minutes; the primary
		// reports 0 and is_replica 0, and must not be the one read.
		b.gauge("pg_replication_lag_seconds", scFlat(0), pgLabels...)
		b.gauge("pg_replication_lag_seconds", scRamp(0.2, 45, 10*time.Minute), pgReplica...)
		b.gauge("pg_replication_is_replica", scFlat(0), pgLabels...)
		b.gauge("pg_replication_is_replica", scFlat(1), pgReplica...)
	}},
	{name: "queue-backlog", latency: latencyHealthy, incident: func(b *scenarioBuilder) {
		// Two partitions, 250 -> 10000 each over the 15m window: the sum
		// grows 500 -> 20000.
		for _, p := range []string{"0", "1"} {
			b.gauge("kafka_consumergroup_lag", scRamp(250, 10000, scenarioIncidentT),
				scWith(kafkaLabels, "consumergroup", "orders-worker", "topic", "orders", "partition", p)...)
		}
	}},
	{name: "slow-queries", latency: latencySlowQueries, incident: func(b *scenarioBuilder) {
		// pg_stat_statements: 500 calls/s at 4 ms and 80 calls/s at
		// 11.25 ms (mean 5 ms) become 40 ms and 330 ms (mean 80 ms).
		for _, q := range []struct {
			id              string
			calls, was, now float64
		}{{"1001", 500, 0.004, 0.040}, {"1002", 80, 0.01125, 0.330}} {
			lbl := scWith(pgLabels, "datname", "app", "user", "app", "queryid", q.id)
			b.counter("pg_stat_statements_calls_total", scFlat(q.calls), lbl...)
			b.counter("pg_stat_statements_seconds_total", scJump(q.calls*q.was, q.calls*q.now), lbl...)
		}
	}},
	{name: "latency-regression", latency: latencyRegressed},
	// A fleet, as a shared Prometheus sees it: checkout's HikariCP pool is
	// exhausted (new), while elsewhere a batch host runs at 97 % CPU, an
	// analytics Postgres at 92 of 100 connections and a reporting Redis at
	// a 35 % hit ratio, all three the same the day before (chronic).
	{name: "fleet-chronic", latency: latencyPoolQueue, tune: func(bg *scBackground) { bg.rps = scJump(576, 300) }, incident: fleetChronic},
	// A call chain web -> checkout -> payments -> ledger where ledger slowed
	// down (10x) and every caller above it pays for it; search, at 0.2
	// requests/s, swings 8.6x and pages nobody.
	{name: "services-chain", latency: latencyHealthy, incident: servicesChain},
	// Kubernetes through cAdvisor: checkout's pod hits its 1-core CPU limit
	// and is throttled (new); an ETL job in another namespace sits at its
	// limit, throttled, as it did the day before (chronic).
	{name: "fleet-k8s", latency: latencyHealthy, tune: func(bg *scBackground) { bg.noHosts = true }, incident: fleetK8s},
	// express-prom-bundle names its status label status_code: 1.5 % 5xx
	// now, 0.05 % the day before. A job whose series carry no status label
	// at all has no error ratio (not measured), never 0 %.
	{name: "status-code-label", latency: latencyHealthy, incident: statusCodeLabel},
	// A replicated Postgres: the primary's writes go to 2.5x while a
	// replica serves 2000 read-only transactions/s, runs a long read
	// transaction and falls 45 s behind. Summed with the replica's reads,
	// the writes would be no spike.
	{name: "replicated-postgres", latency: latencyHealthy, tune: func(bg *scBackground) { bg.xactCommit = scJump(580, 1450) }, incident: replicatedPostgres},
	// Kafka with offsets: producers double to 60 messages/s on orders while
	// its consumer group keeps committing 30/s, so the lag grows by 30/s.
	{name: "kafka-flow", latency: latencyHealthy, incident: kafkaFlow},
	// The OpenTelemetry Java agent 2.x with its default (semconv 1.25) pool
	// names and the collector's hostmetrics with CPU time off, no
	// node_exporter: checkout's HikariCP pool fills up. The collector's load
	// average has no core count beside it, so that signal names it as a
	// related metric the catalog does not read.
	{name: "otel-java-agent", latency: latencyPoolQueue, tune: func(bg *scBackground) { bg.noHosts, bg.rps = true, scJump(576, 300) }, incident: otelJavaAgent},
	// A second Redis whose one command thread fills (30 % -> 98 % of a core)
	// while the host idles at 30 %: its commands went 1000 -> 4000/s with
	// flat traffic.
	{name: "redis-cpu", latency: latencyHealthy, incident: redisCPU},
	// A second host runs out of memory (94 %) and the kernel OOM-kills two
	// processes on it.
	{name: "oom-kills", latency: latencyHealthy, incident: oomKills},
	// A MySQL at max_connections refuses 3 connections every 30 s scrape.
	{name: "mysql-refusing", latency: latencyHealthy, incident: mysqlRefusing},
	// Two services on one Postgres (issue 19): billing starts a batch, its
	// transactions go 9.8x on its own datname, the database host's CPU
	// goes 30 % -> 95 % with 70 % of the time waiting for a core, every
	// query takes 200 ms; orders' database/sql pool fills up behind it.
	// pg_stat_statements is there; the second one is the same without it.
	{name: "shared-db-statements", latency: latencyHealthy, tune: sharedDBTune, incident: func(b *scenarioBuilder) { sharedDB(b, true, false) }},
	{name: "shared-db-plain", latency: latencyHealthy, tune: sharedDBTune, incident: func(b *scenarioBuilder) { sharedDB(b, false, false) }},
	// A noisy neighbour: a new batch pod without a CPU limit lands on
	// node-1 and takes it from 35 % to 98 % CPU; checkout's pod there stays
	// far under its own 2-core limit.
	{name: "noisy-neighbour", latency: latencyHealthy, incident: noisyNeighbour},
	// A gauge noisy every day above its threshold: analytics-1's memory
	// swings 84 % .. 97 % every 8 minutes, the day before as now. At the
	// instant it is at a crest, the day before at a trough: moved within
	// its own spread, it is unchanged (chronic), never "worse"; what
	// changed is the app host's CPU (as in cpu-saturation).
	{name: "noisy-gauge", latency: latencyCPUBound, tune: func(bg *scBackground) {
		bg.cpuIdle, bg.cpuPressure, bg.load1 = scJump(0.70, 0.0004), scJump(0.02, 0.94), scJump(0.6, 6.9)
	}, incident: noisyGauge},
	// A traffic surge from one route: the app's new /export endpoint goes
	// from nothing to 630 requests/s, slow ones, and its P99 with it; the
	// host stays calm.
	{name: "traffic-surge", latency: latencyHealthy, incident: func(b *scenarioBuilder) {
		b.histogram("http_request_duration_seconds", scJump(0, 630), latencyHealthy, latencyRegressed,
			"job", "app", "instance", "app-1:8080", "handler", "/export", "method", "get", "code", "200")
	}},
	// The two services on one database again, seen through a service
	// graph: orders' pool is HikariCP, whose metrics name no database, so
	// the graph's database edge orders -> orders is the link.
	{name: "shared-db-graph", latency: latencyHealthy, tune: sharedDBTune, incident: func(b *scenarioBuilder) { sharedDB(b, false, true) }},
	// A cache miss storm that saturates the database: the hit ratio falls
	// 95 % -> 20 % with flat traffic, every miss reads from Postgres (3.5x
	// its transactions), and the database host db-1 goes from 30 % to 95 %
	// CPU with work waiting for a core. The database is the victim, the
	// misses the cause.
	{name: "cache-miss-storm", latency: latencySlower, tune: func(bg *scBackground) {
		bg.cacheHits, bg.cacheMisses = scJump(950, 200), scJump(50, 800)
		bg.xactCommit = scJump(580, 2030)
		bg.pgActive = scJump(4, 14)
	}, incident: cacheMissStorm},
	// Issue 26: a Deployment rolls out 2.15.0 25 minutes before at, its
	// pods renamed; the new version costs twice the CPU per request (0.4
	// -> 0.85 of a 1-core limit, throttled 2 % -> 35 %), P99 24 -> 209 ms
	// at unchanged traffic, beside a node busy every day. The same as a
	// StatefulSet (names kept), read without kube-state-metrics.
	{name: "rollout-deployment", latency: latencyHealthy, incident: rolloutDeployment},
	{name: "rollout-statefulset", latency: latencyHealthy, incident: rolloutStatefulSet},
	// Two consumer groups on one cluster: indexer newly 5x slower (lag 0
	// -> 21,600), analytics lagging 2M every day.
	{name: "consumer-groups", latency: latencyHealthy, incident: consumerGroups},
	// The app reloads its configuration at the incident's start and its
	// P99 goes 24 ms -> 209 ms at unchanged traffic: the reload is the
	// first suspect.
	{name: "config-reload", latency: latencyRegressed, incident: configReload},
	// checkout rolls out a version that costs twice the CPU per request
	// and its HorizontalPodAutoscaler hides it (2 -> 4 replicas, each as
	// busy as the day before).
	{name: "hpa-scale-out", latency: latencyHealthy, incident: hpaScaleOut},
	// An autoscaler replaces the web node pool's hosts 25 minutes before
	// at; the new ones run at 90 % CPU where the old ones ran at 40 %.
	{name: "autoscaled-hosts", latency: latencyHealthy, incident: autoscaledHosts},
	// Issue 20: checkout's P99 went 10x 30 minutes ago, older than the
	// default 15m window (whose start is already inside the incident);
	// cart and catalog are healthy. 5m, 15m and 1h windows must give one
	// verdict, judged against the day before.
	{name: "services-history", latency: latencyHealthy, incident: servicesHistory},
	// A traces-only fleet: the collector's spanmetrics connector (ms) and
	// servicegraph, no HTTP server histograms. frontend -> checkout ->
	// payments, where payments slowed down 10x; reports is slow (8.6x the
	// others' P99) the day before as now, off the chain.
	{name: "services-traces", latency: latencyHealthy, tune: func(bg *scBackground) { bg.noApp = true }, incident: servicesTraces},
	// Kubernetes with kube-state-metrics: shop's cart container is
	// OOM-killed and restarted every 150 s since the incident began (6 in
	// its 15 minutes); the node's kernel counts the same kills. batch's ETL
	// container crash-loops with reason Error, as it did the day before
	// (chronic, and no OOM).
	{name: "oom-loop", latency: latencyHealthy, incident: oomLoop},
	// A callee behind its callers' timeouts: inventory's P99 goes 10x;
	// api, which calls it, times out 10 % of its requests after about a
	// second (504) and frontend, which calls api, fails as many (502).
	// The callers' errors are inventory's slowdown, not theirs.
	{name: "timeouts-chain", latency: latencyHealthy, incident: timeoutsChain},
}

// timeoutsChain writes frontend -> api -> inventory, inventory slowed and
// its callers failing the requests that time out.
func timeoutsChain(b *scenarioBuilder) {
	b.histogram("http_request_duration_seconds", scFlat(300), latencyHealthy, latencySlowQueries,
		"job", "inventory", "instance", "inventory-1:8080", "handler", "/stock", "method", "get", "code", "200")
	for _, caller := range []struct{ name, code string }{{"api", "504"}, {"frontend", "502"}} {
		labels := []string{"job", caller.name, "instance", caller.name + "-1:8080", "handler", "/", "method", "get"}
		b.histogram("http_request_duration_seconds", scJump(300, 270), latencyHealthy, latencyRegressed, scWith(labels, "code", "200")...)
		b.histogram("http_request_duration_seconds", scJump(0, 30), latencyHealthy, latencyPoolQueue, scWith(labels, "code", caller.code)...)
	}
	serviceGraph(b, []scEdge{{"frontend", "api", 300}, {"api", "inventory", 300}})
}

// busyHost writes a 4-core host's node_exporter CPU (busy per core, in
// user time; idle the rest), load and CPU pressure.
func (b *scenarioBuilder) busyHost(instance string, busy, load1, pressure scLevel) {
	host := []string{"job", "node", "instance", instance}
	idle := scLevel{base: 1 - busy.base, peak: 1 - busy.peak, ramp: busy.ramp}
	for _, cpu := range []string{"0", "1", "2", "3"} {
		b.counter("node_cpu_seconds_total", idle, scWith(host, "cpu", cpu, "mode", "idle")...)
		b.counter("node_cpu_seconds_total", busy, scWith(host, "cpu", cpu, "mode", "user")...)
	}
	b.gauge("node_load1", load1, host...)
	b.counter("node_pressure_cpu_waiting_seconds_total", pressure, host...)
}

// cacheMissStorm writes the database host, saturated by the misses.
func cacheMissStorm(b *scenarioBuilder) {
	b.busyHost("db-1:9100", scJump(0.30, 0.95), scJump(1.2, 7), scJump(0.02, 0.55))
}

// noisyGauge writes analytics-1's memory as a wave between 84 % and 97 %.
func noisyGauge(b *scenarioBuilder) {
	const period, mid, amp = 8 * time.Minute, 0.905, 0.065
	host := []string{"job", "node", "instance", "analytics-1:9100"}
	total := float64(64 << 30)
	available := make([]float64, len(b.times))
	for i, t := range b.times {
		// A crest at the instant, a trough at the same time the day before.
		ref := b.at
		if t.Before(b.at.Add(-12 * time.Hour)) {
			ref = b.at.Add(-24*time.Hour - period/2)
		}
		used := mid + amp*math.Cos(2*math.Pi*float64(t.Sub(ref))/float64(period))
		available[i] = math.Round((1-used)*total/4096) * 4096
	}
	b.gauge("node_memory_MemTotal_bytes", scFlat(total), host...)
	b.gaugeValues("node_memory_MemAvailable_bytes", available, host...)
}

// sharedDBTune keeps the background app's own transactions small, so that
// the database's change is billing's.
func sharedDBTune(bg *scBackground) { bg.xactCommit = scFlat(40) }

// sharedDB writes the database host, the two services' databases on
// db-1:9187 and orders' pool: database/sql, whose db_name is the datname,
// or, with a service graph, HikariCP beside the graph's database edges.
func sharedDB(b *scenarioBuilder, statements, graph bool) {
	b.busyHost("db-1:9100", scJump(0.30, 0.95), scJump(1.2, 8), scJump(0.02, 0.70))
	for _, db := range []struct {
		name     string
		xacts    scLevel
		was, now float64 // mean query seconds
	}{{"orders", scFlat(60), 0.004, 0.2}, {"billing", scJump(60, 590), 0.010, 0.2}} {
		lbl := scWith(pgLabels, "datname", db.name)
		b.counter("pg_stat_database_xact_commit", db.xacts, lbl...)
		b.counter("pg_stat_database_xact_rollback", scFlat(0), lbl...)
		if statements {
			calls := scWith(lbl, "user", db.name, "queryid", "1"+db.name)
			b.counter("pg_stat_statements_calls_total", db.xacts, calls...)
			b.counter("pg_stat_statements_seconds_total", scJump(db.xacts.base*db.was, db.xacts.peak*db.now), calls...)
		}
	}
	orders := []string{"job", "orders", "instance", "orders-1:8080"}
	b.histogram("http_request_duration_seconds", scFlat(60), latencyHealthy, latencyPoolQueue, scWith(orders, "handler", "/order", "method", "post", "code", "200")...)
	if graph {
		pool := scWith(orders, "pool", "HikariPool-1")
		b.gauge("hikaricp_connections_active", scJump(2, 20), pool...)
		b.gauge("hikaricp_connections_max", scFlat(20), pool...)
		b.gauge("hikaricp_connections_pending", scJump(0, 12), pool...)
		collector := []string{"job", "otel-collector", "instance", "otelcol:8889"}
		for _, edge := range []struct {
			client, server string
			rps            scLevel
		}{{"orders", "orders", scFlat(60)}, {"billing", "billing", scJump(60, 590)}} {
			b.counter("traces_service_graph_request_total", edge.rps, scWith(collector, "client", edge.client, "server", edge.server, "connection_type", "database")...)
		}
		return
	}
	pool := scWith(orders, "db_name", "orders")
	b.gauge("go_sql_in_use_connections", scJump(2, 20), pool...)
	b.gauge("go_sql_max_open_connections", scFlat(20), pool...)
	// Seconds spent waiting per second: 12 requests waiting on average.
	b.counter("go_sql_wait_duration_seconds_total", scJump(0, 12), pool...)
}

// noisyNeighbour writes node-1 (4 cores) and the cAdvisor containers on
// it, labelled with their node: checkout 1.2 -> 1.3 cores of its 2-core
// limit, kube-proxy flat, and etl-new, absent the day before, 2.5 cores
// with no limit.
func noisyNeighbour(b *scenarioBuilder) {
	b.busyHost("node-1:9100", scJump(0.35, 0.98), scJump(1.4, 6), scJump(0.02, 0.6))
	kubelet := []string{"job", "kubelet", "instance", "node-1:10250", "node", "node-1"}
	checkout := scWith(kubelet, "namespace", "shop", "pod", "checkout-5c8d", "container", "app")
	b.counter("container_cpu_usage_seconds_total", scJump(1.2, 1.3), checkout...)
	b.gauge("container_spec_cpu_quota", scFlat(200000), checkout...)
	b.gauge("container_spec_cpu_period", scFlat(100000), checkout...)
	b.counter("container_cpu_usage_seconds_total", scFlat(0.2), scWith(kubelet, "namespace", "kube-system", "pod", "kube-proxy-x2k", "container", "kube-proxy")...)
	// etl-new did not exist until the incident: no sample before it, then
	// a counter from 0.
	usage := b.absent()
	total := 0.0
	for i, t := range b.times {
		if !t.After(b.start) {
			continue
		}
		if i > 0 && !math.IsNaN(usage[i-1]) {
			total += 2.5 * t.Sub(b.times[i-1]).Seconds()
		}
		usage[i] = total
	}
	f := b.family("container_cpu_usage_seconds", "counter")
	f.series = append(f.series, scSeries{name: "container_cpu_usage_seconds_total",
		labels: labelText(scWith(kubelet, "namespace", "batch", "pod", "etl-new-7f4", "container", "etl")), values: usage})
}

func replicatedPostgres(b *scenarioBuilder) {
	b.gauge("pg_replication_is_replica", scFlat(0), pgLabels...)
	b.gauge("pg_replication_is_replica", scFlat(1), pgReplica...)
	b.gauge("pg_replication_lag_seconds", scFlat(0), pgLabels...)
	b.gauge("pg_replication_lag_seconds", scRamp(0.2, 45, 10*time.Minute), pgReplica...)
	b.counter("pg_stat_database_xact_commit", scFlat(2000), scWith(pgReplica, "datname", "app")...)
	b.counter("pg_stat_database_xact_rollback", scFlat(0.5), scWith(pgReplica, "datname", "app")...)
	b.gauge("pg_stat_activity_max_tx_duration", scFlat(2), scWith(pgLabels, "datname", "app", "state", "active")...)
	b.gauge("pg_stat_activity_max_tx_duration", scRamp(1, 120, scenarioIncidentT), scWith(pgReplica, "datname", "app", "state", "active")...)
}

// kafkaFlow writes kafka_exporter's offsets and the lag they make, per
// partition: the log end offset grows 15 -> 30 messages/s, the group's
// committed offset 15/s throughout, 250 behind at first.
func kafkaFlow(b *scenarioBuilder) {
	for _, p := range []string{"0", "1"} {
		produced := b.integrate(15e6, scJump(15, 30))
		committed := b.integrate(15e6-250, scFlat(15))
		lag := make([]float64, len(produced))
		for i := range produced {
			lag[i] = produced[i] - committed[i]
		}
		group := scWith(kafkaLabels, "consumergroup", "orders-worker", "topic", "orders", "partition", p)
		b.gaugeValues("kafka_topic_partition_current_offset", produced, scWith(kafkaLabels, "topic", "orders", "partition", p)...)
		b.gaugeValues("kafka_consumergroup_current_offset", committed, group...)
		b.gaugeValues("kafka_consumergroup_lag", lag, group...)
	}
}

func statusCodeLabel(b *scenarioBuilder) {
	express := []string{"job", "express", "instance", "express-1:3000", "method", "GET", "path", "/"}
	b.histogram("http_request_duration_seconds", scJump(999.5, 985), latencyHealthy, latencyHealthy, scWith(express, "status_code", "200")...)
	b.histogram("http_request_duration_seconds", scJump(0.5, 15), latencyHealthy, latencyHealthy, scWith(express, "status_code", "500")...)
	b.histogram("http_request_duration_seconds", scFlat(50), latencyHealthy, latencyHealthy,
		"job", "nolabel", "instance", "nolabel-1:8080", "handler", "/")
}

// fleetK8s adds checkout's pods (its HTTP metrics carry namespace and pod,
// as kubernetes_sd relabelling gives them) and the cAdvisor containers.
func fleetK8s(b *scenarioBuilder) {
	b.histogram("http_request_duration_seconds", scFlat(200), latencyHealthy, latencyCPUBound,
		"job", "checkout", "instance", "10.1.2.3:8080", "namespace", "shop", "pod", "checkout-7d9f", "handler", "/", "method", "get", "code", "200")
	kubelet := []string{"job", "kubelet", "instance", "node-1:10250"}
	for _, c := range []struct {
		namespace, pod, container string
		cores                     float64 // the CPU limit
		usage, throttled          scLevel // cores busy; throttled periods/s of 10
	}{
		{"shop", "checkout-7d9f", "app", 1, scJump(0.3, 0.99), scJump(0.1, 6)},
		{"batch", "etl-1", "etl", 2, scFlat(1.94), scFlat(5)},
	} {
		lbl := scWith(kubelet, "namespace", c.namespace, "pod", c.pod, "container", c.container)
		b.counter("container_cpu_usage_seconds_total", c.usage, lbl...)
		b.gauge("container_spec_cpu_quota", scFlat(c.cores*100000), lbl...)
		b.gauge("container_spec_cpu_period", scFlat(100000), lbl...)
		b.counter("container_cpu_cfs_periods_total", scFlat(10), lbl...)
		b.counter("container_cpu_cfs_throttled_periods_total", c.throttled, lbl...)
	}
}

// servicesChain adds four services on a call chain, a low-traffic one
// beside it, and the service-graph counters between them.
func servicesChain(b *scenarioBuilder) {
	for _, svc := range []struct {
		name    string
		rps     float64
		latency scCDF
	}{
		{"web", 300, latencyCPUBound},
		{"checkout", 200, latencyCPUBound},
		{"payments", 100, latencyRegressed},
		{"ledger", 100, latencySlowQueries},
		{"search", 0.2, latencyRegressed},
	} {
		b.histogram("http_request_duration_seconds", scFlat(svc.rps), latencyHealthy, svc.latency,
			"job", svc.name, "instance", svc.name+"-1:8080", "handler", "/", "method", "get", "code", "200")
	}
	serviceGraph(b, []scEdge{{"web", "checkout", 200}, {"checkout", "payments", 100}, {"payments", "ledger", 100}, {"web", "search", 0.2}})
}

// scEdge is a call between two services at a steady rate.
type scEdge struct {
	client, server string
	rps            float64
}

// otelCollector labels what the OpenTelemetry collector exports.
var otelCollector = []string{"job", "otel-collector", "instance", "otelcol:8889"}

// serviceGraph writes the servicegraph connector's request counters.
func serviceGraph(b *scenarioBuilder, edges []scEdge) {
	for _, edge := range edges {
		b.counter("traces_service_graph_request_total", scFlat(edge.rps), scWith(otelCollector, "client", edge.client, "server", edge.server, "connection_type", "")...)
	}
}

// fleetChronic adds the fleet around the service: checkout's pool filling
// up, and three chronic conditions on other hosts, databases and caches.
func fleetChronic(b *scenarioBuilder) {
	checkout := []string{"job", "checkout", "instance", "checkout-1:8080", "pool", "checkout"}
	b.gauge("hikaricp_connections_active", scJump(4, 10), checkout...)
	b.gauge("hikaricp_connections_max", scFlat(10), checkout...)
	b.gauge("hikaricp_connections_pending", scJump(0, 25), checkout...)

	batch := []string{"job", "node", "instance", "batch-1:9100"}
	for _, cpu := range []string{"0", "1"} {
		b.counter("node_cpu_seconds_total", scFlat(0.03), scWith(batch, "cpu", cpu, "mode", "idle")...)
		b.counter("node_cpu_seconds_total", scFlat(0.97), scWith(batch, "cpu", cpu, "mode", "user")...)
	}
	b.gauge("node_load1", scFlat(1.2), batch...)
	b.counter("node_pressure_cpu_waiting_seconds_total", scFlat(0.1), batch...)

	analytics := []string{"job", "postgres", "instance", "analytics-db:9187"}
	b.gauge("pg_settings_max_connections", scFlat(100), analytics...)
	b.gauge("pg_stat_activity_count", scFlat(80), scWith(analytics, "datname", "analytics", "state", "active")...)
	b.gauge("pg_stat_activity_count", scFlat(12), scWith(analytics, "datname", "analytics", "state", "idle")...)

	reporting := []string{"job", "redis", "instance", "cache-reporting:9121"}
	b.counter("redis_keyspace_hits_total", scFlat(350), reporting...)
	b.counter("redis_keyspace_misses_total", scFlat(650), reporting...)
	b.counter("redis_commands_processed_total", scFlat(1000), reporting...)

	// Its page: the pool alert, pending from 14 min before at (a minute
	// after the pool filled) and firing 2 min later, as a `for: 2m` rule
	// writes ALERTS and ALERTS_FOR_STATE.
	b.alert("CheckoutPoolExhausted", b.at.Add(-14*time.Minute), 2*time.Minute, scWith(checkout[:4], "severity", "page")...)
	// And one whose labels name a job no series carries (a renamed job).
	b.alert("LegacyBillingDown", b.at.Add(-5*time.Minute), 0, "job", "billing-legacy", "instance", "billing-legacy:8080", "severity", "ticket")
}

// alert adds the series Prometheus writes for an alerting rule that became
// active at activeAt and fires after holding for forDuration.
func (b *scenarioBuilder) alert(name string, activeAt time.Time, forDuration time.Duration, labels ...string) {
	pending, firing, since := b.absent(), b.absent(), b.absent()
	for i, t := range b.times {
		switch {
		case t.Before(activeAt):
		case t.Before(activeAt.Add(forDuration)):
			pending[i], since[i] = 1, float64(activeAt.Unix())
		default:
			firing[i], since[i] = 1, float64(activeAt.Unix())
		}
	}
	named := scWith(labels, "alertname", name)
	b.gaugeValues("ALERTS", pending, scWith(named, "alertstate", "pending")...)
	b.gaugeValues("ALERTS", firing, scWith(named, "alertstate", "firing")...)
	b.gaugeValues("ALERTS_FOR_STATE", since, named...)
}

// absent is one NaN per sample time: a series that does not exist yet.
func (b *scenarioBuilder) absent() []float64 {
	values := make([]float64, len(b.times))
	for i := range values {
		values[i] = math.NaN()
	}
	return values
}

func init() {
	for i := range scenarios {
		scenarios[i].at = scenarioAt(i)
	}
}

// build lays out one scenario's series: the healthy background, tuned, and
// its incident.
func (sc scenarioSpec) build() *scenarioBuilder {
	b := newScenarioBuilder(sc.at)
	bg := defaultBackground()
	if sc.tune != nil {
		sc.tune(&bg)
	}
	bg.build(b, sc.latency)
	if sc.incident != nil {
		sc.incident(b)
	}
	return b
}

// generate renders one scenario.
func (sc scenarioSpec) generate() []byte { return sc.build().openMetrics() }

// TestGenerateScenarios rewrites the files with -update (internal/golden),
// and otherwise checks that the committed files are what the generator
// writes (so an edit here cannot silently diverge from what the suite
// serves).
func TestGenerateScenarios(t *testing.T) {
	for _, sc := range scenarios {
		golden.Check(t, filepath.Join(scenarioDir, sc.name+".om"), sc.generate())
	}
}

// TestScenarioSeriesAreConsistent checks the generator's promises that
// Prometheus would otherwise turn into wrong numbers silently: counters never
// decrease, histogram buckets are cumulative and +Inf equals _count, every
// series has job and instance.
func TestScenarioSeriesAreConsistent(t *testing.T) {
	for _, sc := range scenarios {
		b := sc.build()
		for _, f := range b.families {
			for _, s := range f.series {
				if !strings.Contains(s.labels, `job="`) || !strings.Contains(s.labels, `instance="`) {
					t.Errorf("%s: %s%s lacks job or instance", sc.name, s.name, s.labels)
				}
				if f.typ == "gauge" {
					continue
				}
				if strings.HasSuffix(s.name, "_sum") || f.typ == "counter" || strings.HasSuffix(s.name, "_count") || strings.HasSuffix(s.name, "_bucket") {
					for i := 1; i < len(s.values); i++ {
						if s.values[i] < s.values[i-1] {
							t.Fatalf("%s: %s%s decreases at sample %d", sc.name, s.name, s.labels, i)
						}
					}
				}
			}
			if f.typ != "histogram" {
				continue
			}
			nb := len(latencyBuckets) + 1
			for i := range b.times {
				for k := 1; k < nb; k++ {
					if f.series[k].values[i] < f.series[k-1].values[i] {
						t.Fatalf("%s: bucket %s below %s at sample %d", sc.name, f.series[k].labels, f.series[k-1].labels, i)
					}
				}
				if f.series[nb-1].values[i] != f.series[nb].values[i] {
					t.Fatalf("%s: +Inf bucket %v != _count %v at sample %d", sc.name, f.series[nb-1].values[i], f.series[nb].values[i], i)
				}
			}
		}
	}
}

// otelJavaAgent adds the collector's hostmetrics (utilization gauges, no
// CPU time) and the Java agent's pool metrics under their semconv 1.25
// names.
func otelJavaAgent(b *scenarioBuilder) {
	collector := []string{"job", "otel-collector", "instance", "app-1:8889"}
	for _, cpu := range []string{"cpu0", "cpu1"} {
		for _, st := range []struct {
			state string
			share float64
		}{{"idle", 0.70}, {"user", 0.225}, {"system", 0.075}} {
			b.gauge("system_cpu_utilization_ratio", scFlat(st.share), scWith(collector, "cpu", cpu, "state", st.state)...)
		}
	}
	// gopsutil's states: used + free + buffered + cached is the total (8
	// GiB), slab_reclaimable is inside cached and slab_unreclaimable inside
	// used, so summing every state would read 4 of 8.75 GiB.
	for _, st := range []struct {
		state string
		gib   float64
	}{{"used", 4}, {"free", 2}, {"buffered", 0.5}, {"cached", 1.5}, {"slab_reclaimable", 0.5}, {"slab_unreclaimable", 0.25}} {
		b.gauge("system_memory_usage_bytes", scFlat(st.gib*(1<<30)), scWith(collector, "state", st.state)...)
	}
	for _, m := range []string{"system_cpu_load_average_1m", "system_cpu_load_average_5m", "system_cpu_load_average_15m"} {
		b.gauge(m, scFlat(0.6), collector...)
	}
	pool := []string{"job", "checkout", "instance", "checkout-1:8080", "pool_name", "HikariPool-1"}
	b.gauge("db_client_connections_usage", scJump(4, 10), scWith(pool, "state", "used")...)
	b.gauge("db_client_connections_usage", scJump(6, 0), scWith(pool, "state", "idle")...)
	b.gauge("db_client_connections_max", scFlat(10), pool...)
	b.gauge("db_client_connections_pending_requests", scJump(0, 25), pool...)
}

// redisCPU adds a second Redis whose main thread saturates; the process's
// totals add its I/O threads and must not be the ones read.
func redisCPU(b *scenarioBuilder) {
	cache := []string{"job", "redis", "instance", "cache-2:9121"}
	b.counter("redis_cpu_user_main_thread_seconds_total", scJump(0.22, 0.74), cache...)
	b.counter("redis_cpu_sys_main_thread_seconds_total", scJump(0.08, 0.24), cache...)
	b.counter("redis_cpu_user_seconds_total", scJump(0.25, 0.80), cache...)
	b.counter("redis_cpu_sys_seconds_total", scJump(0.09, 0.27), cache...)
	b.counter("redis_commands_processed_total", scJump(1000, 4000), cache...)
	// The rise is GETs: 900 -> 3600 of them, SETs 100 -> 400.
	b.counter("redis_commands_total", scJump(900, 3600), scWith(cache, "cmd", "get")...)
	b.counter("redis_commands_total", scJump(100, 400), scWith(cache, "cmd", "set")...)
	b.counter("redis_keyspace_hits_total", scJump(950, 3800), cache...)
	b.counter("redis_keyspace_misses_total", scJump(50, 200), cache...)
}

// oomKills adds a second host whose memory fills up and whose kernel kills
// two processes; the app host kills none.
func oomKills(b *scenarioBuilder) {
	host := []string{"job", "node", "instance", "app-2:9100"}
	b.gauge("node_memory_MemTotal_bytes", scFlat(8<<30), host...)
	b.gauge("node_memory_MemAvailable_bytes", scJump(4.3e9, 0.5e9), host...)
	// The kernel's kills since boot, untyped as node_exporter exports them:
	// one 30 s into the incident, one at 60 s. None before: VictoriaMetrics
	// counts a small counter that appears inside a window from 0, and the
	// incident segment is such a start.
	b.gauge("node_vmstat_oom_kill", scJump(0, 2), host...)
	b.gauge("node_vmstat_oom_kill", scFlat(0), nodeLabels...)
}

// mysqlRefusing adds a MySQL at max_connections that refuses clients.
func mysqlRefusing(b *scenarioBuilder) {
	mysql := []string{"job", "mysql", "instance", "mysql-1:9104"}
	b.gauge("mysql_global_variables_max_connections", scFlat(151), mysql...)
	b.gauge("mysql_global_status_threads_connected", scJump(40, 151), mysql...)
	// Connection_errors_max_connections: none the day before, 3 per scrape
	// from the incident's start (0.1/s, no ramp).
	b.counter("mysql_global_status_connection_errors_total", scLevel{base: 0, peak: 0.1}, scWith(mysql, "error", "max_connections")...)
	b.counter("mysql_global_status_connection_errors_total", scFlat(0), scWith(mysql, "error", "accept")...)
}

// servicesHistory writes three services, checkout slowed down 10x from 30
// minutes before the instant.
func servicesHistory(b *scenarioBuilder) {
	start := b.start
	b.start = b.at.Add(-30 * time.Minute)
	defer func() { b.start = start }()
	for _, svc := range []struct {
		name    string
		latency scCDF
	}{{"checkout", latencySlowQueries}, {"cart", latencyHealthy}, {"catalog", latencyHealthy}} {
		b.histogram("http_request_duration_seconds", scFlat(50), latencyHealthy, svc.latency,
			"job", svc.name, "instance", svc.name+"-1:8080", "handler", "/", "method", "get", "code", "200")
	}
}

// servicesTraces writes the spanmetrics connector's current names (a
// histogram in milliseconds) per service and kind, and the servicegraph
// connector's edges.
func servicesTraces(b *scenarioBuilder) {
	collector := otelCollector
	b.leScale = 1000
	defer func() { b.leScale = 0 }()
	for _, svc := range []struct {
		name              string
		rps               float64
		healthy, incident scCDF
		errors            scLevel
	}{
		{"frontend", 100, latencyHealthy, latencyRegressed, scFlat(0)},
		{"checkout", 60, latencyHealthy, latencyRegressed, scFlat(0)},
		{"payments", 60, latencyHealthy, latencySlowQueries, scJump(0, 3)},
		{"reports", 20, latencyRegressed, latencyRegressed, scFlat(0)},
	} {
		server := scWith(collector, "service_name", svc.name, "span_name", "GET /", "span_kind", "SPAN_KIND_SERVER")
		b.histogram("traces_span_metrics_duration_milliseconds", scFlat(svc.rps), svc.healthy, svc.incident, scWith(server, "status_code", "STATUS_CODE_UNSET")...)
		b.counter("traces_span_metrics_calls_total", scFlat(svc.rps), scWith(server, "status_code", "STATUS_CODE_UNSET")...)
		b.counter("traces_span_metrics_calls_total", svc.errors, scWith(server, "status_code", "STATUS_CODE_ERROR")...)
		// Client spans are the callers' view: never the service's own.
		b.counter("traces_span_metrics_calls_total", scFlat(svc.rps), scWith(collector, "service_name", svc.name, "span_name", "GET /db", "span_kind", "SPAN_KIND_CLIENT", "status_code", "STATUS_CODE_UNSET")...)
	}
	serviceGraph(b, []scEdge{{"frontend", "checkout", 60}, {"checkout", "payments", 60}, {"user", "frontend", 100}, {"user", "reports", 20}})
}

// oomLoop writes kube-state-metrics' restarts and last termination reasons
// for an OOM-looping container and a chronic crash loop, and node-1's
// kernel OOM-kill count.
func oomLoop(b *scenarioBuilder) {
	ksm := []string{"job", "kube-state-metrics", "instance", "ksm:8080"}
	cart := scWith(ksm, "namespace", "shop", "pod", "cart-7d9f8-x2x1q", "uid", "u-cart", "container", "cart")
	b.counter("kube_pod_container_status_restarts_total", scJump(0, 1.0/150), cart...)
	b.gauge("kube_pod_container_status_last_terminated_reason", scJump(0, 1), scWith(cart, "reason", "OOMKilled")...)
	etl := scWith(ksm, "namespace", "batch", "pod", "etl-5c6d4-pq7rs", "uid", "u-etl", "container", "etl")
	b.counter("kube_pod_container_status_restarts_total", scFlat(1.0/150), etl...)
	b.gauge("kube_pod_container_status_last_terminated_reason", scFlat(1), scWith(etl, "reason", "Error")...)
	b.gauge("kube_pod_container_status_waiting_reason", scFlat(1), scWith(etl, "reason", "CrashLoopBackOff")...)
	// The kernel's count on the node, as node_exporter exports it.
	b.gauge("node_vmstat_oom_kill", scRamp(0, 6, scenarioIncidentT), "job", "node", "instance", "node-1:9100")
}
