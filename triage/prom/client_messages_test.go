package prom

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/config"

	"github.com/scaletriage/scaletriage/triage"
)

// closedAddr is a local address nothing listens on.
func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestClientNamesTheUnreachableTokenURL(t *testing.T) {
	f := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
	tokenURL := "http://" + closedAddr(t) + "/oauth/token"
	hc := config.DefaultHTTPClientConfig
	hc.OAuth2 = &config.OAuth2{ClientID: "scaletriage", ClientSecret: "s3cret", TokenURL: tokenURL + "?audience=pr1vate"}
	c, err := New(Config{URL: f.URL, HTTP: hc, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := queryErr(t, c)
	if e.Class != ClassUnreachable || !strings.Contains(e.Msg, "cannot reach the OAuth2 token_url "+tokenURL+":") {
		t.Fatalf("class %q: %q, want the token URL named as unreachable", e.Class, e.Msg)
	}
	for _, wrong := range []string{f.URL, "s3cret", "pr1vate"} {
		if strings.Contains(e.Msg, wrong) {
			t.Errorf("message %q holds %q", e.Msg, wrong)
		}
	}
	if n := f.requests.Load(); n != 0 {
		t.Errorf("%d queries reached Prometheus without a token", n)
	}
}

func TestClientNamesAMissingSecretFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone")
	tests := []struct {
		name string
		set  func(*config.HTTPClientConfig)
		key  string
	}{
		{"bearer_token_file", func(hc *config.HTTPClientConfig) { hc.BearerTokenFile = missing }, "bearer_token_file"},
		// What the CLI passes: its config loader validated, which turns
		// bearer_token_file into authorization.credentials_file.
		{"validated bearer_token_file", func(hc *config.HTTPClientConfig) {
			hc.Authorization = &config.Authorization{Type: "Bearer", CredentialsFile: missing}
		}, "bearer_token_file or authorization.credentials_file"},
		{"authorization.credentials_file", func(hc *config.HTTPClientConfig) {
			hc.Authorization = &config.Authorization{Type: "Token", CredentialsFile: missing}
		}, "authorization.credentials_file"},
		{"basic_auth.password_file", func(hc *config.HTTPClientConfig) {
			hc.BasicAuth = &config.BasicAuth{Username: "alice", PasswordFile: missing}
		}, "basic_auth.password_file"},
		{"http_headers files", func(hc *config.HTTPClientConfig) {
			hc.HTTPHeaders = &config.Headers{Headers: map[string]config.Header{"X-Api-Key": {Files: []string{missing}}}}
		}, "http_headers.X-Api-Key.files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, fixed(fakeAnswer{body: vectorBody("1", "")}))
			hc := config.DefaultHTTPClientConfig
			tt.set(&hc)
			c, err := New(Config{URL: f.URL, HTTP: hc, Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			e := queryErr(t, c)
			if e.Class != ClassConfig || !e.Fatal() {
				t.Fatalf("class %q: %v", e.Class, e)
			}
			if want := "cannot read " + tt.key + " " + missing + ": no such file or directory"; e.Msg != want {
				t.Errorf("message %q, want %q", e.Msg, want)
			}
		})
	}
}

// discoveryFails answers every query of testCatalog as scripted does, but
// metric discovery with answer.
func discoveryFails(t *testing.T, answer fakeAnswer) *fakeServer {
	return newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			return answer
		case r.Form.Get("query") == "seven":
			return fakeAnswer{body: vectorBody("7", "")}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"matrix","result":[]}}`}
		}
		return fakeAnswer{body: `{"status":"success","data":{"resultType":"vector","result":[]}}`}
	})
}

func TestCollectSaysMetricDiscoveryFailed(t *testing.T) {
	names, _ := json.Marshal(map[string]any{"status": "success", "data": strings.Split(strings.Repeat("some_metric_name,", 500), ",")})
	tests := []struct {
		name   string
		answer fakeAnswer
		reason string
	}{
		{"over the body cap", fakeAnswer{body: string(names)}, "response too large (over 4096 bytes)"},
		{"refused by the server", fakeAnswer{status: 422, body: `{"status":"error","errorType":"execution","error":"err-mimir-max-series-per-query"}`}, "err-mimir-max-series-per-query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := discoveryFails(t, tt.answer)
			c, err := New(Config{URL: f.URL, Timeout: time.Second, MaxBodyBytes: 4096})
			if err != nil {
				t.Fatal(err)
			}
			cat := triage.Catalog{testCatalog()[4], testCatalog()[5]} // "second" answers 7, "absent" nothing
			snap, err := Collect(context.Background(), c, cat, Options{At: testAt})
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := snap.Get("second"); r.Value.V != 7 {
				t.Errorf("second: every candidate was not tried: %+v", r)
			}
			r, _ := snap.Get("absent")
			if r.Status != triage.StatusMissing || !strings.HasPrefix(r.Reason, "not found: metric discovery failed (") ||
				!strings.Contains(r.Reason, tt.reason) || !strings.Contains(r.Reason, "), so every candidate was tried") || !strings.HasSuffix(r.Reason, "; run the absent exporter") {
				t.Errorf("absent: %s %q, want the discovery failure (%s) named", r.Status, r.Reason, tt.reason)
			}
			if strings.Contains(r.Reason, "exist") {
				t.Errorf("absent: %q claims metrics exist", r.Reason)
			}
		})
	}
}

// Hardening round 3, item 13: a compressed answer the client did not ask
// for says so, with or without a Content-Encoding header, instead of
// "invalid character '\x1f'".
func TestUnaskedCompressionIsNamed(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	io.WriteString(w, vectorBody("1", ""))
	w.Close()
	for _, tt := range []struct {
		name   string
		header map[string]string
		want   string
	}{
		{"Content-Encoding gzip", map[string]string{"Content-Encoding": "gzip"}, "the answer (HTTP 200) is gzip-encoded, which the client did not ask for"},
		{"no header", nil, "the answer starts with gzip's magic byte (0x1f) and no Content-Encoding says so"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, fixed(fakeAnswer{body: gz.String(), header: tt.header}))
			e := queryErr(t, newTestClient(t, f.URL, 5*time.Second))
			if e.Class != ClassBadResponse || !strings.HasPrefix(e.Msg, tt.want) || strings.Contains(e.Msg, `\x1f'`) {
				t.Errorf("class %q: %q, want %q", e.Class, e.Msg, tt.want)
			}
			if got := f.last.Load().Header.Get("Accept-Encoding"); got != "" {
				t.Errorf("the client sent Accept-Encoding %q", got)
			}
		})
	}
}
