package triage

import (
	"math"
	"time"
)

// Onset is when an entity that changed left its normal, read from the
// window's series: the first step from which it stayed past the halfway
// mark between its own day-before value and its value now. Before is set
// when it was past that mark from the window's first step: the change is
// older than the window.
type Onset struct {
	At     time.Time
	Before bool
}

// onsetMinChange is the smallest move, as a share of the day-before value,
// that has an onset: below it "halfway" is noise.
const onsetMinChange = 0.2

// EntityOnset is the onset of entity e of r: its own series against its
// own day-before value. False when the entity has no series (only the
// worst entity's is kept), no day-before value (the window start is no
// normal: it may be inside the incident), or did not move.
func (r Reading) EntityOnset(e Entity) (Onset, bool) {
	before, ok1 := e.Baseline.Float()
	now, ok2 := e.Value.Float()
	if !ok1 || !ok2 || len(e.Series) == 0 || r.BaselineAtLeast {
		return Onset{}, false
	}
	if math.Abs(now-before) <= onsetMinChange*math.Max(math.Abs(before), 1e-9) {
		return Onset{}, false
	}
	mark := before + (now-before)/2
	return seriesOnset(e.Series, func(v float64) bool {
		if now > before {
			return v > mark
		}
		return v < mark
	})
}

// seriesOnset is the first step of series from which every point is past
// (NaN is not): false when the last point is not past, the change not
// settled yet. Before when it was past from the first step.
func seriesOnset(series []Point, past func(float64) bool) (Onset, bool) {
	first := len(series)
	for i := len(series) - 1; i >= 0; i-- {
		v := series[i].V
		if math.IsNaN(v) || !past(v) {
			break
		}
		first = i
	}
	if first == len(series) {
		return Onset{}, false // not past the mark now: still moving, no onset yet
	}
	return Onset{At: series[first].T, Before: first == 0}, true
}

// Onset is the onset of the reading itself (its value, day-before value and
// sparkline), for a signal measured as one series or as an aggregate.
func (r Reading) Onset() (Onset, bool) {
	return r.EntityOnset(Entity{Value: r.Value, Baseline: r.Baseline, Series: r.Series})
}
