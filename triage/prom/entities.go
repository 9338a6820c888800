package prom

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// value sets the reading's current value from an instant answer: one
// series, or one per entity when the candidate declares entity labels.
func value(r *triage.Reading, def triage.SignalDef, res Answer, keep func(map[string]string) bool) error {
	if len(r.EntityLabels) > 0 {
		limit := def.MaxEntities
		if limit <= 0 {
			limit = triage.MaxEntities
		}
		return entityReading(r, def.Aggregate, limit, res, keep)
	}
	v, n := res.single()
	if n > 1 {
		return fmt.Errorf("ambiguous: the query returned %d series, not one; aggregate it (sum, max) in the config", n)
	}
	if !v.Known {
		return errors.New("malformed answer: a series without a sample")
	}
	r.Value = v
	return nil
}

// entityKey identifies an entity by its labels, in a fixed order.
func entityKey(labels map[string]string, names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + "\x00" + labels[n] + "\x00")
	}
	return b.String()
}

// entityLabels keeps the identifying labels a series carries.
func entityLabels(all map[string]string, names []string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		if v, ok := all[n]; ok {
			out[n] = v
		}
	}
	return out
}

// entityReading fills r from an instant answer with one series per entity:
// the value is def's aggregate over all of them, the entities are kept worst
// first (the worst limit of EntityCount, and any other that
// keep asks for: the service's configured dependencies). Two series with
// the same identifying labels mean the query does not aggregate by them:
// that is an error, never a silent pick.
func entityReading(r *triage.Reading, agg triage.Aggregate, limit int, res Answer, keep func(map[string]string) bool) error {
	seen := make(map[string]bool, len(res.Series))
	values := make([]float64, 0, len(res.Series))
	entities := make([]triage.Entity, 0, len(res.Series))
	for _, s := range res.Series {
		if len(s.Points) == 0 {
			return fmt.Errorf("malformed answer: a series without a sample")
		}
		key := entityKey(s.Labels, r.EntityLabels)
		if seen[key] {
			return fmt.Errorf("ambiguous: several series for one entity {%s}; aggregate the query by (%s)",
				entityKeyText(s.Labels, r.EntityLabels), strings.Join(r.EntityLabels, ", "))
		}
		seen[key] = true
		v := s.Points[0].V
		values = append(values, v)
		entities = append(entities, triage.Entity{Labels: entityLabels(s.Labels, r.EntityLabels), Value: triage.Of(v)})
	}
	r.Value = agg.Of(values)
	slices.SortStableFunc(entities, worstFirst(r.Thresholds, agg))
	r.EntityCount = len(entities)
	r.Entities = entities[:0]
	for i, e := range entities {
		if i < limit || keep != nil && keep(e.Labels) {
			r.Entities = append(r.Entities, e)
		}
	}
	return nil
}

func entityKeyText(labels map[string]string, names []string) string {
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, n+"="+labels[n])
	}
	return strings.Join(parts, ",")
}

// worstFirst orders entities by how bad their value is in the direction the
// signal gets worse (lower first for a "below" signal or a min aggregate),
// then by labels for a stable report; NaN last.
func worstFirst(t triage.Thresholds, agg triage.Aggregate) func(a, b triage.Entity) int {
	lowerIsWorse := t.Direction == triage.Below || t.Direction == "" && agg == triage.AggregateMin
	return func(a, b triage.Entity) int {
		an, bn := math.IsNaN(a.Value.V), math.IsNaN(b.Value.V)
		switch {
		case an != bn:
			if an {
				return 1
			}
			return -1
		case !an && a.Value.V != b.Value.V:
			if lowerIsWorse {
				return cmp.Compare(a.Value.V, b.Value.V)
			}
			return cmp.Compare(b.Value.V, a.Value.V)
		}
		return strings.Compare(fmt.Sprint(sortedLabels(a.Labels)), fmt.Sprint(sortedLabels(b.Labels)))
	}
}

func sortedLabels(m map[string]string) []string {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + m[k]
	}
	return out
}

// entityBaselines sets the day-before value of the kept entities from the
// day-before answer, and returns the aggregate of every entity then: a sum's
// baseline (PairWithValueEntity replaces it with the entity's own for a
// busiest or lowest one).
func entityBaselines(r *triage.Reading, agg triage.Aggregate, res Answer, groups map[string]map[string]string) triage.Value {
	values := make([]float64, 0, len(res.Series))
	for _, s := range res.Series {
		if len(s.Points) == 0 {
			continue
		}
		values = append(values, s.Points[0].V)
		key := entityKey(s.Labels, r.EntityLabels)
		for i := range r.Entities {
			if entityKey(r.Entities[i].Labels, r.EntityLabels) == key {
				r.Entities[i].Baseline = triage.Of(s.Points[0].V)
			}
		}
	}
	groupBaselines(r, agg, res, groups)
	return agg.Of(values)
}

// groupBaselines gives a kept entity with no day-before value of its own
// (a host an autoscaler brought up since) its group's then: the aggregate
// of the group's entities the day before, the way the signal combines
// them. groups are the kept entities' group labels now, by entity key.
func groupBaselines(r *triage.Reading, agg triage.Aggregate, res Answer, groups map[string]map[string]string) {
	for i, e := range r.Entities {
		group := groups[entityKey(e.Labels, r.EntityLabels)]
		if e.Baseline.Known || len(group) == 0 {
			continue
		}
		var values []float64
		for _, s := range res.Series {
			if len(s.Points) > 0 && maps.Equal(groupOf(s.Labels, r.Group), group) {
				values = append(values, s.Points[0].V)
			}
		}
		if v := agg.Of(values); v.Known {
			r.Entities[i].Baseline = v
			r.Entities[i].Identity = triage.Sanitize(fmt.Sprintf("new since the day before: its baseline is its group %s's then (%s of its %d)",
				entityKeyText(group, slices.Sorted(maps.Keys(group))), aggregateWord[agg], len(values)))
		}
	}
}

// groupOf are the group labels a series carries with a value; nil when it
// carries none (then it is in no group).
func groupOf(labels map[string]string, names []string) map[string]string {
	var out map[string]string
	for _, n := range names {
		if v := labels[n]; v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[n] = v
		}
	}
	return out
}

// entityGroups are the group labels of each kept entity, by entity key,
// from an answer now.
func entityGroups(r *triage.Reading, res Answer) map[string]map[string]string {
	if len(r.Group) == 0 {
		return nil
	}
	out := map[string]map[string]string{}
	for _, s := range res.Series {
		if g := groupOf(s.Labels, r.Group); g != nil {
			out[entityKey(s.Labels, r.EntityLabels)] = g
		}
	}
	return out
}

// entitySeries combines a range answer with one series per entity: the
// signal's sparkline is the aggregate at each step (what the aggregated
// query would have drawn), each kept entity gets its window-start value,
// and the one the value comes from (every kept one with every) its own
// sparkline.
func entitySeries(r *triage.Reading, agg triage.Aggregate, res Answer, every bool) []triage.Point {
	byTime := map[time.Time][]float64{}
	source, _ := r.ValueEntity()
	for _, s := range res.Series {
		for _, p := range s.Points {
			byTime[p.T] = append(byTime[p.T], p.V)
		}
		key := entityKey(s.Labels, r.EntityLabels)
		for i := range r.Entities {
			if entityKey(r.Entities[i].Labels, r.EntityLabels) != key {
				continue
			}
			for _, p := range s.Points {
				if v := triage.Of(p.V); v.Usable() {
					r.Entities[i].WindowStart = v
					break
				}
			}
			if i == source || every {
				r.Entities[i].Series = points(s.Points)
			}
		}
	}
	times := slices.SortedFunc(maps.Keys(byTime), func(a, b time.Time) int { return a.Compare(b) })
	out := make([]triage.Point, len(times))
	for i, t := range times {
		out[i] = triage.Point{T: t, V: agg.Of(byTime[t]).V}
	}
	return out
}

func points(samples []Sample) []triage.Point {
	out := make([]triage.Point, len(samples))
	for i, p := range samples {
		out[i] = triage.Point{T: p.T, V: p.V}
	}
	return out
}

// aggregateWord names what a group's baseline is, by the signal's aggregate.
var aggregateWord = map[triage.Aggregate]string{triage.AggregateMax: "the highest", "": "the highest", triage.AggregateMin: "the lowest", triage.AggregateSum: "the sum"}
