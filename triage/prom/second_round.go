package prom

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// contributorsShown bounds how many label sets a decomposition names per
// entity: the few that brought the change, not the fleet.
const contributorsShown = 5

// partLabel tells apart the two parts of a decomposition's one answer
// (the top label sets, the entities' total rise); sideLabel keeps each
// label set's now and day-before series apart.
const (
	partLabel = "scaletriage_part"
	sideLabel = "scaletriage_side"
)

// read reads one signal and, when it moved, its second round. A signal
// whose value is known before its window (early) starts the second round
// then, beside its own window, instead of after it: a histogram's window
// is the pass's slowest query, and its band the day before as slow.
func (c *collector) read(ctx, parent context.Context, def triage.SignalDef, present map[string]bool) triage.Reading {
	second := withUrgency(ctx, secondRound)
	var early *earlyRound
	r := c.signal(withUrgency(ctx, firstRound(def)), def, present, func(pre triage.Reading) {
		if parent.Err() == nil {
			early = c.startSecondRound(second, pre, present)
		}
	})
	switch {
	case early != nil:
		early.mergeInto(&r, parent.Err() == nil)
	case parent.Err() == nil:
		c.secondRound(second, &r, present)
	}
	return r
}

// earlyRound is a second round started on a signal's value before its
// window was in.
type earlyRound struct {
	pre  triage.Reading
	done chan struct{}
}

func (c *collector) startSecondRound(ctx context.Context, pre triage.Reading, present map[string]bool) *earlyRound {
	e := &earlyRound{pre: pre, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		c.secondRound(ctx, &e.pre, present)
	}()
	return e
}

// mergeInto waits for the round and gives the complete reading what it
// found: each entity's band (the same entities: both readings come from
// the one answer at the instant) and the contributors. Cut short (keep
// false), it only waits.
func (e *earlyRound) mergeInto(r *triage.Reading, keep bool) {
	<-e.done
	if !keep || !r.Usable() {
		return
	}
	r.Contributors = e.pre.Contributors
	if len(r.Entities) == 0 {
		r.Normal = e.pre.Normal
		return
	}
	bands := make(map[string]*triage.Spread, len(e.pre.Entities))
	for _, pe := range e.pre.Entities {
		bands[entityKey(pe.Labels, r.EntityLabels)] = pe.Normal
	}
	for i := range r.Entities {
		r.Entities[i].Normal = bands[entityKey(r.Entities[i].Labels, r.EntityLabels)]
	}
	if i, ok := r.ValueEntity(); ok {
		r.Normal = r.Entities[i].Normal
	}
}

// secondRound is the one more round for a signal whose value moved beyond
// the noise margin since the day before, sent as soon as its own reading is
// complete (so that it overlaps the other signals' first round, the slowest
// query above all): its normal spread (one query) and, when it rose and a
// decomposition fits it, who brought the rise (one query per
// decomposition). Nothing moved, nothing is sent.
func (c *collector) secondRound(ctx context.Context, r *triage.Reading, present map[string]bool) {
	if !r.Usable() || r.Query == "" {
		return
	}
	var wg sync.WaitGroup
	// Both queries read the day before: an entity without a day-before
	// value has no spread there, and its rise would be decomposed against
	// nothing (every label set "new"). Read before normal's goroutine
	// writes the entities' spreads.
	dayBefore := func(e triage.Entity) bool { return e.Baseline.Usable() }
	risen := slices.DeleteFunc(r.RisenEntities(), func(e triage.Entity) bool { return !dayBefore(e) })
	moved := slices.ContainsFunc(r.MovedEntities(), dayBefore)
	if len(r.Entities) == 0 {
		moved = r.Baseline.Usable() && r.Thresholds.Moved(r.Value, r.Baseline, r.WindowStart)
	}
	if moved {
		wg.Go(func() { c.normal(ctx, r) })
	}
	// One slot per decomposition, filled concurrently and assigned in
	// catalog order after the round: normal's goroutine reads the whole
	// reading (ValueEntity) meanwhile.
	found := make([][]triage.Contributor, len(triage.Decompositions))
	for j, d := range triage.Decompositions {
		if d.Signal == r.ID && strings.HasPrefix(r.Exporter, d.Exporter) && (present == nil || hasAll(present, d.Metrics)) && len(risen) > 0 && !c.o.NoContributors {
			wg.Go(func() { found[j] = c.decompose(ctx, d, risen) })
		}
	}
	wg.Wait()
	for _, cs := range found {
		r.Contributors = append(r.Contributors, cs...)
	}
}

// WeekBefore is how far back the normal band looks beside the day before,
// where the server retains it: a weekly pattern (a Monday batch) is normal
// too.
const WeekBefore = 7 * 24 * time.Hour

// BandReach is how far either side of the same time of day the normal band
// looks, the day before and a week before: a P99 that wanders over the
// hour, or traffic that ramps, is normal anywhere in its usual range at
// that time of day, not only at the one instant 24 hours ago.
const BandReach = time.Hour

// bandSpan is one stretch of history a band is read over: its end's offset
// from the instant, its length, and whether it is the week before.
type bandSpan struct {
	end, length time.Duration
	week        bool
}

// bandPoints is how many points a band reads per span: a third of the
// sparkline's. A band is the signal's query evaluated over history, as
// costly per point as the sparkline (a histogram's quantile is a pass's
// slowest query), and its extremes need no finer steps than a rate window
// already smooths.
const bandPoints = 12

// normal reads the reading's own band, per entity: the lowest and highest
// of its query over the window the day before, widened by the same
// BandReach either side of this time the day before and, where the server
// retains it, a week before. Each span is one range query, all three sent
// at once: the lowest and highest come from the same points, which one
// instant query of min_over_time and max_over_time subqueries evaluated
// twice.
func (c *collector) normal(ctx context.Context, r *triage.Reading) {
	spans := []bandSpan{
		{end: DayBefore, length: c.o.Window},
		{end: DayBefore - BandReach, length: 2 * BandReach},
		{end: WeekBefore - BandReach, length: 2 * BandReach, week: true},
	}
	read := make([]map[string]*triage.Spread, len(spans))
	var wg sync.WaitGroup
	for i, sp := range spans {
		wg.Go(func() { read[i] = c.spread(ctx, r, sp) })
	}
	wg.Wait()
	// The hours around widen the window's band where it has one.
	spreads := read[0]
	for _, wide := range read[1:] {
		for key, w := range wide {
			if sp := spreads[key]; sp != nil {
				sp.Low, sp.High = math.Min(sp.Low, w.Low), math.Max(sp.High, w.High)
				sp.Reach, sp.WeekBefore = BandReach, sp.WeekBefore || w.WeekBefore
			}
		}
	}
	if len(r.Entities) == 0 {
		r.Normal = spreads[entityKey(nil, nil)]
		return
	}
	for i := range r.Entities {
		r.Entities[i].Normal = spreads[entityKey(r.Entities[i].Labels, r.EntityLabels)]
	}
	if i, ok := r.ValueEntity(); ok {
		r.Normal = r.Entities[i].Normal
	}
}

// spread reads, in one range query, the lowest and highest of r's query
// over the span, per entity key; nil when the query failed. A span the
// server does not retain answers nothing; points that are not numbers
// (NaN, an idle histogram) are not part of a band.
func (c *collector) spread(ctx context.Context, r *triage.Reading, sp bandSpan) map[string]*triage.Spread {
	end := c.o.At.Add(-sp.end)
	step := max(sp.length/bandPoints, time.Second)
	res, err := c.rangeQuery(ctx, r.Query, end.Add(-sp.length), end, step)
	if err != nil {
		return nil
	}
	out := map[string]*triage.Spread{}
	for _, s := range res.Series {
		key := entityKey(s.Labels, r.EntityLabels)
		for _, p := range s.Points {
			if !triage.Of(p.V).Usable() {
				continue
			}
			if got := out[key]; got != nil {
				got.Low, got.High = math.Min(got.Low, p.V), math.Max(got.High, p.V)
			} else {
				out[key] = &triage.Spread{Low: p.V, High: p.V, WeekBefore: sp.week}
			}
		}
	}
	return out
}

// decompose sends one query: per entity, the top contributors' change
// (now minus the day before; a label set absent then counts from 0), their
// value now, and the entity's total increase (the rises of all its label
// sets: a share is of what was added, never above 100%).
func (c *collector) decompose(ctx context.Context, d triage.Decomposition, changed []triage.Entity) []triage.Contributor {
	keys := make([]string, 0, len(changed))
	byKey := map[string]triage.Entity{}
	for _, e := range changed {
		if k := d.KeyOf(e); k != "" {
			keys = append(keys, regexp.QuoteMeta(k))
			byKey[k] = e
		}
	}
	if len(keys) == 0 {
		return nil
	}
	rate := triage.PromDuration(c.o.RateWindow)
	expand := func(offset string) string {
		return strings.NewReplacer("$KEYS", strings.Join(keys, "|"), "$RATE", rate, "$OFFSET", offset).Replace(d.Query)
	}
	now, before := "("+expand("")+")", "("+expand(" offset "+triage.PromDuration(DayBefore))+")"
	// Both sides, each label set's day before negated, read once for the
	// answer and once for each sum over them: now - before per label set
	// is their sum (a label set absent the day before counts from 0; one
	// gone since is negative, never a contributor). The top label sets'
	// two sides come back as they are, so the delta is the client's
	// subtraction, not a third reading of both sides.
	group := strings.Join(append([]string{d.Key}, d.By...), ", ")
	sides := tagged(now, sideLabel, "now") + " or " + tagged("-"+before, sideLabel, "before")
	delta := "sum by (" + group + ") (" + sides + ")"
	top := "topk by (" + d.Key + ") (" + strconv.Itoa(contributorsShown) + ", " + delta + ")"
	query := tagged("("+sides+") and on ("+group+") "+top, partLabel, "top") + " or " +
		tagged("sum by ("+d.Key+") ("+delta+" > 0)", partLabel, "total")
	res, err := c.instant(ctx, query, c.o.At)
	if err != nil {
		return nil // a decomposition is a help, never a failure of the signal
	}
	return contributorsOf(d, res, byKey)
}

// tagged is expr with label set to value on every series.
func tagged(expr, label, value string) string {
	return `label_replace(` + expr + `, "` + label + `", "` + value + `", "", "")`
}

// contributorsOf reads a decomposition's answer: the label sets that rose
// or held, largest share first, with their share of their entity's
// increase.
func contributorsOf(d triage.Decomposition, res Answer, byKey map[string]triage.Entity) []triage.Contributor {
	type sides struct{ now, before triage.Value }
	parts := map[string]*sides{}
	labelsOf := map[string]map[string]string{}
	total := map[string]float64{}
	for _, s := range res.Series {
		if len(s.Points) == 0 {
			continue
		}
		v := s.Points[0].V
		key := s.Labels[d.Key]
		if s.Labels[partLabel] == "total" {
			total[key] = v
			continue
		}
		labels := entityLabels(s.Labels, d.By)
		id := key + "\x00" + entityKey(labels, d.By)
		if parts[id] == nil {
			parts[id] = &sides{}
			labelsOf[id] = labels
		}
		switch s.Labels[sideLabel] {
		case "now":
			parts[id].now = triage.Of(v)
		case "before":
			parts[id].before = triage.Of(-v) // sent negated, to be summed
		}
	}
	var out []triage.Contributor
	for id, p := range parts {
		key, _, _ := strings.Cut(id, "\x00")
		e, ok := byKey[key]
		if !p.before.Known {
			p.before = triage.Of(0) // absent the day before: new since
		}
		if !ok || !p.now.Usable() || !p.before.Usable() || p.now.V < p.before.V || total[key] <= 0 {
			continue
		}
		out = append(out, triage.Contributor{Signal: d.Signal, Entity: e.Labels, Labels: labelsOf[id], Unit: d.Unit,
			Now: p.now, Before: p.before, Share: (p.now.V - p.before.V) / total[key]})
	}
	slices.SortFunc(out, func(a, b triage.Contributor) int {
		if a.Share != b.Share {
			if a.Share > b.Share {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name(), b.Name())
	})
	return out
}
