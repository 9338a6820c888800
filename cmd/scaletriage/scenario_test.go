package main

// The real-backend scenario suite: every testdata/scenarios/*.om file is
// loaded into each kind of real server on loopback (scenarioServers): backfilled
// with promtool into one Prometheus TSDB, and imported into one
// VictoriaMetrics. The CLI (in-process) must name the right bottleneck with
// the right numbers at each scenario's instant, on each server, from the
// same table of expectations.
//
//	go test ./cmd/scaletriage -run Scenario -count=1 -v
//	go test ./cmd/scaletriage -run TestScenarios/victoriametrics -count=1 -v   # one server
//	go test ./cmd/scaletriage -run '^$' -bench ReportScenario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/backendtest"
	"github.com/scaletriage/scaletriage/internal/configtest"
	"github.com/scaletriage/scaletriage/internal/golden"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// scenarioServer is one kind of backend the suite runs against (an entry of
// backendtest.Kinds, the backend matrix). Each kind is started once per
// package run (per test or benchmark that needs it) and serves every
// scenario; the same subtests and the same expectations run against each.
type scenarioServer struct {
	backendtest.Kind
	name string // the subtest name, Kind.Name
}

// start loads every scenario file into a fresh server of the kind and
// serves them until the test ends; it returns the server's base URL.
func (s scenarioServer) start(tb testing.TB, bins map[string]string, files []string) string {
	return s.Kind.Start(tb, bins, files)
}

// backend says whether report.source.backend names this server right.
func (s scenarioServer) backend(b string) bool { return s.Names(b) }

const (
	backendPrometheus = backendtest.KindPrometheus
	backendVM         = backendtest.KindVictoriaMetrics
)

// scenarioServers is the backend matrix, backendtest.Kinds, in its order.
var scenarioServers = func() []scenarioServer {
	out := make([]scenarioServer, len(backendtest.Kinds))
	for i, k := range backendtest.Kinds {
		out[i] = scenarioServer{Kind: k, name: k.Name}
	}
	return out
}()

// locateBins finds a server's binaries (backendtest.Kind.Locate): a missing
// one skips, except in CI.
func locateBins(tb testing.TB, srv scenarioServer) map[string]string {
	tb.Helper()
	return srv.Locate(tb)
}

// scenarioBackend is one running server serving every scenario.
type scenarioBackend struct {
	server scenarioServer
	url    string // what the CLI talks to (backendtest.TimeoutFixer in front of direct)
	direct string // the server itself
}

// startScenarioBackend loads every scenario into a fresh server of the
// given kind; the test's cleanup stops it. Without the binaries it skips,
// except in CI where a skipped real-backend suite would hide that it never
// ran.
func startScenarioBackend(tb testing.TB, srv scenarioServer) *scenarioBackend {
	tb.Helper()
	bins := srv.Locate(tb)
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.om"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no scenario files in %s (%v): run go test ./cmd/scaletriage -run TestGenerateScenarios -update", scenarioDir, err)
	}
	direct := srv.start(tb, bins, files)
	return &scenarioBackend{server: srv, direct: direct, url: backendtest.TimeoutFixer(tb, direct)}
}

// scenarioCLI runs the command in-process, as main does.
func scenarioCLI(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// scenarioReport runs `report --format json` at the scenario's instant.
func scenarioReport(tb testing.TB, b *scenarioBackend, sc scenarioSpec, flags ...string) (report.V1, string) {
	tb.Helper()
	args := append([]string{"report", "--format", "json", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339)}, flags...)
	code, out, errOut := scenarioCLI(context.Background(), args...)
	if code != exitOK {
		tb.Fatalf("report exit %d: %s", code, errOut)
	}
	var r report.V1
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		tb.Fatalf("report JSON: %v\n%s", err, out)
	}
	return r, out
}

// configFlag writes conf to a private config file and returns the flag
// that names it.
func configFlag(tb testing.TB, conf string) []string {
	tb.Helper()
	return []string{"--config", configtest.Write(tb, conf, 0o600)}
}

func findScenario(tb testing.TB, name string) scenarioSpec {
	tb.Helper()
	for _, sc := range scenarios {
		if sc.name == name {
			return sc
		}
	}
	tb.Fatalf("no scenario %q", name)
	return scenarioSpec{}
}

func signalOf(r report.V1, id triage.SignalID) (report.SignalV1, bool) {
	for _, s := range r.Signals {
		if s.ID == id {
			return s, true
		}
	}
	return report.SignalV1{}, false
}

// TestScenarios is the suite, once per server kind: the kinds start in
// parallel, each server serves every subtest of its kind, the subtests run in
// parallel and the server stops when they are all done.
func TestScenarios(t *testing.T) {
	if len(scenarioWants) != len(scenarios) {
		t.Errorf("%d scenarios but %d expectations: every scenario needs a row", len(scenarios), len(scenarioWants))
	}
	checkScenarioTable(t)
	for _, srv := range scenarioServers {
		t.Run(srv.name, func(t *testing.T) {
			t.Parallel()
			testScenariosOn(t, startScenarioBackend(t, srv))
		})
	}
}

// testScenariosOn runs every subtest against one server.
func testScenariosOn(t *testing.T, b *scenarioBackend) {
	for _, w := range scenarioWants {
		t.Run("report/"+w.name, func(t *testing.T) {
			t.Parallel()
			sc := findScenario(t, w.name)
			r, raw := scenarioReport(t, b, sc)
			if dir := os.Getenv("SCENARIO_DUMP"); dir != "" {
				// For reading the reports by eye: SCENARIO_DUMP=/tmp/r go test ...
				if err := os.WriteFile(filepath.Join(dir, b.server.name+"-"+w.name+".json"), []byte(raw), 0o644); err != nil {
					t.Error(err)
				}
			}
			checkScenarioReport(t, b, sc, w, r)
			checkPairs(t, r)
		})
	}
	t.Run("signals-doctor", func(t *testing.T) {
		t.Parallel()
		sc := findScenario(t, "pgbouncer-debian")
		code, out, errOut := scenarioCLI(context.Background(), "signals", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		if code != exitOK {
			t.Fatalf("signals exit %d: %s", code, errOut)
		}
		// The missing maxwait is listed with the reason naming the exporter
		// that is there instead.
		block := doctorBlock(out, "db_pool_max_wait_seconds")
		if !strings.Contains(block, "missing") || !strings.Contains(block, "Debian prometheus-pgbouncer-exporter 1.7 is present but exports no maxwait") {
			t.Errorf("doctor entry for db_pool_max_wait_seconds lacks the missing status or its reason:\n%s", block)
		}
		if block := doctorBlock(out, "db_pool_waiting_clients"); !strings.Contains(block, "prometheus-pgbouncer-exporter (debian)") || !strings.Contains(block, "pgbouncer_waiting_clients") {
			t.Errorf("doctor entry for db_pool_waiting_clients lacks exporter or query:\n%s", block)
		}
	})
	if b.server.name == backendPrometheus {
		t.Run("recordings", func(t *testing.T) { testRecordings(t, b) })
	}
	t.Run("fleet-scoped", func(t *testing.T) {
		t.Parallel()
		testFleetScoped(t, b)
	})
	t.Run("fleet-k8s-scoped", func(t *testing.T) {
		t.Parallel()
		testK8sScoped(t, b)
	})
	t.Run("status-label-absent", func(t *testing.T) {
		t.Parallel()
		// A job whose series carry no status label has no error ratio:
		// with it alone selected the signal is missing, never 0 %.
		sc := findScenario(t, "status-code-label")
		code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--selector", `job="nolabel"`,
			"--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		if code != exitOK {
			t.Fatalf("report exit %d: %s", code, errOut)
		}
		var r report.V1
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if s, _ := signalOf(r, "error_ratio"); s.Status != triage.StatusMissing || s.Value != nil || !strings.Contains(s.Reason, "not measured, not 0") {
			t.Errorf("error_ratio without a status label: %s %s %q", s.Status, fmtPtr(s.Value), s.Reason)
		}
	})
	t.Run("services-chain", func(t *testing.T) {
		t.Parallel()
		testServicesChain(t, b)
	})
	t.Run("cause", func(t *testing.T) { testCauseChains(t, b) })
	t.Run("decompositions", func(t *testing.T) { testEveryDecomposition(t, b) })
	t.Run("rollouts", func(t *testing.T) { testRollouts(t, b) })
	t.Run("services", func(t *testing.T) { testServices(t, b) })
	t.Run("scope-in-reasoning", func(t *testing.T) {
		t.Parallel()
		testScopeInReasoning(t, b)
	})
	t.Run("from-the-page", func(t *testing.T) {
		t.Parallel()
		testFromThePage(t, b)
	})
	if b.server.name == backendPrometheus {
		t.Run("live-alerts", func(t *testing.T) {
			t.Parallel()
			testLiveAlerts(t)
		})
	}
	t.Run("record-replay", func(t *testing.T) {
		t.Parallel()
		sc := findScenario(t, "pgbouncer-community")
		live, _ := scenarioReport(t, b, sc)
		snap := filepath.Join(t.TempDir(), "snap.json")
		if code, _, errOut := scenarioCLI(context.Background(), "record", "-o", snap, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339)); code != exitOK {
			t.Fatalf("record exit %d: %s", code, errOut)
		}
		code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--replay", snap)
		if code != exitOK {
			t.Fatalf("replay exit %d: %s", code, errOut)
		}
		var replayed report.V1
		if err := json.Unmarshal([]byte(out), &replayed); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(live.Signals, replayed.Signals) {
			t.Errorf("replayed signals differ from live:\nlive:   %s\nreplay: %s", mustJSON(live.Signals), mustJSON(replayed.Signals))
		}
		if !reflect.DeepEqual(live.Findings, replayed.Findings) {
			t.Errorf("replayed findings differ from live:\nlive:   %s\nreplay: %s", mustJSON(live.Findings), mustJSON(replayed.Findings))
		}
	})
	// Without the timeout-fixing proxy: fails for as long as the client
	// sends a query timeout that Prometheus 2.42 rejects (startTimeoutFixer).
	t.Run("client-timeout-accepted", func(t *testing.T) {
		t.Parallel()
		sc := findScenario(t, "healthy")
		code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--prometheus-url", b.direct, "--at", sc.at.Format(time.RFC3339))
		if code != exitOK {
			t.Fatalf("report exit %d: %s", code, errOut)
		}
		var r report.V1
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Signals {
			if s.Status == triage.StatusError {
				t.Errorf("%s: %s", s.ID, s.Reason)
			}
		}
	})
	// A server that rejects a query must say so as a bad query, with the
	// server's reason, whatever the server (VictoriaMetrics answers HTTP 422
	// with errorType "422" where Prometheus answers 400 bad_data).
	t.Run("bad-query", func(t *testing.T) {
		t.Parallel()
		sc := findScenario(t, "healthy")
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		const conf = "signals:\n  scenario_broken:\n    candidates:\n      - {exporter: node_exporter, metrics: [node_load1], query: 'rate(node_load1[5m]', statistic: now}\n"
		if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--config", cfg, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		var r report.V1
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("report exit %d, JSON: %v\n%s%s", code, err, out, errOut)
		}
		s, ok := signalOf(r, "scenario_broken")
		if !ok {
			t.Fatalf("scenario_broken not in the report: %v", r.Signals)
		}
		if s.Status != triage.StatusError || !strings.HasPrefix(s.Reason, "bad query: ") {
			t.Errorf("scenario_broken: status %s reason %q, want error with \"bad query: \" and the server's reason (prom.ClassBadQuery)", s.Status, s.Reason)
		}
		if !r.Partial {
			t.Errorf("a report with a failed signal must be partial")
		}
		if bad, _ := signalOf(r, "cpu_utilization"); bad.Status != triage.StatusOK {
			t.Errorf("cpu_utilization: %s (%s): one bad query must not spoil the others", bad.Status, bad.Reason)
		}
	})
	// The collector takes a signal's current value from its sparkline's
	// last point (one round trip instead of two): on this engine, that point
	// must fall on the instant and equal an instant query there, for every
	// series of every candidate with data.
	t.Run("range-is-instant", func(t *testing.T) {
		t.Parallel()
		testRangeIsInstant(t, b)
	})
	t.Run("links-show-the-entity", func(t *testing.T) {
		t.Parallel()
		testLinksShowTheEntity(t, b)
	})
	t.Run("ticket-tells-the-cause", func(t *testing.T) {
		t.Parallel()
		testTicketTellsTheCause(t, b)
	})
	// Every candidate of the catalog, with and without a selector, must be
	// PromQL the server accepts, including the exporters no scenario stages
	// (Istio, MySQL, HikariCP...): a typo there would only surface in
	// someone's incident.
	t.Run("catalog-parses", func(t *testing.T) {
		t.Parallel()
		client, err := prom.New(prom.Config{URL: b.url})
		if err != nil {
			t.Fatal(err)
		}
		at := findScenario(t, "healthy").at
		for _, d := range triage.DefaultCatalog() {
			for _, c := range d.Candidates {
				for _, sel := range []string{"", `job="api",env=~"prod|staging"`} {
					q := c.Expand(sel, "5m")
					_, err := client.Instant(context.Background(), q, at)
					var e *prom.Error
					if errors.As(err, &e) && e.Class == prom.ClassBadQuery {
						t.Errorf("%s/%s: %s\n  %s", d.ID, c.Exporter, e.Msg, q)
					}
				}
			}
		}
	})
}

// BenchmarkReportScenario is one whole `report --format json` against each
// real server: discovery, every signal's instant, range and baseline
// queries, the rules and the JSON. queries/op is what one report sends.
//
//	go test ./cmd/scaletriage -run '^$' -bench ReportScenario
func BenchmarkReportScenario(b *testing.B) {
	for _, srv := range scenarioServers {
		b.Run(srv.name, func(b *testing.B) {
			backend := startScenarioBackend(b, srv)
			sc := findScenario(b, "pgbouncer-community")
			args := []string{"report", "--format", "json", "--prometheus-url", backend.url, "--at", sc.at.Format(time.RFC3339)}
			var queries int
			for b.Loop() {
				code, out, errOut := scenarioCLI(context.Background(), args...)
				if code != exitOK {
					b.Fatalf("report exit %d: %s", code, errOut)
				}
				var r report.V1
				if err := json.Unmarshal([]byte(out), &r); err != nil {
					b.Fatal(err)
				}
				queries = r.Queries
			}
			b.ReportMetric(float64(queries), "queries/op")
		})
	}
}

// -update-recordings is the name -update had here before internal/golden.
func init() { golden.Alias("update-recordings") }

// recordedScenarios are recorded into testdata/recordings, where the
// prompts and report packages replay them: their golden files are built from
// what Diagnose makes of real answers, not from hand-written findings.
var recordedScenarios = []string{"pgbouncer-community", "postgres-max-connections", "queue-backlog", "slow-queries", "cpu-saturation", "fleet-chronic"}

// testRecordings records each scenario (under -update), else
// checks that the committed recording still replays to the report a live
// run gives today, so the files other packages replay never go stale.
func testRecordings(t *testing.T, b *scenarioBackend) {
	dir := filepath.Join("..", "..", "testdata", "recordings")
	for _, name := range recordedScenarios {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sc := findScenario(t, name)
			file := filepath.Join(dir, name+".json")
			if golden.Updating() {
				tmp := filepath.Join(t.TempDir(), name+".json")
				if code, _, errOut := scenarioCLI(context.Background(), "record", "-o", tmp, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339)); code != exitOK {
					t.Fatalf("record exit %d: %s", code, errOut)
				}
				data, err := os.ReadFile(tmp)
				if err != nil {
					t.Fatal(err)
				}
				// A fixed URL and time, so that a re-record changes the
				// file only where the answers or the report changed.
				data = regexp.MustCompile(`"url": "[^"]*"`).ReplaceAll(data, []byte(`"url": "http://prometheus.scenario:9090"`))
				data = regexp.MustCompile(`"recorded_at": "[^"]*"`).ReplaceAll(data, []byte(`"recorded_at": "`+sc.at.Format(time.RFC3339)+`"`))
				if err := os.WriteFile(file, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			live, _ := scenarioReport(t, b, sc)
			code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--replay", file)
			if code != exitOK {
				t.Fatalf("replay %s exit %d: %s (go test ./cmd/scaletriage -run TestScenarios/prometheus/recordings -update)", file, code, errOut)
			}
			var replayed report.V1
			if err := json.Unmarshal([]byte(out), &replayed); err != nil {
				t.Fatal(err)
			}
			// The recording keeps a fixed URL: its links point there.
			rebaseLinks(&live, b.url, "http://prometheus.scenario:9090")
			if !reflect.DeepEqual(live.Findings, replayed.Findings) || !reflect.DeepEqual(live.Signals, replayed.Signals) {
				t.Errorf("%s is stale: its replay differs from the live report (go test ./cmd/scaletriage -run TestScenarios/prometheus/recordings -update)", file)
			}
		})
	}
}

// testFleetScoped triages the fleet for the service in trouble: --selector
// names checkout, the config names its database and cache. The pool
// exhaustion is checkout's (the selector scopes its query) and joins only
// checkout's database, which is far from its limit; the analytics database
// and the reporting cache are out of scope; the batch host is linked to
// nothing, so unknown, never merged.
func testFleetScoped(t *testing.T, b *scenarioBackend) {
	r, _ := scenarioReport(t, b, findScenario(t, "fleet-chronic"), append(configFlag(t, checkoutDependencies), "--selector", `job="checkout"`)...)
	if r.Scope == nil || r.Scope.Selector != `job="checkout"` || len(r.Scope.Dependencies) != 2 {
		t.Fatalf("scope %+v", r.Scope)
	}
	find := func(id triage.RuleID) report.FindingV1 {
		i := slices.IndexFunc(r.Findings, func(f report.FindingV1) bool { return f.ID == id })
		if i < 0 {
			t.Fatalf("no %s finding: %v", id, findingIDs(r))
		}
		return r.Findings[i]
	}
	top := r.Findings[0]
	if top.ID != "db-pool-exhaustion" || top.Scope != triage.ScopeIn || top.Change != triage.ChangeNew {
		t.Errorf("top %s scope %s change %s, want db-pool-exhaustion in scope, new (%v)", top.ID, top.Scope, top.Change, findingIDs(r))
	}
	if !strings.Contains(top.Summary, "far from its connection limit") || strings.Contains(top.Summary, "analytics") {
		t.Errorf("the pool joins only checkout's database (db-1, 6%%): %s", top.Summary)
	}
	for id, want := range map[triage.RuleID]triage.Scope{"db-connection-ceiling": triage.ScopeOut, "cache-hit-collapse": triage.ScopeOut, "cpu-saturation": triage.ScopeUnknown} {
		f := find(id)
		if f.Scope != want || f.Severity == triage.SeverityCritical {
			t.Errorf("%s: scope %s severity %s, want %s and at most a warning (%s)", id, f.Scope, f.Severity, want, f.ScopeBasis)
		}
		if want == triage.ScopeOut && !strings.HasPrefix(f.Summary, "Out of scope") {
			t.Errorf("%s: %s", id, f.Summary)
		}
	}
}

// testServicesChain ranks the fleet of the services-chain scenario: ledger,
// two hops below web (the one users see), slowed down 10x, and every caller
// above it with it. Ranking by change alone would put a victim or the
// low-traffic search (8.6x at 0.2 requests/s) first; following the call
// graph puts ledger first, with the path to it.
func testServicesChain(t *testing.T, b *scenarioBackend) {
	sc := findScenario(t, "services-chain")
	code, out, errOut := scenarioCLI(context.Background(), "services", "--format", "json", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
	if code != exitOK {
		t.Fatalf("services exit %d: %s", code, errOut)
	}
	var doc report.ServicesV1
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Graph || len(doc.Services) < 6 {
		t.Fatalf("call graph %v, %d services:\n%s", doc.Graph, len(doc.Services), out)
	}
	top := doc.Services[0]
	if top.Name != "ledger" || !top.Root || strings.Join(top.Path, " -> ") != "web -> checkout -> payments -> ledger" {
		t.Errorf("first %s root %v path %v, want ledger, root, web -> checkout -> payments -> ledger", top.Name, top.Root, top.Path)
	}
	for _, s := range doc.Services {
		switch s.Name {
		case "web", "checkout", "payments":
			if !s.Anomalous || s.Root {
				t.Errorf("%s: anomalous %v root %v, want a victim (anomalous, not root)", s.Name, s.Anomalous, s.Root)
			}
		case "search", "app":
			if s.Anomalous {
				t.Errorf("%s: anomalous (score %v): low traffic or unchanged, it pages nobody", s.Name, s.Score)
			}
		}
	}
	code, text, _ := scenarioCLI(context.Background(), "services", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
	if code != exitOK || !strings.Contains(text, "path to ledger: web -> checkout -> payments -> ledger") {
		t.Errorf("services text lacks the path:\n%s", text)
	}
}

// testK8sScoped triages checkout on Kubernetes: its pod, read from its own
// HTTP series, links its cAdvisor container; containers are not hosts; the
// limit and the throttling are one finding; the ETL job's container is
// linked to nothing and stays unknown.
func testK8sScoped(t *testing.T, b *scenarioBackend) {
	r, _ := scenarioReport(t, b, findScenario(t, "fleet-k8s"), "--selector", `job="checkout"`)
	if cpu, _ := signalOf(r, "cpu_utilization"); cpu.Title != "CPU utilization (busiest container)" || cpu.Tier != triage.TierContainer {
		t.Errorf("cpu_utilization from cAdvisor titled %q tier %q", cpu.Title, cpu.Tier)
	}
	if len(r.Findings) == 0 {
		t.Fatal("no findings, want cpu-throttling first")
	}
	top := r.Findings[0]
	if top.ID != "cpu-throttling" || top.Scope != triage.ScopeIn || !strings.Contains(top.ScopeBasis, "the workload of a pod of the service (checkout-7d9f)") ||
		!strings.HasPrefix(top.Summary, "CPU-bound at its container limit: namespace=shop, workload=checkout-7d9f, container=app") {
		t.Errorf("top %s scope %s (%s): %s", top.ID, top.Scope, top.ScopeBasis, top.Summary)
	}
	if slices.ContainsFunc(r.Findings, func(f report.FindingV1) bool { return f.ID == "cpu-saturation" }) {
		t.Errorf("the container limit is said twice: %v", findingIDs(r))
	}
	etl := slices.IndexFunc(top.Entities, func(e report.EntityV1) bool { return e.Name == "namespace=batch, workload=etl, container=etl" })
	switch {
	case etl < 0:
		t.Errorf("the ETL container is not among the entities: %q", entityKeys(top.Entities))
	case top.Entities[etl].Scope != triage.ScopeUnknown || top.Entities[etl].Change != triage.ChangeUnchanged:
		t.Errorf("the ETL container: scope %s change %s, want unknown and unchanged", top.Entities[etl].Scope, top.Entities[etl].Change)
	}
}

func testRangeIsInstant(t *testing.T, b *scenarioBackend) {
	client, err := prom.New(prom.Config{URL: b.url})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const window, points = 15 * time.Minute, 60
	step := window / points
	compared := 0
	for _, name := range []string{"healthy", "pgbouncer-community", "fleet-chronic", "services-chain", "redis-hit-collapse", "queue-backlog", "replicated-postgres"} {
		at := findScenario(t, name).at
		for _, d := range triage.DefaultCatalog() {
			for _, c := range d.Candidates {
				q := c.Expand("", "5m")
				inst, err := client.Instant(ctx, q, at)
				if err != nil || len(inst.Series) == 0 {
					continue
				}
				rng, err := client.Range(ctx, q, at.Add(-window), at, step)
				if err != nil {
					t.Fatalf("%s: range: %v", q, err)
				}
				last := map[string]prom.Sample{}
				for _, s := range rng.Series {
					if n := len(s.Points); n > 0 {
						last[fmt.Sprint(s.Labels)] = s.Points[n-1]
					}
				}
				for _, s := range inst.Series {
					key, want := fmt.Sprint(s.Labels), s.Points[0].V
					got, ok := last[key]
					switch {
					case !ok:
						t.Errorf("%s at %s: series %s in the instant answer, not in the range", q, name, key)
					case !got.T.Equal(at):
						t.Errorf("%s at %s: the range's last point is at %s, not the instant %s", q, name, got.T.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
					case got.V != want && !(math.IsNaN(got.V) && math.IsNaN(want)):
						t.Errorf("%s at %s, series %s: range's last point %v, instant %v", q, name, key, got.V, want)
					}
					compared++
				}
			}
		}
	}
	if compared < 100 {
		t.Errorf("only %d series compared: the scenarios should give well over 100", compared)
	}
	t.Logf("%d series: the range's last point is the instant's value", compared)
}
