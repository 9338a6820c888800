package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// scopePicker lists the fleet's services ranked by what changed (the root
// of a slow call chain first), so that the triage starts from the service
// in trouble. It covers the panes like the prompt view. Its ranking is the
// last pass without a selector's: a scoped pass sees one service only.
type scopePicker struct {
	*common
	services []triage.ServiceChange
	at       time.Time // the ranked pass's instant
	graph    bool      // the pass measured calls between services
	// current is the service the panes are scoped to, "" for all.
	current string
	// live is whether enter can re-collect: a recording keeps its scope.
	live   bool
	list   listCursor // row 0 is "all services", row i the ith service
	width  int
	height int
	view   string
}

// pickerNumbers lays out the number columns of a row (requests/s, P99
// and its change, errors, score); pickerNumbersWidth adds the 5-cell mark
// before them.
const (
	pickerNumbers      = "%10s  %9s %-8s %7s %6s"
	pickerNumbersWidth = 5 + 1 + 10 + 2 + 9 + 1 + 8 + 1 + 7 + 1 + 6
)

var _ Pane = (*scopePicker)(nil)

func newScopePicker(com *common, live bool) *scopePicker {
	return &scopePicker{common: com, live: live}
}

// setFleet ranks the services of a pass without a selector; the cursor
// stays on the service it was on.
func (p *scopePicker) setFleet(s *triage.Snapshot) {
	name := p.selected()
	p.services = triage.RankServices(s)
	calls, ok := s.Get(triage.SignalServiceCalls)
	p.graph = ok && calls.Usable()
	p.at = s.At
	if row := p.rowOf(name); row > 0 {
		p.list.cursor = row
	}
	p.render()
}

// available reports whether there is a choice: two services or more.
func (p *scopePicker) available() bool { return len(p.services) >= 2 }

// open puts the cursor on the current service, else on the most telling.
func (p *scopePicker) open() {
	p.list.cursor = max(p.rowOf(p.current), 1)
	p.render()
}

// rowOf is the row of a service, 0 ("all services") when it is not listed.
func (p *scopePicker) rowOf(name string) int {
	return slices.IndexFunc(p.services, func(sc triage.ServiceChange) bool { return sc.Name == name }) + 1
}

// selected is the service under the cursor, "" for all services.
func (p *scopePicker) selected() string {
	if p.list.cursor == 0 || p.list.cursor > len(p.services) {
		return ""
	}
	return p.services[p.list.cursor-1].Name
}

// Title follows the tabs while the picker is open.
func (p *scopePicker) Title() string { return "Services by what changed" }

func (p *scopePicker) SetSize(width, height int) {
	p.width, p.height = width, height
	p.render()
}

func (p *scopePicker) View() string { return p.view }

// Update moves the cursor; the model takes enter and esc.
func (p *scopePicker) Update(msg tea.KeyPressMsg) tea.Cmd {
	if p.list.update(msg, p.keys, len(p.services)+1, p.listHeight()) {
		p.render()
	}
	return nil
}

func (p *scopePicker) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Pick, p.keys.Back}
}

// listHeight leaves the heading two lines and the detail box four.
func (p *scopePicker) listHeight() int {
	return max(min(len(p.services)+1, p.height-2-4), 1)
}

func (p *scopePicker) render() {
	if p.width <= 0 || p.height <= 0 {
		return
	}
	s := p.styles
	name, changed := p.columns()
	columns := fmt.Sprintf("   %s %-5s %s", pad("SERVICE", name), "", fmt.Sprintf(pickerNumbers, "REQUESTS/S", "P99", "CHANGE", "ERRORS", "SCORE"))
	if changed > 0 {
		columns += " WHAT CHANGED"
	}
	lines := []string{s.Dim.Render(fit(p.heading(), p.width)), s.Label.Render(fit(columns, p.width))}
	first, last := p.list.visible(len(p.services)+1, p.listHeight())
	for row := first; row < last; row++ {
		lines = append(lines, p.renderRow(row, name, changed))
	}
	lines = append(lines, p.renderDetail(p.height-len(lines)))
	p.view = strings.Join(lines, "\n")
}

// heading says what the ranking is from and what it puts first.
func (p *scopePicker) heading() string {
	order := "ranked by change weighted by traffic (no call graph)"
	if p.graph {
		order = "ranked by what changed: roots of slow call chains first"
	}
	return fmt.Sprintf("%d services at %s, %s", len(p.services), p.at.UTC().Format("15:04Z"), order)
}

// columns gives the name at most 24 cells and what changed the rest, when
// at least 16 are left for it.
func (p *scopePicker) columns() (name, changed int) {
	rest := p.width - 3 - pickerNumbersWidth - 1
	if rest < 24+1+16 {
		return max(rest, 8), 0
	}
	return 24, rest - 24 - 1
}

func (p *scopePicker) renderRow(row, nameWidth, changedWidth int) string {
	s := p.styles
	var text string
	if row == 0 {
		text = "   " + pad("all services", nameWidth) + " " + s.Dim.Render(pad("every service, no selector", pickerNumbersWidth))
	} else {
		sc := p.services[row-1]
		mark := pad(serviceMark(sc), 5)
		switch {
		case sc.Root:
			mark = s.Status[triage.StatusCritical].Render(mark)
		case sc.Anomalous:
			mark = s.Status[triage.StatusWarning].Render(mark)
		}
		delta := baselineDelta(triage.Reading{Value: sc.P99, Baseline: sc.P99Before, AtLeast: sc.P99AtLeast})
		numbers := fmt.Sprintf(pickerNumbers, fit(triage.Format(sc.Throughput, "", false), 10),
			fit(triage.Format(sc.P99, triage.UnitSeconds, sc.P99AtLeast), 9), fit(delta, 8),
			fit(triage.Format(sc.Errors, triage.UnitRatio, false), 7), s.Dim.Render(fmt.Sprintf("%6.3g", sc.Score)))
		text = fmt.Sprintf("%2d %s %s %s", row, pad(sc.Name, nameWidth), mark, numbers)
		if changedWidth > 0 {
			text += " " + s.Dim.Render(fit(strings.Join(sc.Reasons, "; "), changedWidth))
		}
	}
	if row == p.list.cursor {
		text = s.Selected.Render(ansi.Strip(text) + strings.Repeat(" ", max(p.width-ansi.StringWidth(text), 0)))
	}
	return ansi.Truncate(text, p.width, "")
}

// serviceMark is the mark column: the root of a slow chain, or a service
// that moved from its own normal.
func serviceMark(sc triage.ServiceChange) string {
	switch {
	case sc.Root:
		return "root"
	case sc.Anomalous:
		return "moved"
	}
	return ""
}

// renderDetail is the selected row: why it ranks there, the call path to
// a root, and what enter does, in height lines.
func (p *scopePicker) renderDetail(height int) string {
	s := p.styles
	inner := p.width - s.Detail.GetHorizontalFrameSize()
	name := p.selected()
	var lines []string
	if name == "" {
		lines = append(lines, s.Bold.Render(fit("▸ all services", inner)))
	} else {
		sc := p.services[p.list.cursor-1]
		lines = append(lines, s.Bold.Render(fit("▸ "+sc.Name+" · "+serviceVerdict(sc), inner)))
		if sc.Root && len(sc.Path) > 1 {
			lines = append(lines, field(s.Label, "path:", strings.Join(sc.Path, " → ")+" (the callers above it are slow because it is)", inner)...)
		}
		if len(sc.Reasons) > 0 {
			lines = append(lines, field(s.Label, "changed:", strings.Join(sc.Reasons, "; "), inner)...)
		}
	}
	lines = append(lines, field(s.Label, "enter:", p.enterEffect(name), inner)...)
	if room := height - s.Detail.GetVerticalFrameSize(); len(lines) > room {
		lines = lines[:max(room, 0)]
	}
	return s.Detail.Width(p.width).Render(strings.Join(lines, "\n"))
}

// serviceVerdict says why a service ranks where it does.
func serviceVerdict(sc triage.ServiceChange) string {
	switch {
	case sc.Root:
		return "root: the deepest slow service, whose callees are healthy"
	case sc.Anomalous:
		return fmt.Sprintf("moved from its own normal (score %.3g)", sc.Score)
	}
	return "within its own normal"
}

// enterEffect is what choosing a row does.
func (p *scopePicker) enterEffect(name string) string {
	switch {
	case !p.live:
		return "a recording answers only what it recorded: it keeps its scope"
	case name == p.current:
		return "keeps the current scope"
	case name == "":
		return "triages every service (no selector)"
	}
	return "triages " + scopeText(jobSelector(name))
}

// jobSelector scopes the triage to one service. The name is the server's
// text: strconv.Quote escapes quotes, backslashes and control characters
// with Go's escapes, which PromQL string literals share, so the matcher
// is exactly that job and nothing can end the string early.
func jobSelector(name string) string { return "job=" + strconv.Quote(name) }

// scopeText is a selector as the header shows it: {job="api"}, or all
// services without one.
func scopeText(selector string) string {
	if selector == "" {
		return "all services"
	}
	return "{" + selector + "}"
}
