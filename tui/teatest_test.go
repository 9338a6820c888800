package tui

import (
	"bytes"
	"context"
	"encoding/base64"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/scaletriage/scaletriage/prompts"
)

// TestProgramCopiesPrompt runs the real program: the fixture pass loads,
// enter opens the top finding's prompt, c copies it with OSC 52, q quits.
func TestProgramCopiesPrompt(t *testing.T) {
	m := New(context.Background(), testConfig(t, &fakeTriager{pass: fixturePass()}))
	tm := teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("Database connection pool exhaustion"))
	}, teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("Connection Pool Optimization"))
	}, teatest.WithDuration(5*time.Second))
	p, _ := prompts.Lookup("connection-pool-optimization")
	finding := fixtureFindings()[0]
	want := prompts.Populate(p, prompts.Input{Diagnosis: fixturePass().Diagnosis, Finding: &finding, Context: map[string]string{}}).Markdown
	osc52 := []byte("\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(want)))
	tm.Type("c")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, osc52) && bytes.Contains(b, []byte("via OSC 52"))
	}, teatest.WithDuration(5*time.Second))
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if final.prompt == nil || final.prompt.pop.Markdown != want {
		t.Fatalf("the program ended elsewhere than the copied prompt")
	}
}
