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
	// dependencies are the config's, for a replay as for a live server.
	dependencies map[triage.Tier][]triage.Selector
	// alertmanager is the Alertmanager the alerts are also read from; nil
	// without one.
	alertmanager *prom.Client
	// grafana is where links open Explore, from the config.
	grafana report.Grafana
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
		data, err := readFileCapped(g.replay, "snapshot file", maxSnapshotBytes)
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
		{"--rate-window", g.rateWindow}, {"--selector", g.selector}, {"--alertmanager-url", g.alertmanagerURL},
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
		if cfg, err = loadConfig(g.configPath, g.warnings); err != nil {
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

func (s *session) openLive(g *globalFlags, cfg *fileConfig) error {
	url := first(g.url, os.Getenv("PROMETHEUS_URL"), cfg.PrometheusURL)
	window, windowOrigin, err := windowSetting.resolve(g.window, cfg.window, 15*time.Minute)
	if err != nil {
		return err
	}
	// 0: Collect's default, min(5m, window).
	rate, rateOrigin, err := rateWindowSetting.resolve(g.rateWindow, cfg.rateWindow, 0)
	if err != nil {
		return err
	}
	if rate > window {
		return usagef("%s %s: the rate window must be at most the window (%s %s)", rateOrigin, durationText(rate), windowOrigin, durationText(window))
	}
	timeout, _, err := timeoutSetting.resolve(g.timeout, cfg.timeout, prom.DefaultTimeout)
	if err != nil {
		return err
	}
	at := time.Now().UTC()
	if g.at != "" {
		if at, err = parseAt(g.at, at); err != nil {
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
	// The selector is parsed as label matchers (never pasted into PromQL):
	// a bad one is a usage error that says why, before any query is sent.
	selector, err := prom.ParseSelector(first(g.selector, cfg.Selector))
	if err != nil {
		if g.selector != "" {
			return usagef("--selector: %v", err)
		}
		return fmt.Errorf("config selector: %w", err)
	}
	s.opts = prom.Options{At: at, Window: window, RateWindow: rate, Selector: selector, Budget: 3 * timeout, Dependencies: cfg.dependencies}
	if amURL := first(g.alertmanagerURL, os.Getenv("ALERTMANAGER_URL"), cfg.AlertmanagerURL); amURL != "" {
		hc, note := cfg.alertmanagerHTTP(url, amURL)
		if note != "" {
			fmt.Fprintln(g.warnings, "note:", note)
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

// runTriage resolves the flags into a session and runs one triage pass.
func runTriage(ctx context.Context, g *globalFlags) (report.Result, error) {
	return runTriageFrom(ctx, g, "")
}

// runTriageFrom is runTriage scoped to the alert named (none: "").
func runTriageFrom(ctx context.Context, g *globalFlags, alert string) (report.Result, error) {
	if alert != "" {
		if err := alertsNeedLive(g); err != nil {
			return report.Result{}, err
		}
	}
	s, err := newSession(ctx, g)
	if err != nil {
		return report.Result{}, err
	}
	if alert == "" {
		res, err := s.triage(ctx)
		if collected(res) {
			if why := res.Diagnosis.Snapshot.Scope.Unmatched(); why != "" {
				fmt.Fprintf(g.warnings, "warning: --selector %s; `scaletriage services` ranks the services to pick from\n", triage.Sanitize(why))
			}
		}
		return res, err
	}
	a, err := s.scopeToAlert(ctx, g, alert)
	if err != nil {
		return report.Result{}, err
	}
	res, err := s.triage(ctx)
	res.Alert = a
	if collected(res) && res.Diagnosis.Snapshot.Scope.MatchesNothing() {
		fmt.Fprintf(g.warnings, "warning: the alert %s scopes to {%s}, which matches none of the series read: the findings are the fleet's%s; `scaletriage services` ranks the services to pick from\n",
			triage.Sanitize(a.Name), triage.Sanitize(a.Selector()), triage.Sanitize(res.Diagnosis.Snapshot.Scope.ExistingText()))
	}
	return res, err
}

// triage collects the snapshot and runs the rules. Interrupted, it returns
// the diagnosis of what was collected (a partial snapshot) with the error:
// see collected.
func (s *session) triage(ctx context.Context) (report.Result, error) {
	return s.triageWith(ctx, s.querier)
}

// readingsKey is the context key of a func(triage.Reading) that Collect
// passes each reading to as soon as it is complete: how the interrupt tests
// know that a command's collection is half done without waiting a while.
type readingsKey struct{}

func (s *session) triageWith(ctx context.Context, q prom.Querier) (report.Result, error) {
	opts := s.opts
	if progress, ok := ctx.Value(readingsKey{}).(func(triage.Reading)); ok {
		opts.Progress = progress
	}
	snap, err := prom.Collect(ctx, q, s.catalog, opts)
	if snap == nil {
		return report.Result{}, err
	}
	snap.Source.Replay = s.source.Replay
	return s.result(triage.Diagnose(snap, s.rules)), err
}

// collected reports whether a triage's result is worth writing: complete,
// or interrupted with what was read so far (then marked partial), which
// the command writes before returning the interruption.
func collected(res report.Result) bool { return res.Diagnosis.Snapshot != nil }

// result pairs a diagnosis with the config's prompt context and multiples.
func (s *session) result(d triage.Diagnosis) report.Result {
	return report.Result{Diagnosis: d, Context: s.context, Multiples: s.rules.ProjectionMultiples, Grafana: s.grafana}
}

// record runs a triage through a recorder and returns the recording file
// (interrupted: of what was collected, with the error).
func (s *session) record(ctx context.Context) ([]byte, report.Result, error) {
	rec := &prom.Recorder{Inner: s.querier}
	res, err := s.triageWith(ctx, rec)
	if !collected(res) {
		return nil, res, err
	}
	data, encErr := report.Recording(res, s.catalog, rec.Calls())
	if encErr != nil {
		return nil, res, encErr
	}
	return data, res, err
}
