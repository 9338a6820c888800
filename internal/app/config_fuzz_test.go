package app

import (
	"testing"
	"time"
)

// configSeeds are the shapes a config takes: the README's full example,
// every key at and past its bounds, the errors the tests name, YAML's
// aliases and tags, and hostile text.
var configSeeds = []string{
	``,
	"prometheus_url: https://mimir.example/prometheus\nauthorization: {type: Bearer, credentials_file: token}\ntls_config: {ca_file: ca.pem}\n" +
		"http_headers:\n  X-Scope-OrgID: {values: [team-a]}\nselector: 'job=\"api\"'\nwindow: 15m\nrate_window: 5m\ntimeout: 10s\nconcurrency: 5\n" +
		"signals:\n  db_pool_waiting_clients:\n    thresholds: {warning: 1, critical: 10}\n    candidates:\n" +
		"      - {exporter: mine, metrics: [my_pool_waiters], query: 'sum(my_pool_waiters{$SEL})', statistic: now}\n" +
		"rules:\n  queue_min_depth: 100\ncontext:\n  system: checkout API\n",
	"window: 1m\nrate_window: 1s\ntimeout: 1s\nconcurrency: 1\n",
	"window: 7d\nrate_window: 7d\ntimeout: 10m\nconcurrency: 50\n",
	"window: 59s\n", "window: 36500d\n", "window: 1ns\n", "window: -5m\n", "window: soon\n", "window: 1.5d\n",
	"window: 9223372036854775807ns\n", "window: 106751d\n", "window: 99999999999999999999d\n", "window: 0s\n",
	"rate_window: 100ms\n", "rate_window: 8d\n", "timeout: 1h\n", "timeout: 999ms\n",
	"concurrency: 500\n", "concurrency: -1\n", "concurrency: 0\n",
	"promethues_url: http://x\n",
	"signals:\n  no_such_signal:\n    thresholds: {warning: 1}\n",
	"signals:\n  queue_depth:\n    thresholds: {bogus: 1}\n",
	"basic_auth: {username: a, password: b}\nauthorization: {credentials: c}\n",
	"rules:\n  queue_growth_ratio: -1\n",
	"http_headers:\n  Authorization:\n    values: [x]\n",
	"oauth2: {client_id: a, client_secret: s3cret, token_url: 'https://idp.example/token'}\n",
	"prometheus_url: https://ops:hunter2@prom.example\nbearer_token: t\n",
	"base: &b 15m\nwindow: *b\n",
	"window: &w 5m\nrate_window: *w\n",
	"window: !!int 5\n",
	"window: [1m]\n",
	"foo",
	"- a\n",
	"context:\n  system: \"\\e]52;c;cHduZWQ=\\a\\e[2J\\u202e\"\n",
	"selector: 'job!=\"\"}[5m])) * 0 + 5000 #'\n",
	"\xff\xfe: \x00\n",
}

// FuzzParseConfig: whatever the bytes, parsing a config never panics, and
// a config it accepts has every duration within the bounds its flag has
// (README: "durations have the bounds of their flags"), a concurrency in
// range and valid rule settings and HTTP config.
func FuzzParseConfig(f *testing.F) {
	for _, s := range configSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxConfigBytes {
			return // loadConfig refuses such a file before parsing it
		}
		cfg, err := parseConfig(data)
		if err != nil {
			if cfg != nil {
				t.Fatalf("a config and an error: %v", err)
			}
			return
		}
		for _, d := range []struct {
			setting durationSetting
			got     time.Duration
			raw     string
		}{{windowSetting, cfg.window, cfg.Window}, {rateWindowSetting, cfg.rateWindow, cfg.RateWindow}, {timeoutSetting, cfg.timeout, cfg.Timeout}} {
			switch {
			case d.raw == "" && d.got != 0:
				t.Fatalf("%s: unset, parsed as %s", d.setting.key, d.got)
			case d.raw != "" && (d.got < d.setting.min || d.got > d.setting.max):
				t.Fatalf("%s: %q accepted as %s, outside %s..%s", d.setting.key, d.raw, d.got, d.setting.min, d.setting.max)
			}
		}
		if cfg.Concurrency < 0 || cfg.Concurrency > 50 {
			t.Fatalf("concurrency %d accepted", cfg.Concurrency)
		}
		if err := cfg.Rules.Validate(); err != nil {
			t.Fatalf("invalid rule settings accepted: %v", err)
		}
		if err := cfg.HTTP.Validate(); err != nil {
			t.Fatalf("invalid HTTP config accepted: %v", err)
		}
	})
}
