package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
	"github.com/scaletriage/scaletriage/tui"
)

// recordings are the real incidents the entry points replay: the lab's
// and the demo's.
func recordings(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../../testdata/recordings/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recordings: %v", err)
	}
	return append(paths, demoPath)
}

const demoPath = "../../cmd/scaletriage/demo/incident.json"

// recordedFindings are the finding ids the report stored in a recording
// says, in rank order: what the rules said when it was made.
func recordedFindings(t *testing.T, path string) []triage.RuleID {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Report struct {
			Findings []struct{ ID triage.RuleID } `json:"findings"`
		} `json:"report"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	var ids []triage.RuleID
	for _, f := range rec.Report.Findings {
		ids = append(ids, f.ID)
	}
	return ids
}

func findingIDs(fs []triage.Finding) []triage.RuleID {
	var ids []triage.RuleID
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return ids
}

// Triage on a recording gives the findings the recording's own report
// holds, stamps the replayed file, and warns about nothing.
func TestTriageReplaysEachRecording(t *testing.T) {
	for _, path := range recordings(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var warnings bytes.Buffer
			res, err := Triage(context.Background(), Request{Replay: path, Warnings: &warnings})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Read() {
				t.Fatal("no snapshot")
			}
			if got := res.Diagnosis.Snapshot.Source.Replay; got != path {
				t.Errorf("Source.Replay %q, want %q", got, path)
			}
			want := recordedFindings(t, path)
			if got := findingIDs(res.Diagnosis.Findings); strings.Join(ids(got), ",") != strings.Join(ids(want), ",") {
				t.Errorf("findings %v, the recording's report says %v", got, want)
			}
			if warnings.Len() > 0 {
				t.Errorf("warnings: %q", warnings.String())
			}
		})
	}
}

func ids(rs []triage.RuleID) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// Every refusal of a request is a usage error (exit 2) that names the
// flag, before any query is sent.
func TestRequestsRefused(t *testing.T) {
	t.Setenv("PROMETHEUS_URL", "")
	t.Setenv("ALERTMANAGER_URL", "")
	// An address nothing listens on: a refusal must come before a query.
	const live = "http://127.0.0.1:1"
	tests := []struct {
		name string
		run  func(Request) error
		req  Request
		want string
	}{
		{"replay with --window", triageErr, Request{Replay: demoPath, Window: "1h"}, "--window cannot be used with a recording"},
		{"replay with --selector", triageErr, Request{Replay: demoPath, Selector: `job="api"`}, "--selector cannot be used with a recording"},
		{"alert on a replay", triageErr, Request{Replay: demoPath, Alert: "HighLatency"}, "alerts are read from a live server"},
		{"alerts on a replay", alertsErr, Request{Replay: demoPath}, "alerts are read from a live server"},
		{"no server", triageErr, Request{}, "no Prometheus URL"},
		{"window too short", triageErr, Request{PrometheusURL: live, Window: "59s"}, "--window: 59s is out of range"},
		{"rate window over the window", triageErr, Request{PrometheusURL: live, Window: "5m", RateWindow: "10m"}, "the rate window must be at most the window"},
		{"timeout too long", triageErr, Request{PrometheusURL: live, Timeout: "1h"}, "--timeout: 1h is out of range"},
		{"concurrency", triageErr, Request{PrometheusURL: live, Concurrency: 51}, "--concurrency 51 is out of range"},
		{"at", triageErr, Request{PrometheusURL: live, At: "yesterday"}, "--at \"yesterday\""},
		{"selector", triageErr, Request{PrometheusURL: live, Selector: `job="api"}) or vector(1`}, "--selector:"},
		{"selector and alert", triageErr, Request{PrometheusURL: live, Selector: `job="api"`, Alert: "HighLatency"}, "--selector and --alert both set the scope"},
		{"record over a directory", recordErr, Request{Replay: demoPath}, "exists and is not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Warnings = &bytes.Buffer{}
			err := tt.run(tt.req)
			var ue UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v (usage error: %t), want a usage error with %q", err, errors.As(err, &ue), tt.want)
			}
		})
	}
}

func triageErr(req Request) error {
	_, err := Triage(context.Background(), req)
	return err
}

func alertsErr(req Request) error {
	_, _, err := Alerts(context.Background(), req)
	return err
}

func recordErr(req Request) error {
	_, _, err := Record(context.Background(), req, os.TempDir(), true)
	return err
}

// Without a server the prompt commands still populate what the config
// knows; with a recording, the live numbers too.
func TestPrompt(t *testing.T) {
	t.Setenv("PROMETHEUS_URL", "")
	p, ok := prompts.Lookup("connection-pool-optimization")
	if !ok {
		t.Fatal("no connection-pool-optimization prompt")
	}
	cfg := filepath.Join(t.TempDir(), "scaletriage.yaml")
	if err := os.WriteFile(cfg, []byte("context:\n  system: checkout API\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	offline, err := Prompt(context.Background(), Request{ConfigPath: cfg, Warnings: &bytes.Buffer{}}, p, "", nil, false)
	if err != nil {
		t.Fatal(err)
	}
	replayed, err := Prompt(context.Background(), Request{ConfigPath: cfg, Replay: demoPath, Warnings: &bytes.Buffer{}}, p, "", map[string]string{"team": "payments"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(offline.Markdown, "checkout API") || !strings.Contains(replayed.Markdown, "checkout API") {
		t.Error("the config's context is not in the prompt")
	}
	if replayed.Filled <= offline.Filled {
		t.Errorf("a recording fills %d placeholders, no source %d: want more", replayed.Filled, offline.Filled)
	}
	if _, err := Prompt(context.Background(), Request{Replay: demoPath, Warnings: &bytes.Buffer{}}, p, "no-such-rule", nil, false); err == nil {
		t.Error("an unknown --finding accepted")
	}
}

// What Record writes replays to the same findings, and is private.
func TestRecordReplaysTheSame(t *testing.T) {
	out := filepath.Join(t.TempDir(), "incident.json")
	res, written, err := Record(context.Background(), Request{Replay: demoPath, Warnings: &bytes.Buffer{}}, out, false)
	if err != nil || !written {
		t.Fatalf("written %t: %v", written, err)
	}
	info, err := os.Stat(out)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("%v %v", info, err)
	}
	again, err := Triage(context.Background(), Request{Replay: out, Warnings: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(findingIDs(again.Diagnosis.Findings)), ids(findingIDs(res.Diagnosis.Findings)); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("replayed %v, recorded %v", got, want)
	}
	if _, written, err := Record(context.Background(), Request{Replay: demoPath, Warnings: &bytes.Buffer{}}, out, false); written || err == nil {
		t.Errorf("over an existing file without force: written %t, %v", written, err)
	}
}

// The TUI's Triager on a recording: not live, named after it, each pass
// the recording's findings with every reading reported as it completes.
func TestTriagerOnARecording(t *testing.T) {
	data, err := os.ReadFile(demoPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, origin string
		open         func() (Triager, error)
	}{
		{"demo", "demo", func() (Triager, error) { return OpenRecording(Request{Warnings: &bytes.Buffer{}}, data, "demo") }},
		{"replay", "recording " + demoPath, func() (Triager, error) { return Open(Request{Replay: demoPath, Warnings: &bytes.Buffer{}}) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := tt.open()
			if err != nil {
				t.Fatal(err)
			}
			cfg := tr.Config()
			if tr.Live() || cfg.Origin != tt.origin || cfg.Window != 5*time.Minute || len(cfg.Signals) == 0 {
				t.Errorf("live %t, origin %q, window %s, %d signals", tr.Live(), cfg.Origin, cfg.Window, len(cfg.Signals))
			}
			readings := 0
			res, err := tr.Triage(context.Background(), tui.Request{Window: cfg.Window}, func(triage.Reading) { readings++ })
			if err != nil {
				t.Fatal(err)
			}
			if readings == 0 || readings != len(res.Diagnosis.Snapshot.Readings) {
				t.Errorf("progress saw %d readings of %d", readings, len(res.Diagnosis.Snapshot.Readings))
			}
			if got, want := ids(findingIDs(res.Diagnosis.Findings)), ids(recordedFindings(t, demoPath)); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("findings %v, want %v", got, want)
			}
			if res.Alerts != nil {
				t.Error("a recording read alerts")
			}
		})
	}
}

// A pass hands each reading to the progress function in its context (the
// interrupt tests' hook).
func TestProgressFromTheContext(t *testing.T) {
	n := 0
	ctx := context.WithValue(context.Background(), ProgressKey{}, func(triage.Reading) { n++ })
	res, err := Triage(ctx, Request{Replay: demoPath, Warnings: &bytes.Buffer{}})
	if err != nil || n == 0 || n != len(res.Diagnosis.Snapshot.Readings) {
		t.Errorf("%d readings reported of %d: %v", n, len(res.Diagnosis.Snapshot.Readings), err)
	}
}

// Services on a recording reads the service signals only, unbounded (a
// recording is far under the cap on one answer).
func TestServicesOnEachRecording(t *testing.T) {
	for _, path := range recordings(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			snap, notes, err := Services(context.Background(), Request{Replay: path, Warnings: &bytes.Buffer{}})
			if err != nil || snap == nil {
				t.Fatalf("%v", err)
			}
			if len(notes) > 0 {
				t.Errorf("notes %q", notes)
			}
			if len(snap.Readings) != len(report.ServiceSignals) {
				t.Errorf("%d readings, want the %d service signals", len(snap.Readings), len(report.ServiceSignals))
			}
			for _, r := range snap.Readings {
				if !slices.Contains(report.ServiceSignals, r.ID) {
					t.Errorf("read %s, not a service signal", r.ID)
				}
			}
		})
	}
}

// tooMany tells the service signals over the cap on one answer from the
// call graph over it, so that only what was cut is read again, bounded.
func TestTooMany(t *testing.T) {
	over := &prom.Error{Class: prom.ClassBadResponse, Msg: "the answer holds more than a triage query needs"}
	if !prom.TooMany(over.Error()) {
		t.Skipf("prom.TooMany does not recognise %q: this table needs its wording", over.Error())
	}
	snap := func(ids ...triage.SignalID) *triage.Snapshot {
		s := &triage.Snapshot{}
		for _, id := range ids {
			s.Readings = append(s.Readings, triage.Reading{ID: id, Status: triage.StatusError, Reason: over.Error()})
		}
		s.Readings = append(s.Readings, triage.Reading{ID: triage.SignalThroughput, Status: triage.StatusOK})
		return s
	}
	tests := []struct {
		name            string
		snap            *triage.Snapshot
		err             error
		services, graph bool
	}{
		{"nothing over", snap(), nil, false, false},
		{"services over", snap(triage.SignalLatencyP99), nil, true, false},
		{"graph over", snap(triage.SignalServiceCalls), nil, false, true},
		{"both over", snap(triage.SignalLatencyP99, triage.SignalServiceCalls), nil, true, true},
		{"nothing read, over", nil, over, true, true},
		{"nothing read, another error", nil, errors.New("cannot reach"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res report.Pass
			res.Diagnosis.Snapshot = tt.snap
			services, graph := tooMany(res, tt.err)
			if services != tt.services || graph != tt.graph {
				t.Errorf("services %t graph %t, want %t %t", services, graph, tt.services, tt.graph)
			}
		})
	}
}
