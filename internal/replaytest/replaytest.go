// Package replaytest gives tests a diagnosis of a recorded incident: the
// recording replayed as `scaletriage --replay` does, then diagnosed with the
// default rule settings. Tests of prompts, report and tui share it.
package replaytest

import (
	"context"
	"os"
	"testing"

	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Diagnose replays the recording at path and diagnoses it.
func Diagnose(tb testing.TB, path string) triage.Diagnosis {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	rp, err := prom.ParseRecording(data)
	if err != nil {
		tb.Fatal(err)
	}
	snap, err := rp.Collect(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	snap.Source.Replay = path
	return triage.Diagnose(snap, triage.DefaultRuleSettings())
}
