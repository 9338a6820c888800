package tui

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

func TestFirstPassFocusesFindings(t *testing.T) {
	m := loaded(t, 80, 24)
	if m.focus != m.findings {
		t.Fatalf("focus = %s, want findings after the first pass", m.focus.Title())
	}
	if got := m.screen(); got != screenPane {
		t.Fatalf("screen = %v", got)
	}
}

func TestNavigation(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "j")
	if f, _ := m.findings.selected(); f.ID != "latency-regression" {
		t.Fatalf("j selected %q", f.ID)
	}
	press(m, "k", "k")
	if f, _ := m.findings.selected(); f.ID != "db-pool-exhaustion" {
		t.Fatalf("k selected %q (the cursor must stop at the top)", f.ID)
	}
	press(m, "tab")
	if m.focus != m.signals {
		t.Fatalf("tab: focus %s, want signals", m.focus.Title())
	}
	press(m, "down", "down")
	if id := m.signals.rows[m.signals.list.cursor].id; id != triage.SignalID("error_ratio") {
		t.Fatalf("signals cursor on %s", id)
	}
	press(m, "l")
	if m.focus != m.library {
		t.Fatalf("l: focus %s, want library", m.focus.Title())
	}
	press(m, "shift+tab", "h")
	if m.focus != m.findings {
		t.Fatalf("shift+tab, h: focus %s, want findings", m.focus.Title())
	}
}

func TestLibraryFilterAndOpen(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "/")
	if m.screen() != screenFilter {
		t.Fatalf("/ did not focus the filter")
	}
	press(m, "r", "e", "d", "i", "s")
	if len(m.library.shown) != 1 || m.library.shown[0].ID != "redis-scaling-and-clustering" {
		t.Fatalf("filter redis shows %v", m.library.shown)
	}
	press(m, "enter", "enter")
	if m.prompt == nil || m.prompt.prompt.ID != "redis-scaling-and-clustering" || m.prompt.finding != nil {
		t.Fatalf("enter did not open the filtered prompt from the library")
	}
	press(m, "esc", "esc")
	if m.prompt != nil || m.library.filter.Value() != "" || len(m.library.shown) != 27 {
		t.Fatalf("esc, esc: prompt %v, filter %q, %d shown", m.prompt != nil, m.library.filter.Value(), len(m.library.shown))
	}
}

func TestOpenFindingPromptAndRelated(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "enter")
	if m.screen() != screenPrompt || m.prompt.prompt.ID != "connection-pool-optimization" {
		t.Fatalf("enter opened %v", m.prompt)
	}
	if m.prompt.finding == nil || m.prompt.finding.ID != "db-pool-exhaustion" {
		t.Fatalf("the prompt lost its finding")
	}
	if !strings.Contains(m.prompt.pop.Markdown, "Connection Pool Optimization") || m.prompt.pop.Total == 0 {
		t.Fatalf("not populated: %+v", m.prompt.pop)
	}
	press(m, "]")
	if m.prompt.prompt.ID != "bottleneck-identification" {
		t.Fatalf("] opened %s", m.prompt.prompt.ID)
	}
	press(m, "]")
	if m.prompt.prompt.ID != "connection-pool-optimization" {
		t.Fatalf("] wraps around: %s", m.prompt.prompt.ID)
	}
	press(m, "[")
	if m.prompt.prompt.ID != "bottleneck-identification" {
		t.Fatalf("[ opened %s", m.prompt.prompt.ID)
	}
	press(m, "g")
	if !m.prompt.showGuide || !strings.Contains(m.prompt.guide, "Why this prompt") {
		t.Fatalf("g did not show the guidance")
	}
	press(m, "esc")
	if m.prompt != nil || m.focus != m.findings {
		t.Fatalf("esc did not go back to the findings")
	}
	press(m, "2")
	if m.prompt == nil || m.prompt.prompt.ID != "bottleneck-identification" {
		t.Fatalf("2 did not open the finding's second prompt")
	}
}

func TestFillPlaceholder(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "enter")
	if !slices.Contains(m.prompt.pop.Unfilled, "[application]") {
		t.Fatalf("fixture: [application] should be unfilled, have %v", m.prompt.pop.Unfilled)
	}
	filled := m.prompt.pop.Filled
	press(m, "e")
	if m.screen() != screenForm || m.prompt.form.fields[0].span != "[application]" {
		t.Fatalf("e did not open the form on [application]")
	}
	press(m, "c", "h", "e", "c", "k", "o", "u", "t", " ", "A", "P", "I", "enter")
	if m.prompt.form != nil {
		t.Fatalf("enter did not close the form")
	}
	pop := m.prompt.pop
	if slices.Contains(pop.Unfilled, "[application]") || pop.Filled != filled+1 || !strings.Contains(pop.Markdown, "**checkout API**") {
		t.Fatalf("not filled: %d -> %d, unfilled %v", filled, pop.Filled, pop.Unfilled)
	}
	// The value stays for the run: another prompt asking for it gets it.
	press(m, "esc")
	if m.userValues["[application]"] != "checkout API" {
		t.Fatalf("user values = %v", m.userValues)
	}
	press(m, "enter")
	if !strings.Contains(ansi.Strip(m.View().Content), "checkout API") {
		t.Fatalf("reopened prompt does not show the value")
	}
	// Editing again offers the filled placeholder; emptying it clears it.
	press(m, "e")
	if m.prompt.form.fields[0].span != "[application]" || m.prompt.form.fields[0].input.Value() != "checkout API" {
		t.Fatalf("the form forgot the filled value")
	}
	m.prompt.form.fields[0].input.SetValue("")
	press(m, "enter")
	if !slices.Contains(m.prompt.pop.Unfilled, "[application]") {
		t.Fatalf("an emptied field must clear the value")
	}
}

func TestCopyUsesOSC52(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "enter")
	cmd := press(m, "c")
	msgs := messages(t, cmd)
	content, ok := clipboardContent(msgs)
	if !ok {
		t.Fatalf("no OSC 52 command among %#v", msgs)
	}
	if content != m.prompt.pop.Markdown {
		t.Fatalf("OSC 52 carries something else than the prompt")
	}
	var copied *copiedMsg
	for _, msg := range msgs {
		if c, ok := msg.(copiedMsg); ok {
			copied = &c
		}
	}
	if copied == nil || !copied.osc52 || copied.file != "" {
		t.Fatalf("copy result %+v", copied)
	}
	m.Update(*copied)
	// OSC 52 has no acknowledgement: the status must not claim a copy.
	want := "sent " + triage.Thousands(len(content)) + " bytes via OSC 52 (terminals do not confirm; w saves a file)"
	if m.status.text != want {
		t.Fatalf("status %q, want %q", m.status.text, want)
	}
}

func TestCopyTooLargeFallsBackToFile(t *testing.T) {
	cfg := testConfig(t, &fakeTriager{pass: fixturePass()})
	cfg.OSC52Limit = 100
	m := New(context.Background(), cfg)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: fixturePass()})
	press(m, "enter")
	msgs := messages(t, press(m, "c"))
	if _, ok := clipboardContent(msgs); ok {
		t.Fatalf("a prompt above the limit must not be sent with OSC 52")
	}
	for _, msg := range msgs {
		m.Update(msg)
	}
	status := m.status.text
	for _, want := range []string{"above the OSC 52 limit of 100 bytes", "no clipboard", "saved to "} {
		if !strings.Contains(status, want) {
			t.Fatalf("status %q lacks %q", status, want)
		}
	}
	file := status[strings.Index(status, "saved to ")+len("saved to "):]
	data, err := os.ReadFile(file)
	if err != nil || string(data) != m.prompt.pop.Markdown {
		t.Fatalf("saved file %s: %v", file, err)
	}
}

func TestOSC52LimitInMultiplexers(t *testing.T) {
	env := func(k, v string) func(string) string {
		return func(name string) string {
			if name == k {
				return v
			}
			return ""
		}
	}
	if got := OSC52LimitFor(env("TMUX", "/tmp/tmux-0/default,1,0")); got != 8192 {
		t.Errorf("tmux: %d", got)
	}
	if got := OSC52LimitFor(env("STY", "1.pts-0")); got != 8192 {
		t.Errorf("screen: %d", got)
	}
	if got := OSC52LimitFor(env("", "")); got != 74_994 {
		t.Errorf("plain: %d", got)
	}
}

func TestWriteSavesPrompt(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "enter")
	for _, name := range []string{"scaletriage-prompt-connection-pool-optimization.md", "scaletriage-prompt-connection-pool-optimization-2.md"} {
		msgs := messages(t, press(m, "w"))
		m.Update(msgs[0])
		if !strings.HasPrefix(m.status.text, "saved to ") || !strings.HasSuffix(m.status.text, string(os.PathSeparator)+name) {
			t.Fatalf("status %q, want a file named %s (an existing save is never overwritten)", m.status.text, name)
		}
		fi, err := os.Stat(strings.TrimPrefix(m.status.text, "saved to "))
		if err != nil || fi.Mode() != 0o600 {
			t.Fatalf("saved file: %v, %v", fi, err)
		}
	}
}

// countingFiles counts the model's file writes.
type countingFiles struct {
	PromptFiles
	saves, spills atomic.Int32
}

func (c *countingFiles) Save(id, text string) (string, error) {
	c.saves.Add(1)
	return c.PromptFiles.Save(id, text)
}

func (c *countingFiles) Spill(id, text string) (string, error) {
	c.spills.Add(1)
	return c.PromptFiles.Spill(id, text)
}

// TestUpdateDoesNoIO proves the Source, the clipboard tool and the files
// are reached only by running the commands Update returns, never by
// Update or View themselves, on a sequence that copies and writes a
// prompt.
func TestUpdateDoesNoIO(t *testing.T) {
	src := &fakeTriager{pass: fixturePass(), live: true}
	cfg := testConfig(t, src)
	var clip atomic.Int32
	cfg.Clipboard = func(context.Context, string) (string, error) {
		clip.Add(1)
		return "", errNoClipboardTool
	}
	files := &countingFiles{PromptFiles: cfg.Files}
	cfg.Files = files
	cfg.OSC52Limit = 100 // the copy also spills to a file
	m := New(context.Background(), cfg)
	// The run ends as the program's does: Close cancels the collections
	// whose commands were run and then no longer listened to, so no
	// goroutine outlives the test.
	t.Cleanup(m.Close)
	events := make(chan tea.Msg)
	initCmd := m.Init()
	msgs := []tea.Msg{
		tea.WindowSizeMsg{Width: 120, Height: 40}, tea.BackgroundColorMsg{},
		readingMsg{gen: m.gen, reading: fixtureSnapshot().Readings[0], events: events},
		collectedMsg{gen: m.gen, pass: fixturePass()},
		refreshTickMsg{gen: m.gen}, clockMsg{}, keyMsg("r"), keyMsg("t"), keyMsg("t"),
		keyMsg("enter"), keyMsg("c"), keyMsg("w"), keyMsg("e"), keyMsg("esc"),
		keyMsg("g"), keyMsg("]"), keyMsg("c"), keyMsg("esc"), keyMsg("tab"), keyMsg("j"),
		keyMsg("/"), keyMsg("x"), keyMsg("esc"), keyMsg("?"),
	}
	var cmds []tea.Cmd
	opened := 0
	for range 3 {
		for _, msg := range msgs {
			_, cmd := m.Update(msg)
			cmds = append(cmds, cmd)
			if m.prompt != nil {
				opened++
			}
			m.View()
		}
	}
	if opened == 0 {
		t.Fatalf("the sequence never opened a prompt: c and w were not exercised")
	}
	if n := src.calls.Load(); n != 0 {
		t.Fatalf("Update called Collect %d times", n)
	}
	if c, s, sp := clip.Load(), files.saves.Load(), files.spills.Load(); c+s+sp != 0 {
		t.Fatalf("Update or View reached the clipboard %d times, saved %d files, spilled %d", c, s, sp)
	}
	close(events) // the hand-made collection ends: listening to it returns
	for _, cmd := range cmds {
		messages(t, cmd)
	}
	settle(t, m, initCmd)
	if n := src.calls.Load(); n == 0 {
		t.Fatalf("running the commands never collected")
	}
	if c, s, sp := clip.Load(), files.saves.Load(), files.spills.Load(); c == 0 || s == 0 || sp == 0 {
		t.Fatalf("running the commands: %d clipboard calls, %d saves, %d spills; want each of c and w to reach them", c, s, sp)
	}
}

// TestCollectionStreamsReadings runs the real commands: readings arrive
// one by one, then the pass.
func TestCollectionStreamsReadings(t *testing.T) {
	src := &fakeTriager{pass: fixturePass()}
	m := New(context.Background(), testConfig(t, src))
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	cmd := m.Init()
	if !m.collecting {
		t.Fatalf("Init did not start collecting")
	}
	settle(t, m, cmd)
	if m.collecting || m.pass.Diagnosis.Snapshot == nil || len(m.findings.findings) != 2 {
		t.Fatalf("collection did not complete: collecting=%v", m.collecting)
	}
	if found, _ := m.signals.counts(); found != 6 {
		t.Fatalf("%d signals with a value, want 6", found)
	}
}

func TestStaleResultsAreDropped(t *testing.T) {
	m := loaded(t, 80, 24)
	gen := m.gen
	m.cfg.Triager = &fakeTriager{pass: fixturePass(), live: true}
	press(m, "r")
	if m.gen != gen+1 || !m.collecting {
		t.Fatalf("r did not start generation %d", gen+1)
	}
	if cmd := press(m, "r"); m.gen != gen+1 || cmd == nil || !strings.Contains(m.status.text, "already running") {
		t.Fatalf("a second refresh must not start while one is in flight")
	}
	old := report.Pass{Diagnosis: triage.Diagnosis{Snapshot: &triage.Snapshot{At: fixtureAt.Add(-time.Hour)}}}
	m.Update(collectedMsg{gen: gen, pass: old})
	if m.pass.Diagnosis.Snapshot.At != fixtureAt || !m.collecting {
		t.Fatalf("a stale pass replaced the current one")
	}
	if cmd := m.handleReading(readingMsg{gen: gen}); cmd != nil {
		t.Fatalf("a stale reading must not be listened to further")
	}
	// The newest wins, and a stale pass arriving after it changes nothing.
	newest := fixturePass()
	newest.Diagnosis.Snapshot.At = fixtureAt.Add(time.Minute)
	m.Update(collectedMsg{gen: gen + 1, pass: newest})
	m.Update(collectedMsg{gen: gen, pass: old})
	if at := m.pass.Diagnosis.Snapshot.At; at != newest.Diagnosis.Snapshot.At || m.collecting {
		t.Fatalf("shows the pass of %s (collecting %v), want the newest, of %s", at, m.collecting, newest.Diagnosis.Snapshot.At)
	}
}

func TestWindowCycleRecollects(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "t")
	if m.window != 15*time.Minute || !strings.Contains(m.status.text, "fixed") {
		t.Fatalf("a recording's window must stay: %v, %q", m.window, m.status.text)
	}
	m.cfg.Triager = &fakeTriager{pass: fixturePass(), live: true}
	gen := m.gen
	press(m, "t")
	if m.window != time.Hour || m.gen != gen+1 {
		t.Fatalf("t: window %v, gen %d", m.window, m.gen)
	}
	press(m, "t") // while collecting: cancels and starts again
	if m.window != 6*time.Hour || m.gen != gen+2 {
		t.Fatalf("t while collecting: window %v, gen %d", m.window, m.gen)
	}
}

func TestFailureStaysOnScreen(t *testing.T) {
	src := &fakeTriager{err: errors.New("connection refused: dial tcp 127.0.0.1:9090")}
	m := New(context.Background(), testConfig(t, src))
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	settle(t, m, m.Init())
	if m.screen() != screenError {
		t.Fatalf("screen %v, want the error view", m.screen())
	}
	view := ansi.Strip(m.View().Content)
	for _, want := range []string{"Cannot collect from http://prometheus:9090", "connection refused", "r retries"} {
		if !strings.Contains(view, want) {
			t.Fatalf("error view lacks %q:\n%s", want, view)
		}
	}
	src.err = nil
	src.pass = fixturePass()
	settle(t, m, press(m, "r"))
	if m.screen() == screenError || m.pass.Diagnosis.Snapshot == nil {
		t.Fatalf("retry did not recover")
	}
	// A later failure keeps the data and marks it stale.
	src.err = errors.New("timeout")
	src.live = true
	settle(t, m, press(m, "r"))
	if m.pass.Diagnosis.Snapshot == nil || !strings.Contains(ansi.Strip(m.header), "STALE") {
		t.Fatalf("a failed refresh must keep the data with a STALE badge: %q", ansi.Strip(m.header))
	}
}

func TestQuitCancelsCollection(t *testing.T) {
	m := New(context.Background(), testConfig(t, &fakeTriager{pass: fixturePass()}))
	m.Init()
	cmd := press(m, "q")
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatalf("q did not quit")
	}
	if m.ctx.Err() == nil {
		t.Fatalf("quit must cancel the collection in flight")
	}
}

// TestHostileTextIsEscaped draws unsanitized server text: only the TUI's
// own SGR styling may reach the terminal.
func TestHostileTextIsEscaped(t *testing.T) {
	hostile := "evil\x1b[2J\x1b]52;c;aGFjaw==\x07\rover\u202egnp.exe"
	pass := fixturePass()
	r := &pass.Diagnosis.Snapshot.Readings[0]
	r.Title, r.Reason, r.Exporter, r.Query = hostile, hostile, hostile, hostile
	pass.Diagnosis.Findings[0].Summary = hostile
	pass.Diagnosis.Findings[0].Evidence = []string{hostile}
	pass.Diagnosis.Snapshot.Source.Backend = hostile
	m := New(context.Background(), testConfig(t, &fakeTriager{pass: pass}))
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: pass})
	for _, screen := range []string{"findings", "signals"} {
		view := m.View().Content
		assertNoRawControls(t, screen, view)
		plain := ansi.Strip(view)
		for _, want := range []string{"␛[2J", "␛]52;c;", "<U+202E>"} {
			if !strings.Contains(plain, want) {
				t.Fatalf("%s: %q not drawn visibly:\n%s", screen, want, plain)
			}
		}
		press(m, "tab")
	}
}

func TestSparkline(t *testing.T) {
	start := fixtureAt.Add(-15 * time.Minute)
	pts := func(vs ...float64) []triage.Point {
		var out []triage.Point
		for i, v := range vs {
			out = append(out, triage.Point{T: start.Add(time.Duration(i) * 5 * time.Minute), V: v})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		series []triage.Point
		width  int
		unit   triage.Unit
		want   string
	}{
		{"rising", pts(0, 1, 2, 7), 10, triage.UnitClients, "▁▂▃█"},
		{"nan is a gap", pts(1, math.NaN(), 3, 8), 10, triage.UnitClients, "▁ ▃█"},
		{"missing sample is a gap", append(pts(1, 2)[:1], pts(0, 0, 5, 8)[2:]...), 10, triage.UnitClients, "▁ ▅█"},
		{"flat is drawn at its level, no sample at the end", pts(4, 4, 4), 10, triage.UnitClients, "███ "},
		{"flat at zero is the lowest", pts(0, 0, 0, 0), 10, triage.UnitClients, "▁▁▁▁"},
		{"narrow keeps peaks", pts(0, 8, 0, 0), 2, triage.UnitClients, "█▁"},
		{"empty", nil, 10, triage.UnitClients, ""},
		// A ratio on its absolute scale: a pool pinned at 100 % is full,
		// not the lowest bar of its own range; 50 % to 60 % stays mid-height.
		{"pool pinned at 100%", pts(1, 1, 1, 1), 10, triage.UnitRatio, "████"},
		{"ratio between 0.5 and 0.6", pts(0.5, 0.55, 0.6, 0.6), 10, triage.UnitRatio, "▄▄▅▅"},
		{"ratio from idle to full", pts(0, 0.5, 1, 1), 10, triage.UnitRatio, "▁▄██"},
	} {
		if got := sparkline(tc.series, start, fixtureAt, tc.width, tc.unit); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The ratio to the day before reads as in reports and prompts (one
// rendering: Reading.RatioText).
func TestBaselineDelta(t *testing.T) {
	for _, tc := range []struct {
		v, b float64
		want string
	}{{0.995, 0.024, "41.5x"}, {6.5, 576, "0.0113x"}, {7, 6, "1.17x"}, {59, 0, "was 0"}, {1, 1, "1x"}, {1500, 1, "1500x"}} {
		r := triage.Reading{Value: triage.Of(tc.v), Baseline: triage.Of(tc.b)}
		if got := baselineDelta(r); got != tc.want {
			t.Errorf("%v/%v: %q, want %q", tc.v, tc.b, got, tc.want)
		}
	}
}

func TestRedactToggleRepopulatesAndPreviews(t *testing.T) {
	m := loaded(t, 80, 24)
	press(m, "enter")
	press(m, "x")
	if !m.redact || !strings.Contains(m.status.text, "redact") {
		t.Fatalf("x: redact %v, status %q", m.redact, m.status.text)
	}
	press(m, "x")
	if m.redact || !strings.Contains(m.status.text, "redaction off") {
		t.Fatalf("second x: redact %v, status %q", m.redact, m.status.text)
	}
}

// A quantile inside a wide bucket shows its range in the signal's detail.
func TestSignalDetailShowsAWideBucket(t *testing.T) {
	pass := fixturePass()
	for i := range pass.Diagnosis.Snapshot.Readings {
		if r := &pass.Diagnosis.Snapshot.Readings[i]; r.ID == triage.SignalLatencyP99 {
			r.AtLeast, r.Bucket = false, &triage.Bucket{Low: 0.5, High: 1}
		}
	}
	m := New(context.Background(), testConfig(t, &fakeTriager{pass: pass}))
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: pass})
	m.focusPane(m.signals)
	press(m, "down")
	if view := ansi.Strip(m.View().Content); !strings.Contains(view, "range: between 500 ms and 1 s: histogram resolution") {
		t.Errorf("the detail lacks the bucket range:\n%s", view)
	}
}

// Filling a prompt in runs in a command, off Update: until its result is
// back the prompt says so and copy waits (never the old numbers); a result
// for an earlier request (a pass that was superseded) is dropped; the
// library counts its fills only once it is shown.
func TestPromptContentArrivesByCommand(t *testing.T) {
	cfg := testConfig(t, &fakeTriager{pass: fixturePass()})
	cfg.inlineWork = false
	m := New(context.Background(), cfg)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.startCollect()
	m.Update(collectedMsg{gen: m.gen, pass: fixturePass()})
	if m.fillsFresh() || m.library.fills != nil {
		t.Fatal("the library's fills were counted while it is not shown")
	}

	open := press(m, "enter")
	if !m.prompt.pending || !strings.Contains(ansi.Strip(m.View().Content), "filling in with the latest numbers") {
		t.Fatalf("an opened prompt does not say it is filling in:\n%s", ansi.Strip(m.View().Content))
	}
	press(m, "c")
	if got := m.status.text; !strings.Contains(got, "still filling the prompt in") {
		t.Errorf("copy while filling in: status %q", got)
	}
	first := open().(promptContentMsg)

	// A new pass asks again; the first answer is then stale.
	m.startCollect()
	_, again := m.Update(collectedMsg{gen: m.gen, pass: fixturePass()})
	m.Update(first)
	if !m.prompt.pending || m.prompt.pop.Total != 0 {
		t.Fatalf("a superseded content was shown")
	}
	for _, msg := range runBatch(again) {
		if c, ok := msg.(promptContentMsg); ok {
			m.Update(c)
		}
	}
	if m.prompt.pending || !strings.Contains(m.prompt.pop.Markdown, "Connection Pool Optimization") {
		t.Fatalf("the latest content was not shown: pending %v", m.prompt.pending)
	}

	fills := press(m, "esc", "tab", "tab") // the library shows: its count starts
	for _, msg := range runBatch(fills) {
		if f, ok := msg.(fillsMsg); ok {
			m.Update(f)
		}
	}
	if !m.fillsFresh() || len(m.library.fills) != len(prompts.Library()) {
		t.Errorf("the library shown, its fills were not counted: %d", len(m.library.fills))
	}
}

// runBatch runs a command and, for a batch, each of its commands that
// answers at once (content work); ticks are left alone.
func runBatch(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(2 * time.Second):
		return nil // a timer
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, runBatch(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// A live refresh never overlaps the one in flight and is never queued
// behind it: a tick that arrives while a pass runs (a pass slower than the
// period) starts nothing, and the next tick is armed only when the pass
// ends, one period after it.
func TestRefreshWaitsForThePassInFlight(t *testing.T) {
	src := &fakeTriager{pass: fixturePass(), live: true}
	m := New(context.Background(), testConfig(t, src))
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.startCollect()
	gen := m.gen
	m.Update(refreshTickMsg{gen: gen})
	if m.gen != gen || !m.collecting {
		t.Fatalf("a tick during a pass started another (gen %d -> %d)", gen, m.gen)
	}
	press(m, "r")
	if m.gen != gen || !strings.Contains(m.status.text, "already running") {
		t.Fatalf("r during a pass: gen %d -> %d, status %q", gen, m.gen, m.status.text)
	}
	_, cmd := m.Update(collectedMsg{gen: gen, pass: fixturePass()})
	if m.collecting || cmd == nil {
		t.Fatal("the pass did not end, or armed no next refresh")
	}
	m.Update(refreshTickMsg{gen: gen})
	if m.gen != gen+1 || !m.collecting {
		t.Errorf("the tick after the pass did not start the next one")
	}
}
