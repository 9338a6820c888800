// Package e2e is the end-to-end test of scaletriage against the incident lab
// (lab/lab.sh): real PostgreSQL, PgBouncer, Redis, exporters, an instrumented
// service and Prometheus, with bounded incidents provoked one after another;
// for each, `scaletriage report` must name the right bottleneck with the
// numbers the lab produced.
//
// It runs only with SCALETRIAGE_LAB_E2E=1: scripts/test.sh sets it in a step
// of its own, after the unit tests, so that the incidents do not compete for
// the two cores with `go test ./...` (CPU pressure would be a finding).
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// incidentSeconds is each incident's length: the lab scrapes every 2 s and
// scaletriage reads 30 s rates, so 35 s leaves the whole rate window inside
// the load.
const incidentSeconds = 35

type signal struct {
	ID      string   `json:"id"`
	Value   *float64 `json:"value"`
	Display string   `json:"display"`
	Status  string   `json:"status"`
}

type finding struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Evidence []string `json:"evidence"`
	Against  []string `json:"against"`
	Prompts  []string `json:"prompts"`
}

type report struct {
	Signals  []signal  `json:"signals"`
	Findings []finding `json:"findings"`
}

func (r report) signal(t *testing.T, id string) (float64, string) {
	t.Helper()
	for _, s := range r.Signals {
		if s.ID == id {
			if s.Value == nil {
				t.Fatalf("signal %s has no value (status %s)", id, s.Status)
			}
			return *s.Value, s.Display
		}
	}
	t.Fatalf("signal %s not in the report", id)
	return 0, ""
}

func (r report) hot() []finding {
	var out []finding
	for _, f := range r.Findings {
		if f.Severity == "warning" || f.Severity == "critical" {
			out = append(out, f)
		}
	}
	return out
}

type lab struct {
	repo, sh, st string
	ci           bool
}

// run runs a command in the repository with a deadline and returns its
// stdout; stderr goes to the test log.
func (l lab) run(t *testing.T, limit time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = l.repo
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if s := strings.TrimSpace(stderr.String()); s != "" {
		t.Logf("%s %s:\n%s", filepath.Base(name), strings.Join(args, " "), s)
	}
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stdout.String())
	}
	return stdout.String()
}

func TestLab(t *testing.T) {
	if os.Getenv("SCALETRIAGE_LAB_E2E") != "1" {
		t.Skip("set SCALETRIAGE_LAB_E2E=1 to run the incident lab (scripts/test.sh does, in a step of its own)")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	l := lab{repo: repo, sh: filepath.Join(repo, "lab", "lab.sh"), ci: os.Getenv("CI") == "true"}
	if out, err := exec.Command(l.sh, "check").CombinedOutput(); err != nil {
		msg := fmt.Sprintf("lab prerequisites cannot be installed here: %s", strings.TrimSpace(string(out)))
		if l.ci {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// Registered before `up`, so that a failed start is torn down too.
	t.Cleanup(func() {
		out, err := exec.Command(l.sh, "down").CombinedOutput()
		t.Logf("lab down: %v\n%s", err, out)
	})
	l.st = filepath.Join(t.TempDir(), "scaletriage")
	l.run(t, 5*time.Minute, "go", "build", "-o", l.st, "./cmd/scaletriage")

	start := time.Now()
	l.run(t, 5*time.Minute, l.sh, "up")
	t.Logf("TIMING lab up (packages present, app build cached or not): %s", time.Since(start).Round(100*time.Millisecond))
	waitQuietCPU(t)

	t.Run("healthy", func(t *testing.T) {
		r, _, _ := l.incident(t, "healthy")
		hot := r.hot()
		if len(hot) == 0 {
			return
		}
		if !l.ci && onlyCPU(hot) {
			t.Logf("tolerated outside CI: %s fired on a shared host (lab README, G14: other jobs' CPU shows in node metrics)", hot[0].ID)
			return
		}
		t.Errorf("healthy lab: want no warning or critical finding, got %s", ids(hot))
	})

	t.Run("pool-exhaustion", func(t *testing.T) {
		r, at, clientP99 := l.incident(t, "pool-exhaustion")
		f := l.top(t, r, "db-pool-exhaustion")
		if len(f.Prompts) == 0 || f.Prompts[0] != "connection-pool-optimization" {
			t.Errorf("primary prompt: got %v, want connection-pool-optimization first", f.Prompts)
		}
		waiting, waitingText := r.signal(t, "db_pool_waiting_clients")
		// 60 pgbench clients and the app's in-flight requests share 5
		// server connections.
		if waiting < 20 {
			t.Errorf("db_pool_waiting_clients = %v, want >= 20", waiting)
		}
		if util, _ := r.signal(t, "db_pool_utilization"); util < 1 {
			t.Errorf("db_pool_utilization = %v, want 1 (all %d server connections active)", util, 5)
		}
		p99, p99Text := r.signal(t, "latency_p99_seconds")
		// The histogram P99 is interpolated inside one bucket; with the
		// app's buckets it stays within 1.5x of the P99 the load generator
		// measured (the default buckets gave 0.995 s for a true 0.73 s; docs/facts.md#g9-bucket-limited-p99).
		if clientP99 > 0 && (p99 < clientP99/1.5 || p99 > clientP99*1.5) {
			t.Errorf("latency_p99_seconds = %v s, load generator measured P99 %v s", p99, clientP99)
		}
		if p99 < 0.25 {
			t.Errorf("latency_p99_seconds = %v s, want a queueing P99 (>= 250 ms)", p99)
		}
		text := strings.Join(f.Evidence, "\n")
		if !strings.Contains(text, waitingText) {
			t.Errorf("evidence lacks the waiting clients %q:\n%s", waitingText, text)
		}
		// The P99 is in the finding, for or against: for when it is hot
		// against its baseline, against when it is not (users do not feel
		// it). Readings with entities name theirs ("Latency P99 on app:").
		all := text + "\n" + strings.Join(f.Against, "\n")
		if !regexp.MustCompile(`Latency P99( on [^:\n]+)?: ` + regexp.QuoteMeta(p99Text)).MatchString(all) {
			t.Errorf("finding lacks the P99 %q:\n%s", p99Text, all)
		}
		prompt := l.run(t, time.Minute, l.st, "prompt", "connection-pool-optimization", "--config", "lab/scaletriage.yaml", "--at", at)
		n := strconv.FormatFloat(waiting, 'f', -1, 64)
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(n) + `\b`).MatchString(prompt) {
			t.Errorf("populated prompt lacks the waiting-clients number %s:\n%s", n, prompt)
		}
		if !strings.Contains(prompt, p99Text) {
			t.Errorf("populated prompt lacks the P99 %s:\n%s", p99Text, prompt)
		}
		l.fromThePage(t, at)
	})

	t.Run("pool-queue", func(t *testing.T) {
		_, at, _ := l.incident(t, "pool-queue")
		prompt := l.run(t, time.Minute, l.st, "prompt", "connection-pool-optimization", "--config", "lab/scaletriage.yaml", "--at", at)
		// The pool of 5 as a queue: Erlang C's wait at that size beside
		// the wait PgBouncer measured, and the two agree within the
		// model's stated 3x (deterministic 50 ms holds wait less than its
		// exponential ones: about half).
		m := poolQueueLine.FindStringSubmatch(prompt)
		if m == nil {
			t.Fatalf("the prompt lacks PgBouncer's Erlang C line:\n%s", prompt)
		}
		busy, predicted, measured := number(t, m[1]), seconds(t, m[2]), seconds(t, m[3])
		t.Logf("pool of 5: A = %v busy, Erlang C wait %v s, measured %v s", busy, predicted, measured)
		if busy < 1.5 || busy > 4.5 {
			t.Errorf("A = %v server connections busy, want about 2.5 (40/s × 50 ms plus the app's)", busy)
		}
		if measured <= 0 || m[4] != "the model fits" {
			t.Errorf("measured wait %v s against Erlang C's %v s: %q", measured, predicted, m[4])
		}
	})

	t.Run("cache-miss-storm", func(t *testing.T) {
		r, at, _ := l.incident(t, "cache-miss-storm")
		if a := l.firing(t, at, "LabCacheMissStorm"); !strings.Contains(a.Selector, `job="redis"`) {
			t.Errorf("LabCacheMissStorm scopes %s, want the redis job", a.Selector)
		}
		f := l.top(t, r, "cache-hit-collapse", "thundering-herd")
		hit, hitText := r.signal(t, "cache_hit_ratio")
		if hit > 0.5 {
			t.Errorf("cache_hit_ratio = %v, want <= 0.5", hit)
		}
		if text := strings.Join(f.Evidence, "\n"); !strings.Contains(text, hitText) {
			t.Errorf("evidence lacks the hit ratio %q:\n%s", hitText, text)
		}
	})

	t.Run("cpu-saturation", func(t *testing.T) {
		r, _, _ := l.incident(t, "cpu-saturation")
		l.top(t, r, "cpu-saturation")
		if busy, _ := r.signal(t, "cpu_utilization"); busy < 0.9 {
			t.Errorf("cpu_utilization = %v, want >= 0.9 with a busy loop per core", busy)
		}
	})
}

var (
	atRe  = regexp.MustCompile(`\bat=(\d+)`)
	p99Re = regexp.MustCompile(`labload: .* p99 (\S+)`)
)

// incident runs one incident and reports at its end. It returns the report,
// the evaluation instant, and the P99 the load generator measured (seconds).
func (l lab) incident(t *testing.T, name string) (report, string, float64) {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), incidentSeconds*time.Second+2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, l.sh, "incident", name, strconv.Itoa(incidentSeconds))
	cmd.Dir = l.repo
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("incident %s: %v\n%s%s", name, err, stdout.String(), stderr.String())
	}
	t.Logf("TIMING incident %s: %s\n%s", name, time.Since(start).Round(100*time.Millisecond), strings.TrimSpace(stderr.String()))
	m := atRe.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("incident %s printed no at=: %q", name, stdout.String())
	}
	var clientP99 float64
	if m := p99Re.FindStringSubmatch(stderr.String()); m != nil {
		if d, err := time.ParseDuration(m[1]); err == nil {
			clientP99 = d.Seconds()
		}
	}
	out := l.run(t, time.Minute, l.st, "report", "--format", "json", "--config", "lab/scaletriage.yaml", "--at", m[1])
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	for _, s := range r.Signals {
		if s.Value != nil {
			t.Logf("  %-32s %-8s %s", s.ID, s.Status, s.Display)
		}
	}
	for i, f := range r.Findings {
		t.Logf("finding %d: %s %s\n  + %s\n  - %s", i+1, f.Severity, f.ID, strings.Join(f.Evidence, "\n  + "), strings.Join(f.Against, "\n  - "))
	}
	return r, m[1], clientP99
}

// top returns the top finding, which must be one of want. Outside CI a CPU
// finding caused by other jobs on a shared host may rank above it (CPU
// pressure is saturation, which outranks utilization); it is logged.
func (l lab) top(t *testing.T, r report, want ...string) finding {
	t.Helper()
	if len(r.Findings) == 0 {
		t.Fatalf("no finding, want %v", want)
	}
	if slices.Contains(want, r.Findings[0].ID) {
		return r.Findings[0]
	}
	for i, f := range r.Findings {
		if slices.Contains(want, f.ID) && !l.ci && onlyCPU(r.Findings[:i]) {
			t.Logf("tolerated outside CI: %s ranks above %s on a shared host (G14)", ids(r.Findings[:i]), f.ID)
			return f
		}
	}
	t.Fatalf("top finding %s, want one of %v (all: %s)", r.Findings[0].ID, want, ids(r.Findings))
	return finding{}
}

func onlyCPU(fs []finding) bool {
	for _, f := range fs {
		if f.ID != "cpu-saturation" {
			return false
		}
	}
	return len(fs) > 0
}

func ids(fs []finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.ID+"("+f.Severity+")")
	}
	return strings.Join(s, ", ")
}

// waitQuietCPU waits (at most two minutes) for the host's CPU pressure and
// its 1-minute load average to settle after the build and the tests before
// this one, so that the healthy incident starts on a quiet host: the load
// average lags the work by a minute, and the report reads it as
// cpu_load_per_core (warning at 1).
func waitQuietCPU(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var avg10, load1 float64
	for {
		data, err := os.ReadFile("/proc/pressure/cpu")
		if err != nil {
			return // no PSI: nothing to wait for
		}
		if _, err := fmt.Sscanf(string(data), "some avg10=%f", &avg10); err != nil {
			break
		}
		if data, err := os.ReadFile("/proc/loadavg"); err == nil {
			if _, err := fmt.Sscanf(string(data), "%f", &load1); err != nil {
				load1 = 0
			}
		}
		if avg10 < 5 && load1/float64(runtime.NumCPU()) < 0.5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Second)
	}
	t.Logf("host CPU pressure avg10 %.1f%%, load average %.2f on %d CPUs before the healthy incident", avg10, load1, runtime.NumCPU())
}

// fromThePage reviews the pool exhaustion from its page: the lab's
// LabHighLatency rule fired on the app during the incident; at the
// incident's instant `alerts` lists it from the ALERTS series and
// `report --alert` triages the app's scope over a window holding the onset.
func (l lab) fromThePage(t *testing.T, at string) {
	page := l.firing(t, at, "LabHighLatency")
	if !strings.Contains(page.Selector, `job="app"`) || page.AgeSeconds <= 0 {
		t.Fatalf("LabHighLatency at %s: %+v, want the app's scope and an age", at, page)
	}
	out := l.run(t, time.Minute, l.st, "report", "--format", "json", "--alert", "LabHighLatency", "--config", "lab/scaletriage.yaml", "--at", at)
	var r struct {
		Window   string
		Scope    *struct{ Selector string }
		Alert    *struct{ Name string }
		Findings []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report --alert: %v\n%s", err, out)
	}
	if r.Alert == nil || r.Alert.Name != "LabHighLatency" || r.Scope == nil || r.Scope.Selector != page.Selector {
		t.Fatalf("report --alert: alert %+v scope %+v, want LabHighLatency scoping %s", r.Alert, r.Scope, page.Selector)
	}
	if window, err := time.ParseDuration(r.Window); err != nil || window.Seconds() < page.AgeSeconds {
		t.Errorf("window %s does not hold the onset, %gs before %s", r.Window, page.AgeSeconds, at)
	}
	if len(r.Findings) == 0 || r.Findings[0].ID != "db-pool-exhaustion" {
		t.Errorf("from the page, the top finding is %+v, want db-pool-exhaustion", r.Findings)
	}
	// Live, through the lab's Alertmanager, which Prometheus sent it to (it
	// keeps firing 2 min after the load).
	out = l.run(t, time.Minute, l.st, "alerts", "--format", "json", "--config", "lab/scaletriage.yaml", "--alertmanager-url", "http://127.0.0.1:19093")
	if !strings.Contains(out, `"name": "LabHighLatency"`) || !strings.Contains(out, `"source": "alertmanager"`) || !strings.Contains(out, "runbooks.example/lab-high-latency") {
		t.Errorf("the page is not in the lab's Alertmanager:\n%s", out)
	}
}

// labAlert is an alert as `alerts --format json` lists it.
type labAlert struct {
	Name, State, Selector string
	AgeSeconds            float64 `json:"age_seconds"`
}

// firing is the alert name as `alerts --at at` lists it, which must be
// firing.
func (l lab) firing(t *testing.T, at, name string) labAlert {
	t.Helper()
	out := l.run(t, time.Minute, l.st, "alerts", "--format", "json", "--config", "lab/scaletriage.yaml", "--at", at)
	var doc struct{ Alerts []labAlert }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("alerts: %v\n%s", err, out)
	}
	for _, a := range doc.Alerts {
		if a.Name == name && a.State == "firing" {
			return a
		}
	}
	t.Fatalf("%s is not listed firing at %s:\n%s", name, at, out)
	return labAlert{}
}

// poolQueueLine is PgBouncer's Erlang C line in the connection-pool prompt:
// the busy connections, the predicted and the measured mean wait, and the
// verdict.
var poolQueueLine = regexp.MustCompile(`At PgBouncer, database app: pool size c = 5, λ = [0-9.]+ transactions/s, A = ([0-9.]+) server connections busy.*? Erlang C predicts P\(wait\) = [0-9.]+% and a mean wait of ([0-9.]+ (?:µs|ms|s)); measured: [0-9.]+ clients waiting on average ⇒ ([0-9.]+ (?:µs|ms|s)) mean wait per transaction \(Little's law on the queue\): (the model fits|the model does not fit)`)

func number(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// seconds reads a printed duration: "4.88 ms", "812 µs", "1.2 s".
func seconds(t *testing.T, s string) float64 {
	t.Helper()
	v, unit, _ := strings.Cut(s, " ")
	return number(t, v) * map[string]float64{"µs": 1e-6, "ms": 1e-3, "s": 1}[unit]
}
