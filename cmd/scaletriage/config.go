package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/common/config"
	"go.yaml.in/yaml/v2"

	"github.com/scaletriage/scaletriage/triage"
)

// fileConfig is the YAML config file. The auth keys are those of a
// Prometheus http_config (basic_auth, authorization, oauth2, tls_config,
// http_headers, proxy_url...), inline at the top level as in Prometheus'
// own remote_read blocks.
type fileConfig struct {
	PrometheusURL string                                    `yaml:"prometheus_url"`
	HTTP          config.HTTPClientConfig                   `yaml:",inline"`
	Selector      string                                    `yaml:"selector"`
	Window        string                                    `yaml:"window"`
	RateWindow    string                                    `yaml:"rate_window"`
	Timeout       string                                    `yaml:"timeout"`
	Concurrency   int                                       `yaml:"concurrency"`
	Signals       map[triage.SignalID]triage.SignalOverride `yaml:"signals"`
	Rules         triage.RuleSettings                       `yaml:"rules"`
	// Context is what the user knows and Prometheus does not: system,
	// architecture, database, cloud, team, budget... used by prompts.
	Context map[string]string `yaml:"context"`

	// The durations above, parsed (0 when not set).
	window, rateWindow, timeout time.Duration
}

// parseDuration is time.ParseDuration plus a "d" (days) suffix.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && fmt.Sprint(n) == days {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use 30s, 15m, 1h, 1d)", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("invalid duration %q: must be positive", s)
	}
	return d, nil
}

// loadConfig reads and checks a config file; errors name the offending key.
func loadConfig(path string) (*fileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	// Relative credential and certificate files are relative to the config.
	cfg.HTTP.SetDirectory(filepath.Dir(path))
	return cfg, nil
}

// parseConfig decodes strictly: an unknown key is an error that names it.
func parseConfig(data []byte) (*fileConfig, error) {
	cfg := &fileConfig{HTTP: config.DefaultHTTPClientConfig, Rules: triage.DefaultRuleSettings()}
	if err := yaml.UnmarshalStrict(data, cfg); err != nil {
		return nil, cleanYAMLError(err)
	}
	if err := cfg.HTTP.Validate(); err != nil {
		return nil, err
	}
	for _, d := range []struct {
		key string
		raw string
		dst *time.Duration
	}{{"window", cfg.Window, &cfg.window}, {"rate_window", cfg.RateWindow, &cfg.rateWindow}, {"timeout", cfg.Timeout, &cfg.timeout}} {
		if d.raw == "" {
			continue
		}
		v, err := parseDuration(d.raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.key, err)
		}
		*d.dst = v
	}
	if cfg.Concurrency < 0 || cfg.Concurrency > 50 {
		return nil, fmt.Errorf("concurrency: %d is out of range (1-50)", cfg.Concurrency)
	}
	if _, err := triage.DefaultCatalog().Merge(cfg.Signals); err != nil {
		return nil, err
	}
	if err := cfg.Rules.Validate(); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return cfg, nil
}

// cleanYAMLError turns yaml.v2's "field x not found in type main.fileConfig"
// into words about the config file.
func cleanYAMLError(err error) error {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "yaml: unmarshal errors:\n", "")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if i := strings.Index(l, "field "); i >= 0 && strings.Contains(l, " not found in type ") {
			key := strings.SplitN(l[i+len("field "):], " ", 2)[0]
			l = l[:i] + fmt.Sprintf("unknown key %q", key)
		}
		lines = append(lines, l)
	}
	return fmt.Errorf("%s", strings.Join(lines, "; "))
}
