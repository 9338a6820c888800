package prom

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeAnswer is what the fake server says to one request.
type fakeAnswer struct {
	status      int
	contentType string
	body        string
	delay       time.Duration
	header      map[string]string // Location, Retry-After, Date...
}

// fakeServer is an httptest server for what a real Prometheus cannot be
// made to do. It counts requests and records the last one.
type fakeServer struct {
	*httptest.Server
	requests atomic.Int64
	last     atomic.Pointer[http.Request]
}

func newFake(t testing.TB, answer func(r *http.Request) fakeAnswer) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		_ = r.ParseForm()
		f.last.Store(r)
		a := answer(r)
		if a.delay > 0 {
			select {
			case <-time.After(a.delay):
			case <-r.Context().Done():
				return
			}
		}
		if a.contentType == "" {
			a.contentType = "application/json"
		}
		w.Header().Set("Content-Type", a.contentType)
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		if a.status == 0 {
			a.status = 200
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body) // no copy: a big body costs the server nothing per request
	}))
	t.Cleanup(f.Close)
	return f
}

func vectorBody(value string, labels string) string {
	return fmt.Sprintf(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{%s},"value":[1700000000,%q]}]}}`, labels, value)
}

func fixed(a fakeAnswer) func(*http.Request) fakeAnswer {
	return func(*http.Request) fakeAnswer { return a }
}

func newTestClient(t testing.TB, url string, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(Config{URL: url, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func queryErr(t *testing.T, c *Client) *Error {
	t.Helper()
	_, err := c.Instant(context.Background(), "up", time.Unix(1700000000, 0))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v", err)
	}
	return e
}

func TestClientClassifiesFailures(t *testing.T) {
	tests := []struct {
		name      string
		answer    fakeAnswer
		class     Class
		requests  int64 // with the default 2 retries
		msgPieces []string
	}{
		{"html login page", fakeAnswer{contentType: "text/html", body: "<html>login</html>"}, ClassNotPrometheus, 1, []string{"HTML"}},
		{"401", fakeAnswer{status: 401, body: "unauthorized"}, ClassAuth, 1, []string{"authentication failed", "401"}},
		// client_golang retries a 403 POST as GET once (DoGetFallback).
		{"403", fakeAnswer{status: 403, body: "forbidden"}, ClassAuth, 2, []string{"403"}},
		{"404 wrong prefix", fakeAnswer{status: 404, body: "404 page not found"}, ClassNotFound, 1, []string{"path prefix"}},
		{"503 server timeout", fakeAnswer{status: 503, body: `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`}, ClassTimeout, 1, []string{"query timed out"}},
		{"502 gateway html", fakeAnswer{status: 502, contentType: "text/html", body: "<html>bad gateway\x1b[2J</html>"}, ClassServer, 3, []string{"502"}},
		{"429", fakeAnswer{status: 429, contentType: "text/plain", body: "too many outstanding requests"}, ClassOverloaded, 3, []string{"429", "too many outstanding requests"}},
		{"400 bad query", fakeAnswer{status: 400, body: `{"status":"error","errorType":"bad_data","error":"parse error at char 3"}`}, ClassBadQuery, 1, []string{"parse error at char 3"}},
		{"422 limits", fakeAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"err-mimir-max-series-per-query"}`}, ClassTooExpensive, 1, []string{"err-mimir-max-series-per-query"}},
		{"no org id", fakeAnswer{status: 401, contentType: "text/plain", body: "no org id"}, ClassTenant, 1, []string{"X-Scope-OrgID"}},
		{"string result", fakeAnswer{body: `{"status":"success","data":{"resultType":"string","result":[1,"x"]}}`}, ClassBadResponse, 1, []string{"string"}},
		{"bad sample", fakeAnswer{body: vectorBody("abc", "")}, ClassBadResponse, 1, nil},
		{"truncated json", fakeAnswer{body: `{"status":"success","data":{"resultType":"vec`}, ClassBadResponse, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, fixed(tt.answer))
			e := queryErr(t, newTestClient(t, f.URL, 5*time.Second))
			if e.Class != tt.class {
				t.Fatalf("class %q (%v), want %q", e.Class, e, tt.class)
			}
			if got := f.requests.Load(); got != tt.requests {
				t.Errorf("%d requests, want %d (retries only for 429 and 502-504)", got, tt.requests)
			}
			for _, piece := range tt.msgPieces {
				if !strings.Contains(e.Msg, piece) {
					t.Errorf("message %q lacks %q", e.Msg, piece)
				}
			}
			if strings.ContainsRune(e.Msg+e.Detail, 0x1b) {
				t.Errorf("escape byte reached the message: %q", e.Msg+e.Detail)
			}
		})
	}
}

func TestClientUnreachableIsQuickAndNamesRedactedURL(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	c := newTestClient(t, "http://bob:s3cret@"+addr+"/prefix", 10*time.Second)
	start := time.Now()
	e := queryErr(t, c)
	if e.Class != ClassUnreachable || !e.Fatal() {
		t.Fatalf("class %q: %v", e.Class, e)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %s to say unreachable", time.Since(start))
	}
	if strings.Contains(e.Msg, "s3cret") || strings.Contains(e.Msg, "bob") {
		t.Errorf("secret in message: %q", e.Msg)
	}
	if !strings.Contains(e.Msg, "http://"+addr+"/prefix") {
		t.Errorf("message does not name the redacted URL: %q", e.Msg)
	}
}

func TestClientDeadlineBoundsAHangingServer(t *testing.T) {
	f := newFake(t, fixed(fakeAnswer{delay: time.Minute, body: vectorBody("1", "")}))
	e := queryErr(t, newTestClient(t, f.URL, 300*time.Millisecond))
	if e.Class != ClassTimeout || !strings.Contains(e.Msg, "300ms") {
		t.Fatalf("got %q: %v", e.Class, e)
	}
	r := f.last.Load()
	if got := r.Form.Get("timeout"); got == "" {
		t.Error("no server-side timeout= parameter sent")
	}
}

func TestClientCapsTheBody(t *testing.T) {
	big := `{"status":"success","data":{"resultType":"vector","result":[` + strings.Repeat(`{"metric":{"a":"b"},"value":[1,"1"]},`, 2000) + `{"metric":{},"value":[1,"1"]}]}}`
	f := newFake(t, fixed(fakeAnswer{body: big}))
	c, err := New(Config{URL: f.URL, MaxBodyBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if e := queryErr(t, c); e.Class != ClassTooLarge {
		t.Fatalf("class %q: %v", e.Class, e)
	}
}

func TestClientSendsAuthTenantAndPartialResponse(t *testing.T) {
	f := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
	u := strings.Replace(f.URL, "http://", "http://alice:pw@", 1) + "/select/0/prometheus/"
	c := newTestClient(t, u, time.Second)
	if _, err := c.Instant(context.Background(), "up", time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	r := f.last.Load()
	if user, pw, ok := r.BasicAuth(); !ok || user != "alice" || pw != "pw" {
		t.Errorf("basic auth from URL userinfo not sent: %v %q %q", ok, user, pw)
	}
	if r.URL.Path != "/select/0/prometheus/api/v1/query" {
		t.Errorf("path prefix lost: %s", r.URL.Path)
	}
	if r.Form.Get("partial_response") != "false" {
		t.Errorf("partial_response=false not sent: %v", r.Form)
	}
	if strings.Contains(c.Target(), "pw") {
		t.Errorf("target not redacted: %s", c.Target())
	}
}

// Label values are kept as the server sent them (capped): a query must
// match the server's own values, JSON carries them exact, and every writer
// for people sanitizes them on the way out. Warnings are text for people.
func TestClientKeepsLabelsRawAndSanitizesWarnings(t *testing.T) {
	body := `{"status":"success","warnings":["w\u001b[2J"],"data":{"resultType":"vector","result":[{"metric":{"pod":"x\u001b]52;c;QUFB\u0007\r\u202e"},"value":[1,"NaN"]}]}}`
	f := newFake(t, fixed(fakeAnswer{body: body}))
	res, err := newTestClient(t, f.URL, time.Second).Instant(context.Background(), "up", time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Series[0].Labels["pod"]; got != "x\x1b]52;c;QUFB\a\r\u202e" {
		t.Errorf("label %q", got)
	}
	if res.Warnings[0] != "w␛[2J" {
		t.Errorf("warning %q", res.Warnings[0])
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, raw := range []string{"", "ftp://x", "http://", "http://h:9090/?access_token=abc", "::"} {
		if _, err := New(Config{URL: raw}); err == nil {
			t.Errorf("%q accepted", raw)
		} else if strings.Contains(err.Error(), "abc") {
			t.Errorf("token echoed: %v", err)
		}
	}
}

func TestServerTimeoutIsPlainText(t *testing.T) {
	for in, want := range map[time.Duration]string{
		8999427912 * time.Nanosecond: "8s",
		900 * time.Millisecond:       "900ms",
		1500 * time.Microsecond:      "1ms",
		10:                           "1ms",
	} {
		if got := serverTimeout(in).String(); got != want {
			t.Errorf("%s -> %s, want %s", in, got, want)
		}
	}
}

func TestClientClassifiesVictoriaMetricsErrors(t *testing.T) {
	tests := []struct {
		body  string
		class Class
	}{
		{`{"status":"error","errorType":"422","error":"error when executing query=\"rate(x[5m]\": argList: unexpected token \"\"; unparsed data: \"\""}`, ClassBadQuery},
		{`{"status":"error","errorType":"422","error":"cannot select more than -search.maxSamplesPerQuery=1000000 samples"}`, ClassTooExpensive},
	}
	for _, tt := range tests {
		f := newFake(t, fixed(fakeAnswer{status: 422, body: tt.body}))
		if e := queryErr(t, newTestClient(t, f.URL, time.Second)); e.Class != tt.class || e.Status != 422 {
			t.Errorf("%.50s: class %q status %d (%s), want %q", tt.body, e.Class, e.Status, e.Msg, tt.class)
		}
	}
}

// Waiting for a concurrency slot is not the query's fault: on a slow server
// every query still gets its whole deadline.
func TestClientDeadlineStartsWhenASlotIsFree(t *testing.T) {
	f := newFake(t, fixed(fakeAnswer{delay: 100 * time.Millisecond, body: vectorBody("1", "")}))
	c, err := New(Config{URL: f.URL, Timeout: 300 * time.Millisecond, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 6)
	for range 6 { // 600 ms of work through one slot, 300 ms deadline each
		go func() {
			_, err := c.Instant(context.Background(), "up", time.Unix(1700000000, 0))
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Errorf("a queued query failed: %v", err)
		}
	}
}

// The requests in flight follow the server's cores (runtimeinfo
// GOMAXPROCS) unless the user set a concurrency; a server that does not
// say keeps the default.
func TestConcurrencyFitsTheServer(t *testing.T) {
	for _, tc := range []struct {
		runtimeinfo string
		set, want   int
	}{
		{`{"status":"success","data":{"GOMAXPROCS":2}}`, 0, 2},
		{`{"status":"success","data":{"GOMAXPROCS":2}}`, 4, 4},
		{`{"status":"success","data":{"GOMAXPROCS":64}}`, 0, DefaultConcurrency},
		{"", 0, DefaultConcurrency},
	} {
		f := newFake(t, func(r *http.Request) fakeAnswer {
			if strings.HasSuffix(r.URL.Path, "/status/runtimeinfo") && tc.runtimeinfo != "" {
				return fakeAnswer{body: tc.runtimeinfo}
			}
			if strings.HasSuffix(r.URL.Path, "/status/buildinfo") {
				return fakeAnswer{body: `{"status":"success","data":{"version":"2.42.0"}}`}
			}
			return fakeAnswer{status: 404, contentType: "text/plain", body: "404 page not found"}
		})
		c, err := New(Config{URL: f.URL, Concurrency: tc.set})
		if err != nil {
			t.Fatal(err)
		}
		c.Backend(context.Background())
		if got := c.Slots(); got != tc.want {
			t.Errorf("runtimeinfo %q, --concurrency %d: %d in flight, want %d", tc.runtimeinfo, tc.set, got, tc.want)
		}
	}
}
