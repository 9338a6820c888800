package prom

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// recordedSeed is a small but complete recording: one of
// testCatalog against a fake that answers everything (a NaN, a hostile
// label, a server warning, a failed query among them), with its catalog.
func recordedSeed(t testing.TB) []byte {
	t.Helper()
	f := newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			return fakeAnswer{body: `{"status":"success","data":["m","related"]}`}
		case strings.HasSuffix(r.URL.Path, "/label/le/values"):
			return fakeAnswer{body: `{"status":"success","data":["0.5","1","+Inf"]}`}
		case strings.HasSuffix(r.URL.Path, "/status/buildinfo"):
			return fakeAnswer{body: `{"status":"success","data":{"version":"2.42.0"}}`}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"pod":"a\u001b[2J"},"values":[[1,"1"],[2,"NaN"],[3,"+Inf"]]}]}}`}
		}
		switch r.Form.Get("query") {
		case "fails":
			return fakeAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"too many samples"}`}
		case "nan":
			return fakeAnswer{body: vectorBody("NaN", `"pod":"x\u001b]52;c;QUFB\u0007"`)}
		case "warned":
			return fakeAnswer{body: `{"status":"success","warnings":["store unavailable"],"infos":["fixed for monotonicity"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}`}
		}
		return fakeAnswer{body: vectorBody("7", "")}
	})
	rec := &Recorder{Inner: newTestClient(t, f.URL, time.Second)}
	if _, err := Collect(context.Background(), rec, testCatalog(), Options{At: testAt}); err != nil {
		t.Fatal(err)
	}
	file := Recording{Format: RecordingFormat, Version: RecordingVersion, At: testAt, Window: "15m", RateWindow: "5m",
		Selector: `job="api"`, Exporters: []string{"e"}, Catalog: testCatalog(), Calls: rec.Calls()}
	file.Source.URL, file.Source.Backend = "http://prom:9090", "prometheus 2.42.0"
	data, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// recordingSeeds are broken and hostile recordings: the rejections
// TestParseRecordingRejectsBadFiles names, a series without a sample,
// windows and times at the edges, samples that are not numbers.
var recordingSeeds = []string{
	``,
	`null`,
	`[]`,
	`{"format":"scaletriage-snapshot","version":2,"at":"2026-03-02T12:00:00Z","window":"15m"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00`,
	`{"format":"other","version":1}`,
	`{"format":"scaletriage-snapshot","version":1,"window":"15m"}`,
	`{"format":"scaletriage-snapshot","version":0,"at":"2026-03-02T12:00:00Z","window":"15m"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"soon"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"-5m","rate_window":"-1s"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"0001-01-01T00:00:01Z","window":"2562047h"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"9999-12-31T23:59:59Z","window":"1ns","rate_window":"1ns"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"15m","selector":"job!=\"\"}[5m])) * 0 + 5000 #"}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"15m","calls":[{"kind":"instant","result":{"series":[{"labels":{},"points":[[1,"x"]]}]}}]}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"15m","calls":[{"kind":"instant","result":{"series":[{"labels":null,"points":[[1e300,"1e309"],["a","1"]]}]}}]}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"15m",` +
		`"catalog":[{"id":"second","unit":"clients","candidates":[{"exporter":"e","metrics":["m"],"query":"seven"}]}],` +
		`"calls":[{"kind":"label_values","label":"__name__","start":"2026-03-02T11:45:00Z","end":"2026-03-02T12:00:00Z","values":["m"]},` +
		`{"kind":"instant","query":"seven","time":"2026-03-02T12:00:00Z","result":{"series":[{"labels":{}}]}},` +
		`{"kind":"backend","text":"\u001b[2Jevil"}]}`,
	`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"15m",` +
		`"catalog":[{"id":"second","unit":"clients","candidates":[{"exporter":"e","metrics":["m"],"query":"seven"}]}],` +
		`"calls":[{"kind":"label_values","label":"__name__","start":"2026-03-02T11:45:00Z","end":"2026-03-02T12:00:00Z","error":{"class":"auth","status":401,"msg":"denied\u001b[2J"}}]}`,
}

// FuzzParseRecording: a recording is untrusted input (a file a
// colleague attached to a ticket). Parsing never panics; a file it accepts
// replays, within a bound, into a snapshot whose text cannot drive the
// terminal, without panicking.
func FuzzParseRecording(f *testing.F) {
	f.Add(recordedSeed(f))
	for _, s := range recordingSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRecording(t, data)
	})
}

// TestRecordedFilesKeepTheReplayProperty runs the fuzz target's property
// over the real recordings: the scenario incidents and the bundled demo.
func TestRecordedFilesKeepTheReplayProperty(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/recordings/*.json")
	files = append(files, "../../cmd/scaletriage/demo/incident.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			if rp := checkRecording(t, data); rp == nil {
				t.Fatal("a real recording was refused")
			}
		})
	}
}

// checkRecording is the property: returns the replay when the file was
// accepted.
func checkRecording(t *testing.T, data []byte) *Replay {
	rp, err := ParseRecording(data)
	if err != nil {
		if rp != nil {
			t.Fatalf("a replay and an error: %v", err)
		}
		assertPrintable(t, "the error", err.Error())
		return nil
	}
	rec := rp.Recording()
	if rec.At.IsZero() {
		t.Fatal("accepted without an evaluation time")
	}
	if _, err := time.ParseDuration(rec.Window); err != nil {
		t.Fatalf("accepted with window %q", rec.Window)
	}
	assertPrintable(t, "the source", rec.Source.URL+rec.Source.Backend+rec.Selector+strings.Join(rec.Exporters, ""))
	// A replay is offline: it answers at once or not at all.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	snap, err := rp.Collect(ctx)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("a replay took %s", took)
	}
	if err != nil {
		assertPrintable(t, "the error", err.Error())
		return rp
	}
	if snap == nil {
		t.Fatal("no snapshot and no error")
	}
	for _, r := range snap.Readings {
		text := []string{string(r.ID), r.Title, r.Reason, r.Query, r.Exporter, r.Statistic}
		text = append(text, r.Warnings...)
		text = append(text, r.Infos...)
		for _, e := range r.Entities {
			for k, v := range e.Labels {
				text = append(text, k, v)
			}
		}
		assertPrintable(t, "reading "+string(r.ID), strings.Join(text, " "))
	}
	return rp
}

// assertPrintable fails on a rune that would act on a terminal.
func assertPrintable(t *testing.T, what, s string) {
	t.Helper()
	for i, r := range s {
		if r < 0x20 || r == 0x7f || triage.Invisible(r) {
			t.Fatalf("%s holds %U at byte %d: %q", what, r, i, s)
		}
	}
}
