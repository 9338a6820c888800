package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	core "github.com/scaletriage/scaletriage/internal/session"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Request is what a command was asked, as typed: the global flags (empty
// when not given) and where warnings go. Flags beat the environment, which
// beats the config file.
type Request struct {
	PrometheusURL   string
	AlertmanagerURL string
	ConfigPath      string
	Selector        string
	Window          string
	RateWindow      string
	At              string
	Replay          string
	Timeout         string
	Concurrency     int
	// Alert, when set, scopes a triage to a pending or firing alert (name
	// or fingerprint): its labels become the selector, its onset the window.
	Alert string
	// Warnings is where the config's warnings and notes go: the command's
	// stderr (never nil).
	Warnings io.Writer
}

// session is a core.Session with what only the passes people read
// need: the prompt context, the Alertmanager, Grafana.
type session struct {
	core.Session
	context map[string]string
	// alertmanager is the Alertmanager the alerts are also read from; nil
	// without one.
	alertmanager *prom.Client
	// grafana is where links open Explore, from the config.
	grafana report.Grafana
}

func newSession(req Request) (*session, error) {
	s, cfg, err := configuredSession(req)
	if err != nil {
		return nil, err
	}
	if req.Replay != "" {
		if err := replayFlagsUnused(req, req.Replay); err != nil {
			return nil, err
		}
		data, err := readFileCapped(req.Replay, "recording", maxSnapshotBytes)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		return s, s.UseRecording(data, req.Replay)
	}
	return s, s.openLive(req, cfg)
}

// newRecordingSession answers from a snapshot's bytes (the embedded demo).
func newRecordingSession(req Request, data []byte, name string) (*session, error) {
	if err := replayFlagsUnused(req, name); err != nil {
		return nil, err
	}
	s, _, err := configuredSession(req)
	if err != nil {
		return nil, err
	}
	return s, s.UseRecording(data, name)
}

// replayFlagsUnused refuses the flags a recording cannot honour: it answers
// only the questions it recorded.
func replayFlagsUnused(req Request, name string) error {
	for _, f := range []struct{ flag, value string }{
		{"--prometheus-url", req.PrometheusURL}, {"--at", req.At}, {"--window", req.Window},
		{"--rate-window", req.RateWindow}, {"--selector", req.Selector}, {"--alertmanager-url", req.AlertmanagerURL},
	} {
		if f.value != "" {
			return Usagef("%s cannot be used with a recording (%s): it answers only the questions it recorded", f.flag, name)
		}
	}
	return nil
}

// configuredSession reads the config file: catalog overrides, rule
// settings and prompt context apply to live and recorded sources alike.
func configuredSession(req Request) (*session, *fileConfig, error) {
	cfg := &fileConfig{Rules: triage.DefaultRuleSettings()}
	if req.ConfigPath != "" {
		var err error
		if cfg, err = loadConfig(req.ConfigPath, req.Warnings); err != nil {
			return nil, nil, err
		}
	}
	cat, err := triage.DefaultCatalog().Merge(cfg.Signals)
	if err != nil {
		return nil, nil, err
	}
	return &session{Session: core.Session{Catalog: cat, Rules: cfg.Rules, Overrides: cfg.Signals, Dependencies: cfg.dependencies},
		context: cfg.Context, grafana: cfg.Grafana}, cfg, nil
}

func (s *session) openLive(req Request, cfg *fileConfig) error {
	url := first(req.PrometheusURL, os.Getenv("PROMETHEUS_URL"), cfg.PrometheusURL)
	window, windowOrigin, err := windowSetting.resolve(req.Window, cfg.window, 15*time.Minute)
	if err != nil {
		return err
	}
	// 0: Collect's default, min(5m, window).
	rate, rateOrigin, err := rateWindowSetting.resolve(req.RateWindow, cfg.rateWindow, 0)
	if err != nil {
		return err
	}
	if rate > window {
		return Usagef("%s %s: the rate window must be at most the window (%s %s)", rateOrigin, durationText(rate), windowOrigin, durationText(window))
	}
	timeout, _, err := timeoutSetting.resolve(req.Timeout, cfg.timeout, prom.DefaultTimeout)
	if err != nil {
		return err
	}
	at := time.Now().UTC()
	if req.At != "" {
		if at, err = parseAt(req.At, at); err != nil {
			return UsageError{err}
		}
	}
	concurrency := cfg.Concurrency
	if req.Concurrency != 0 {
		if req.Concurrency < 1 || req.Concurrency > 50 {
			return Usagef("--concurrency %d is out of range (1-50)", req.Concurrency)
		}
		concurrency = req.Concurrency
	}
	client, err := prom.New(prom.Config{URL: url, HTTP: cfg.HTTP, Timeout: timeout, Concurrency: concurrency})
	if errors.Is(err, prom.ErrNoURL) {
		return UsageError{err}
	}
	if err != nil {
		return err
	}
	s.Querier = client
	s.Source = triage.Source{URL: client.Target()}
	// The whole triage gets three query deadlines: enough for retries and
	// queueing behind the concurrency limit, never a hang.
	// The selector is parsed as label matchers (never pasted into PromQL):
	// a bad one is a usage error that says why, before any query is sent.
	selector, err := prom.ParseSelector(first(req.Selector, cfg.Selector))
	if err != nil {
		if req.Selector != "" {
			return Usagef("--selector: %v", err)
		}
		return fmt.Errorf("config selector: %w", err)
	}
	s.Options = prom.Options{At: at, Window: window, RateWindow: rate, Selector: selector, Budget: 3 * timeout, Dependencies: cfg.dependencies}
	if amURL := first(req.AlertmanagerURL, os.Getenv("ALERTMANAGER_URL"), cfg.AlertmanagerURL); amURL != "" {
		hc, note := cfg.alertmanagerHTTP(url, amURL)
		if note != "" {
			fmt.Fprintln(req.Warnings, "note:", note)
		}
		if s.alertmanager, err = prom.New(prom.Config{URL: amURL, HTTP: hc, Timeout: timeout, Concurrency: 1}); err != nil {
			return fmt.Errorf("alertmanager: %w", err)
		}
	}
	return nil
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseAt reads --at: RFC 3339 or unix seconds (fractions allowed), from
// the unix epoch to a day after now (clocks differ; later than that no
// server has data).
func parseAt(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	earliest, latest := time.Unix(0, 0).UTC(), now.Add(day).UTC()
	outOfRange := fmt.Errorf("--at %q is out of range: use a time from %s to %s (a day after now)", s, earliest.Format(time.RFC3339), latest.Format(time.RFC3339))
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) {
			return time.Time{}, fmt.Errorf("--at %q: use RFC 3339 (2026-11-26T21:00:00Z) or unix seconds", s)
		}
		// Checked before converting: beyond int64 seconds there is no time.
		if f < 0 || f > float64(latest.Unix()) {
			return time.Time{}, outOfRange
		}
		sec, frac := math.Modf(f)
		t = time.Unix(int64(sec), int64(frac*1e9))
	}
	if t.Before(earliest) || t.After(latest) {
		return time.Time{}, outOfRange
	}
	return t.UTC(), nil
}

// ProgressKey is the context key of a func(triage.Reading) that a pass
// hands each reading to as soon as it is complete (core.ProgressKey).
type ProgressKey = core.ProgressKey

// triage collects the snapshot and runs the rules. Interrupted, it returns
// the diagnosis of what was collected (a partial snapshot) with the error:
// see report.Pass.Read.
func (s *session) triage(ctx context.Context) (report.Pass, error) {
	return s.triageWith(ctx, s.Querier)
}

func (s *session) triageWith(ctx context.Context, q prom.Querier) (report.Pass, error) {
	d, err := s.Diagnose(ctx, q)
	if d.Snapshot == nil {
		return report.Pass{}, err
	}
	return s.result(d), err
}

// result pairs a diagnosis with the config's prompt context and multiples.
func (s *session) result(d triage.Diagnosis) report.Pass {
	return report.Pass{Diagnosis: d, Context: s.context, Multiples: s.Rules.ProjectionMultiples, Grafana: s.grafana}
}
