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

// partLabel tells apart the three parts of a decomposition's one answer.
const partLabel = "scaletriage_part"

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

// normal reads the reading's own spread over the window the day before:
// the lowest and highest of its query there, per entity, in one query.
func (c *collector) normal(ctx context.Context, r *triage.Reading) {
	step := max(c.o.Window/time.Duration(c.o.Points), time.Second)
	over := func(fn string) string {
		return fn + "((" + r.Query + ")[" + triage.PromDuration(c.o.Window) + ":" + triage.PromDuration(step) + "] offset " + triage.PromDuration(DayBefore) + ")"
	}
	res, err := c.instant(ctx, part(over("min_over_time"), "low")+" or "+part(over("max_over_time"), "high"), c.o.At)
	if err != nil {
		return // no spread: the change is judged on thresholds alone
	}
	spreads := map[string]*triage.Spread{}
	for _, s := range res.Series {
		if len(s.Points) == 0 || !triage.Of(s.Points[0].V).Usable() {
			continue
		}
		key := entityKey(s.Labels, r.EntityLabels)
		if spreads[key] == nil {
			spreads[key] = &triage.Spread{Low: math.NaN(), High: math.NaN()}
		}
		switch s.Labels[partLabel] {
		case "low":
			spreads[key].Low = s.Points[0].V
		case "high":
			spreads[key].High = s.Points[0].V
		}
	}
	complete := func(sp *triage.Spread) bool { return sp != nil && !math.IsNaN(sp.Low) && !math.IsNaN(sp.High) }
	if len(r.Entities) == 0 {
		if sp := spreads[entityKey(nil, nil)]; complete(sp) {
			r.Normal = sp
		}
		return
	}
	for i := range r.Entities {
		if sp := spreads[entityKey(r.Entities[i].Labels, r.EntityLabels)]; complete(sp) {
			r.Entities[i].Normal = sp
		}
	}
	if i, ok := r.ValueEntity(); ok {
		r.Normal = r.Entities[i].Normal
	}
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
	delta := "((" + now + " - " + before + ") or " + now + ")"
	group := strings.Join(append([]string{d.Key}, d.By...), ", ")
	top := "topk by (" + d.Key + ") (" + strconv.Itoa(contributorsShown) + ", " + delta + ")"
	query := part(top, "delta") + " or " + part(now+" and on ("+group+") "+top, "now") + " or " + part("sum by ("+d.Key+") ("+delta+" > 0)", "total")
	res, err := c.instant(ctx, query, c.o.At)
	if err != nil {
		return nil // a decomposition is a help, never a failure of the signal
	}
	return contributorsOf(d, res, byKey)
}

func part(expr, name string) string {
	return `label_replace(` + expr + `, "` + partLabel + `", "` + name + `", "", "")`
}

// contributorsOf reads a decomposition's answer: the label sets that rose
// or held, largest share first, with their share of their entity's
// increase.
func contributorsOf(d triage.Decomposition, res Result, byKey map[string]triage.Entity) []triage.Contributor {
	type sums struct{ delta, now triage.Value }
	parts := map[string]*sums{}
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
			parts[id] = &sums{}
			labelsOf[id] = labels
		}
		switch s.Labels[partLabel] {
		case "delta":
			parts[id].delta = triage.Of(v)
		case "now":
			parts[id].now = triage.Of(v)
		}
	}
	var out []triage.Contributor
	for id, p := range parts {
		key, _, _ := strings.Cut(id, "\x00")
		e, ok := byKey[key]
		if !ok || !p.delta.Usable() || !p.now.Usable() || p.delta.V < 0 || total[key] <= 0 {
			continue
		}
		out = append(out, triage.Contributor{Signal: d.Signal, Entity: e.Labels, Labels: labelsOf[id], Unit: d.Unit,
			Now: p.now, Before: triage.Of(p.now.V - p.delta.V), Share: p.delta.V / total[key]})
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
