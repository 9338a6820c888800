package tui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/internal/replaytest"
	"github.com/scaletriage/scaletriage/report"
)

// demoPass is the bundled demo incident, collected from its recording the
// way `scaletriage demo` does.
func demoPass(b *testing.B) report.Pass {
	return report.Pass{Diagnosis: replaytest.Diagnose(b, "../cmd/scaletriage/demo/incident.json")}
}

// BenchmarkFirstFrame is construction to the first full frame on the demo
// incident (the budget is 150 ms cold start to first frame).
func BenchmarkFirstFrame(b *testing.B) {
	pass := demoPass(b)
	b.ReportAllocs()
	for b.Loop() {
		m := New(context.Background(), testConfig(b, &fakeTriager{pass: pass}))
		m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		m.startCollect()
		m.Update(collectedMsg{gen: m.gen, pass: pass})
		_ = m.View()
	}
}

// BenchmarkView is one redraw at 200x60 (the budget is 2 ms): every signal,
// then the prompt with its guidance.
func BenchmarkView(b *testing.B) {
	pass := demoPass(b)
	for _, bc := range []struct {
		name string
		keys []string
	}{{"signals", []string{"tab"}}, {"findings", nil}, {"prompt-guidance", []string{"enter", "g"}}} {
		b.Run(bc.name, func(b *testing.B) {
			m := New(context.Background(), testConfig(b, &fakeTriager{pass: pass}))
			m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
			m.startCollect()
			m.Update(collectedMsg{gen: m.gen, pass: pass})
			press(m, bc.keys...)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// openPromptWithGuidance is the heaviest screen: 200x60, the first
// finding's prompt open with its guidance beside it.
func openPromptWithGuidance(b *testing.B) *Model {
	pass := demoPass(b)
	m := New(context.Background(), testConfig(b, &fakeTriager{pass: pass}))
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: pass})
	press(m, "enter", "g")
	m.cfg.inlineWork = false // from here on, as in the TUI: content work is a command
	return m
}

// BenchmarkKeyInPrompt is a key press to its frame inside a prompt with
// guidance (the budget is 2 ms): Update, then View.
func BenchmarkKeyInPrompt(b *testing.B) {
	m := openPromptWithGuidance(b)
	keys := []string{"down", "up"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		press(m, keys[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkResize is a resize to its frame with a prompt and guidance open
// (the budget is 5 ms): the width alternates, as a terminal being dragged.
func BenchmarkResize(b *testing.B) {
	m := openPromptWithGuidance(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(tea.WindowSizeMsg{Width: 200 - i%7, Height: 60})
		_ = m.View()
		i++
	}
}

// BenchmarkPass is a new pass arriving while a prompt is open: what
// Update does with it before the next frame (filling the prompt in is a
// command: BenchmarkFillPrompt).
func BenchmarkPass(b *testing.B) {
	m := openPromptWithGuidance(b)
	pass := demoPass(b)
	b.ReportAllocs()
	for b.Loop() {
		m.startCollect()
		m.Update(collectedMsg{gen: m.gen, pass: pass})
		_ = m.View()
	}
}

// BenchmarkFillPrompt is the work a pass's command does off Update for an
// open prompt: populate it and write its guidance.
func BenchmarkFillPrompt(b *testing.B) {
	m := openPromptWithGuidance(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.fillPrompt(contentPass)()
	}
}

// BenchmarkPromptContentArrives is Update receiving a prompt's new content
// (filled and rendered by its command) with the guidance open: the
// Markdown is a lookup, the layout a few lines' measure.
func BenchmarkPromptContentArrives(b *testing.B) {
	m := openPromptWithGuidance(b)
	pass := demoPass(b)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m.startCollect()
		_, cmd := m.Update(collectedMsg{gen: m.gen, pass: pass})
		var content tea.Msg
		for _, msg := range runBatch(cmd) {
			if c, ok := msg.(promptContentMsg); ok {
				content = c
			}
		}
		b.StartTimer()
		m.Update(content)
		_ = m.View()
	}
}
