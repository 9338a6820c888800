package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// findingsPane lists the ranked findings; the selected one's evidence for
// and against and its prompts are shown below the list.
type findingsPane struct {
	*common
	findings []triage.Finding
	snap     *triage.Snapshot // the pass's, for the capacity statement
	ready    bool             // a pass has completed
	// signalRows draws the signal rows a finding rests on, shown under
	// its evidence when the terminal is tall enough.
	signalRows func(ids []triage.SignalID, width int) []string
	list       listCursor
	width      int
	height     int
	view       string
	// link is the graph behind a finding ("" for none); hyperlinks draws
	// it as an OSC 8 hyperlink.
	link       func(triage.Finding) string
	hyperlinks bool
}

func newFindingsPane(com *common, signalRows func(ids []triage.SignalID, width int) []string) *findingsPane {
	return &findingsPane{common: com, signalRows: signalRows}
}

func (p *findingsPane) setFindings(d triage.Diagnosis) {
	p.findings, p.snap, p.ready = d.Findings, d.Snapshot, true
	p.render()
}

// selected returns the finding under the cursor.
func (p *findingsPane) selected() (triage.Finding, bool) {
	if len(p.findings) == 0 {
		return triage.Finding{}, false
	}
	return p.findings[p.list.cursor], true
}

func (p *findingsPane) SetSize(width, height int) {
	p.width, p.height = width, height
	p.render()
}

// Title counts the findings once a pass has completed.
func (p *findingsPane) Title() string {
	if !p.ready {
		return "Findings"
	}
	return fmt.Sprintf("Findings %d", len(p.findings))
}

func (p *findingsPane) Update(msg tea.KeyPressMsg) tea.Cmd {
	if p.list.update(msg, p.keys, len(p.findings), p.listHeight()) {
		p.render()
	}
	return nil
}

func (p *findingsPane) View() string { return p.view }

func (p *findingsPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.NextPane, p.keys.Open, p.keys.OpenLink, p.keys.Refresh}
}

// listHeight leaves most of the pane to the selected finding's evidence.
func (p *findingsPane) listHeight() int {
	return max(min(len(p.findings), p.height/3), 1)
}

func (p *findingsPane) render() {
	if p.width <= 0 || p.height <= 0 {
		return
	}
	s := p.styles
	switch {
	case !p.ready:
		p.view = s.Dim.Render(fit("Collecting signals: findings appear when every query has answered (Signals fill in as they do).", p.width))
		return
	case len(p.findings) == 0:
		p.view = strings.Join([]string{
			s.Filled.Render(fit("No rule fired: every signal that answered is within its thresholds.", p.width)),
			s.Dim.Render(fit("Check Signals for missing ones, or open a prompt from the Library.", p.width)),
		}, "\n")
		return
	}
	var lines []string
	first, last := p.list.visible(len(p.findings), p.listHeight())
	for i := first; i < last; i++ {
		lines = append(lines, p.renderRow(i, i == p.list.cursor))
	}
	lines = append(lines, p.renderDetail(p.height-len(lines)))
	p.view = strings.Join(lines, "\n")
}

func (p *findingsPane) renderRow(i int, selected bool) string {
	f, s := p.findings[i], p.styles
	sev := s.Severity[f.Severity].Render(fmt.Sprintf("%-8s", strings.ToUpper(string(f.Severity))))
	rank := fmt.Sprintf("%2d ", i+1)
	change := s.Dim.Render(fmt.Sprintf("%-9s", changeLabel(f.Change)))
	text := pad(f.Title+": "+f.Summary, p.width-len(rank)-19)
	if selected {
		text = s.Selected.Render(ansi.Strip(text))
	}
	return rank + sev + " " + change + " " + text
}

// changeLabel is a finding's change as the list shows it: an unchanged
// condition is chronic.
func changeLabel(c triage.Change) string {
	if c == triage.ChangeUnchanged {
		return "chronic"
	}
	return string(c)
}

// renderDetail lays out the selected finding in height lines.
func (p *findingsPane) renderDetail(height int) string {
	s := p.styles
	inner := p.width - s.Detail.GetHorizontalFrameSize()
	f, _ := p.selected()
	var lines []string
	add := func(style func(...string) string, prefix, text string) {
		for i, l := range wrap(text, inner-2) {
			if i == 0 {
				lines = append(lines, style(prefix+" "+l))
			} else {
				lines = append(lines, style("  "+l))
			}
		}
	}
	add(s.Bold.Render, "▸", f.Title)
	if f.Summary != "" {
		add(s.HeaderText.Render, " ", f.Summary)
	}
	if f.Change != "" {
		change := "what changed: " + changeLabel(f.Change)
		if f.Since != "" {
			change += " against " + string(f.Since)
		}
		add(s.Dim.Render, "Δ", change)
	}
	for _, e := range f.Evidence {
		add(s.For.Render, "✔", e)
	}
	for _, a := range f.Against {
		add(s.Against.Render, "✘", a)
	}
	if c := f.Capacity; c != nil {
		if statement := c.Statement(p.snap); statement != f.Summary { // capacity-headroom's summary is it
			add(s.Dim.Render, "≈", statement)
		}
	}
	lines = append(lines, p.promptKeys(f))
	// The border and the prompt keys take two lines.
	if len(lines) > height-1 {
		lines = append(lines[:max(height-3, 0)], s.Dim.Render("  … enter opens the prompt; its guidance has all the evidence"), p.promptKeys(f))
	} else {
		lines = p.addSignals(lines, f, inner, height-1)
	}
	return s.Detail.Width(p.width).Render(strings.Join(lines, "\n"))
}

// addSignals fills the room under a finding's evidence, most relevant
// first, each block only when it fits whole: the signals the finding rests
// on, the entities behind them, then every other signal found.
func (p *findingsPane) addSignals(lines []string, f triage.Finding, width, room int) []string {
	s := p.styles
	add := func(heading string, rows []string) bool {
		if len(rows) == 0 || len(lines)+len(rows)+2 > room {
			return false
		}
		lines = append(append(lines, "", s.Label.Render(heading)), rows...)
		return true
	}
	if !add("signals behind this finding", p.signalRows(f.Signals, width)) || p.snap == nil {
		return lines
	}
	var entities []string
	var others []triage.SignalID
	for _, r := range p.snap.Readings {
		if slices.Contains(f.Signals, r.ID) && len(r.Entities) > 1 {
			entities = append(entities, ansi.Truncate(clean(" "+r.Title+": "+entitiesLine(r)), width, "…"))
		}
		if !slices.Contains(f.Signals, r.ID) && r.Value.Usable() {
			others = append(others, r.ID)
		}
	}
	add("their entities, worst first", entities)
	add("other signals found", p.signalRows(others, width))
	return lines
}

// promptKeys says which key opens which of the finding's prompts.
func (p *findingsPane) promptKeys(f triage.Finding) string {
	var parts []string
	if link := p.linkOf(f); link != "" {
		graph := p.styles.Dim
		if p.hyperlinks {
			graph = graph.Hyperlink(link)
		}
		parts = append(parts, p.styles.Bold.Render(p.keys.OpenLink.Help().Key)+" "+graph.Render("graph ↗"))
	}
	for i, id := range f.Prompts {
		k := fmt.Sprint(i + 1)
		if i == 0 {
			k = "enter"
		}
		parts = append(parts, p.styles.Bold.Render(k)+" "+clean(string(id)))
	}
	if len(f.Prompts) == 0 {
		parts = append(parts, p.styles.Dim.Render("no prompt for this finding"))
	}
	return ansi.Truncate(strings.Join(parts, p.styles.Dim.Render(" · ")), p.width-p.styles.Detail.GetHorizontalFrameSize(), "…")
}

func (p *findingsPane) linkOf(f triage.Finding) string {
	if p.link == nil {
		return ""
	}
	return p.link(f)
}
