package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// headerLines and statusLines frame the body; the help below takes one
// line, or more when expanded.
const (
	headerLines = 2
	statusLines = 1
)

// View lays out the strings Update rendered; it formats nothing itself.
func (m *Model) View() tea.View {
	var body string
	switch c := m.cover(); {
	case c != nil:
		body = c.View()
	case m.screen() == screenError:
		body = m.errorView()
	default:
		body = m.focus.View()
	}
	content := m.header + "\n" + fitLines(body, m.bodyHeight()) + "\n" + m.status.view(m.width) + "\n" + m.helpText
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "scaletriage"
	return v
}

// renderHelp draws the help for what has the keyboard and returns its
// height.
func (m *Model) renderHelp() int {
	m.helpText = m.help.View(m.helpKeys())
	return lipgloss.Height(m.helpText)
}

// bodyHeight is what is left for the panes.
func (m *Model) bodyHeight() int {
	return max(m.height-headerLines-statusLines-lipgloss.Height(m.helpText), 1)
}

// layout sizes the visible component after a resize or a change of
// chrome (styles, help height); the others are sized when they show.
func (m *Model) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	m.help.SetWidth(m.width)
	m.renderHelp()
	clear(m.sized)
	m.fitVisible()
	m.renderHeader()
}

// fitVisible sizes the component on screen, if its size changed since it
// was last sized: a hidden pane is sized (and re-rendered) only when it
// shows, so a resize under an open prompt redraws the prompt alone.
func (m *Model) fitVisible() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	p := m.cover()
	if p == nil {
		p = m.focus
	}
	want := [2]int{m.width, m.bodyHeight()}
	if m.sized[p] != want {
		p.SetSize(want[0], want[1])
		m.sized[p] = want
	}
}

// cover is what covers the panes: the prompt view, else the open picker.
func (m *Model) cover() Pane {
	switch {
	case m.prompt != nil:
		return m.prompt
	case m.picking:
		return m.picker
	}
	return nil
}

// fitLines makes s exactly height lines, so the status line stays at the
// bottom whatever the pane drew.
func fitLines(s string, height int) string {
	n := strings.Count(s, "\n") + 1
	if n < height {
		return s + strings.Repeat("\n", height-n)
	}
	if n > height {
		lines := strings.SplitN(s, "\n", height+1)
		return strings.Join(lines[:height], "\n")
	}
	return s
}

// renderHeader builds the two header lines: where the numbers come from
// and how fresh they are, then the pane tabs.
func (m *Model) renderHeader() {
	if m.width <= 0 {
		return
	}
	s := m.styles
	var badges []string
	if snap := m.pass.Diagnosis.Snapshot; snap != nil && snap.Partial {
		badges = append(badges, s.BadgePartial.Render("PARTIAL"))
	}
	if m.err != nil && m.pass.Diagnosis.Snapshot != nil {
		badges = append(badges, s.BadgeStale.Render("STALE"))
	}
	if m.cfg.Triager.Live() {
		badges = append(badges, s.BadgeLive.Render("LIVE "+shortDuration(m.cfg.Refresh)))
	} else {
		badges = append(badges, s.BadgeReplay.Render("REPLAY"))
	}
	right := strings.Join(badges, " ")
	left := s.AppName.Render("scaletriage") + " " +
		s.HeaderText.Render(fit(strings.Join(m.headerFacts(), " · "), m.width-12-ansi.StringWidth(right)-2))
	gap := max(m.width-ansi.StringWidth(left)-ansi.StringWidth(right), 1)
	m.header = left + strings.Repeat(" ", gap) + right + "\n" + m.renderTabs()
}

// headerFacts are the source, scope, progress or freshness, window,
// instant and backend, most important first: the line is cut from the end
// on narrow terminals.
func (m *Model) headerFacts() []string {
	facts := []string{m.cfg.Origin, scopeText(m.scope)}
	snap := m.pass.Diagnosis.Snapshot
	if m.collecting {
		found, total := m.answered()
		facts = append(facts, fmt.Sprintf("%s collecting %d/%d", m.spinner.View(), found, total))
	}
	if m.cfg.Triager.Live() && snap != nil {
		// The age of what is on screen: from the instant it was evaluated
		// at, so a slow pass or a failed refresh shows as older data.
		facts = append(facts, "data "+age(m.cfg.Now().Sub(snap.At)))
	}
	window := "window " + triage.PromDuration(m.window)
	if snap != nil && m.alert != nil && snap.Window > m.window {
		// The collector widened it to hold the alert's onset.
		window = "window " + triage.PromDuration(snap.Window) + " (alert onset)"
	}
	facts = append(facts, window)
	if snap == nil {
		return facts
	}
	facts = append(facts, "at "+snap.At.UTC().Format("2006-01-02 15:04Z"))
	if snap.Source.Backend != "" {
		facts = append(facts, snap.Source.Backend)
	}
	if snap.Source.Replay != "" && snap.Source.URL != "" {
		facts = append(facts, "recorded from "+snap.Source.URL)
	}
	return facts
}

// answered counts the signals of the collection in flight that answered.
func (m *Model) answered() (int, int) {
	n := 0
	for _, r := range m.signals.rows {
		if !r.pending {
			n++
		}
	}
	return n, len(m.signals.rows)
}

func (m *Model) renderTabs() string {
	s := m.styles
	tabs := make([]string, len(m.panes))
	for i, p := range m.panes {
		style := s.TabInactive
		if p == m.focus {
			style = s.TabActive
		}
		tabs[i] = style.Render(p.Title())
	}
	line := strings.Join(tabs, " ")
	if c := m.cover(); c != nil {
		line += s.Dim.Render(" › ") + s.Bold.Render(fit(c.Title(), m.width/3))
	}
	return ansi.Truncate(line, m.width, "…")
}

// errorView replaces the panes when the first pass failed: the reason
// stays on screen until a retry succeeds.
func (m *Model) errorView() string {
	s := m.styles
	width := max(m.width-4, 20)
	lines := []string{
		"",
		s.Error.Render(fit("Cannot collect from "+m.cfg.Origin, width)),
		"",
	}
	for _, l := range strings.Split(triage.SanitizeText(m.err.Error(), 4096), "\n") {
		for _, w := range wrap(l, width) {
			lines = append(lines, s.HeaderText.Render(w))
		}
	}
	lines = append(lines, "",
		s.Dim.Render(fit("r retries · q quits · scaletriage signals explains each query · scaletriage demo needs no server", width)))
	return s.Page.Render(strings.Join(lines, "\n"))
}

// shortDuration prints a refresh period: "30s", "1m".
func shortDuration(d time.Duration) string { return triage.PromDuration(d.Round(time.Second)) }
