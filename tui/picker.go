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

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// scopePicker lists the pending and firing alerts (the page an incident
// starts from), then the fleet's services ranked by what changed (the root
// of a slow call chain first), so that the triage starts from the service
// in trouble. It covers the panes like the prompt view. Its lists are the
// last pass without a selector's: a scoped pass sees one service only.
type scopePicker struct {
	*common
	alerts   []triage.Alert // the head that triage.ShownAlerts shows
	alertCut string         // what that head leaves out, "" when nothing
	services []triage.ServiceChange
	measured int       // how many services the pass measured (its entity cap keeps fewer)
	at       time.Time // the ranked pass's instant
	graph    bool      // the pass measured calls between services
	// current is the service or alert fingerprint the panes are scoped
	// to, "" for all.
	current string
	// live is whether enter can re-collect: a recording keeps its scope.
	live bool
	// list: the alerts' rows first, then "all services", then the services.
	list   listCursor
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

// setFleet ranks the services of a pass without a selector and lists its
// alerts; the cursor stays on the row it was on.
func (p *scopePicker) setFleet(s *triage.Snapshot, alerts []triage.Alert) {
	name := p.selectedKey()
	p.alerts, p.alertCut = triage.ShownAlerts(alerts)
	p.services = triage.RankServices(s)
	p.measured = 0
	for _, id := range []triage.SignalID{triage.SignalThroughput, triage.SignalLatencyP99, triage.SignalErrorRatio} {
		if r, ok := s.Get(id); ok {
			p.measured = max(p.measured, r.EntityCount)
		}
	}
	calls, ok := s.Get(triage.SignalServiceCalls)
	p.graph = ok && calls.Usable()
	p.at = s.At
	if row, ok := p.rowOf(name); ok {
		p.list.cursor = row
	}
	p.render()
}

// available reports whether there is a choice: an alert, or two services
// or more.
func (p *scopePicker) available() bool { return len(p.alerts) > 0 || len(p.services) >= 2 }

// allRow is the "all services" row, after the alerts.
func (p *scopePicker) allRow() int { return len(p.alerts) }

func (p *scopePicker) rows() int { return len(p.alerts) + 1 + len(p.services) }

// open puts the cursor on the current row, else on the first alert, else
// on the most telling service.
func (p *scopePicker) open() {
	row, ok := p.rowOf(p.current)
	if !ok || p.current == "" {
		row = 0
		if len(p.alerts) == 0 {
			row = min(1, p.rows()-1)
		}
	}
	p.list.cursor = row
	p.render()
}

// rowOf is the row of an alert (by fingerprint) or a service (by name);
// "" is the "all services" row.
func (p *scopePicker) rowOf(key string) (int, bool) {
	if key == "" {
		return p.allRow(), true
	}
	if i := slices.IndexFunc(p.alerts, func(a triage.Alert) bool { return a.Fingerprint() == key }); i >= 0 {
		return i, true
	}
	if i := slices.IndexFunc(p.services, func(sc triage.ServiceChange) bool { return sc.Name == key }); i >= 0 {
		return p.allRow() + 1 + i, true
	}
	return 0, false
}

// selectedAlert is the alert under the cursor, if it is on one.
func (p *scopePicker) selectedAlert() (triage.Alert, bool) {
	if p.list.cursor < len(p.alerts) {
		return p.alerts[p.list.cursor], true
	}
	return triage.Alert{}, false
}

// selected is the service under the cursor, "" for all services (or an
// alert).
func (p *scopePicker) selected() string {
	i := p.list.cursor - p.allRow() - 1
	if i < 0 || i >= len(p.services) {
		return ""
	}
	return p.services[i].Name
}

// selectedKey names the row under the cursor as rowOf finds it again.
func (p *scopePicker) selectedKey() string {
	if a, ok := p.selectedAlert(); ok {
		return a.Fingerprint()
	}
	return p.selected()
}

// Title follows the tabs while the picker is open.
func (p *scopePicker) Title() string {
	if len(p.alerts) > 0 {
		return "Alerts, then services by what changed"
	}
	return "Services by what changed"
}

func (p *scopePicker) SetSize(width, height int) {
	p.width, p.height = width, height
	p.render()
}

func (p *scopePicker) View() string { return p.view }

// Update moves the cursor; the model takes enter and esc.
func (p *scopePicker) Update(msg tea.KeyPressMsg) tea.Cmd {
	if p.list.update(msg, p.keys, p.rows(), p.listHeight()) {
		p.render()
	}
	return nil
}

func (p *scopePicker) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Pick, p.keys.Back}
}

// listHeight leaves the heading two lines and the detail box four.
func (p *scopePicker) listHeight() int {
	return max(min(p.rows(), p.height-2-4), 1)
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
	first, last := p.list.visible(p.rows(), p.listHeight())
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
	count := fmt.Sprintf("%d services", len(p.services))
	if p.measured > len(p.services) {
		count = fmt.Sprintf("%d of %d services (the rest: scaletriage services)", len(p.services), p.measured)
	}
	heading := fmt.Sprintf("%s at %s, %s", count, p.at.UTC().Format("15:04Z"), order)
	switch {
	case p.alertCut != "":
		heading = p.alertCut + "; " + heading
	case len(p.alerts) > 0:
		heading = fmt.Sprintf("%d alert(s) pending or firing first; ", len(p.alerts)) + heading
	}
	return heading
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
	switch {
	case row < len(p.alerts):
		text = p.renderAlertRow(p.alerts[row], nameWidth)
	case row == p.allRow():
		text = "   " + pad("all services", nameWidth) + " " + s.Dim.Render(pad("every service, no selector", pickerNumbersWidth))
	default:
		sc := p.services[row-p.allRow()-1]
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
		text = fmt.Sprintf("%2d %s %s %s", row-p.allRow(), pad(sc.Name, nameWidth), mark, numbers)
		if changedWidth > 0 {
			text += " " + s.Dim.Render(fit(strings.Join(report.ServiceWords(sc, p.at), "; "), changedWidth))
		}
	}
	if row == p.list.cursor {
		text = s.Selected.Render(ansi.Strip(text) + strings.Repeat(" ", max(p.width-ansi.StringWidth(text), 0)))
	}
	return ansi.Truncate(text, p.width, "")
}

// renderAlertRow is an alert in the service columns: its name, "alert" as
// the mark (red when firing, amber when pending), then its state,
// severity, age and summary.
func (p *scopePicker) renderAlertRow(a triage.Alert, nameWidth int) string {
	s := p.styles
	mark := s.Status[triage.StatusWarning].Render("alert")
	if a.State == "firing" {
		mark = s.Status[triage.StatusCritical].Render("alert")
	}
	facts := fmt.Sprintf("%-8s %-10s %-9s %s", fit(triage.Sanitize(a.State), 8), fit(triage.Sanitize(orDash(a.Severity)), 10),
		fit(orDash(a.AgeText(p.at)), 9), triage.Sanitize(a.Summary()))
	return " ! " + pad(triage.Sanitize(a.Name), nameWidth) + " " + mark + " " + s.Dim.Render(fit(facts, max(p.width-3-nameWidth-7, 0)))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
	if a, ok := p.selectedAlert(); ok {
		lines = append(lines, s.Bold.Render(fit("▸ "+triage.Sanitize(a.Name+" · "+a.Since(p.at)), inner)))
		if sum := a.Summary(); sum != "" {
			lines = append(lines, field(s.Label, "summary:", triage.Sanitize(sum), inner)...)
		}
		if u := a.Annotations["runbook_url"]; u != "" {
			lines = append(lines, field(s.Label, "runbook:", triage.Sanitize(u)+" (not fetched)", inner)...)
		}
		lines = append(lines, field(s.Label, "enter:", p.alertEffect(a), inner)...)
	} else if name == "" {
		lines = append(lines, s.Bold.Render(fit("▸ all services", inner)))
	} else {
		sc := p.services[p.list.cursor-1]
		lines = append(lines, s.Bold.Render(fit("▸ "+sc.Name+" · "+serviceVerdict(sc), inner)))
		if sc.Root && len(sc.Path) > 1 {
			lines = append(lines, field(s.Label, "path:", strings.Join(sc.Path, " → ")+" (the callers above it are slow because it is)", inner)...)
		}
		if sc.OnsetOrder != "" {
			lines = append(lines, field(s.Label, "onset:", sc.OnsetOrder, inner)...)
		}
		if words := report.ServiceWords(sc, p.at); len(words) > 0 {
			lines = append(lines, field(s.Label, "changed:", strings.Join(words, "; "), inner)...)
		}
	}
	if _, ok := p.selectedAlert(); !ok {
		lines = append(lines, field(s.Label, "enter:", p.enterEffect(name), inner)...)
	}
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
	case sc.Since == "":
		return "not judged: no value the day before (the window start is no normal)"
	}
	return "within its own normal (the day before)"
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
	return "triages " + scopeText(p.selectorOf(name))
}

// alertEffect is what choosing an alert does.
func (p *scopePicker) alertEffect(a triage.Alert) string {
	switch {
	case !p.live:
		return "a recording answers only what it recorded: it keeps its scope"
	case a.Selector() == "":
		return "no label names a service: triages every service over a window that holds its onset"
	}
	return "triages " + scopeText(a.Selector()) + " over a window that holds its onset"
}

// jobSelector scopes the triage to one service. The name is the server's
// text: strconv.Quote escapes quotes, backslashes and control characters
// with Go's escapes, which PromQL string literals share, so the matcher
// is exactly that job and nothing can end the string early.
func jobSelector(name string) string { return "job=" + strconv.Quote(name) }

// selectorOf is the selector that scopes to a ranked service: by the label
// that names it (job, or service_name / service for metrics derived from
// traces).
func (p *scopePicker) selectorOf(name string) string {
	if i := slices.IndexFunc(p.services, func(sc triage.ServiceChange) bool { return sc.Name == name }); i >= 0 && p.services[i].Label != "" {
		return p.services[i].Label + "=" + strconv.Quote(name)
	}
	return jobSelector(name)
}

// scopeText is a selector as the header shows it: {job="api"}, or all
// services without one.
func scopeText(selector string) string {
	if selector == "" {
		return "all services"
	}
	return "{" + selector + "}"
}
