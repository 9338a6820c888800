// Package replaytest gives tests a diagnosis of a recorded incident: the
// recording replayed as `scaletriage --replay` does (internal/session, the
// application layer's core), then diagnosed with the default rule
// settings. Tests of prompts, report and tui share it.
package replaytest

import (
	"context"
	"os"
	"testing"

	"github.com/scaletriage/scaletriage/internal/session"
	"github.com/scaletriage/scaletriage/triage"
)

// Diagnose replays the recording at path and diagnoses it.
func Diagnose(tb testing.TB, path string) triage.Diagnosis {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	s := session.Session{Rules: triage.DefaultRuleSettings()}
	if err := s.UseRecording(data, path); err != nil {
		tb.Fatal(err)
	}
	d, err := s.Diagnose(context.Background(), s.Querier)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}
