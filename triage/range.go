package triage

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Range is the values a signal can take. A value outside it is impossible
// (a buggy exporter or recording rule: a negative rate, an error ratio of
// 500 %), reported with its series and never judged. Nil bounds are open.
type Range struct {
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
}

// Slack past a bound that is measurement, not a bug: rate() extrapolates
// numerator and denominator of a ratio separately (an error ratio can read
// 1.02), and floating point leaves 1 - avg(idle) at -2e-16.
const (
	rangeSlackRatio    = 0.05
	rangeSlackAbsolute = 1e-6
)

// PossibleRange is the signal's declared range, else its unit's: a ratio
// is 0..1; rates, durations, counts and sizes are never negative.
func (d SignalDef) PossibleRange() Range {
	if d.Range != nil {
		return *d.Range
	}
	zero, one := 0.0, 1.0
	if d.Unit == UnitRatio {
		return Range{Min: &zero, Max: &one}
	}
	return Range{Min: &zero}
}

// Holds reports whether v is possible, within the slack.
func (r Range) Holds(v float64) bool {
	if r.Min != nil && v < *r.Min-rangeSlackAbsolute-rangeSlackRatio*math.Abs(*r.Min) {
		return false
	}
	if r.Max != nil && v > *r.Max+rangeSlackAbsolute+rangeSlackRatio*math.Abs(*r.Max) {
		return false
	}
	return true
}

// String is the range for a message, in the signal's unit: "0 to 100%",
// "at least 0 requests/s".
func (r Range) String(unit Unit) string {
	bound := func(v float64) string { return Format(Of(v), unit, false) }
	switch {
	case r.Min != nil && r.Max != nil:
		return bound(*r.Min) + " to " + bound(*r.Max)
	case r.Min != nil:
		return "at least " + bound(*r.Min)
	case r.Max != nil:
		return "at most " + bound(*r.Max)
	}
	return "any value"
}

// DropImpossible checks a reading's numbers against its possible range. A
// current value outside it, the signal's or any entity's, makes the whole
// reading unjudgeable: the reason names the value and its series. An
// impossible day-before or window-start value is dropped (no ratio is
// made from it) with a warning that says so.
func (r *Reading) DropImpossible(possible Range) (reason string, impossible bool) {
	where := func(e *Entity) string {
		if e == nil {
			return "the query " + strconv.Quote(r.Query)
		}
		return "the series " + seriesName(e.Labels)
	}
	badNow := func(v Value, e *Entity) string {
		return fmt.Sprintf("impossible value %s from %s (a %s is %s): a buggy exporter or recording rule? not judged",
			Format(v, r.Unit, false), where(e), unitNoun(r.Unit), possible.String(r.Unit))
	}
	// The entities first: a series named beats the query.
	for i := range r.Entities {
		e := &r.Entities[i]
		if v, ok := e.Value.Float(); ok && !possible.Holds(v) {
			return badNow(e.Value, e), true
		}
	}
	if v, ok := r.Value.Float(); ok && !possible.Holds(v) {
		return badNow(r.Value, nil), true
	}
	drop := func(v *Value, what string, e *Entity) {
		if f, ok := v.Float(); ok && !possible.Holds(f) {
			r.Warnings = append(r.Warnings, fmt.Sprintf("impossible %s value %s from %s: ignored", what, Format(*v, r.Unit, false), where(e)))
			*v = None
		}
	}
	drop(&r.Baseline, "day-before", nil)
	drop(&r.WindowStart, "window-start", nil)
	for i := range r.Entities {
		e := &r.Entities[i]
		drop(&e.Baseline, "day-before", e)
		drop(&e.WindowStart, "window-start", e)
	}
	return "", false
}

// seriesName prints labels as a selector: {instance="db-1:9187"}.
func seriesName(labels map[string]string) string {
	parts := make([]string, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, k+"="+strconv.Quote(labels[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// unitNoun names what a unit measures, for "a ratio is 0 to 100%".
func unitNoun(u Unit) string {
	switch u {
	case UnitRatio:
		return "ratio"
	case UnitSeconds:
		return "duration"
	case UnitBytes:
		return "size"
	case "":
		return "value"
	}
	if strings.Contains(string(u), "/s") {
		return "rate"
	}
	return "count of " + string(u)
}
