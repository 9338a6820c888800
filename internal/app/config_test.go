package app

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseConfigFull(t *testing.T) {
	cfg, err := parseConfig([]byte(`
prometheus_url: https://mimir.example/prometheus
authorization:
  type: Bearer
  credentials_file: token
tls_config:
  ca_file: ca.pem
  server_name: mimir.internal
http_headers:
  X-Scope-OrgID:
    values: [team-a]
selector: 'job="api"'
window: 1h
rate_window: 2m
timeout: 5s
concurrency: 3
signals:
  db_pool_waiting_clients:
    thresholds: {critical: 10}
    candidates:
      - {exporter: mine, metrics: [my_waiters], query: 'sum(my_waiters{$SEL})', statistic: now}
rules:
  queue_min_depth: 0
context:
  system: checkout API
  database: PostgreSQL 15
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PrometheusURL != "https://mimir.example/prometheus" || cfg.Selector != `job="api"` {
		t.Errorf("url/selector: %+v", cfg)
	}
	if cfg.window != time.Hour || cfg.rateWindow != 2*time.Minute || cfg.timeout != 5*time.Second || cfg.Concurrency != 3 {
		t.Errorf("durations: %+v", cfg)
	}
	if cfg.HTTP.Authorization == nil || cfg.HTTP.Authorization.CredentialsFile != "token" || cfg.HTTP.TLSConfig.ServerName != "mimir.internal" {
		t.Errorf("auth: %+v", cfg.HTTP)
	}
	if got := cfg.HTTP.HTTPHeaders.Headers["X-Scope-OrgID"].Values; len(got) != 1 || got[0] != "team-a" {
		t.Errorf("tenant header: %v", got)
	}
	if *cfg.Signals["db_pool_waiting_clients"].Thresholds.Critical != 10 {
		t.Errorf("signals: %+v", cfg.Signals)
	}
	if cfg.Rules.QueueMinDepth != 0 || cfg.Rules.QueueGrowthRatio != 1.2 {
		t.Errorf("rules overlay: %+v", cfg.Rules)
	}
	if cfg.Context["system"] != "checkout API" {
		t.Errorf("context: %v", cfg.Context)
	}
}

func TestParseConfigErrorsNameTheKey(t *testing.T) {
	tests := map[string]string{
		"promethues_url: http://x\n": `unknown key "promethues_url"`,
		"window: soon\n":             `invalid duration "soon"`,
		"window: -5m\n":              "must be positive",
		"concurrency: 500\n":         "concurrency",
		"signals:\n  no_such_signal:\n    thresholds: {warning: 1}\n":               "no_such_signal",
		"signals:\n  queue_depth:\n    thresholds: {bogus: 1}\n":                    `unknown key "bogus"`,
		"basic_auth: {username: a, password: b}\nauthorization: {credentials: c}\n": "at most one of basic_auth, oauth2 & authorization",
		"rules:\n  queue_growth_ratio: -1\n":                                        "rules",
		"http_headers:\n  Authorization:\n    values: [x]\n":                        "Authorization",
		// Hardening round 3, item 8: a line break in a header value is
		// refused here, naming the key, not by every request.
		"http_headers:\n  X-Api-Key:\n    secrets: [\"k3y\\r\\nX-Evil: 1\"]\n":              "http_headers.X-Api-Key.secrets: a header value holds a line break",
		"http_headers:\n  X-Scope-OrgID:\n    values: [\"a\\nb\"]\n":                        "http_headers.X-Scope-OrgID.values: a header value holds a line break",
		"authorization: {credentials: \"t0k\\r\\n\"}\n":                                     "authorization.credentials: a header value holds a line break",
		"alertmanager_http_config:\n  http_headers:\n    X-A:\n      values: [\"a\\rb\"]\n": "alertmanager_http_config.http_headers.X-A.values",
	}
	for in, want := range tests {
		_, err := parseConfig([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want an error naming %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "main.fileConfig") {
			t.Errorf("%q: Go type leaks into the message: %v", in, err)
		}
	}
}

func TestLoadConfigResolvesFilesNextToIt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "scaletriage.yaml")
	if err := os.WriteFile(path, []byte("authorization:\n  credentials_file: token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(path, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.HTTP.Authorization.CredentialsFile; got != filepath.Join(dir, "token") {
		t.Errorf("credentials_file %q", got)
	}
}

func TestParseDurationAndAt(t *testing.T) {
	if d, err := parseDuration("1d"); err != nil || d != 24*time.Hour {
		t.Errorf("1d: %v %v", d, err)
	}
	if _, err := parseDuration("1.5d"); err == nil {
		t.Error("1.5d accepted")
	}
	want := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{"2026-03-02T12:00:00Z", "2026-03-02T13:00:00+01:00", "1772452800"} {
		if got, err := parseAt(s, want); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	if _, err := parseAt("yesterday", want); err == nil {
		t.Error("yesterday accepted")
	}
}

// A value of the wrong kind names the line and the kind, never Go types.
func TestConfigWrongKindOfValue(t *testing.T) {
	for _, doc := range []string{"foo\n", "rules: 3\n", "selector: [a, b]\n"} {
		_, err := parseConfig([]byte(doc))
		if err == nil || strings.Contains(err.Error(), "main.") || strings.Contains(err.Error(), "triage.") || !strings.Contains(err.Error(), "wrong kind of value") {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

func TestConfigBoundsNameTheKey(t *testing.T) {
	tests := map[string]string{
		"window: 36500d\n":     "window: 36500d is out of range: use 1m to 7d",
		"window: 1ns\n":        "window: 1ns is out of range",
		"rate_window: 100ms\n": "rate_window: 100ms is out of range: use 1s to 7d",
		"timeout: 1h\n":        "timeout: 1h is out of range: use 1s to 10m",
	}
	for in, want := range tests {
		if _, err := parseConfig([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}
