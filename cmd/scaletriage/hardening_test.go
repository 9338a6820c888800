package main

// Rows of docs/hardening.md that need the whole command: what reaches the
// user from a server's clock, a config that names credentials twice, and
// rate() across a counter reset on the real backends.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/configtest"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// skewedProm answers as a Prometheus whose clock is offset from ours: one
// metric (the RAM), every query one sample.
func skewedProm(t *testing.T, offset time.Duration) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(offset).UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			w.Write([]byte(`{"status":"success","data":["node_memory_MemTotal_bytes"]}`))
		case strings.HasSuffix(r.URL.Path, "/status/buildinfo"):
			w.Write([]byte(`{"status":"success","data":{"version":"2.42.0"}}`))
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1772452800,"1"]]}]}}`))
		case strings.HasSuffix(r.URL.Path, "/query"):
			w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1772452800,"1"]}]}}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Bad input 38 and hardening item 11: a server clock ten minutes ahead is
// named in every report (text, Markdown and JSON); one in step is not.
func TestCLIWarnsAboutTheServerClock(t *testing.T) {
	ahead := skewedProm(t, 10*time.Minute)
	for _, format := range []string{"text", "markdown"} {
		code, stdout, stderr := runCLI(t, "report", "--format", format, "--prometheus-url", ahead)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		if !strings.Contains(stdout, "the server's clock is ") || !strings.Contains(stdout, " ahead of ours: every window is shifted by that much") {
			t.Errorf("%s: no clock warning in\n%.600s", format, stdout)
		}
	}
	code, stdout, stderr := runCLI(t, "report", "--format", "json", "--prometheus-url", ahead)
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var rep report.V1
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if s := rep.Source.ClockSkewSeconds; s == nil || *s < 595 || *s > 605 {
		t.Errorf("clock_skew_seconds %v, want about 600", s)
	}
	_, stdout, _ = runCLI(t, "report", "--format", "text", "--prometheus-url", skewedProm(t, 0))
	if strings.Contains(stdout, "the server's clock") {
		t.Errorf("a clock in step is reported as skewed:\n%.600s", stdout)
	}
}

// Bad input 34: a config with a password in prometheus_url and a
// bearer_token is refused before any request, naming the URL redacted.
func TestCLIRefusesCredentialsInTheURLAndTheConfig(t *testing.T) {
	t.Setenv("PROMETHEUS_URL", "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a request was sent: %s", r.URL)
	}))
	defer srv.Close()
	withUser := strings.Replace(srv.URL, "http://", "http://ops:hunter2@", 1)
	cfg := configtest.Write(t, "prometheus_url: "+withUser+"\nbearer_token: t0ken\n", 0o600)
	code, stdout, stderr := runCLI(t, "report", "--config", cfg)
	if code != exitError || !strings.Contains(stderr, "credentials in the URL and in the config at once") || !strings.Contains(stderr, srv.URL) {
		t.Fatalf("exit %d, stderr %q; want 1 and the conflict named", code, stderr)
	}
	for _, secret := range []string{"hunter2", "ops:", "t0ken"} {
		if strings.Contains(stdout+stderr, secret) {
			t.Errorf("%q printed: %q", secret, stderr)
		}
	}
}

// counterResetAt is the instant the counter-reset series ends at.
var counterResetAt = time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)

// counterResetOpenMetrics is 30 minutes of a request counter at 10/s,
// scraped every 15 s, starting at a million (a long-running process), that
// restarts from 0 two minutes before the end: inside the 5m rate window.
func counterResetOpenMetrics() []byte {
	var b strings.Builder
	b.WriteString("# TYPE http_requests counter\n")
	v := 1e6
	for i := 0; i <= 120; i++ {
		t := counterResetAt.Add(-30*time.Minute + time.Duration(i)*15*time.Second)
		switch {
		case i == 112: // the restart: 2 minutes before the end
			v = 0
		case i > 0:
			v += 150
		}
		fmt.Fprintf(&b, "http_requests_total{job=\"api\",instance=\"app-1:8080\"} %g %d\n", v, t.Unix())
	}
	b.WriteString("# EOF\n")
	return []byte(b.String())
}

// Bad input 39: a counter that resets inside the rate window reads its
// true rate (10/s) to within the one scrape interval a reset to 0 always
// costs (the increase up to the restart is not seen), never a negative
// one, on each real backend: the catalog takes rate() of the raw counter
// and aggregates after, so the server sees and corrects the reset. The
// engines differ by that interval: Prometheus 2.42 reads 9.5/s (21 samples
// in [t-5m, t]), Prometheus 3 9.47/s (20 in its left-open (t-5m, t],
// extrapolated, and so Thanos over it), VictoriaMetrics 9.5/s.
func TestCounterResetOnRealBackends(t *testing.T) {
	file := filepath.Join(t.TempDir(), "counter-reset.om")
	if err := os.WriteFile(file, counterResetOpenMetrics(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, srv := range scenarioServers {
		t.Run(srv.name, func(t *testing.T) {
			url := srv.start(t, locateBins(t, srv), []string{file})
			code, stdout, stderr := runCLI(t, "report", "--format", "json", "--prometheus-url", url,
				"--at", counterResetAt.Format(time.RFC3339), "--window", "15m", "--rate-window", "5m")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep report.V1
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			s, ok := signalOf(rep, triage.SignalThroughput)
			if !ok || s.Value == nil {
				t.Fatalf("no throughput: %+v", s)
			}
			t.Logf("%s reads %.4g/s across the reset", srv.name, *s.Value)
			if s.Exporter != "prometheus-client" || *s.Value < 9.4 || *s.Value > 10.5 {
				t.Errorf("throughput %v by %q across the reset, want 10/s by prometheus-client", *s.Value, s.Exporter)
			}
		})
	}
}
