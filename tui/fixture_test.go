package tui

import (
	"context"
	"math"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// fixtureAt is the fixed evaluation instant and clock of every test.
var fixtureAt = time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)

// series is a 15m window of 61 points following f; NaN leaves a gap.
func series(f func(i int) float64) []triage.Point {
	var out []triage.Point
	for i := range 61 {
		v := f(i)
		if i >= 20 && i < 24 {
			continue // a scrape gap: no samples at all
		}
		out = append(out, triage.Point{T: fixtureAt.Add(-15*time.Minute + time.Duration(i)*15*time.Second), V: v})
	}
	return out
}

// fixtureSnapshot is a PgBouncer pool exhaustion: waiters, a clamped P99,
// a NaN, a missing and a failed signal.
func fixtureSnapshot() *triage.Snapshot {
	rising := func(i int) float64 { return float64(max(i-30, 0)) * 2 }
	reading := func(id triage.SignalID, title string, unit triage.Unit, v, baseline float64, status triage.Status, exporter, query string, s []triage.Point) triage.Reading {
		return triage.Reading{ID: id, Title: title, Unit: unit, Value: triage.Of(v), Baseline: triage.Of(baseline),
			WindowStart: triage.Of(baseline), Status: status, Exporter: exporter, Query: query, Series: s}
	}
	readings := []triage.Reading{
		reading(triage.SignalThroughput, "Throughput", triage.UnitRPS, 6.5, 576, triage.StatusOK, "client_golang",
			`sum(rate(http_request_duration_seconds_count{job="api"}[5m]))`, series(func(i int) float64 { return 576 - float64(i)*9 })),
		reading(triage.SignalLatencyP99, "Latency P99", triage.UnitSeconds, 0.995, 0.024, triage.StatusCritical, "client_golang",
			`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))`,
			series(func(i int) float64 { return 0.024 + float64(i)/60 })),
		reading(triage.SignalCPUUtilization, "CPU utilization (busiest host)", triage.UnitRatio, 0.3, 0.29, triage.StatusOK, "node_exporter",
			`max(1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])))`,
			series(func(i int) float64 {
				if i%10 == 0 {
					return math.NaN()
				}
				return 0.3
			})),
		reading(triage.SignalDBPoolWaiting, "PgBouncer clients waiting for a server connection", triage.UnitClients, 59, 0, triage.StatusCritical,
			"pgbouncer_exporter (community)", `sum(pgbouncer_pools_client_waiting_connections)`, series(rising)),
		reading(triage.SignalDBPoolUtilization, "PgBouncer server pool in use", triage.UnitRatio, 1, 0.6, triage.StatusCritical,
			"pgbouncer_exporter (community)", `max(pgbouncer_pools_server_active_connections / pgbouncer_databases_pool_size)`, nil),
		{ID: triage.SignalDBQueryMean, Title: "Database query mean time", Unit: triage.UnitSeconds, Value: triage.Of(math.NaN()),
			Status: triage.StatusMissing, Reason: "NaN: no observations in the window (an idle histogram, or 0/0)",
			Exporter: "pgbouncer_exporter (community)", Query: `sum(rate(pgbouncer_stats_totals_queries_duration_seconds_total[5m]))`},
		{ID: triage.SignalCacheHitRatio, Title: "Cache hit ratio", Unit: triage.UnitRatio, Status: triage.StatusMissing,
			Reason: "not found: run redis_exporter (or memcached_exporter) against the cache"},
		{ID: triage.SignalQueueDepth, Title: "Queue depth", Unit: triage.UnitMessages, Status: triage.StatusError,
			Reason: "server error: 503 (query timed out)", Exporter: "rabbitmq", Query: `sum(rabbitmq_queue_messages)`},
	}
	// The facts the collector copies from the winning candidate: statistic,
	// engine, tier and aggregation.
	catalog := triage.DefaultCatalog()
	for i, r := range readings {
		d, _ := catalog.Def(r.ID)
		readings[i].Aggregation = d.Aggregation
		for _, c := range d.Candidates {
			if c.Exporter == r.Exporter {
				readings[i].MeasuredBy(c, r.Query, "5m")
				break
			}
		}
	}
	readings[1].AtLeast = true
	readings[2].Warnings = []string{"sparkline: server error: 503"}
	return &triage.Snapshot{
		Source: triage.Source{URL: "http://prometheus:9090", Backend: "prometheus 2.42.0"},
		Window: 15 * time.Minute, RateWindow: 5 * time.Minute, At: fixtureAt, Selector: `job="api"`,
		Readings: readings, Exporters: []string{"client_golang", "node_exporter", "pgbouncer_exporter (community)"},
		Partial: true, Queries: 24,
	}
}

func fixtureFindings() []triage.Finding {
	return []triage.Finding{
		{
			ID: "db-pool-exhaustion", Severity: triage.SeverityCritical, Score: 95, Change: triage.ChangeNew, Since: triage.SinceDayBefore,
			Title:    "Database connection pool exhaustion",
			Summary:  "Clients wait for a connection at PgBouncer while the database is far from its connection limit",
			Evidence: []string{"59 clients waiting for a server connection (day before: 0)", "PgBouncer server pool 100% in use (day before: 60%)"},
			Against:  []string{"CPU 30% on the busiest host: not CPU-bound"},
			Prompts:  []triage.PromptID{"connection-pool-optimization", "bottleneck-identification"},
			Signals:  []triage.SignalID{triage.SignalDBPoolWaiting, triage.SignalDBPoolUtilization, triage.SignalCPUUtilization},
			Capacity: &triage.Capacity{Throughput: triage.Of(6.5), Bottleneck: triage.SignalDBPoolUtilization, Utilization: 1,
				MaxThroughput: triage.Of(6.5), Headroom: 1, SecondOrder: triage.SignalCPUUtilization, SecondHeadroom: 1 / 0.3},
		},
		{
			ID: "latency-regression", Severity: triage.SeverityWarning, Score: 60, Change: triage.ChangeNew, Since: triage.SinceDayBefore,
			Title:    "Latency regression",
			Summary:  "P99 is 41x the day before",
			Evidence: []string{"Latency P99 ≥ 995 ms, 41x the day before"},
			Prompts:  []triage.PromptID{"performance-profiling-and-optimization"},
		},
	}
}

// fixturePass carries the bottleneck law as triage.Diagnose computes it.
func fixturePass() report.Pass {
	snap := fixtureSnapshot()
	return report.Pass{Diagnosis: triage.Diagnosis{Snapshot: snap, Findings: fixtureFindings(),
		Capacity: triage.ComputeCapacity(snap, triage.DefaultRuleSettings().ProjectionMultiples)}}
}

// fakeTriager returns a fixed pass, sending its readings as progress, and
// counts how often it was asked and what.
type fakeTriager struct {
	pass     report.Pass
	err      error
	live     bool
	calls    atomic.Int32
	mu       sync.Mutex
	requests []Request
}

func (f *fakeTriager) Live() bool { return f.live }

func (f *fakeTriager) Triage(ctx context.Context, req Request, progress func(triage.Reading)) (report.Pass, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	if f.err != nil {
		return report.Pass{}, f.err
	}
	for _, r := range f.pass.Diagnosis.Snapshot.Readings {
		progress(r)
	}
	return f.pass, ctx.Err()
}

// testConfig is a deterministic configuration: fixed clock, timers that
// never fire, no native clipboard, files saved and spilled to temporary
// directories.
func testConfig(t testing.TB, src Triager) Config {
	return Config{
		Triager:  src,
		Origin:   "http://prometheus:9090",
		Signals:  triage.DefaultCatalog(),
		Window:   15 * time.Minute,
		Selector: fixtureSnapshot().Selector,
		Now:      func() time.Time { return fixtureAt.Add(12 * time.Second) },
		Clipboard: func(context.Context, string) (string, error) {
			return "", errNoClipboardTool
		},
		Files:      DirFiles{Dir: t.TempDir(), TempDir: t.TempDir()},
		inlineWork: true,
		tick:       neverFires,
	}
}

// loaded is a model sized width x height that has received the fixture
// pass, without running any command.
func loaded(t testing.TB, width, height int) *Model {
	t.Helper()
	m := New(context.Background(), testConfig(t, &fakeTriager{pass: fixturePass()}))
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: fixturePass()})
	return m
}

// press sends keys: a name such as "enter" or "shift+tab", or text typed
// rune by rune.
func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"down":      {Code: tea.KeyDown},
		"up":        {Code: tea.KeyUp},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
		"space":     {Code: tea.KeySpace, Text: " "},
	}
	if msg, ok := special[k]; ok {
		return msg
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// neverFires is the tests' timer (Config.tick): a command that returns no
// message, so that running commands waits for their work alone; a test
// that needs a timer's message sends it itself.
func neverFires(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return nil }
}

// commandDeadline only fails a command that never returns: no test waits
// for it to pass.
const commandDeadline = time.Minute

// messages runs cmd to its end and returns the messages of it and of every
// command it batches.
func messages(t testing.TB, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	done := make(chan []tea.Msg, 1)
	go func() { done <- runCommand(cmd) }()
	select {
	case msgs := <-done:
		return msgs
	case <-time.After(commandDeadline):
		t.Fatalf("a command did not return within %s", commandDeadline)
		return nil
	}
}

// runCommand runs cmd, and a batch's commands concurrently, as the program
// does: one waiting on a channel must not hold the others back.
func runCommand(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		results := make([][]tea.Msg, len(msg))
		var wg sync.WaitGroup
		for i, c := range msg {
			wg.Go(func() { results[i] = runCommand(c) })
		}
		wg.Wait()
		return slices.Concat(results...)
	default:
		return []tea.Msg{msg}
	}
}

// settle feeds cmd's messages back into the model, and those of the
// commands they return, until no command is left.
func settle(t testing.TB, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := messages(t, cmd)
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		_, next := m.Update(msg)
		queue = append(queue, messages(t, next)...)
	}
}

// clipboardContent finds the OSC 52 message among msgs.
func clipboardContent(msgs []tea.Msg) (string, bool) {
	for _, msg := range msgs {
		v := reflect.ValueOf(msg)
		if reflect.TypeOf(msg).String() == "tea.setClipboardMsg" && v.Kind() == reflect.String {
			return v.String(), true
		}
	}
	return "", false
}

// fleetServices is the services-chain incident: ledger, two hops below
// web, is 10x slower than the day before and its callers with it; search
// swings widely at 0.2 requests/s; app is unchanged.
var fleetServices = []struct {
	name                 string
	rps, p99, p99Before  float64
	p99Start             float64 // the window start: how much its normal swings
	errors, errorsBefore float64
	calls                []string
}{
	{"web", 300, 0.075, 0.0242, 0.0242, 0.004, 0.001, []string{"checkout", "search"}},
	{"checkout", 200, 0.075, 0.0242, 0.0242, 0, 0, []string{"payments"}},
	{"payments", 100, 0.208, 0.0242, 0.0242, 0, 0, []string{"ledger"}},
	{"ledger", 100, 0.242, 0.0242, 0.0242, 0, 0, nil},
	{"search", 0.2, 0.097, 0.0241, 0.05, 0, 0, nil},
	{"app", 576, 0.0242, 0.0242, 0.0242, 0, 0, nil},
}

// fleetSnapshot is a pass without a selector over fleetServices: the
// service-tier readings keep one entity per job, service_calls one per
// client and server.
func fleetSnapshot() *triage.Snapshot {
	catalog := triage.DefaultCatalog()
	reading := func(id triage.SignalID, unit triage.Unit, status triage.Status) triage.Reading {
		d, _ := catalog.Def(id)
		return triage.Reading{ID: id, Title: d.Title, Unit: unit, Status: status, Exporter: "client_golang", Aggregation: d.Aggregation}
	}
	throughput := reading(triage.SignalThroughput, triage.UnitRPS, triage.StatusOK)
	latency := reading(triage.SignalLatencyP99, triage.UnitSeconds, triage.StatusCritical)
	errs := reading(triage.SignalErrorRatio, triage.UnitRatio, triage.StatusOK)
	calls := reading(triage.SignalServiceCalls, triage.UnitRPS, triage.StatusOK)
	calls.Exporter = "servicegraph"
	entity := func(labels map[string]string, now, before, start float64) triage.Entity {
		return triage.Entity{Labels: labels, Value: triage.Of(now), Baseline: triage.Of(before), WindowStart: triage.Of(start)}
	}
	add := func(r *triage.Reading, agg triage.Aggregate, e triage.Entity) {
		r.Entities = append(r.Entities, e)
		values := make([]float64, len(r.Entities))
		for i, e := range r.Entities {
			values[i] = e.Value.V
		}
		r.Value = agg.Of(values)
	}
	for _, sv := range fleetServices {
		job := map[string]string{"job": sv.name}
		add(&throughput, triage.AggregateSum, entity(job, sv.rps, sv.rps, sv.rps))
		add(&latency, triage.AggregateMax, entity(job, sv.p99, sv.p99Before, sv.p99Start))
		add(&errs, triage.AggregateMax, entity(job, sv.errors, sv.errorsBefore, sv.errorsBefore))
		for _, server := range sv.calls {
			add(&calls, triage.AggregateSum, entity(map[string]string{"client": sv.name, "server": server}, 100, 100, 100))
		}
	}
	latency.Baseline, latency.WindowStart = triage.Of(0.0242), triage.Of(0.0242)
	return &triage.Snapshot{
		Source: triage.Source{URL: "http://prometheus:9090", Backend: "prometheus 2.42.0"},
		Window: 15 * time.Minute, RateWindow: 5 * time.Minute, At: fixtureAt,
		Readings: []triage.Reading{throughput, latency, errs, calls}, Queries: 14,
	}
}

// fleetPass is the diagnosis of fleetSnapshot.
func fleetPass() report.Pass {
	return report.Pass{Diagnosis: triage.Diagnose(fleetSnapshot(), triage.DefaultRuleSettings())}
}

// loadedFleet is a model started without a selector, sized width x height,
// that has received src's pass (the fleet's, or a recording's), without
// running any command.
func loadedFleet(t testing.TB, src *fakeTriager, width, height int) *Model {
	t.Helper()
	cfg := testConfig(t, src)
	cfg.Selector = ""
	m := New(context.Background(), cfg)
	m.Update(tea.WindowSizeMsg{Width: width, Height: height})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: src.pass})
	return m
}

// lastRequest is what the collector was last asked.
func (f *fakeTriager) lastRequest() (Request, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		return Request{}, false
	}
	return f.requests[len(f.requests)-1], true
}
