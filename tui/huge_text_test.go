package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// Bad input 29: a 1 MB label and 10,000 runes of grapheme soup (combining
// marks, wide and zero-width runes) in every text a reading and a finding
// carry, as the collector hands them over (sanitized where they entered:
// capped at triage.MaxField runes, TestClientHandlesHostileAnswers): every
// line of every pane fits the terminal, taking the pass in stays quick, and
// a frame draws within a 60 fps frame (16 ms; the race detector's slowdown
// allowed for).
func TestHugeTextIsCutToTheScreen(t *testing.T) {
	soup := triage.Sanitize(strings.Repeat("e\u0301\u0308世\u200d👩\u200d💻", 2_000))
	huge := triage.Sanitize(strings.Repeat("x", 1<<20) + soup)
	pass := fixturePass()
	for i := range pass.Diagnosis.Snapshot.Readings {
		r := &pass.Diagnosis.Snapshot.Readings[i]
		r.Title, r.Reason, r.Exporter, r.Query = soup+huge, huge, soup, huge
		r.Warnings = []string{huge}
	}
	pass.Diagnosis.Findings[0].Summary = huge
	pass.Diagnosis.Findings[0].Evidence = []string{soup, huge}
	pass.Diagnosis.Snapshot.Source.Backend = huge
	m := New(context.Background(), testConfig(t, &fakeTriager{pass: pass}))
	t.Cleanup(m.Close)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.startCollect()
	budget, update := 16*time.Millisecond, time.Second
	if raceEnabled {
		budget, update = budget*10, update*10
	}
	start := time.Now()
	m.Update(collectedMsg{gen: m.gen, pass: pass})
	if took := time.Since(start); took > update {
		t.Errorf("taking the pass in took %s, over %s", took, update)
	} else {
		t.Logf("the pass taken in %s", took)
	}
	for _, screen := range []string{"findings", "signals", "library"} {
		fastest := time.Hour
		var view string
		for range 5 {
			start := time.Now()
			view = m.View().Content
			fastest = min(fastest, time.Since(start))
		}
		lines := strings.Split(view, "\n")
		if len(lines) > 24 {
			t.Errorf("%s: %d lines on a 24-line terminal", screen, len(lines))
		}
		for i, line := range lines {
			if w := ansi.StringWidth(line); w > 80 {
				t.Errorf("%s: line %d is %d columns wide: %.120q", screen, i, w, ansi.Strip(line))
				break
			}
		}
		if fastest > budget {
			t.Errorf("%s: a frame took %s, over %s", screen, fastest, budget)
		}
		t.Logf("%s: %s a frame", screen, fastest)
		press(m, "tab")
	}
}
