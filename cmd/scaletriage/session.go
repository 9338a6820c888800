package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// session is one resolved configuration: where answers come from and what
// to ask. Flags beat the environment, which beats the config file.
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
}

func newSession(ctx context.Context, g *globalFlags) (*session, error) {
	s, cfg, err := configuredSession(g)
	if err != nil {
		return nil, err
	}
	if g.replay != "" {
		if err := replayFlagsUnused(g, g.replay); err != nil {
			return nil, err
		}
		data, err := os.ReadFile(g.replay)
		if err != nil {
			return nil, fmt.Errorf("replay: %w", err)
		}
		return s, s.useRecording(data, g.replay)
	}
	return s, s.openLive(g, cfg)
}

// newRecordingSession answers from a snapshot's bytes (the embedded demo).
func newRecordingSession(g *globalFlags, data []byte, name string) (*session, error) {
	if err := replayFlagsUnused(g, name); err != nil {
		return nil, err
	}
	s, _, err := configuredSession(g)
	if err != nil {
		return nil, err
	}
	return s, s.useRecording(data, name)
}

// replayFlagsUnused refuses the flags a snapshot cannot honour: it answers
// only the questions it recorded.
func replayFlagsUnused(g *globalFlags, name string) error {
	for _, f := range []struct{ flag, value string }{
		{"--prometheus-url", g.url}, {"--at", g.at}, {"--window", g.window},
		{"--rate-window", g.rateWindow}, {"--selector", g.selector},
	} {
		if f.value != "" {
			return usagef("%s cannot be used with a snapshot (%s): it answers only the questions it recorded", f.flag, name)
		}
	}
	return nil
}

// configuredSession reads the config file: catalog overrides, rule
// settings and prompt context apply to live and recorded sources alike.
func configuredSession(g *globalFlags) (*session, *fileConfig, error) {
	cfg := &fileConfig{Rules: triage.DefaultRuleSettings()}
	if g.configPath != "" {
		var err error
		if cfg, err = loadConfig(g.configPath); err != nil {
			return nil, nil, err
		}
	}
	cat, err := triage.DefaultCatalog().Merge(cfg.Signals)
	if err != nil {
		return nil, nil, err
	}
	return &session{catalog: cat, context: cfg.Context, rules: cfg.Rules, overrides: cfg.Signals}, cfg, nil
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
	s.source = triage.Source{URL: rec.Source.URL, Backend: rec.Source.Backend, Replay: name}
	s.opts = rp.Options()
	return nil
}

func (s *session) openLive(g *globalFlags, cfg *fileConfig) error {
	url := first(g.url, os.Getenv("PROMETHEUS_URL"), cfg.PrometheusURL)
	window, err := durationSetting("--window", g.window, cfg.window, 15*time.Minute)
	if err != nil {
		return err
	}
	rate, err := durationSetting("--rate-window", g.rateWindow, cfg.rateWindow, 0)
	if err != nil {
		return err
	}
	timeout, err := durationSetting("--timeout", g.timeout, cfg.timeout, prom.DefaultTimeout)
	if err != nil {
		return err
	}
	at := time.Now().UTC()
	if g.at != "" {
		if at, err = parseAt(g.at); err != nil {
			return usageError{err}
		}
	}
	concurrency := cfg.Concurrency
	if g.concurrency != 0 {
		if g.concurrency < 1 || g.concurrency > 50 {
			return usagef("--concurrency %d is out of range (1-50)", g.concurrency)
		}
		concurrency = g.concurrency
	}
	client, err := prom.New(prom.Config{URL: url, HTTP: cfg.HTTP, Timeout: timeout, Concurrency: concurrency})
	if errors.Is(err, prom.ErrNoURL) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	s.querier = client
	s.source = triage.Source{URL: client.Target()}
	// The whole triage gets three query deadlines: enough for retries and
	// queueing behind the concurrency limit, never a hang.
	s.opts = prom.Options{At: at, Window: window, RateWindow: rate, Selector: first(g.selector, cfg.Selector), Budget: 3 * timeout}
	return nil
}

// durationSetting picks the flag, else the config value, else the default.
func durationSetting(flag, flagValue string, fromConfig, def time.Duration) (time.Duration, error) {
	if flagValue != "" {
		d, err := parseDuration(flagValue)
		if err != nil {
			return 0, usagef("%s: %v", flag, err)
		}
		return d, nil
	}
	if fromConfig > 0 {
		return fromConfig, nil
	}
	return def, nil
}

func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// runTriage resolves the flags into a session and runs one triage pass.
func runTriage(ctx context.Context, g *globalFlags) (report.Result, error) {
	s, err := newSession(ctx, g)
	if err != nil {
		return report.Result{}, err
	}
	return s.triage(ctx)
}

// triage collects the snapshot and runs the rules.
func (s *session) triage(ctx context.Context) (report.Result, error) {
	return s.triageWith(ctx, s.querier)
}

func (s *session) triageWith(ctx context.Context, q prom.Querier) (report.Result, error) {
	snap, err := prom.Collect(ctx, q, s.catalog, s.opts)
	if err != nil {
		return report.Result{}, err
	}
	backend := snap.Source.Backend
	snap.Source = s.source
	if backend != "" {
		snap.Source.Backend = backend
	}
	return s.result(triage.Diagnose(snap, s.rules)), nil
}

// result pairs a diagnosis with the config's prompt context and multiples.
func (s *session) result(d triage.Diagnosis) report.Result {
	return report.Result{Diagnosis: d, Context: s.context, Multiples: s.rules.ProjectionMultiples}
}

// record runs a triage through a recorder and returns the recording file.
func (s *session) record(ctx context.Context) ([]byte, report.Result, error) {
	rec := &prom.Recorder{Inner: s.querier}
	res, err := s.triageWith(ctx, rec)
	if err != nil {
		return nil, report.Result{}, err
	}
	data, err := report.Recording(res, s.catalog, rec.Calls())
	return data, res, err
}
