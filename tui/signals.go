package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// signalsPane lists every signal with its value, status, ratio to the day
// before and a sparkline of the window; the selected row's source and
// reason are shown below the list.
type signalsPane struct {
	*common
	rows []signalRow
	// shown are the rows on screen: the missing ones collapse into one
	// summary row at the end unless showMissing.
	shown       []signalRow
	showMissing bool
	list        listCursor
	spinner     string // current spinner frame for pending rows
	start       time.Time
	end         time.Time
	width       int
	height      int
	cols        signalColumns
	view        string
}

// signalRow is one signal: its last reading (if any) and whether the
// collection in flight has yet to answer for it.
type signalRow struct {
	id      triage.SignalID
	title   string
	reading *triage.Reading
	pending bool
	missing int // on the summary row: how many signals it stands for
}

// isMissing: answered with no value to show and a reason for it.
func (r signalRow) isMissing() bool {
	if r.pending {
		return false
	}
	return r.reading == nil || r.reading.Status == triage.StatusMissing
}

// layoutRows decides the rows on screen: the missing signals fill half the
// list on a typical estate, so they fold into "19 not found" unless listed.
func (p *signalsPane) layoutRows() {
	p.shown = p.shown[:0]
	missing := 0
	for _, r := range p.rows {
		if r.isMissing() && !p.showMissing {
			missing++
			continue
		}
		p.shown = append(p.shown, r)
	}
	if missing > 0 {
		p.shown = append(p.shown, signalRow{missing: missing})
	}
	p.list.cursor = min(p.list.cursor, max(len(p.shown)-1, 0))
}

// toggleMissing lists or folds the missing signals.
func (p *signalsPane) toggleMissing() {
	p.showMissing = !p.showMissing
	p.render()
}

type signalColumns struct{ title, value, delta, spark, exporter int }

func newSignalsPane(com *common, defs []triage.SignalDef) *signalsPane {
	p := &signalsPane{common: com}
	for _, d := range defs {
		p.rows = append(p.rows, signalRow{id: d.ID, title: d.Title})
	}
	return p
}

// startCollection marks every row pending; old readings stay on screen
// until their new answer arrives.
func (p *signalsPane) startCollection() {
	for i := range p.rows {
		p.rows[i].pending = true
	}
	p.render()
}

// setReading shows one answer as it arrives.
func (p *signalsPane) setReading(r triage.Reading) {
	p.upsert(r).pending = false
	p.render()
}

// setSnapshot replaces every row with the pass's readings.
func (p *signalsPane) setSnapshot(s *triage.Snapshot) {
	for _, r := range s.Readings {
		p.upsert(r)
	}
	for i := range p.rows {
		p.rows[i].pending = false
	}
	p.end = s.At
	p.start = s.At.Add(-s.Window)
	p.render()
}

// stopCollection ends a failed collection: nothing is pending any more.
func (p *signalsPane) stopCollection() {
	for i := range p.rows {
		p.rows[i].pending = false
	}
	p.render()
}

func (p *signalsPane) upsert(r triage.Reading) *signalRow {
	for i := range p.rows {
		if p.rows[i].id == r.ID {
			p.rows[i].reading = &r
			return &p.rows[i]
		}
	}
	p.rows = append(p.rows, signalRow{id: r.ID, title: r.Title, reading: &r})
	return &p.rows[len(p.rows)-1]
}

// counts returns how many signals answered with a value, and in all.
func (p *signalsPane) counts() (found, total int) {
	for _, r := range p.rows {
		if r.reading != nil && r.reading.Value.Known {
			found++
		}
	}
	return found, len(p.rows)
}

func (p *signalsPane) setSpinner(frame string) {
	p.spinner = frame
	for _, r := range p.rows {
		if r.pending {
			p.render()
			return
		}
	}
}

func (p *signalsPane) SetSize(width, height int) {
	p.width, p.height = width, height
	p.cols = columnsFor(width)
	p.render()
}

// columnsFor divides a row of width cells: the sparkline gets one cell
// per sample of a 60-point range at most, the title the rest.
func columnsFor(width int) signalColumns {
	c := signalColumns{value: 16, delta: 7}
	if width >= 120 {
		c.exporter = 24
	}
	rest := width - 2 - c.value - c.delta - c.exporter - 4 // glyph and separators
	c.title = min(max(rest*2/5, 22), 44)
	c.spark = min(rest-c.title, 61)
	c.title = rest - c.spark
	return c
}

func (p *signalsPane) Title() string {
	found, total := p.counts()
	return fmt.Sprintf("Signals %d/%d", found, total)
}

func (p *signalsPane) Update(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, p.keys.Missing) || (key.Matches(msg, p.keys.Open) && p.onSummary()) {
		p.toggleMissing()
		return nil
	}
	if p.list.update(msg, p.keys, len(p.shown), p.listHeight()) {
		p.render()
	}
	return nil
}

// selectedReading is the reading under the cursor, when it has answered.
func (p *signalsPane) selectedReading() (triage.Reading, bool) {
	if p.list.cursor >= len(p.shown) || p.shown[p.list.cursor].reading == nil {
		return triage.Reading{}, false
	}
	return *p.shown[p.list.cursor].reading, true
}

// onSummary: the cursor is on the folded "not found" row.
func (p *signalsPane) onSummary() bool {
	return p.list.cursor < len(p.shown) && p.shown[p.list.cursor].missing > 0
}

func (p *signalsPane) View() string { return p.view }

func (p *signalsPane) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.NextPane, p.keys.Open, p.keys.Missing, p.keys.OpenLink, p.keys.Refresh}
}

// detailHeight is the box under the list, border included.
func (p *signalsPane) detailHeight() int { return min(7, max(p.height/3, 4)) }

func (p *signalsPane) listHeight() int { return max(p.height-p.detailHeight(), 1) }

func (p *signalsPane) render() {
	if p.width <= 0 || p.height <= 0 {
		return
	}
	p.layoutRows()
	lines := make([]string, 0, p.height)
	first, last := p.list.visible(len(p.shown), p.listHeight())
	for i := first; i < last; i++ {
		lines = append(lines, p.renderRow(p.shown[i], i == p.list.cursor, p.cols))
	}
	for len(lines) < p.listHeight() {
		lines = append(lines, "")
	}
	lines = append(lines, p.renderDetail())
	p.view = strings.Join(lines, "\n")
}

// rowsFor renders the rows of ids (those a finding rests on), unselected,
// width cells wide.
func (p *signalsPane) rowsFor(ids []triage.SignalID, width int) []string {
	var out []string
	cols := columnsFor(width)
	for _, id := range ids {
		for _, row := range p.rows {
			if row.id == id {
				out = append(out, p.renderRow(row, false, cols))
			}
		}
	}
	return out
}

func (p *signalsPane) renderRow(row signalRow, selected bool, c signalColumns) string {
	s := p.styles
	if row.missing > 0 {
		text := s.Dim.Render(fmt.Sprintf("%d not found — %s to list them", row.missing, p.keys.Missing.Help().Key))
		if selected {
			text = s.Selected.Render(ansi.Strip(text))
		}
		return statusGlyph(triage.StatusMissing) + " " + text
	}
	title := pad(row.title, c.title)
	if row.reading == nil {
		glyph, note := p.spinner, "querying…"
		if !row.pending {
			glyph, note = statusGlyph(triage.StatusMissing), "not in this snapshot"
		}
		text := title + " " + s.Dim.Render(pad(note, c.value+c.delta+c.spark+c.exporter+3))
		if selected {
			text = s.Selected.Render(ansi.Strip(text))
		}
		return glyph + " " + text
	}
	r := row.reading
	glyph := s.Status[r.Status].Render(statusGlyph(r.Status))
	if len(r.Warnings) > 0 {
		glyph = s.Warn.Render(partialGlyph) // the server warned: the value may be incomplete
	}
	if row.pending {
		glyph = p.spinner
	}
	value := fmt.Sprintf("%*s", c.value, fit(r.Formatted(), c.value))
	var tail string
	if r.Status == triage.StatusMissing || r.Status == triage.StatusError {
		// The reason is the useful part of a missing signal: it says what
		// would enable it.
		tail = s.Dim.Render(pad(r.Reason, c.delta+c.spark+c.exporter+2))
	} else {
		tail = fmt.Sprintf("%*s", c.delta, fit(baselineDelta(*r), c.delta)) + " " +
			s.Sparkline.Render(pad(sparkline(r.Series, p.start, p.end, c.spark, r.Unit), c.spark))
		if c.exporter > 0 {
			tail += " " + s.Dim.Render(pad(r.Exporter, c.exporter))
		}
	}
	rest := title + " " + s.Status[r.Status].Render(value) + " " + tail
	if selected {
		rest = s.Selected.Render(ansi.Strip(rest))
	}
	return glyph + " " + rest
}

// renderDetail is the selected signal's id, status, source and reason.
func (p *signalsPane) renderDetail() string {
	s := p.styles
	inner := p.width - s.Detail.GetHorizontalFrameSize()
	height := p.detailHeight() - s.Detail.GetVerticalFrameSize()
	if len(p.shown) == 0 {
		return s.Detail.Width(p.width).Render("")
	}
	row := p.shown[p.list.cursor]
	var lines []string
	add := func(label, value string) { lines = append(lines, field(s.Label, label, value, inner)...) }
	if row.missing > 0 {
		lines = append(lines, s.Dim.Render(fit(fmt.Sprintf("%d signals have no value here; each says what would enable it (%s or enter lists them)", row.missing, p.keys.Missing.Help().Key), inner)))
	} else if row.reading == nil {
		lines = append(lines, s.Bold.Render(fit(string(row.id), inner)), s.Dim.Render("waiting for its query to answer"))
	} else {
		r := row.reading
		head := fmt.Sprintf("%s · %s · %s", r.ID, r.Status, r.Formatted()) // fit cleans
		lines = append(lines, s.Status[r.Status].Render(fit(head, inner)))
		if r.Bucket != nil { // an interpolated quantile: the bucket is the measurement
			add("range:", r.Bucket.Phrase(r.Unit))
		}
		if r.Query != "" {
			add("source:", r.Exporter+": "+r.Query)
		}
		if r.Reason != "" {
			add("why:", r.Reason)
		}
		if r.Value.Known {
			add("baseline:", fmt.Sprintf("1d before %s · window start %s",
				triage.Format(r.Baseline, r.Unit, false), triage.Format(r.WindowStart, r.Unit, false)))
		}
		for _, w := range r.Warnings {
			add("warning:", w)
		}
		if len(r.Entities) > 0 {
			add("entities:", entitiesLine(*r))
		}
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return s.Detail.Width(p.width).Render(strings.Join(lines, "\n"))
}

// entitiesLine lists a reading's entities, worst first, with their value,
// change (an entity unchanged is not a finding: not "chronic"; one over
// too few requests says so instead) and how
// many were left out: "batch-1:9100 97% (unchanged) ·
// app-1:9100 30% (unchanged) · 2 of 41 hosts shown".
func entitiesLine(r triage.Reading) string {
	parts := make([]string, 0, len(r.Entities)+1)
	for _, e := range r.Entities {
		change, _ := r.EntityChange(e)
		note := string(change)
		if e.Unjudged != "" {
			note = e.Unjudged // too few requests: its count, not a change
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", r.EntityName(e), triage.Format(e.Value, r.Unit, false), note))
	}
	if shown := r.EntitiesShown(); shown != "" {
		parts = append(parts, shown)
	}
	return strings.Join(parts, " · ")
}
