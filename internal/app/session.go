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

// session is one resolved configuration: where answers come from and what
// to ask.
type session struct {
	querier prom.Querier
	source  triage.Source
	opts    prom.Options
	catalog triage.Catalog
	context map[string]string
	rules   triage.RuleSettings
	// overrides are the config file's signal overrides, applied again to a
	// snapshot's own catalog.
	overrides map[triage.SignalID]triage.SignalOverride
	// dependencies are the config's, for a replay as for a live server.
	dependencies map[triage.Tier][]triage.Selector
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
		data, err := ReadFileCapped(req.Replay, "snapshot file", MaxSnapshotBytes)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		return s, s.useRecording(data, req.Replay)
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
	return s, s.useRecording(data, name)
}

// replayFlagsUnused refuses the flags a snapshot cannot honour: it answers
// only the questions it recorded.
func replayFlagsUnused(req Request, name string) error {
	for _, f := range []struct{ flag, value string }{
		{"--prometheus-url", req.PrometheusURL}, {"--at", req.At}, {"--window", req.Window},
		{"--rate-window", req.RateWindow}, {"--selector", req.Selector}, {"--alertmanager-url", req.AlertmanagerURL},
	} {
		if f.value != "" {
			return usagef("%s cannot be used with a snapshot (%s): it answers only the questions it recorded", f.flag, name)
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
	return &session{catalog: cat, context: cfg.Context, rules: cfg.Rules, overrides: cfg.Signals, dependencies: cfg.dependencies,
		grafana: cfg.Grafana}, cfg, nil
}

// useRecording answers from a snapshot's bytes.
func (s *session) useRecording(data []byte, name string) error {
	rp, err := prom.ParseRecording(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	rec := rp.Recording()
	if len(rec.Catalog) > 0 {
		cat, err := rec.Catalog.Merge(s.overrides)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.catalog = cat
	}
	s.querier = rp
	s.source = triage.Source{URL: rec.Source.URL, Replay: name}
	s.opts = rp.Options()
	s.opts.Dependencies = s.dependencies
	return nil
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
		return usagef("%s %s: the rate window must be at most the window (%s %s)", rateOrigin, durationText(rate), windowOrigin, durationText(window))
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
			return usagef("--concurrency %d is out of range (1-50)", req.Concurrency)
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
	s.querier = client
	s.source = triage.Source{URL: client.Target()}
	// The whole triage gets three query deadlines: enough for retries and
	// queueing behind the concurrency limit, never a hang.
	// The selector is parsed as label matchers (never pasted into PromQL):
	// a bad one is a usage error that says why, before any query is sent.
	selector, err := prom.ParseSelector(first(req.Selector, cfg.Selector))
	if err != nil {
		if req.Selector != "" {
			return usagef("--selector: %v", err)
		}
		return fmt.Errorf("config selector: %w", err)
	}
	s.opts = prom.Options{At: at, Window: window, RateWindow: rate, Selector: selector, Budget: 3 * timeout, Dependencies: cfg.dependencies}
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
// hands each reading to as soon as it is complete: how the interrupt tests
// know that a command's collection is half done without waiting a while.
type ProgressKey struct{}

// triage collects the snapshot and runs the rules. Interrupted, it returns
// the diagnosis of what was collected (a partial snapshot) with the error:
// see WasRead.
func (s *session) triage(ctx context.Context) (report.Result, error) {
	return s.triageWith(ctx, s.querier)
}

func (s *session) triageWith(ctx context.Context, q prom.Querier) (report.Result, error) {
	opts := s.opts
	if progress, ok := ctx.Value(ProgressKey{}).(func(triage.Reading)); ok {
		opts.Progress = progress
	}
	snap, err := prom.Collect(ctx, q, s.catalog, opts)
	if snap == nil {
		return report.Result{}, err
	}
	snap.Source.Replay = s.source.Replay
	return s.result(triage.Diagnose(snap, s.rules)), err
}

// WasRead reports whether a triage's result is worth writing: complete,
// or interrupted with what was read so far (then marked partial), which
// the command writes before returning the interruption.
func WasRead(res report.Result) bool { return res.Diagnosis.Snapshot != nil }

// result pairs a diagnosis with the config's prompt context and multiples.
func (s *session) result(d triage.Diagnosis) report.Result {
	return report.Result{Diagnosis: d, Context: s.context, Multiples: s.rules.ProjectionMultiples, Grafana: s.grafana}
}
