// Package session is the core of the application layer that needs no
// report: where answers come from, what to ask them, and one diagnosis of
// their answers. internal/app builds one from a request and the config;
// internal/replaytest from a recording alone, as `--replay` does (it sits
// below report, whose tests use it, so it cannot use internal/app).
package session

import (
	"context"
	"fmt"

	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Session is one resolved configuration: where answers come from and
// what to ask.
type Session struct {
	Querier prom.Querier
	// Source is where the answers come from; Replay names a recording.
	Source  triage.Source
	Options prom.Options
	Catalog triage.Catalog
	Rules   triage.RuleSettings
	// Overrides are the config file's signal overrides, applied again to
	// a recording's own catalog.
	Overrides map[triage.SignalID]triage.SignalOverride
	// Dependencies are the config's, for a replay as for a live server.
	Dependencies map[triage.Tier][]triage.Matchers
}

// UseRecording answers from a recording's bytes, which name names: its own
// catalog with the overrides, the questions it recorded.
func (s *Session) UseRecording(data []byte, name string) error {
	rp, err := prom.ParseRecording(data)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	rec := rp.Recording()
	if len(rec.Catalog) > 0 {
		cat, err := rec.Catalog.Merge(s.Overrides)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.Catalog = cat
	}
	s.Querier = rp
	s.Source = triage.Source{URL: rec.Source.URL, Replay: name}
	s.Options = rp.Options()
	s.Options.Dependencies = s.Dependencies
	return nil
}

// ProgressKey is the context key of a func(triage.Reading) that a pass
// hands each reading to as soon as it is complete: how the interrupt tests
// know that a command's collection is half done without waiting a while.
type ProgressKey struct{}

// Diagnose collects a snapshot through q (the session's querier, or one
// wrapping it) and runs the rules. Interrupted, it returns the diagnosis
// of what was collected (a partial snapshot) with the error; with nothing
// collected, a diagnosis without a snapshot.
func (s *Session) Diagnose(ctx context.Context, q prom.Querier) (triage.Diagnosis, error) {
	opts := s.Options
	if progress, ok := ctx.Value(ProgressKey{}).(func(triage.Reading)); ok {
		opts.Progress = progress
	}
	snap, err := prom.Collect(ctx, q, s.Catalog, opts)
	if snap == nil {
		return triage.Diagnosis{}, err
	}
	snap.Source.Replay = s.Source.Replay
	return triage.Diagnose(snap, s.Rules), err
}
