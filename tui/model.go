// Package tui is the scaletriage terminal UI: signals filling in as their
// queries answer, ranked findings, and the populated prompt with its
// guidance, ready to copy.
//
// Invariants: Update never does I/O (the Triager, clipboard tools and files are
// reached only from commands); every collection result carries a
// generation and stale ones are dropped; View only lays out strings that
// Update rendered.
package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// Config is what the TUI needs from the command line.
type Config struct {
	Triager Triager
	// Origin names the source for the header before the first pass: the
	// redacted URL or the recording's file name.
	Origin string
	// Signals is the catalog, so every signal is listed (with a spinner)
	// before it answers.
	Signals []triage.SignalDef
	Window  time.Duration
	// Selector is the scope the command line gave (--selector, the config's
	// selector: or a recording's): the service in trouble. Without one, the
	// first pass ranks the fleet and, with two services or more, the TUI
	// opens on the scope picker.
	Selector string
	// Refresh is the auto-refresh period of a live source (default 30s).
	Refresh time.Duration
	// Prompts holds what prompts need before the first pass answers: the
	// config's prompt context and load multiples (report.Pass without a
	// Diagnosis). Each pass then brings its own; values typed in the TUI
	// go over the context.
	Prompts report.Pass
	NoColor bool
	// Clipboard is the native clipboard; nil means none.
	Clipboard Clipboard
	// Browser opens links (o); nil means none: the link is copied instead.
	Browser Browser
	// Hyperlinks draws links as OSC 8 hyperlinks (HyperlinksSupported).
	Hyperlinks bool
	// OSC52Limit is the largest prompt sent with OSC 52 (see OSC52LimitFor).
	OSC52Limit int
	// Files writes prompts; nil means DirFiles{} (the current directory,
	// the temp directory for spills). Like Clipboard, it is reached only
	// from commands.
	Files PromptFiles
	// Now is the clock (tests fix it).
	Now func() time.Time
	// inlineWork runs the content commands (content.go) at once inside
	// Update, for tests that read a frame right after a key; the TUI runs
	// them as commands, off Update.
	inlineWork bool
	// tick arms the timers (auto-refresh, clock, status expiry): tea.Tick.
	// The tests' timers never fire, so that running a command waits for
	// its work alone; a test sends a timer's message itself.
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// DefaultRefresh is the auto-refresh period of a live source.
const DefaultRefresh = 30 * time.Second

// windows are the choices the window key cycles through.
var windows = []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 6 * time.Hour}

// screen is what has the keyboard, for routing and contextual help.
type screen int

const (
	screenPane screen = iota // the focused pane
	screenPrompt
	screenForm
	screenPicker
	screenFilter
	screenError
)

// Model is the root of the TUI.
type Model struct {
	*common
	cfg    Config
	md     *markdown
	width  int
	height int

	ctx           context.Context // ends when the TUI quits
	stop          context.CancelFunc
	cancelCollect context.CancelFunc

	window     time.Duration
	scope      string        // the selector the panes are triaged with, "" for all services
	alert      *triage.Alert // the page the scope came from, if any
	gen        int           // generation of the latest collection
	collecting bool
	// pass is the last complete pass (Diagnosis.Snapshot nil before it,
	// when it holds only the config's prompt context and multiples).
	pass  report.Pass
	err   error // the last collection failure, until a pass succeeds
	moved bool  // the user navigated before the first pass

	// contentSeq numbers the requests for the open prompt's content;
	// fillsSeq the states the library's counts are for (fillsAsked: the
	// one asked for, fillsShown: the one shown). See content.go.
	contentSeq, fillsSeq, fillsAsked, fillsShown int

	userValues map[string]string            // placeholders typed in the form
	redact     bool                         // prompts replace host, IP, database and user names
	formSpans  map[triage.PromptID][]string // per prompt: placeholders the form asked for

	panes    []Pane          // the tabs, in order (see New)
	sized    map[Pane][2]int // what each component was last sized to (fitVisible)
	focus    Pane
	prompt   *promptView // nil when no prompt is open
	signals  *signalsPane
	findings *findingsPane
	library  *libraryPane
	picker   *scopePicker
	picking  bool // the picker covers the panes
	status   statusBar
	help     help.Model
	spinner  spinner.Model
	header   string
	helpText string
}

// New builds the model; nothing runs until Init's commands do. Its work
// stops when ctx is done or Close is called, whichever comes first.
func New(ctx context.Context, cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = DefaultRefresh
	}
	if cfg.Window <= 0 {
		cfg.Window = 15 * time.Minute
	}
	if cfg.OSC52Limit <= 0 {
		cfg.OSC52Limit = OSC52Limit
	}
	if cfg.Files == nil {
		cfg.Files = DirFiles{}
	}
	if cfg.tick == nil {
		cfg.tick = tea.Tick
	}
	ctx, stop := context.WithCancel(ctx)
	// Until the terminal answers, assume dark: most terminals are.
	com := &common{styles: DefaultStyles(true, cfg.NoColor), keys: DefaultKeyMap(), tick: cfg.tick}
	signals := newSignalsPane(com, cfg.Signals)
	findings := newFindingsPane(com, signals.rowsFor)
	library := newLibraryPane(com)
	findings.hyperlinks = cfg.Hyperlinks
	m := &Model{
		common: com, cfg: cfg, md: newMarkdown(),
		ctx: ctx, stop: stop, window: cfg.Window, scope: cfg.Selector, pass: cfg.Prompts,
		userValues: map[string]string{}, formSpans: map[triage.PromptID][]string{}, sized: map[Pane][2]int{},
		// The tabs, in order. Adding a pane: write a type implementing
		// Pane (Title, SetSize, View, Update, ShortHelp), list it here, and
		// add any new key to KeyMap. A typed field, as below, is needed
		// only to feed it data from Update.
		panes:    []Pane{findings, signals, library},
		focus:    signals,
		signals:  signals,
		findings: findings,
		library:  library,
		picker:   newScopePicker(com, cfg.Triager.Live()),
		status:   statusBar{common: com},
		help:     help.New(),
		spinner:  spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
	m.help.Styles = com.styles.Help
	m.signals.setSpinner(m.spinner.View())
	m.staleFills()
	return m
}

// Init asks the terminal for its background and starts the first pass.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor, m.startCollect()}
	if m.cfg.Triager.Live() {
		cmds = append(cmds, m.clockTick())
	}
	return tea.Batch(cmds...)
}

// Close cancels the collection in flight; the command that runs the
// program calls it when the program ends for any reason (a signal ends it
// without a quit key).
func (m *Model) Close() { m.stop() }

// Update dispatches a message to its handler, then redraws the help, whose
// bindings depend on what has the keyboard.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if before := lipgloss.Height(m.helpText); m.renderHelp() != before {
		m.layout()
	}
	m.fitVisible()
	if fills := m.countFills(); fills != nil {
		cmd = tea.Batch(cmd, fills)
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
	case tea.BackgroundColorMsg:
		m.setStyles(DefaultStyles(msg.IsDark(), m.cfg.NoColor))
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case readingMsg:
		return m.handleReading(msg)
	case collectedMsg:
		return m.handleCollected(msg)
	case refreshTickMsg:
		if msg.gen == m.gen && !m.collecting {
			return m.startCollect()
		}
	case clockMsg:
		m.renderHeader()
		return m.clockTick()
	case spinner.TickMsg:
		return m.handleSpinner(msg)
	case promptContentMsg:
		return m.handlePromptContent(msg)
	case fillsMsg:
		m.handleFills(msg)
	case copiedMsg:
		return m.status.set(copyStatus(msg))
	case openedMsg:
		return m.opened(msg)
	case savedMsg:
		if msg.err != nil {
			return m.status.set("could not save: "+msg.err.Error(), levelError)
		}
		return m.status.set("saved to "+msg.file, levelInfo)
	case clearStatusMsg:
		m.status.clear(msg)
	default:
		return m.updateInputs(msg)
	}
	return nil
}

// screen is what has the keyboard now.
func (m *Model) screen() screen {
	switch {
	case m.prompt != nil && m.prompt.form != nil:
		return screenForm
	case m.prompt != nil:
		return screenPrompt
	case m.picking:
		return screenPicker
	case m.pass.Diagnosis.Snapshot == nil && m.err != nil && !m.collecting:
		return screenError
	case m.focus == m.library && m.library.filtering:
		return screenFilter
	}
	return screenPane
}

// startCollect starts a pass unless one is in flight.
func (m *Model) startCollect() tea.Cmd {
	if m.collecting {
		return m.status.set("a refresh is already running", levelInfo)
	}
	m.gen++
	m.collecting = true
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancelCollect = cancel
	m.signals.startCollection()
	m.renderHeader()
	return tea.Batch(triageCmd(ctx, m.cfg.Triager, Request{Window: m.window, Selector: m.scope, Alert: m.alert}, m.gen, m.cfg.Now), m.spinner.Tick)
}

func (m *Model) handleReading(msg readingMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil // a superseded collection: stop listening to it
	}
	m.signals.setReading(msg.reading)
	m.renderHeader()
	return listen(msg.events)
}

func (m *Model) handleCollected(msg collectedMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.collecting = false
	m.cancelCollect()
	var cmds []tea.Cmd
	if m.cfg.Triager.Live() {
		cmds = append(cmds, m.refreshTick(m.cfg.Refresh, m.gen))
	}
	if msg.err != nil {
		m.err = msg.err
		m.signals.stopCollection()
		m.renderHeader()
		return tea.Batch(append(cmds, m.status.set("collection failed: "+msg.err.Error(), levelError))...)
	}
	first := m.pass.Diagnosis.Snapshot == nil
	m.err, m.pass = nil, msg.pass
	m.signals.setSnapshot(msg.pass.Diagnosis.Snapshot)
	links := msg.pass.Links()
	m.findings.link = func(f triage.Finding) string { return links.FindingLinks(msg.pass.Diagnosis.Snapshot, f).First() }
	m.findings.setFindings(msg.pass.Diagnosis)
	m.staleFills()
	if v := m.prompt; v != nil {
		if v.finding != nil {
			v.finding = m.sameFinding(v.finding.ID)
		}
		cmds = append(cmds, m.fillPrompt(contentPass))
	}
	if first && !m.moved && len(msg.pass.Diagnosis.Findings) > 0 {
		m.focus = m.findings
	}
	if m.scope == "" {
		m.picker.setFleet(msg.pass.Diagnosis.Snapshot, msg.pass.Alerts)
		if first && m.picker.available() {
			m.showPicker() // no selector was given: start from the service in trouble
		}
	}
	if m.alert != nil && msg.pass.Diagnosis.Snapshot.Scope.MatchesNothing() {
		// The page names no series we read: back to every service, with
		// the picker open to choose one.
		name := triage.Sanitize(m.alert.Name)
		m.scope, m.alert, m.picker.current = "", nil, ""
		m.showPicker()
		return tea.Batch(append(cmds, m.recollect(), m.status.set(name+": its labels match none of the series read; pick a service", levelWarn))...)
	}
	m.renderHeader()
	found, total := m.signals.counts()
	cmds = append(cmds, m.status.set(fmt.Sprintf("%d of %d signals found, %d findings, %d queries in %s",
		found, total, len(msg.pass.Diagnosis.Findings), msg.pass.Diagnosis.Snapshot.Queries, msg.took.Round(time.Millisecond)), levelInfo))
	return tea.Batch(cmds...)
}

func (m *Model) handleSpinner(msg spinner.TickMsg) tea.Cmd {
	if !m.collecting {
		return nil // let the tick chain end
	}
	// The next frame is armed with m.tick, as every timer of the model, in
	// place of the spinner's own (the same message, after the same FPS).
	m.spinner, _ = m.spinner.Update(msg)
	m.signals.setSpinner(m.spinner.View())
	m.renderHeader()
	next := m.spinner.Tick().(spinner.TickMsg)
	return m.tick(m.spinner.Spinner.FPS, func(at time.Time) tea.Msg {
		next.Time = at
		return next
	})
}

// refresh is the refresh key: retry after a failure, or collect now.
func (m *Model) refresh() tea.Cmd {
	if !m.cfg.Triager.Live() && m.pass.Diagnosis.Snapshot != nil {
		return m.status.set("a recording does not change: nothing to refresh", levelInfo)
	}
	return m.startCollect()
}

// cycleWindow moves to the next window and re-collects; a pass in flight
// for the old window is cancelled, its results dropped.
func (m *Model) cycleWindow() tea.Cmd {
	if !m.cfg.Triager.Live() {
		return m.status.set("the window of a recording is fixed: it answers only what it recorded", levelInfo)
	}
	next := windows[0]
	for i, w := range windows {
		if w == m.window {
			next = windows[(i+1)%len(windows)]
		}
	}
	m.window = next
	return tea.Batch(m.recollect(), m.status.set("window "+triage.PromDuration(next)+": collecting", levelInfo))
}

// recollect starts a pass for a new window or scope: a pass in flight for
// the old one is cancelled, its results dropped.
func (m *Model) recollect() tea.Cmd {
	if m.collecting {
		m.cancelCollect()
		m.collecting = false
	}
	return m.startCollect()
}

func (m *Model) quit() tea.Cmd {
	m.stop()
	return tea.Quit
}

// setStyles switches every component to new styles (background reply):
// they share common, and layout re-renders them.
func (m *Model) setStyles(s *Styles) {
	m.styles = s
	m.help.Styles = s.Help
	m.layout()
}

// promptInput is what a prompt and its guidance are filled from: the pass,
// the config's context with what the user typed over it, and redaction.
func (m *Model) promptInput(f *triage.Finding) prompts.Input {
	in := m.pass.WithContext(m.userValues).PromptInput(f)
	in.Redact = m.redact
	return in
}

// sameFinding is the new pass's finding of a rule, or nil when it no
// longer fires (the prompt then stays open as a library prompt).
func (m *Model) sameFinding(id triage.RuleID) *triage.Finding {
	for i := range m.pass.Diagnosis.Findings {
		if m.pass.Diagnosis.Findings[i].ID == id {
			return &m.pass.Diagnosis.Findings[i]
		}
	}
	return nil
}

// openPrompt opens p, for finding f when it came from one; its content
// follows (fillPrompt).
func (m *Model) openPrompt(p prompts.Prompt, f *triage.Finding) tea.Cmd {
	if m.prompt == nil {
		m.prompt = newPromptView(m.common, m.md)
	}
	m.prompt.open(p, f)
	m.layout()
	return m.fillPrompt(contentOpened)
}

// updateInputs passes cursor blinks and other messages to the text input
// that has focus.
func (m *Model) updateInputs(msg tea.Msg) tea.Cmd {
	if m.prompt != nil && m.prompt.form != nil {
		return m.prompt.form.updateInput(msg)
	}
	return m.library.updateInput(msg)
}
