package prompts

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/scaletriage/scaletriage/triage"
)

// reading is a usable reading for hand-made snapshots, measured as the
// collector would by the catalog's first candidate (its statistic over a
// 15m rate window, engine, tier and aggregation).
func reading(id triage.SignalID, title string, unit triage.Unit, v float64) triage.Reading {
	r := triage.Reading{ID: id, Title: title, Unit: unit, Value: triage.Of(v), Status: triage.StatusOK}
	if d, ok := triage.DefaultCatalog().Def(id); ok {
		r.Aggregation = d.Aggregation
		r.MeasuredBy(d.Candidates[0], d.Candidates[0].Expand("", "15m"), "15m")
	}
	return r
}

func snap(readings ...triage.Reading) *triage.Snapshot {
	return &triage.Snapshot{Window: 15 * time.Minute, RateWindow: 15 * time.Minute, Readings: readings}
}

// wantLines checks substrings present and absent in a document.
func wantLines(t *testing.T, name, md string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(md, w) {
			t.Errorf("%s: missing %q in:\n%s", name, w, md)
		}
	}
	for _, n := range not {
		if strings.Contains(md, n) {
			t.Errorf("%s: must not contain %q:\n%s", name, n, md)
		}
	}
}

// Item 1: the pools are sized with database time; the HTTP P99 (which holds
// the wait for a connection during pool exhaustion) only gives an upper bound.
func TestLittlesLawSizesPoolsWithDatabaseTime(t *testing.T) {
	p99 := reading(triage.SignalLatencyP99, "Latency P99", triage.UnitSeconds, 5.2)
	p99.Query, p99.AtLeast = "histogram_quantile(0.99, sum by (le) (rate(b[15m])))", true
	rps := reading(triage.SignalThroughput, "Throughput", triage.UnitRPS, 576)
	tps := reading(triage.SignalDBTransactions, "Database transactions", "transactions/s", 600)
	mean := reading(triage.SignalDBQueryMean, "Database query mean time (server side)", triage.UnitSeconds, 0.008)
	bound := "Upper bound, not a pool size: if every request held a connection for its whole P99, L = 576 requests/s × ≥ 5.2 s = ≥ 3000 connections."
	for _, tc := range []struct {
		name      string
		s         *triage.Snapshot
		want, not []string
	}{
		{"postgres at max_connections, database time measured", snap(rps, p99, tps, mean),
			[]string{"Little's law L = λ × W with database time: 600 transactions/s (15m average) × 8 ms (mean query time, 15m average) = 4.8 connections busy on average; the pools need at least 5 connections in total",
				"assumes one query per transaction", bound, "grows with the queue", "clamped at the top histogram bucket"},
			[]string{"need ≥", "pools need ≥ 3000", "need at least 3000", "no pool size is derived"}},
		{"transactions missing: request rate × database time", snap(rps, p99, mean),
			[]string{"576 requests/s (HTTP requests, 15m average; database transactions not measured) × 8 ms (mean query time, 15m average) = 4.61 connections busy on average; the pools need at least 5 connections",
				"assumes one query per request", bound},
			[]string{"need ≥"}},
		{"database time missing: only the bound, and no size", snap(rps, p99, tps),
			[]string{bound, "Database time (db_query_mean_seconds) is not measured, so no pool size is derived here."},
			[]string{"the pools need", "with database time"}},
	} {
		for _, id := range []string{"connection-pool-optimization", "bottleneck-identification", "back-of-envelope-capacity-estimation", "performance-profiling-and-optimization"} {
			got := Populate(mustLookup(t, id), Input{Diagnosis: diagnosed(tc.s)})
			wantLines(t, tc.name+"/"+id, got.Markdown, tc.want, tc.not)
		}
	}
}

// Item 2: the drain time uses the queue's own net drain rate over the window.
func TestQueueDrainUsesTheNetDrainRate(t *testing.T) {
	queue := func(start triage.Value) triage.Reading {
		r := reading(triage.SignalQueueDepth, "Queue backlog", triage.UnitMessages, 20000)
		r.Query, r.WindowStart = "sum(kafka_consumergroup_lag)", start
		return r
	}
	rps := reading(triage.SignalThroughput, "Throughput", triage.UnitRPS, 576)
	for _, tc := range []struct {
		name      string
		start     triage.Value
		want, not []string
	}{
		{"growing 21.7 messages/s", triage.Of(470),
			[]string{"Backlog not draining: +21.7 messages/s over the window (from 470 messages to 20,000 messages over 15m)"},
			[]string{"34.7", "drain in", "/ 576"}},
		{"draining 10 messages/s", triage.Of(29000),
			[]string{"net drain of (29,000 − 20,000) / 900 s = 10 messages/s; at that rate the 20,000 messages drain in 20,000 / 10 messages/s = 33.3 min."},
			[]string{"34.7", "/ 576"}},
		{"flat", triage.Of(20000), []string{"Backlog not draining: flat from 20,000 messages to 20,000 messages over 15m: no net drain"}, []string{"drain in"}},
		{"no window start", triage.None, []string{"drain time not derivable: no window start"}, []string{"drain in", "/ 576"}},
	} {
		got := Populate(mustLookup(t, "queue-based-load-leveling"), Input{Diagnosis: diagnosed(snap(rps, queue(tc.start)))})
		wantLines(t, tc.name, got.Markdown, tc.want, tc.not)
	}
}

// Item 3: the guidance reads the same Input as the prompt: context and redaction.
func TestGuidanceUsesTheUsersContext(t *testing.T) {
	ctx := map[string]string{"application": "checkout API", "pool_per_instance": "10"}
	in := Input{Diagnosis: diagnosed(poolExhaustion()), Context: ctx}
	configured := "Configured: total = 1 instance × 10 pool_per_instance = 10 connections, 10% of max_connections."
	prompt := Populate(mustLookup(t, "connection-pool-optimization"), Input{Diagnosis: in.Diagnosis, Finding: poolFinding(), Context: ctx})
	wantLines(t, "prompt", prompt.Markdown, []string{configured, "pooling for **checkout API**"}, nil)
	guide := Guidance(*poolFinding(), in)
	wantLines(t, "guidance", guide, []string{configured},
		[]string{"Fill in \\[application\\]", "Fill in \\[current setting\\]", "formula's pool", "pool per instance not given"})
	lib := LibraryGuidance(mustLookup(t, "postgresql-scaling-deep-dive"), Input{Diagnosis: in.Diagnosis, Context: ctx, Finding: poolFinding()})
	wantLines(t, "library guidance", lib, []string{configured, "No finding points here"}, []string{"What the metrics show"})

	// Redaction reaches the guidance too, PromQL included.
	s, f := hostile()
	red := Guidance(*f, Input{Diagnosis: diagnosed(s), Redact: true})
	wantLines(t, "redacted guidance", red, []string{"ip-1"}, []string{"10.0.0.5", `datname="orders"`})
	redLib := LibraryGuidance(mustLookup(t, "6"), Input{Diagnosis: diagnosed(s), Redact: true})
	wantLines(t, "redacted library guidance", redLib, nil, []string{"10.0.0.5", `datname="orders"`})
}

// Item 4: without a finding's Capacity the prompts use triage.ComputeCapacity,
// connection ceiling from used / max included, so they name the same
// bottleneck as the rules.
func TestPromptsNameTheSameBottleneckAsTriage(t *testing.T) {
	s := snap(
		reading(triage.SignalThroughput, "Throughput", triage.UnitRPS, 100),
		reading(triage.SignalCPUUtilization, "CPU utilization (busiest host)", triage.UnitRatio, 0.5),
		reading(triage.SignalDBPoolUtilization, "PgBouncer server pool in use (fullest database)", triage.UnitRatio, 0.6),
		reading(triage.SignalDBConnectionsUsed, "Database connections in use", triage.UnitConnections, 95),
		reading(triage.SignalDBConnectionsMax, "Database max_connections", triage.UnitConnections, 100),
	)
	c := triage.ComputeCapacity(s, loadMultiples)
	if c == nil || c.Bottleneck != triage.SignalDBConnectionUtil {
		t.Fatalf("fixture: triage names %+v, want %s", c, triage.SignalDBConnectionUtil)
	}
	latency := triage.Finding{ID: "latency-regression", Title: "Latency regression", Prompts: []triage.PromptID{"bottleneck-identification"}}
	for name, md := range map[string]string{
		"prompt":   Populate(mustLookup(t, "bottleneck-identification"), Input{Diagnosis: diagnosed(s), Finding: &latency}).Markdown,
		"guidance": Guidance(latency, Input{Diagnosis: diagnosed(s)}),
		"sharding": Populate(mustLookup(t, "database-sharding-design"), Input{Diagnosis: diagnosed(s)}).Markdown,
	} {
		wantLines(t, name, md, []string{
			"Bottleneck law: Database connections / max_connections is the most utilized resource at 95%",
			"the next to saturate (second-order bottleneck) is PgBouncer server pool in use (fullest database), at 1.67x the current load",
			"at 2x load: Database connections / max_connections 190%, PgBouncer server pool in use (fullest database) 120%, CPU utilization (busiest host) 100% — saturated: Database connections / max_connections, PgBouncer server pool in use (fullest database), CPU utilization (busiest host)",
		}, []string{"PgBouncer server pool in use (fullest database) is the most utilized"})
	}
	wantLines(t, "saturation point", Populate(mustLookup(t, "database-sharding-design"), Input{Diagnosis: diagnosed(s)}).Markdown,
		[]string{"**at ≈ 1.05x current load, when Database connections / max_connections (now 95%) reaches 100%**"}, nil)
}

// Item 5: a max throughput is printed only when Capacity.MaxThroughput is usable.
func TestMaxThroughputOnlyWhenUsable(t *testing.T) {
	base := triage.Capacity{Bottleneck: triage.SignalDBPoolUtilization, Utilization: 0.6, Headroom: 1 / 0.6,
		Projections: []triage.Projection{{Multiple: 2, Utilizations: []triage.Utilization{{Signal: triage.SignalDBPoolUtilization, Value: 1.2}}}}}
	usable, unknown, caveat, unmeasured := base, base, base, base
	usable.Throughput, usable.MaxThroughput = triage.Of(576), triage.Of(960)
	unknown.Throughput = triage.Of(576)
	caveat.Throughput, caveat.Caveat, caveat.BaselineMaxThroughput = triage.Of(6.5),
		"the pool was 60% at 576 requests/s the day before", triage.Of(960)
	const nd = "no theoretical max from today's numbers, since utilization is not proportional to load"
	for _, tc := range []struct {
		name      string
		c         triage.Capacity
		want, not []string
	}{
		{"proportional", usable, []string{"theoretical max throughput ≈ 576 requests/s / 60% = 960 requests/s"}, []string{"not proportional", "no forecast"}},
		{"max unknown", unknown, []string{nd + ".", "read them as no forecast"}, []string{"≈ 576", "960"}},
		{"max unknown with triage's caveat", caveat,
			[]string{nd + ": the pool was 60% at 576 requests/s the day before; at the earlier cost per request it would saturate near 960 requests/s"},
			[]string{"≈ 6.5", "requests/s / 60%"}},
		{"throughput not measured", unmeasured, []string{"it saturates at 1 / 60% = 1.67x current load (no throughput to divide: not measured, or 0)."}, []string{"max throughput"}},
	} {
		f := triage.Finding{Title: "t", Prompts: []triage.PromptID{"database-sharding-design"}, Capacity: &tc.c}
		got := Populate(mustLookup(t, "database-sharding-design"), Input{Diagnosis: diagnosed(snap()), Finding: &f})
		wantLines(t, tc.name, got.Markdown, tc.want, tc.not)
		wantLines(t, tc.name+" guidance", Guidance(f, Input{}), tc.want, tc.not)
		// "When will the current instance be insufficient?" is not answered
		// from a utilization that does not follow load.
		bound := strings.Contains(got.Markdown, "**at ≈ 1.67x current load")
		if want := tc.name == "proportional" || tc.name == "throughput not measured"; bound != want {
			t.Errorf("%s: saturation point bound = %v, want %v", tc.name, bound, want)
		}
	}

	// The review's incident, through triage.ComputeCapacity: the pool 100%
	// used at 6.5 requests/s when it served 576 at 60% the day before.
	tp := reading(triage.SignalThroughput, "Throughput", triage.UnitRPS, 6.5)
	tp.Baseline = triage.Of(576)
	pool := reading(triage.SignalDBPoolUtilization, "PgBouncer server pool in use (fullest database)", triage.UnitRatio, 1)
	pool.Baseline = triage.Of(0.6)
	got := Populate(mustLookup(t, "bottleneck-identification"), Input{Diagnosis: diagnosed(snap(tp, pool))})
	wantLines(t, "incident", got.Markdown, []string{nd}, []string{"theoretical max throughput ≈"})
}

// Item 6: prompts' forbidden runes are triage's invisible ones (plus C0/DEL).
func TestForbiddenAgreesWithTriage(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r == '\n' || r == '\t' || r >= 0xd800 && r <= 0xdfff {
			continue // kept by prompts (oneLine folds them); surrogates are no runes
		}
		visibleInTriage := triage.Sanitize(string(r)) == string(r)
		if forbidden(r) == visibleInTriage {
			t.Errorf("%U: prompts forbidden=%v, triage.Sanitize changes it=%v", r, forbidden(r), !visibleInTriage)
		}
	}
	for _, r := range []rune{0x2028, 0x2029, 0x061c, 0x2060, 0xe0041} {
		if got := stripControls("a" + string(r) + "b"); got != "a\uFFFDb" {
			t.Errorf("stripControls(%U) = %q", r, got)
		}
	}
}

// Item 6: one helper prints "<name> <value>" lists for bindings and facts.
func TestMetricsSummaryIsTheMeasuredList(t *testing.T) {
	e := newEnv(Input{Diagnosis: diagnosed(poolExhaustion())})
	ids := []triage.SignalID{triage.SignalThroughput, triage.SignalLatencyP99, triage.SignalErrorRatio, triage.SignalCPUUtilization, triage.SignalMemoryUtilization, triage.SignalCacheHitRatio}
	got, ok := metricsSummary(ids...).value(e)
	if want := strings.Join(e.measuredList(ids...), ", "); !ok || got != want {
		t.Errorf("metricsSummary = %q, want %q", got, want)
	}
	if strings.Contains(got, "cache") {
		t.Errorf("unmeasured signal listed: %q", got)
	}
}

// Item 7: the (cores × 2) + spindles formula is a total for the database,
// never multiplied by app instances; read replicas use CPU, not connections.
func TestConnectionBudgetAndReadReplicas(t *testing.T) {
	s := snap(
		reading(triage.SignalInstances, "Service instances", triage.UnitInstances, 4),
		reading(triage.SignalDBConnectionsMax, "Database max_connections", triage.UnitConnections, 100),
		reading(triage.SignalDBConnectionsUsed, "Database connections in use", triage.UnitConnections, 95),
		reading(triage.SignalDBConnectionUtil, "Database connections / max_connections", triage.UnitRatio, 0.95),
		reading(triage.SignalCPUCores, "CPU cores (all hosts)", triage.UnitCores, 16),
		reading(triage.SignalCPUUtilization, "CPU utilization (busiest host)", triage.UnitRatio, 0.3),
	)
	multiplied := regexp.MustCompile(`4 instances × 33|formula's pool|132 connections`)
	got := Populate(mustLookup(t, "postgresql-scaling-deep-dive"), Input{Diagnosis: diagnosed(s)}).Markdown
	wantLines(t, "no pool given", got, []string{
		"Connection budget: max_connections 100 / 4 instances = 25 connections per instance at most.",
		"Configured pool per instance not given",
		"with database CPU 30% (assumed to be the database server's: cpu_utilization is the busiest scraped host's",
		"0 at the current load, 0 at 2x load, 2 at 5x load, 4 at 10x load",
	}, []string{"95%: 1x", "Database connections / max_connections = 95%"})
	if m := multiplied.FindString(got); m != "" {
		t.Errorf("formula multiplied by instances (%q):\n%s", m, got)
	}
	pool := Populate(mustLookup(t, "connection-pool-optimization"), Input{Diagnosis: diagnosed(s)}).Markdown
	wantLines(t, "pool formula", pool, []string{
		"= 16 × 2 + 1 = 33 connections: the connections the database server keeps busy efficiently, from its own cores; a total for the database, shared by all app instances",
		"cpu_cores counts every scraped host, not only the database server",
	}, nil)
	if m := multiplied.FindString(pool); m != "" {
		t.Errorf("formula multiplied by instances (%q):\n%s", m, pool)
	}

	set := Populate(mustLookup(t, "postgresql-scaling-deep-dive"), Input{Diagnosis: diagnosed(s),
		Context: map[string]string{"pool_per_instance": "10", "db_cpu": "45%", "cores": "8"}}).Markdown
	wantLines(t, "user values", set, []string{
		"Configured: total = 4 instances × 10 pool_per_instance = 40 connections, 40% of max_connections.",
		"with database CPU 45% (the database server's, set by you): 0 at the current load, 1 at 2x load,",
	}, []string{"assumed to be"})
	for _, v := range []string{"0.45", "45"} {
		md := Populate(mustLookup(t, "13"), Input{Diagnosis: diagnosed(s), Context: map[string]string{"db_cpu": v}}).Markdown
		wantLines(t, "db_cpu="+v, md, []string{"database CPU 45% (the database server's, set by you)"}, nil)
	}

	// Connection utilization alone is no database load: no replica count.
	only := snap(reading(triage.SignalDBConnectionUtil, "Database connections / max_connections", triage.UnitRatio, 0.95))
	wantLines(t, "connections only", Populate(mustLookup(t, "13"), Input{Diagnosis: diagnosed(only)}).Markdown, nil, []string{"Read replicas: replicas ="})
}

// The configured projection multiples (rules.projection_multiples) reach the
// prompts, not only the rules.
func TestConfiguredMultiplesReachThePrompts(t *testing.T) {
	set := triage.DefaultRuleSettings()
	set.ProjectionMultiples = []float64{3}
	got := Populate(mustLookup(t, "bottleneck-identification"), Input{Diagnosis: triage.Diagnose(poolExhaustion(), set), Multiples: []float64{3}})
	wantLines(t, "projections", got.Markdown, []string{"at 3x load"}, []string{"at 10x", "at 5x"})
	def := Populate(mustLookup(t, "bottleneck-identification"), Input{Diagnosis: diagnosed(poolExhaustion())})
	wantLines(t, "default projections", def.Markdown, []string{"at 2x load", "at 5x load", "at 10x load"}, nil)
}

// The primary instance line of prompt 3 reads the primary's host, told
// apart by the role the database readings carry, never the busiest host.
func TestPrimaryInstanceReadsThePrimarysHost(t *testing.T) {
	cpu := reading(triage.SignalCPUUtilization, "CPU utilization (busiest host)", triage.UnitRatio, 0.9)
	cpu.Entities = []triage.Entity{
		{Labels: map[string]string{"instance": "db-2:9100"}, Value: triage.Of(0.9)},
		{Labels: map[string]string{"instance": "db-1:9100"}, Value: triage.Of(0.35)},
	}
	tps := reading(triage.SignalDBTransactions, "Database transactions", "transactions/s", 600)
	tps.Entities = []triage.Entity{{Labels: map[string]string{"instance": "db-1:9187", "role": "primary"}, Value: triage.Of(600)}}
	md := Populate(mustLookup(t, "3"), Input{Diagnosis: diagnosed(snap(cpu, tps))}).Markdown
	wantLines(t, "primary", md, []string{"Primary instance: **CPU 35% (the primary's host db-1; 15m average)"}, []string{"Primary instance: **CPU 90%"})
	tps.Entities[0].Labels["instance"] = "db-9:9187"
	md = Populate(mustLookup(t, "3"), Input{Diagnosis: diagnosed(snap(cpu, tps))}).Markdown
	wantLines(t, "primary's host not measured", md, []string{"Primary instance: **CPU of the primary's host db-9 not measured"}, []string{"Primary instance: **CPU 90%"})
}
