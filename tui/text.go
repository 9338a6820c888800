package tui

import (
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// clean makes server-derived text safe to draw on one line. It is defence
// in depth, not the sanitizer: triage/prom sanitizes every string where it
// enters (query answers and recordings), but the TUI reads results through
// the Triager interface and must not depend on every implementation
// having done so.
//
// It is triage.Sanitize itself, so the rules cannot drift, and it is
// idempotent, so already-clean text is unchanged. It is cheap: printable
// ASCII takes Sanitize's allocation-free fast path
// (docs/facts.md#sanitizing-drawn-text). It runs once per drawn string: fit
// and wrap call it, and callers of those must not clean again.
func clean(s string) string { return triage.Sanitize(s) }

// fit cleans s and cuts it to width cells.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(clean(s), width, "…")
}

// pad fits s to exactly width cells.
func pad(s string, width int) string {
	s = fit(s, width)
	if n := ansi.StringWidth(s); n < width {
		s += strings.Repeat(" ", width-n)
	}
	return s
}

// wrap cleans s and breaks it into lines of at most width cells.
func wrap(s string, width int) []string {
	if width <= 0 {
		return nil
	}
	var out []string
	for _, line := range strings.Split(ansi.Wrap(clean(s), width, " /,"), "\n") {
		// ansi.Wrap may keep a breakpoint (",") one cell past the width:
		// the box would break the line again, without its indent.
		if ansi.StringWidth(line) > width {
			out = append(out, strings.Split(ansi.Hardwrap(line, width, true), "\n")...)
			continue
		}
		out = append(out, line)
	}
	return out
}

// field is a labelled value wrapped to width cells, its continuation
// lines under the value: "source: node_exporter: max(…".
func field(label lipgloss.Style, name, value string, width int) []string {
	lines := wrap(value, width-len(name)-1)
	for i, l := range lines {
		if i == 0 {
			lines[i] = label.Render(name) + " " + l
		} else {
			lines[i] = strings.Repeat(" ", len(name)+1) + l
		}
	}
	return lines
}

// statusGlyph tells statuses apart without colour (NO_COLOR, colour
// blindness).
func statusGlyph(s triage.Status) string {
	switch s {
	case triage.StatusOK:
		return "●"
	case triage.StatusWarning:
		return "▲"
	case triage.StatusCritical:
		return "✖"
	case triage.StatusError:
		return "!"
	}
	return "○"
}

// partialGlyph marks a reading that came with server warnings.
const partialGlyph = "◐"

// baselineDelta is the ratio to the day before as everywhere else
// (Reading.RatioText: "41.2x", "≥ 41.2x"), "was 0" when the day before was
// zero, "" when there is no usable baseline.
func baselineDelta(r triage.Reading) string {
	if ratio, ok := r.RatioText(); ok {
		return ratio
	}
	v, ok := r.Value.Float()
	b, bok := r.Baseline.Float()
	if ok && bok && b == 0 && v != 0 {
		return "was 0"
	}
	return ""
}

// age says how long ago t was, coarsely.
func age(d time.Duration) string {
	switch {
	case d < time.Second:
		return "just now"
	case d < time.Minute:
		return triage.PromDuration(d.Truncate(time.Second)) + " ago"
	case d < time.Hour:
		return triage.PromDuration(d.Truncate(time.Minute)) + " ago"
	}
	return triage.PromDuration(d.Truncate(time.Hour)) + " ago"
}

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws series over [start, end] in at most width cells, one cell
// per sample step: a step with no sample, or only NaN, is a gap, so missing
// data never looks like a low value. A ratio (utilization, hit ratio) is
// drawn on its absolute 0..1 scale, so a pool pinned at 100 % is a full bar;
// other units span their own lowest to highest point, and a flat series is
// drawn at its level against zero (full when above it, lowest at zero).
func sparkline(series []triage.Point, start, end time.Time, width int, unit triage.Unit) string {
	if width <= 0 || len(series) == 0 || !end.After(start) {
		return ""
	}
	step := end.Sub(start)
	for i := 1; i < len(series); i++ {
		if d := series[i].T.Sub(series[i-1].T); d > 0 && d < step {
			step = d
		}
	}
	cells := min(width, int(end.Sub(start)/step)+1)
	bins := make([]float64, cells)
	filled := make([]bool, cells)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range series {
		if math.IsNaN(p.V) || math.IsInf(p.V, 0) || p.T.Before(start) || p.T.After(end) {
			continue
		}
		i := min(cells-1, int(float64(cells-1)*float64(p.T.Sub(start))/float64(end.Sub(start))+0.5))
		if !filled[i] || p.V > bins[i] {
			bins[i], filled[i] = p.V, true // the peak of a cell: spikes stay visible
		}
		lo, hi = min(lo, p.V), max(hi, p.V)
	}
	switch {
	case unit == triage.UnitRatio:
		lo, hi = 0, 1
	case hi == lo:
		lo = min(0, lo)
	}
	var b strings.Builder
	for i, v := range bins {
		switch {
		case !filled[i]:
			b.WriteByte(' ')
		case hi == lo:
			b.WriteRune(sparkBlocks[0])
		default:
			level := int((min(max(v, lo), hi) - lo) / (hi - lo) * float64(len(sparkBlocks)-1))
			b.WriteRune(sparkBlocks[level])
		}
	}
	return b.String()
}
