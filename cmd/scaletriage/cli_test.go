package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/report"
)

// runCLI runs the command in-process and returns exit code, stdout, stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func closedPortURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://admin:hunter2@" + addr
}

func TestCLIUsageErrorsExit2(t *testing.T) {
	t.Setenv("PROMETHEUS_URL", "")
	for _, args := range [][]string{
		{"report", "--format", "yaml"},
		{"report", "--no-such-flag"},
		{"nonsense"},
		{"prompt"},
		{"prompt", "99"},
		{"record"},
		{"report", "--window", "soon", "--prometheus-url", "http://127.0.0.1:1"},
		{"report", "--at", "yesterday", "--prometheus-url", "http://127.0.0.1:1"},
		{"report", "--replay", "x.json", "--at", "1772452800"},
		{"prompt", "6", "--set", "novalue"},
		{"report"}, // no URL anywhere (PROMETHEUS_URL cleared below)
	} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, stderr)
		}
	}
}

// A selector is parsed as label matchers: an injection or a broken one is
// refused with exit 2 and the reason, before any query is sent (the server
// here fails the test if it is ever asked).
func TestCLISelectorIsParsedNotPasted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a query was sent: %s", r.URL)
	}))
	defer srv.Close()
	for _, sel := range []string{`job!=""}[5m])) * 0 + 5000 #`, `}`, `{`, `job=~"(["`, `up{job="api"}`} {
		code, _, stderr := runCLI(t, "report", "--prometheus-url", srv.URL, "--selector", sel)
		if code != exitUsage || !strings.Contains(stderr, "--selector") {
			t.Errorf("--selector %q: exit %d, stderr %q; want 2 naming the flag", sel, code, stderr)
		}
	}
}

func TestCLIUnreachableIsQuickAndRedacted(t *testing.T) {
	start := time.Now()
	code, _, stderr := runCLI(t, "report", "--prometheus-url", closedPortURL(t))
	if code != exitError {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
	if !strings.Contains(stderr, "cannot reach") || strings.Contains(stderr, "hunter2") || strings.Contains(stderr, "admin") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestCLIAuthFailureNamesRedactedURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	url := strings.Replace(srv.URL, "http://", "http://ops:t0ps3cret@", 1) + "/grafana/api/datasources/proxy/uid/abc"
	code, _, stderr := runCLI(t, "signals", "--prometheus-url", url)
	if code != exitError || !strings.Contains(stderr, "authentication failed for "+srv.URL+"/grafana/api/datasources/proxy/uid/abc") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Contains(stderr, "t0ps3cret") {
		t.Errorf("secret in stderr: %q", stderr)
	}
}

func TestCLIHTMLPageIsNotPrometheus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body>Sign in</body></html>"))
	}))
	defer srv.Close()
	code, _, stderr := runCLI(t, "report", "--prometheus-url", srv.URL)
	if code != exitError || !strings.Contains(stderr, "HTML") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestCLIBadConfigAndSnapshotFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"report", "--config", write("bad.yaml", "windw: 5m\n")}, `unknown key "windw"`},
		{[]string{"report", "--config", filepath.Join(dir, "missing.yaml")}, "no such file"},
		{[]string{"report", "--replay", write("corrupt.json", `{"format":"scaletriage-snapshot","version":1,`)}, "invalid JSON"},
		{[]string{"report", "--replay", write("future.json", `{"format":"scaletriage-snapshot","version":7,"at":"2026-03-02T12:00:00Z","window":"15m"}`)}, "newer than this scaletriage"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestCLIPromptWorksWithoutAServer(t *testing.T) {
	t.Setenv("PROMETHEUS_URL", "")
	code, stdout, stderr := runCLI(t, "prompt", "connection-pool-optimization", "--set", "application=checkout")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Connection Pool Optimization") || !strings.Contains(stderr, "unfilled") {
		t.Errorf("stdout %.200q\nstderr %q", stdout, stderr)
	}
}

// The bundled demo must replay completely: every question the current code
// asks of it was recorded (its own catalog travels with it).
func TestDemoReplaysCompletely(t *testing.T) {
	code, stdout, stderr := runCLI(t, "report", "--format", "json", "--replay", "demo/incident.json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep report.V1
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Partial {
		t.Error("demo replay is partial")
	}
	for _, s := range rep.Signals {
		if s.Status == "error" {
			t.Errorf("%s: %s", s.ID, s.Reason)
		}
	}
	if len(rep.Findings) == 0 || rep.Findings[0].ID != "db-pool-exhaustion" {
		t.Errorf("findings: %+v", rep.Findings)
	}
}

func TestCLIPromptRedactListsReplacements(t *testing.T) {
	code, stdout, stderr := runCLI(t, "prompt", "2", "--redact", "--replay", "demo/incident.json")
	if code != exitOK || !strings.Contains(stdout, "Bottleneck Identification") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "redact") {
		t.Errorf("no redaction preview on stderr: %q", stderr)
	}
	if strings.Contains(stdout, "127.0.0.1") {
		t.Errorf("an IP survived redaction")
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || !strings.HasPrefix(out, "scaletriage ") || !strings.Contains(out, " go1.") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// Hardening round 3, item 11: --concurrency's help states the default the
// client really takes (the server's cores, at most DefaultConcurrency).
func TestConcurrencyHelpStatesTheRealDefault(t *testing.T) {
	_, out, _ := runCLI(t, "report", "--help")
	if !strings.Contains(out, "(default: the server's cores from its runtimeinfo, at most 5; 5 when it does not say)") || strings.Contains(out, "(default 5)") {
		t.Errorf("--concurrency help:\n%s", out)
	}
}
