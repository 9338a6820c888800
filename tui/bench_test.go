package tui

import (
	"context"
	"os"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// demoPass is the bundled demo incident, collected from its recording the
// way `scaletriage demo` does.
func demoPass(b *testing.B) Pass {
	b.Helper()
	data, err := os.ReadFile("../cmd/scaletriage/demo/incident.json")
	if err != nil {
		b.Skipf("demo recording: %v", err)
	}
	rp, err := prom.ParseRecording(data)
	if err != nil {
		b.Fatal(err)
	}
	rec := rp.Recording()
	window, err := time.ParseDuration(rec.Window)
	if err != nil {
		b.Fatal(err)
	}
	rate, _ := time.ParseDuration(rec.RateWindow)
	snap, err := prom.Collect(context.Background(), rp, triage.DefaultCatalog(),
		prom.Options{At: rec.At, Window: window, RateWindow: rate, Selector: rec.Selector})
	if err != nil {
		b.Fatal(err)
	}
	return triage.Diagnose(snap, triage.DefaultRuleSettings())
}

// BenchmarkFirstFrame is construction to the first full frame on the demo
// incident (the budget is 150 ms cold start to first frame).
func BenchmarkFirstFrame(b *testing.B) {
	pass := demoPass(b)
	b.ReportAllocs()
	for b.Loop() {
		m := New(testConfig(b, &fakeSource{pass: pass}))
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
			m := New(testConfig(b, &fakeSource{pass: pass}))
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
