package triage

import "time"

// Change says how a condition compares with the same thing earlier: the
// day before, else the start of the window. A root cause is a change: new
// and worse rank above unchanged, and an unchanged condition is chronic.
// The strings are part of the JSON report (version 1, additive).
type Change string

const (
	ChangeNew       Change = "new"       // fine earlier, not now
	ChangeWorse     Change = "worse"     // bad earlier, worse now
	ChangeUnchanged Change = "unchanged" // the same state earlier
	ChangeBetter    Change = "better"    // bad earlier, less bad now
	ChangeUnknown   Change = "unknown"   // nothing earlier to compare with
)

// changeMargin is how far a value may move in the bad (or good) direction
// and still be the same state: 10 % is scrape and rate() noise, not a change.
const changeMargin = 1.1

// rank orders changes by how much they point at a cause: new and worse
// (and unknown, which cannot be ruled out) above better above unchanged.
func (c Change) rank() int {
	switch c {
	case ChangeNew, ChangeWorse, ChangeUnknown:
		return 2
	case ChangeBetter:
		return 1
	}
	return 0
}

// Since is the basis of a comparison: "the day before" or "the window start".
type Since string

const (
	SinceDayBefore   Since = "the day before"
	SinceWindowStart Since = "the window start"
)

// When is the basis as a time in a sentence: "the day before", "at the
// window start".
func (s Since) When() string {
	if s == SinceWindowStart {
		return "at " + string(s)
	}
	return string(s)
}

// Spread is a reading's own normal band: the lowest and highest it read
// over the same window the day before, or, when Reach is set, that far
// either side of the same time of day the day before and, where the server
// retains it, a week before (WeekBefore). A value inside it is normal,
// whatever its distance from the one day-before point.
type Spread struct {
	Low, High  float64
	Reach      time.Duration
	WeekBefore bool
}

// Over says what the band was read over: "the window the day before",
// "1h either side of this time the day before and a week before".
func (n Spread) Over() string {
	if n.Reach <= 0 {
		return "the window the day before"
	}
	over := PromDuration(n.Reach) + " either side of this time the day before"
	if n.WeekBefore {
		over += " and a week before"
	}
	return over
}

// ChangeWithin classifies now against its normal spread when there is one
// (beyond it in the bad direction is worse, new when it crossed into a hot
// state the spread never reached; beyond it in the good direction better;
// within it unchanged, whatever the thresholds say), else, or for a signal
// with no direction, as Change. Beyond means past the noise margin, as
// for Change.
func (t Thresholds) ChangeWithin(now, dayBefore, windowStart Value, normal *Spread) (Change, Since) {
	f, ok := now.Float()
	if normal == nil || !ok || t.Direction == "" {
		return t.Change(now, dayBefore, windowStart)
	}
	high, low := normal.High, normal.Low
	if t.Direction == Below {
		high, low = low, high // "high" is the worst end
	}
	absoluteNow, _ := t.absolute(f, "")
	statusNow := absoluteNow
	if b, ok := dayBefore.Float(); ok {
		if rel := t.relative(f, b); rel.Worse(statusNow) {
			statusNow = rel
		}
	}
	worstBefore, _ := t.absolute(high, "")
	hot := func(s Status) bool { return s.rank() >= StatusWarning.rank() }
	switch {
	case t.movedWorse(f, high) && hot(statusNow) && !hot(worstBefore):
		return ChangeNew, SinceDayBefore
	case t.movedWorse(f, high):
		return ChangeWorse, SinceDayBefore
	case t.movedWorse(low, f):
		return ChangeBetter, SinceDayBefore
	case hot(absoluteNow) && !hot(worstBefore):
		// Within the band, only a line the band never reached is crossed;
		// a ratio to the one day-before point is no change inside it.
		return ChangeNew, SinceDayBefore
	}
	return ChangeUnchanged, SinceDayBefore
}

// Moved reports a value more than the noise margin away from its day-before
// value (the window start without one), either way: a change of state or
// not, it is worth its normal spread and its contributors. A signal with no
// direction (throughput) has no worse or better to read.
func (t Thresholds) Moved(now, dayBefore, windowStart Value) bool {
	if t.Direction == "" {
		return false
	}
	before := dayBefore
	if !before.Usable() {
		before = windowStart
	}
	f, ok1 := now.Float()
	b, ok2 := before.Float()
	return ok1 && ok2 && (t.movedWorse(f, b) || t.movedWorse(b, f))
}

// Change classifies now against the day before (the window start when
// there is no day-before value) under these thresholds: a state is hot at
// warning or worse, judged on the absolute bands, and now also on the
// ratio to the earlier value for signals judged against their baseline.
func (t Thresholds) Change(now, dayBefore, windowStart Value) (Change, Since) {
	f, ok := now.Float()
	if !ok {
		return ChangeUnknown, ""
	}
	before, since := dayBefore, SinceDayBefore
	if !before.Usable() {
		before, since = windowStart, SinceWindowStart
	}
	b, ok := before.Float()
	if !ok {
		return ChangeUnknown, ""
	}
	statusNow, _ := t.absolute(f, "")
	if rel := t.relative(f, b); rel.Worse(statusNow) {
		statusNow = rel
	}
	statusBefore, _ := t.absolute(b, "")
	hotNow, hotBefore := statusNow.rank() >= StatusWarning.rank(), statusBefore.rank() >= StatusWarning.rank()
	switch {
	case hotNow && !hotBefore:
		return ChangeNew, since
	case !hotNow && hotBefore:
		return ChangeBetter, since
	case hotNow && (statusNow.Worse(statusBefore) || t.movedWorse(f, b)):
		return ChangeWorse, since
	case hotNow && (statusBefore.Worse(statusNow) || t.movedWorse(b, f)):
		return ChangeBetter, since
	}
	return ChangeUnchanged, since
}

// movedWorse reports whether to is worse than from by more than the noise
// margin, in the direction the signal gets worse.
func (t Thresholds) movedWorse(to, from float64) bool {
	if t.Direction == Below {
		return to*changeMargin < from
	}
	return to > from*changeMargin && to-from > 1e-9
}
