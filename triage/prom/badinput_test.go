package prom

// The rows of the bad-input list (docs/hardening.md) that no other test of
// the package stages: each answer a real Prometheus cannot be made to give,
// from a fake server, through the real client (and the collector where the
// row is about a signal's reading).

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/common/config"

	"github.com/scaletriage/scaletriage/triage"
)

// collectOne collects a catalog of one signal whose one candidate runs
// query, against f.
func collectOne(t *testing.T, f *fakeServer, def triage.SignalDef) (*triage.Snapshot, triage.Reading) {
	t.Helper()
	snap, err := Collect(context.Background(), newTestClient(t, f.URL, 5*time.Second), triage.Catalog{def}, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := snap.Get(def.ID)
	if !ok {
		t.Fatalf("no reading %s", def.ID)
	}
	return snap, r
}

func oneCandidate(id triage.SignalID, unit triage.Unit, query string) triage.SignalDef {
	return triage.SignalDef{ID: id, Title: string(id), Unit: unit, Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: query}}}
}

// Bad input 1: an empty vector is "no data", neither 0 nor an error, and
// says why; and when no signal has a value at all, the collection is an
// error, never a healthy-looking empty report.
func TestEmptyVectorIsNoData(t *testing.T) {
	f := scripted(t, []string{"m"}, map[string]fakeAnswer{"seven": {body: vectorBody("7", "")}}) // others answer result:[]
	empty := oneCandidate("empty", triage.UnitClients, "empty")
	snap, err := Collect(context.Background(), newTestClient(t, f.URL, 5*time.Second),
		triage.Catalog{empty, oneCandidate("seven", triage.UnitClients, "seven")}, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := snap.Get("empty")
	if r.Status != triage.StatusMissing || r.Value.Known || r.Usable() || r.Formatted() != "no data" {
		t.Errorf("status %s, value %+v, shown %q; want missing, unknown, \"no data\"", r.Status, r.Value, r.Formatted())
	}
	if !strings.HasPrefix(r.Reason, "no data: the exporter's metrics exist but the query returned nothing") {
		t.Errorf("reason %q", r.Reason)
	}
	if snap.Partial {
		t.Error("no data is not a failure: the snapshot is not partial")
	}
	_, err = Collect(context.Background(), newTestClient(t, f.URL, 5*time.Second), triage.Catalog{empty}, Options{At: testAt})
	if !errors.Is(err, ErrNothingRead) || !strings.Contains(err.Error(), "no signal has a value") {
		t.Errorf("only empty answers: got %v, want %v", err, ErrNothingRead)
	}
}

// Bad input 3: ±Inf is shown as such, flagged suspicious, never judged as
// a number and never a panic.
func TestInfiniteValueIsSuspicious(t *testing.T) {
	for _, v := range []string{"+Inf", "-Inf"} {
		t.Run(v, func(t *testing.T) {
			warn := 1.0
			def := oneCandidate("inf", triage.UnitSeconds, "inf")
			def.Thresholds = triage.Thresholds{Warning: &warn}
			f := scripted(t, []string{"m"}, map[string]fakeAnswer{"inf": {body: vectorBody(v, "")}})
			snap, r := collectOne(t, f, def)
			if !math.IsInf(r.Value.V, 0) || r.Usable() {
				t.Fatalf("value %+v", r.Value)
			}
			if want := "suspicious value " + v + ": check the query"; r.Status != triage.StatusError || r.Reason != want {
				t.Errorf("status %s, reason %q; want error, %q", r.Status, r.Reason, want)
			}
			if r.Formatted() != v {
				t.Errorf("shown %q", r.Formatted())
			}
			if !snap.Partial {
				t.Error("a suspicious value leaves the snapshot complete")
			}
		})
	}
}

// Bad input 5: a histogram with only the +Inf bucket gives NaN: reported
// as NaN (no observations), not judged, and not clamped to a bucket that
// does not exist.
func TestHistogramWithOnlyTheInfBucket(t *testing.T) {
	f := newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			return fakeAnswer{body: `{"status":"success","data":["m"]}`}
		case strings.HasSuffix(r.URL.Path, "/label/le/values"):
			return fakeAnswer{body: `{"status":"success","data":["+Inf"]}`}
		case r.Form.Get("query") == "rps": // a signal with a value: NaN alone is nothing to triage
			return fakeAnswer{body: vectorBody("5", "")}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"NaN"]]}]}}`}
		}
		return fakeAnswer{body: vectorBody("NaN", "")}
	})
	def := oneCandidate("p99", triage.UnitSeconds, "p99")
	def.Candidates[0].Histogram = "h_bucket"
	snap, err := Collect(context.Background(), newTestClient(t, f.URL, 5*time.Second),
		triage.Catalog{def, oneCandidate("rps", triage.UnitRPS, "rps")}, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := snap.Get("p99")
	if r.Status != triage.StatusMissing || !math.IsNaN(r.Value.V) || r.AtLeast || !strings.Contains(r.Reason, "NaN") {
		t.Errorf("status %s, value %v, at least %v, reason %q", r.Status, r.Value.V, r.AtLeast, r.Reason)
	}
	if r.Formatted() != "NaN (no observations)" {
		t.Errorf("shown %q", r.Formatted())
	}
}

// Bad input 6: the monotonicity info of histogram_quantile reaches the
// reading's infos, sanitized, from infos (v2.48+) as from warnings (older
// servers, and Thanos today): an info does not make the answer partial.
func TestMonotonicityInfoIsKept(t *testing.T) {
	const info = "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs) for metric name \\\"h\\\"\\u001b[2J"
	const shown = `PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs) for metric name "h"␛[2J`
	for _, field := range []string{"infos", "warnings"} {
		t.Run(field, func(t *testing.T) {
			body := fmt.Sprintf(`{"status":"success","%s":["%s"],"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.25"]}]}}`, field, info)
			f := scripted(t, []string{"m"}, map[string]fakeAnswer{"p99": {body: body}})
			_, r := collectOne(t, f, oneCandidate("p99", triage.UnitSeconds, "p99"))
			if got := r.Infos; len(got) != 1 || got[0] != shown || len(r.Warnings) != 0 {
				t.Errorf("from %s: infos %q, warnings %q; want infos [%q]", field, got, r.Warnings, shown)
			}
			if r.Value.V != 0.25 {
				t.Errorf("the value is lost: %+v", r.Value)
			}
		})
	}
}

// Bad input 8: eleven warnings (the server's ten plus its "N more") are all
// kept, in one order whatever order the stores answered in (sorted, so that
// a replay equals the live report), and mark the snapshot partial.
func TestEveryWarningIsKept(t *testing.T) {
	var warns []string
	for i := range 10 {
		warns = append(warns, fmt.Sprintf("store %d unavailable", i))
	}
	warns = append(warns, "5 more warnings omitted")
	reversed := slices.Clone(warns)
	slices.Reverse(reversed)
	want := slices.Sorted(slices.Values(warns)) // neither order sent
	for _, sent := range [][]string{warns, reversed} {
		w, _ := json.Marshal(sent)
		body := `{"status":"success","warnings":` + string(w) + `,"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}`
		f := scripted(t, []string{"m"}, map[string]fakeAnswer{"warned": {body: body}})
		snap, r := collectOne(t, f, oneCandidate("warned", triage.UnitClients, "warned"))
		if !slices.Equal(r.Warnings, want) {
			t.Errorf("sent %q\nkept %q\nwant all 11, sorted: %q", sent, r.Warnings, want)
		}
		if !snap.Partial || r.Value.V != 3 {
			t.Errorf("partial %v, value %+v", snap.Partial, r.Value)
		}
	}
}

// Bad inputs 12, 14, 22, 25, 28, 29: answers the client classifies or
// accepts, one request each unless retrying can help.
func TestClientHandlesHostileAnswers(t *testing.T) {
	hugeLabel := strings.Repeat("e\u0301", 5_000) + strings.Repeat("x", 1<<20)
	bigHTML := "<html>" + strings.Repeat("bad gateway \x1b[2J ", 10_000) + "</html>"
	tests := []struct {
		name     string
		answer   fakeAnswer
		class    Class // "" when accepted
		requests int64
		check    func(t *testing.T, e *Error, res Answer)
	}{
		{"499 canceled is silent", fakeAnswer{status: 499, body: `{"status":"error","errorType":"canceled","error":"context canceled"}`}, ClassCanceled, 1,
			func(t *testing.T, e *Error, _ Answer) {
				if e.Msg != "canceled" {
					t.Errorf("message %q", e.Msg)
				}
			}},
		{"502 HTML is truncated", fakeAnswer{status: 502, contentType: "text/html", body: bigHTML}, ClassServer, 3,
			func(t *testing.T, e *Error, _ Answer) {
				if n := utf8.RuneCountInString(e.Detail); n > 513 {
					t.Errorf("detail of %d runes kept", n)
				}
				if n := utf8.RuneCountInString(e.Msg); n > 600 {
					t.Errorf("message of %d runes", n)
				}
				if !strings.Contains(e.Msg, "HTTP 502") || !strings.Contains(e.Msg, "␛[2J") || strings.ContainsRune(e.Msg+e.Detail, 0x1b) {
					t.Errorf("message %.100q", e.Msg)
				}
			}},
		{"scalar accepted", fakeAnswer{body: `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}`}, "", 1,
			func(t *testing.T, _ *Error, res Answer) {
				if v, n := res.single(); n != 1 || v.V != 42 {
					t.Errorf("scalar read as %+v (%d series)", v, n)
				}
			}},
		{"native histogram", fakeAnswer{body: `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1700000000,{"count":"10","sum":"5","buckets":[[3,"-0.25","0.25","3"]]}]}]}}`}, ClassBadResponse, 1,
			func(t *testing.T, e *Error, _ Answer) {
				if !strings.Contains(e.Msg, "native histogram") || !strings.Contains(e.Msg, "histogram_quantile") {
					t.Errorf("message %q", e.Msg)
				}
			}},
		{"OSC 52 in an error body", fakeAnswer{status: 500, body: `{"status":"error","errorType":"internal","error":"boom \u001b]52;c;cHduZWQ=\u0007"}`}, ClassServer, 1,
			func(t *testing.T, e *Error, _ Answer) {
				if !strings.Contains(e.Msg, "boom ␛]52;c;cHduZWQ=␇") || strings.ContainsAny(e.Msg+e.Detail, "\x1b\x07") {
					t.Errorf("message %q, detail %q", e.Msg, e.Detail)
				}
			}},
		{"1 MB label of grapheme soup", fakeAnswer{body: vectorBody("1", `"pod":"`+hugeLabel+`"`)}, "", 1,
			func(t *testing.T, _ *Error, res Answer) {
				got := res.Series[0].Labels["pod"]
				if n := utf8.RuneCountInString(got); n != triage.MaxField+1 || !strings.HasSuffix(got, "…") {
					t.Errorf("label of %d runes kept", n)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, fixed(tt.answer))
			res, err := newTestClient(t, f.URL, 5*time.Second).Instant(context.Background(), "up", time.Unix(1700000000, 0))
			var e *Error
			switch {
			case tt.class == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.class != "" && (!errors.As(err, &e) || e.Class != tt.class):
				t.Fatalf("got %#v, want class %q", err, tt.class)
			}
			if got := f.requests.Load(); got != tt.requests {
				t.Errorf("%d requests, want %d", got, tt.requests)
			}
			tt.check(t, e, res)
		})
	}
}

// Bad input 19: a server that sends its headers and then one byte at a
// time is cut at the query's deadline, like one that never answers
// (TestClientDeadlineBoundsAHangingServer); TestMain's goleak check proves
// nothing is left running.
func TestTricklingServerIsCutAtTheDeadline(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		body := vectorBody("1", "")
		for i := 0; i < len(body); i++ {
			if _, err := io.WriteString(w, body[i:i+1]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	t.Cleanup(srv.Close)
	start := time.Now()
	_, err := newTestClient(t, srv.URL, 500*time.Millisecond).Instant(context.Background(), "up", time.Unix(1700000000, 0))
	var e *Error
	if !errors.As(err, &e) || e.Class != ClassTimeout || !strings.Contains(e.Msg, "timed out after 500ms") {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s for a 500ms deadline", took)
	}
}

// Bad input 20: an endless body (a 200 MB answer, or one that never ends)
// is refused at the default 16 MiB cap; the client stops reading, so the
// server stops writing, and the heap stays bounded.
func TestEndlessBodyIsCapped(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"`)
		chunk := []byte(strings.Repeat("x", 64<<10))
		for written.Load() < 200<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil || r.Context().Err() != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, 30*time.Second)
	var err error
	peak := peakHeap(func() {
		_, err = c.Instant(context.Background(), "up", time.Unix(1700000000, 0))
	})
	var e *Error
	if !errors.As(err, &e) || e.Class != ClassTooLarge || !strings.Contains(e.Msg, fmt.Sprintf("over %d bytes", DefaultMaxBodyBytes)) {
		t.Fatalf("got %v", err)
	}
	if w := written.Load(); w >= 200<<20 {
		t.Errorf("the server wrote all %d MB: the client did not stop reading", w>>20)
	}
	if peak > 128<<20 {
		t.Errorf("peak heap %d MB for a 16 MiB cap", peak>>20)
	}
	t.Logf("server wrote %d MB before the client hung up; peak heap %d MB", written.Load()>>20, peak>>20)
}

// Bad input 21: the connection drops mid-body. The query fails with the
// transport's reason, once (a truncated answer is not retried), and does
// not hang.
func TestConnectionResetMidBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
		io.WriteString(buf, `{"status":"success","data":{"resultType":"vec`)
		buf.Flush()
		if tcp, ok := conn.(*net.TCPConn); ok {
			tcp.SetLinger(0) // a reset, not a clean close
		}
	}))
	t.Cleanup(srv.Close)
	start := time.Now()
	_, err := newTestClient(t, srv.URL, 5*time.Second).Instant(context.Background(), "up", time.Unix(1700000000, 0))
	var e *Error
	if !errors.As(err, &e) || e.Msg == "" || e.Retryable() || e.Fatal() {
		t.Fatalf("got %#v", err)
	}
	if !strings.Contains(e.Msg, srv.URL) && e.Class != ClassBadResponse {
		t.Errorf("message %q names neither the server nor a malformed answer", e.Msg)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s", took)
	}
	t.Logf("%s: %s", e.Class, e.Msg)
}

// Bad input 34: credentials in the URL and in the config at once are
// refused before any request, and the message redacts the URL.
func TestCredentialsInTheURLAndTheConfigAreRefused(t *testing.T) {
	f := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
	u := strings.Replace(f.URL, "http://", "http://ops:hunter2@", 1)
	for name, set := range map[string]func(*config.HTTPClientConfig){
		"bearer_token":  func(hc *config.HTTPClientConfig) { hc.BearerToken = "t0ken" },
		"authorization": func(hc *config.HTTPClientConfig) { hc.Authorization = &config.Authorization{Credentials: "t0ken"} },
		"basic_auth":    func(hc *config.HTTPClientConfig) { hc.BasicAuth = &config.BasicAuth{Username: "a", Password: "t0ken"} },
	} {
		t.Run(name, func(t *testing.T) {
			hc := config.DefaultHTTPClientConfig
			set(&hc)
			_, err := New(Config{URL: u, HTTP: hc})
			if err == nil || !strings.Contains(err.Error(), "credentials in the URL and in the config at once") || !strings.Contains(err.Error(), f.URL) {
				t.Fatalf("got %v", err)
			}
			for _, secret := range []string{"hunter2", "ops", "t0ken"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("message %q holds %q", err, secret)
				}
			}
		})
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// Bad input 36: a self-signed certificate without ca_file, and a wrong
// server_name, are TLS errors that say which key to set; nothing falls
// back to skipping verification (the handler is never reached). With the
// CA, the same server answers.
func TestTLSFailuresAreNamedNeverSkipped(t *testing.T) {
	var reached atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, vectorBody("1", ""))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tls  config.TLSConfig
		want string // "" when the query must succeed
	}{
		{"self-signed, no ca_file", config.TLSConfig{}, "tls_config.ca_file"},
		{"wrong server_name", config.TLSConfig{CAFile: ca, ServerName: "prometheus.internal"}, "prometheus.internal"},
		{"with the CA", config.TLSConfig{CAFile: ca}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := reached.Load()
			hc := config.DefaultHTTPClientConfig
			hc.TLSConfig = tt.tls
			c, err := New(Config{URL: srv.URL, HTTP: hc, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Instant(context.Background(), "up", time.Unix(1700000000, 0))
			if tt.want == "" {
				if err != nil || reached.Load() != before+1 {
					t.Fatalf("with the CA: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Class != ClassTLS || !e.Fatal() || !strings.Contains(e.Msg, tt.want) || !strings.Contains(e.Msg, "never skipped") {
				t.Fatalf("got %#v, want a TLS error naming %q", err, tt.want)
			}
			if n := reached.Load() - before; n != 0 {
				t.Errorf("the handler was reached %d times: verification was skipped", n)
			}
		})
	}
	// The certificate is what the test thinks it is.
	if _, err := x509.ParseCertificate(srv.Certificate().Raw); err != nil {
		t.Fatal(err)
	}
}

// Bad input 37: a name that does not resolve is "cannot reach <host>",
// fatal (no retry, no other query). DNS cannot fail on demand here, so the
// error the dialer returns is built as net/http wraps it.
func TestDNSFailureIsUnreachable(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "http://prom.invalid:9090/api/v1/query", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "prom.invalid", IsNotFound: true}}}
	e := classify(err, "http://prom.invalid:9090")
	if e.Class != ClassUnreachable || !e.Fatal() || e.Retryable() || e.Msg != `cannot reach http://prom.invalid:9090: host "prom.invalid" not found` {
		t.Errorf("got %q %q", e.Class, e.Msg)
	}
}

// Bad input 40: a full collection of the built-in catalog keeps at most
// the default 5 queries in flight, and every signal still gets its value.
func TestCollectCapsQueriesInFlight(t *testing.T) {
	cat := triage.DefaultCatalog()
	names := catalogMetricNames(cat)
	discovery, _ := json.Marshal(map[string]any{"status": "success", "data": names})
	var inFlight, most atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			w.Write(discovery)
		case strings.HasSuffix(r.URL.Path, "/label/le/values"):
			io.WriteString(w, `{"status":"success","data":["1","+Inf"]}`)
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			io.WriteString(w, answerBody(1, 3, true))
		case strings.HasSuffix(r.URL.Path, "/query"):
			io.WriteString(w, answerBody(1, 1, false))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, 10*time.Second)
	snap, err := Collect(context.Background(), c, cat, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	if m := most.Load(); m > DefaultConcurrency || m < 2 {
		t.Errorf("%d requests in flight at most, want 2..%d", m, DefaultConcurrency)
	}
	for _, r := range snap.Readings {
		if !r.Value.Known || r.Status == triage.StatusError {
			t.Errorf("%s starved: %s %q", r.ID, r.Status, r.Reason)
		}
	}
	t.Logf("%d signals, %d requests, at most %d in flight", len(snap.Readings), c.Requests(), most.Load())
}
