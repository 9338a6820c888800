package prom

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

var testAt = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// scripted answers queries by their text: a tiny fake Prometheus for what
// cannot be staged on a real one (failures, NaN, hostile values).
func scripted(t *testing.T, names []string, answers map[string]fakeAnswer) *fakeServer {
	return newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			b, _ := json.Marshal(map[string]any{"status": "success", "data": names})
			return fakeAnswer{body: string(b)}
		case strings.HasSuffix(r.URL.Path, "/label/le/values"):
			return fakeAnswer{body: `{"status":"success","data":["0.5","1","+Inf"]}`}
		case strings.HasSuffix(r.URL.Path, "/status/buildinfo"):
			return fakeAnswer{body: `{"status":"success","data":{"version":"2.42.0"}}`}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,"2"]]}]}}`}
		}
		if a, ok := answers[r.Form.Get("query")]; ok {
			return a
		}
		return fakeAnswer{body: `{"status":"success","data":{"resultType":"vector","result":[]}}`}
	})
}

func testCatalog() triage.Catalog {
	warn := 5.0
	return triage.Catalog{
		{ID: "fails", Unit: triage.UnitClients, Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: "fails"}}},
		{ID: "nan", Unit: triage.UnitRatio, Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: "nan"}}},
		{ID: "many", Unit: triage.UnitClients, Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: "many"}}},
		{ID: "p99", Unit: triage.UnitSeconds, Candidates: []triage.Candidate{{Exporter: "h", Metrics: []string{"m"}, Query: "p99{$SEL}", Histogram: "h_bucket"}}},
		{ID: "second", Unit: triage.UnitClients, Thresholds: triage.Thresholds{Warning: &warn},
			Candidates: []triage.Candidate{{Exporter: "first", Metrics: []string{"m"}, Query: "empty"}, {Exporter: "second", Metrics: []string{"m"}, Query: "seven"}}},
		{ID: "absent", Enable: "run the absent exporter", Hints: []triage.Hint{{If: "related", Say: "related exporter lacks it"}},
			Candidates: []triage.Candidate{{Exporter: "x", Metrics: []string{"not_there"}, Query: "x"}}},
		{ID: "warned", Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: "warned"}}},
	}
}

func TestCollectKeepsEachSignalHonest(t *testing.T) {
	f := scripted(t, []string{"m", "related"}, map[string]fakeAnswer{
		"fails":          {status: 422, body: `{"status":"error","errorType":"execution","error":"too many samples"}`},
		"nan":            {body: vectorBody("NaN", "")},
		"many":           {body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}`},
		`p99{job="api"}`: {body: vectorBody("1", "")},
		"seven":          {body: vectorBody("7", "")},
		"warned":         {body: `{"status":"success","warnings":["store unavailable"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}`},
	})
	var mu sync.Mutex
	var progressed []triage.SignalID
	snap, err := Collect(context.Background(), newTestClient(t, f.URL, time.Second), testCatalog(), Options{
		At: testAt, Selector: `{job="api"}`,
		Progress: func(r triage.Reading) { mu.Lock(); progressed = append(progressed, r.ID); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(id triage.SignalID) triage.Reading {
		r, ok := snap.Get(id)
		if !ok {
			t.Fatalf("no reading %s", id)
		}
		return r
	}
	if r := get("fails"); r.Status != triage.StatusError || !strings.Contains(r.Reason, "too many samples") {
		t.Errorf("fails: %s %q", r.Status, r.Reason)
	}
	if r := get("nan"); r.Status != triage.StatusMissing || !math.IsNaN(r.Value.V) || !strings.Contains(r.Reason, "NaN") || r.Usable() {
		t.Errorf("nan: %+v", r)
	}
	if r := get("many"); r.Status != triage.StatusError || !strings.Contains(r.Reason, "2 series") {
		t.Errorf("many: %s %q", r.Status, r.Reason)
	}
	if r := get("p99"); !r.AtLeast || r.Formatted() != "≥ 1 s" || r.Query != `p99{job="api"}` {
		t.Errorf("p99: at least %v, %q, query %q", r.AtLeast, r.Formatted(), r.Query)
	}
	// The fake answers the day before with the same clamped 1 s: no ratio.
	if r := get("p99"); !r.BaselineAtLeast {
		t.Errorf("p99: a clamped baseline is not flagged")
	} else if _, ok := r.BaselineRatio(); ok {
		t.Errorf("p99: a ratio to a clamped baseline")
	}
	if r := get("second"); r.Exporter != "second" || r.Value.V != 7 || r.Status != triage.StatusWarning || len(r.Series) != 2 {
		t.Errorf("second candidate: %+v", r)
	}
	if r := get("absent"); r.Status != triage.StatusMissing || r.Reason != "related exporter lacks it" || r.Value.Known {
		t.Errorf("absent: %+v", r)
	}
	if !snap.Partial {
		t.Error("a failed query and a server warning must mark the snapshot partial")
	}
	if snap.Source.Backend != "prometheus 2.42.0" {
		t.Errorf("backend %q", snap.Source.Backend)
	}
	if len(progressed) != len(testCatalog()) {
		t.Errorf("progress saw %d readings", len(progressed))
	}
}

func TestCollectStopsWhenTheSourceIsUnusable(t *testing.T) {
	f := newFake(t, fixed(fakeAnswer{status: 401, body: "denied"}))
	_, err := Collect(context.Background(), newTestClient(t, f.URL, time.Second), testCatalog(), Options{At: testAt})
	if err == nil || !strings.Contains(err.Error(), "authentication failed") {
		t.Fatalf("got %v", err)
	}
	// Discovery, and beside it the engine's four endpoints and the
	// replica labels' lookups; nothing after.
	if n, most := f.requests.Load(), int64(1+4+len(replicaLabels)); n > most {
		t.Errorf("%d requests after an auth failure: should stop at discovery (%d at most)", n, most)
	}
}

func TestRecordingReplaysOffline(t *testing.T) {
	f := scripted(t, []string{"m"}, map[string]fakeAnswer{
		"nan":   {body: vectorBody("NaN", `"pod":"a\u001b[2J"`)},
		"seven": {body: vectorBody("7", "")},
		"fails": {status: 400, body: `{"status":"error","errorType":"bad_data","error":"parse error"}`},
	})
	rec := &Recorder{Inner: newTestClient(t, f.URL, time.Second)}
	live, err := Collect(context.Background(), rec, testCatalog(), Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	file := Recording{Format: RecordingFormat, Version: RecordingVersion, At: testAt, Window: "15m", Calls: rec.Calls(), Slots: rec.Slots()}
	data, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := ParseRecording(data)
	if err != nil {
		t.Fatal(err)
	}
	offline, err := Collect(context.Background(), rp, testCatalog(), Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range live.Readings {
		got := offline.Readings[i]
		if fmt.Sprint(got.Value, got.Status, got.Reason, got.Exporter, got.AtLeast, len(got.Series)) !=
			fmt.Sprint(want.Value, want.Status, want.Reason, want.Exporter, want.AtLeast, len(want.Series)) {
			t.Errorf("%s: replay %+v, live %+v", want.ID, got, want)
		}
	}
	// The replay asks what the recording heard, no more.
	if offline.Queries != live.Queries {
		t.Errorf("replay sent %d queries, the live pass %d", offline.Queries, live.Queries)
	}
	// A question the recording never heard is an error, not silence.
	if _, err := rp.Instant(context.Background(), "other", testAt); err == nil || !strings.Contains(err.Error(), "not in the recording") {
		t.Errorf("unrecorded query: %v", err)
	}
}

func TestParseRecordingRejectsBadFiles(t *testing.T) {
	tests := map[string]string{
		`{"format":"scaletriage-snapshot","version":2,"at":"2026-03-02T12:00:00Z","window":"15m"}`: "newer",
		`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00`:                      "invalid JSON",
		`{"format":"other","version":1}`:                                                           "not a scaletriage snapshot",
		`{"format":"scaletriage-snapshot","version":1,"window":"15m"}`:                             "no evaluation time",
		`{"format":"scaletriage-snapshot","version":1,"at":"2026-03-02T12:00:00Z","window":"15m","calls":[{"kind":"instant","result":{"series":[{"labels":{},"points":[[1,"x"]]}]}}]}`: "not a number",
	}
	for in, want := range tests {
		if _, err := ParseRecording([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.60s...: got %v, want %q", in, err, want)
		}
	}
}

func TestSampleJSONKeepsNaNAndInf(t *testing.T) {
	in := []Sample{{T: testAt, V: math.NaN()}, {T: testAt, V: math.Inf(1)}, {T: testAt, V: 0.25}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out []Sample
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(out[0].V) || !math.IsInf(out[1].V, 1) || out[2].V != 0.25 || !out[2].T.Equal(testAt) {
		t.Errorf("round trip: %s -> %+v", data, out)
	}
}

func TestCollectFailsWhenNothingCanBeRead(t *testing.T) {
	f := newFake(t, func(r *http.Request) fakeAnswer {
		if strings.HasSuffix(r.URL.Path, "/label/__name__/values") {
			return fakeAnswer{body: `{"status":"success","data":["m"]}`}
		}
		return fakeAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"storage is broken"}`}
	})
	_, err := Collect(context.Background(), newTestClient(t, f.URL, time.Second), testCatalog(), Options{At: testAt})
	if err == nil || !strings.Contains(err.Error(), "no signal could be read") || !strings.Contains(err.Error(), "storage is broken") {
		t.Fatalf("got %v", err)
	}
}

func TestCollectSurvivesASeriesWithoutSamples(t *testing.T) {
	start, end := testAt.Add(-15*time.Minute), testAt
	rec := Recording{Format: RecordingFormat, Version: RecordingVersion, At: testAt, Window: "15m", Calls: []Call{
		{Kind: "label_values", Label: "__name__", Start: &start, End: &end, Values: []string{"m"}},
		{Kind: "range", Query: "seven", Start: &start, End: &end, Step: "15s", Answer: &Answer{Series: []Series{{Labels: map[string]string{}}}}},
		{Kind: "instant", Query: "seven", Time: &end, Answer: &Answer{Series: []Series{{Labels: map[string]string{}}}}},
	}}
	data, _ := json.Marshal(rec)
	rp, err := ParseRecording(data)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := Collect(context.Background(), rp, testCatalog()[4:5], Options{At: testAt})
	if err == nil {
		r := snap.Readings[0]
		t.Fatalf("want an error for an unreadable snapshot, got %s %q", r.Status, r.Reason)
	}
	if !strings.Contains(err.Error(), "a series without a sample") {
		t.Errorf("got %v", err)
	}
}

// A server that answers discovery and then hangs: the budget ends the
// collection with an error, whatever the per-query deadline and retries.
func TestCollectBudgetBoundsAHangingServer(t *testing.T) {
	f := newFake(t, func(r *http.Request) fakeAnswer {
		if strings.HasSuffix(r.URL.Path, "/label/__name__/values") {
			return fakeAnswer{body: `{"status":"success","data":["m"]}`}
		}
		return fakeAnswer{delay: time.Minute}
	})
	_, err := Collect(context.Background(), newTestClient(t, f.URL, 10*time.Second), testCatalog(), Options{At: testAt, Budget: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no signal could be read") || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("got %v", err)
	}
}

func TestLongChainsFirst(t *testing.T) {
	plain := triage.SignalDef{Candidates: []triage.Candidate{{Query: "x"}}}
	histogram := triage.SignalDef{Candidates: []triage.Candidate{{Query: "x"}, {Query: "y", Histogram: "h_bucket"}}}
	decomposed := triage.SignalDef{ID: triage.Decompositions[0].Signal, Candidates: []triage.Candidate{{Query: "z"}}}
	got := longChainsFirst(triage.Catalog{plain, histogram, plain, decomposed, histogram, plain})
	if want := []int{1, 3, 4, 0, 2, 5}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (histograms and decomposed signals first, catalog order kept)", got, want)
	}
}

// The window is a probe's costliest lookup: when the server refuses it as
// too expensive (or it times out), the instant query alone gives the value,
// without the sparkline, which a warning says; a bad query is the signal's
// error, not retried as an instant.
func TestValueSurvivesAWindowTooExpensive(t *testing.T) {
	for _, tc := range []struct {
		name     string
		refusal  fakeAnswer
		wantBack bool
	}{
		{"too expensive", fakeAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}`}, true},
		{"bad query", fakeAnswer{status: 400, body: `{"status":"error","errorType":"bad_data","error":"parse error"}`}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(r *http.Request) fakeAnswer {
				switch {
				case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
					return fakeAnswer{body: `{"status":"success","data":["m"]}`}
				case strings.HasSuffix(r.URL.Path, "/query_range"):
					return tc.refusal
				case strings.HasSuffix(r.URL.Path, "/query"):
					return fakeAnswer{body: vectorBody("0.97", "")}
				}
				return fakeAnswer{status: 404, contentType: "text/plain", body: "404 page not found"}
			})
			snap, err := Collect(context.Background(), newTestClient(t, f.URL, 5*time.Second), triage.Catalog{oneCandidate("p99", triage.UnitSeconds, "p99")}, Options{At: testAt})
			if !tc.wantBack {
				if err == nil {
					r, _ := snap.Get("p99")
					t.Fatalf("a bad query read %s %v", r.Status, r.Value)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r, _ := snap.Get("p99")
			if !r.Value.Known || r.Value.V != 0.97 || len(r.Series) != 0 {
				t.Errorf("value %+v, %d sparkline points; want 0.97 without a sparkline", r.Value, len(r.Series))
			}
			if len(r.Warnings) == 0 || !strings.HasPrefix(r.Warnings[len(r.Warnings)-1], "sparkline: ") || !snap.Partial {
				t.Errorf("warnings %q, partial %v: the missing sparkline must be said", r.Warnings, snap.Partial)
			}
		})
	}
}

// A replay carries the notes the live server gave of itself: where it moved
// the API, its clock's skew, the stores it could not reach; sanitized, and a
// skew no clock can have is none.
func TestRecordingKeepsWhatTheServerSaidOfItself(t *testing.T) {
	live := triage.Source{URL: "http://prom:9090", Backend: "thanos 0.41.0", RedirectedTo: "http://prom:9090/prefix",
		ClockSkew: 90 * time.Second, Unreachable: []string{"store-b:10901: connection refused"}, Deduplicated: "replica"}
	for _, tc := range []struct {
		name   string
		source RecordedSource
		want   triage.Source
	}{
		{"as recorded", RecordSource(live), triage.Source{URL: live.URL, Backend: live.Backend, RedirectedTo: live.RedirectedTo,
			ClockSkew: live.ClockSkew, Unreachable: live.Unreachable}},
		{"hostile", RecordedSource{URL: "http://p", RedirectedTo: "http://p/\x1b[2Jx", ClockSkewSeconds: 1e300, Unreachable: []string{"s\x1b]8;;x\x07"}},
			triage.Source{URL: "http://p", RedirectedTo: "http://p/␛[2Jx", Unreachable: []string{"s␛]8;;x␇"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(Recording{Format: RecordingFormat, Version: RecordingVersion, At: testAt, Window: "15m", Source: tc.source})
			if err != nil {
				t.Fatal(err)
			}
			rp, err := ParseRecording(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := rp.Source(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("replayed source %+v, want %+v", got, tc.want)
			}
		})
	}
}

// The routine signals wait for every long chain's first request: a long
// chain with nothing to send (its metrics absent) must not hold them.
func TestALongChainWithNothingToSendHoldsNoOne(t *testing.T) {
	f := scripted(t, []string{"m"}, map[string]fakeAnswer{"seven": {body: vectorBody("7", "")}})
	cat := triage.Catalog{
		{ID: "absent_p99", Candidates: []triage.Candidate{{Exporter: "h", Metrics: []string{"not_there"}, Query: "p99", Histogram: "h_bucket"}}},
		{ID: "seven", Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: "seven"}}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snap, err := Collect(ctx, newTestClient(t, f.URL, time.Second), cat, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := snap.Get("seven"); r.Value != triage.Of(7) {
		t.Errorf("the routine signal read %v, want 7", r.Value)
	}
}

// A recording lists its calls by call, not by arrival: the same answers
// recorded twice, in another order, make the same file.
func TestRecordingOrderIsTheCallsNotTheirArrival(t *testing.T) {
	q := &answering{answer: Answer{Series: []Series{series(1)}}}
	asked := []string{"b", "a", "c"}
	var calls [][]Call
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}} {
		rec := &Recorder{Inner: q}
		for _, i := range order {
			if _, err := rec.Instant(context.Background(), asked[i], testAt); err != nil {
				t.Fatal(err)
			}
		}
		calls = append(calls, rec.Calls())
	}
	first, _ := json.Marshal(calls[0])
	second, _ := json.Marshal(calls[1])
	if string(first) != string(second) || calls[0][0].Query != "a" {
		t.Errorf("recorded in another order, another file:\n%s\n%s", first, second)
	}
}
