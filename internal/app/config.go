package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/common/config"
	"go.yaml.in/yaml/v2"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// fileConfig is the YAML config file. The auth keys are those of a
// Prometheus http_config (basic_auth, authorization, oauth2, tls_config,
// http_headers, proxy_url...), inline at the top level as in Prometheus'
// own remote_read blocks.
type fileConfig struct {
	PrometheusURL   string                  `yaml:"prometheus_url"`
	AlertmanagerURL string                  `yaml:"alertmanager_url"`
	HTTP            config.HTTPClientConfig `yaml:",inline"`
	// AlertmanagerHTTP is the Alertmanager's own http_config (the same
	// keys). Without it the Alertmanager gets the Prometheus's settings only
	// on the same origin, or with AlertmanagerSharesAuth: credentials and
	// headers never go to another origin unasked.
	AlertmanagerHTTP       *config.HTTPClientConfig                  `yaml:"alertmanager_http_config"`
	AlertmanagerSharesAuth bool                                      `yaml:"alertmanager_shares_prometheus_auth"`
	Selector               string                                    `yaml:"selector"`
	Window                 string                                    `yaml:"window"`
	RateWindow             string                                    `yaml:"rate_window"`
	Timeout                string                                    `yaml:"timeout"`
	Concurrency            int                                       `yaml:"concurrency"`
	Signals                map[triage.SignalID]triage.SignalOverride `yaml:"signals"`
	Rules                  triage.RuleSettings                       `yaml:"rules"`
	// Context is what the user knows and Prometheus does not: system,
	// architecture, database, cloud, team, budget... used by prompts.
	Context map[string]string `yaml:"context"`
	// Grafana is where links open Explore: its URL and the uid of its
	// datasource for this Prometheus.
	Grafana report.Grafana `yaml:"grafana"`
	// Dependencies name, per tier (host, container, pooler, database,
	// cache, queue...), label matchers of what the selected service depends
	// on: those entities are in scope, the tier's others out of it.
	Dependencies map[triage.Tier][]string `yaml:"dependencies"`

	// The durations above, parsed (0 when not set).
	window, rateWindow, timeout time.Duration
	// dependencies, parsed.
	dependencies map[triage.Tier][]triage.Matchers
}

const day = 24 * time.Hour

// durationSetting is a duration set by a flag or a config key, with bounds
// checked the same way for both.
type durationSetting struct {
	flag, key string
	min, max  time.Duration
}

// A window under a minute has too few samples for a sparkline, and over a
// week asks for ranges no triage needs (36500d spans a century). A rate()
// range under a second holds no scrape; it is also at most the window,
// checked once both are known. A query deadline under a second fails on any
// real server, and over ten minutes (thirty for the triage) is no triage.
var (
	windowSetting     = durationSetting{flag: "--window", key: "window", min: time.Minute, max: 7 * day}
	rateWindowSetting = durationSetting{flag: "--rate-window", key: "rate_window", min: time.Second, max: 7 * day}
	timeoutSetting    = durationSetting{flag: "--timeout", key: "timeout", min: time.Second, max: 10 * time.Minute}
)

// parse reads a value and checks the bounds; the caller names the flag or
// the key.
func (s durationSetting) parse(raw string) (time.Duration, error) {
	d, err := parseDuration(raw)
	if err != nil {
		return 0, err
	}
	if d < s.min || d > s.max {
		return 0, fmt.Errorf("%s is out of range: use %s to %s", strings.TrimSpace(raw), durationText(s.min), durationText(s.max))
	}
	return d, nil
}

// resolve picks the flag, else the config value, else def; origin names
// where the value came from, for messages that relate two settings.
func (s durationSetting) resolve(flagValue string, fromConfig, def time.Duration) (d time.Duration, origin string, err error) {
	switch {
	case flagValue != "":
		if d, err = s.parse(flagValue); err != nil {
			return 0, "", Usagef("%s: %v", s.flag, err)
		}
		return d, s.flag, nil
	case fromConfig > 0:
		return fromConfig, "config " + s.key, nil
	}
	return def, "default", nil
}

// durationText writes whole days as days (7d, not 168h), as users type them.
func durationText(d time.Duration) string {
	if d >= day && d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	return triage.PromDuration(d)
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
// Unsafe permissions are warned about on warn, not refused: the user may
// have reasons (a shared read-only mount) the mode cannot show.
func loadConfig(path string, warn io.Writer) (*fileConfig, error) {
	data, err := readFileCapped(path, "config file", maxConfigBytes)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if info, err := os.Stat(path); err == nil {
		for _, w := range permissionWarnings(path, info.Mode().Perm(), cfg) {
			fmt.Fprintln(warn, "scaletriage: warning:", w)
		}
	}
	// Relative credential and certificate files are relative to the config.
	cfg.HTTP.SetDirectory(filepath.Dir(path))
	if cfg.AlertmanagerHTTP != nil {
		cfg.AlertmanagerHTTP.SetDirectory(filepath.Dir(path))
	}
	return cfg, nil
}

// alertmanagerHTTP is what the Alertmanager at amURL gets: its own
// alertmanager_http_config, else the Prometheus's settings when it shares
// the Prometheus's origin or alertmanager_shares_prometheus_auth says so,
// else none; note says when settings the user wrote are held back.
func (cfg *fileConfig) alertmanagerHTTP(promURL, amURL string) (hc config.HTTPClientConfig, note string) {
	switch {
	case cfg.AlertmanagerHTTP != nil:
		return *cfg.AlertmanagerHTTP, ""
	case cfg.AlertmanagerSharesAuth || prom.SameOrigin(promURL, amURL):
		return cfg.HTTP, ""
	}
	if reflect.DeepEqual(cfg.HTTP, config.DefaultHTTPClientConfig) {
		return config.DefaultHTTPClientConfig, ""
	}
	return config.DefaultHTTPClientConfig, "the Alertmanager is another origin than the Prometheus: the config's auth, headers and TLS settings are not sent to it (set alertmanager_http_config, or alertmanager_shares_prometheus_auth: true)"
}

// permissionWarnings says when other users can change the config (and with
// it where the credentials go and what runs) or read the secrets it holds
// inline. Windows has no such mode bits.
func permissionWarnings(path string, mode fs.FileMode, cfg *fileConfig) []string {
	if runtime.GOOS == "windows" {
		return nil
	}
	var out []string
	if mode&0o022 != 0 {
		out = append(out, fmt.Sprintf("config %s (mode %04o) is writable by other users, who could send your credentials elsewhere: chmod go-w %s", path, mode, path))
	}
	if secrets := cfg.inlineSecrets(); len(secrets) > 0 && mode&0o044 != 0 {
		out = append(out, fmt.Sprintf("config %s (mode %04o) holds %s and other users can read it: chmod 600 %s, or use the *_file keys", path, mode, strings.Join(secrets, ", "), path))
	}
	return out
}

// inlineSecrets names the secrets written in the config itself (not in the
// files its *_file keys point to).
func (cfg *fileConfig) inlineSecrets() []string {
	var out []string
	add := func(present bool, what string) {
		if present {
			out = append(out, what)
		}
	}
	for key, raw := range map[string]string{"prometheus_url": cfg.PrometheusURL, "alertmanager_url": cfg.AlertmanagerURL} {
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			_, hasPassword := u.User.Password()
			add(hasPassword, "a password in "+key)
		}
	}
	out = append(out, httpSecrets(cfg.HTTP, "")...)
	if cfg.AlertmanagerHTTP != nil {
		out = append(out, httpSecrets(*cfg.AlertmanagerHTTP, "alertmanager_http_config: ")...)
	}
	return out
}

// httpSecrets names the secrets an http_config holds inline.
func httpSecrets(hc config.HTTPClientConfig, prefix string) []string {
	var out []string
	add := func(present bool, what string) {
		if present {
			out = append(out, prefix+what)
		}
	}
	add(hc.BasicAuth != nil && hc.BasicAuth.Password != "", "a basic_auth password")
	add(hc.Authorization != nil && hc.Authorization.Credentials != "", "authorization credentials")
	add(hc.BearerToken != "", "a bearer_token")
	add(hc.OAuth2 != nil && hc.OAuth2.ClientSecret != "", "an oauth2 client_secret")
	headerSecrets := len(hc.ProxyConnectHeader) > 0
	if hc.HTTPHeaders != nil {
		for _, h := range hc.HTTPHeaders.Headers {
			headerSecrets = headerSecrets || len(h.Secrets) > 0
		}
	}
	add(headerSecrets, "header secrets")
	return out
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
	if err := headerValuesFit(cfg.HTTP, ""); err != nil {
		return nil, err
	}
	if cfg.AlertmanagerHTTP != nil {
		if cfg.AlertmanagerSharesAuth {
			return nil, fmt.Errorf("alertmanager_http_config and alertmanager_shares_prometheus_auth: give one")
		}
		if err := cfg.AlertmanagerHTTP.Validate(); err != nil {
			return nil, fmt.Errorf("alertmanager_http_config: %w", err)
		}
		if err := headerValuesFit(*cfg.AlertmanagerHTTP, "alertmanager_http_config."); err != nil {
			return nil, err
		}
	}
	for _, d := range []struct {
		setting durationSetting
		raw     string
		dst     *time.Duration
	}{{windowSetting, cfg.Window, &cfg.window}, {rateWindowSetting, cfg.RateWindow, &cfg.rateWindow}, {timeoutSetting, cfg.Timeout, &cfg.timeout}} {
		if d.raw == "" {
			continue
		}
		v, err := d.setting.parse(d.raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.setting.key, err)
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
	if g := cfg.Grafana; g != (report.Grafana{}) {
		if u, err := url.Parse(g.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
			return nil, fmt.Errorf("grafana.url: want an http(s) URL with a host and no credentials or query")
		}
		if g.DatasourceUID == "" {
			return nil, fmt.Errorf("grafana.datasource_uid: the uid of Grafana's datasource for this Prometheus (Connections > Data sources, in its URL)")
		}
		if g.OrgID < 0 {
			return nil, fmt.Errorf("grafana.org_id: %d is not an organisation id", g.OrgID)
		}
	}
	deps, err := parseDependencies(cfg.Dependencies)
	if err != nil {
		return nil, err
	}
	cfg.dependencies = deps
	return cfg, nil
}

// headerValuesFit refuses a header value that cannot be sent: a line break
// or a NUL would otherwise fail every request ("invalid header field
// value") instead of naming the key once, here.
func headerValuesFit(hc config.HTTPClientConfig, prefix string) error {
	check := func(key, v string) error {
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("%s%s: a header value holds a line break or NUL, which HTTP cannot send", prefix, key)
		}
		return nil
	}
	var errs []error
	if hc.HTTPHeaders != nil {
		for name, h := range hc.HTTPHeaders.Headers {
			for _, v := range h.Values {
				errs = append(errs, check("http_headers."+name+".values", v))
			}
			for _, v := range h.Secrets {
				errs = append(errs, check("http_headers."+name+".secrets", string(v)))
			}
		}
	}
	for name, values := range hc.ProxyConnectHeader {
		for _, v := range values {
			errs = append(errs, check("proxy_connect_header."+name, string(v)))
		}
	}
	if a := hc.Authorization; a != nil {
		errs = append(errs, check("authorization.credentials", string(a.Credentials)), check("authorization.type", a.Type))
	}
	return errors.Join(errs...)
}

// parseDependencies reads `dependencies:`: each tier a known one, each
// entry label matchers parsed as a selector is.
func parseDependencies(raw map[triage.Tier][]string) (map[triage.Tier][]triage.Matchers, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	out := make(map[triage.Tier][]triage.Matchers, len(raw))
	for tier, selectors := range raw {
		if err := tier.Validate(); err != nil || tier == "" {
			return nil, fmt.Errorf("dependencies.%s: unknown tier (host, container, app_pool, pooler, database, cache, queue)", tier)
		}
		for _, sel := range selectors {
			m, err := prom.ParseMatchers(sel)
			if err != nil || len(m) == 0 {
				return nil, fmt.Errorf("dependencies.%s: %q: give label matchers such as instance=\"orders-db:9187\"", tier, sel)
			}
			out[tier] = append(out[tier], m)
		}
	}
	return out, nil
}

// yamlKinds names YAML tags in words.
var yamlKinds = strings.NewReplacer("!!str", "a string", "!!int", "a number", "!!float", "a number", "!!bool", "a boolean",
	"!!map", "a mapping", "!!seq", "a list", "!!null", "null")

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
		// "cannot unmarshal !!str `foo` into main.fileConfig" names Go
		// types; the user wrote a value of the wrong kind.
		if i := strings.Index(l, "cannot unmarshal "); i >= 0 {
			if j := strings.Index(l, " into "); j > i {
				l = l[:i] + "wrong kind of value: " + yamlKinds.Replace(l[i+len("cannot unmarshal "):j]) + " where the config expects another"
			}
		}
		lines = append(lines, l)
	}
	return fmt.Errorf("%s", strings.Join(lines, "; "))
}
