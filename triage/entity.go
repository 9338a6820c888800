package triage

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// MaxEntities is how many entities a reading keeps, worst first: enough to
// name the one in trouble beside the busiest ones, few enough to print.
const MaxEntities = 5

// Aggregate is how a signal's entities combine into its one value: the
// busiest host (max), the lowest cache hit ratio (min), the clients waiting
// in all pools (sum).
type Aggregate string

const (
	AggregateMax Aggregate = "max"
	AggregateMin Aggregate = "min"
	AggregateSum Aggregate = "sum"
)

func (a Aggregate) validate() error {
	switch a {
	case "", AggregateMax, AggregateMin, AggregateSum:
		return nil
	}
	return fmt.Errorf("unknown aggregate %q (max, min or sum)", a)
}

// Of combines values the way PromQL's aggregation does: max and min skip
// NaN unless every value is NaN; sum is NaN when any value is. No values is
// no data.
func (a Aggregate) Of(values []float64) Value {
	if len(values) == 0 {
		return None
	}
	switch a {
	case AggregateSum:
		total := 0.0
		for _, v := range values {
			total += v
		}
		return Of(total)
	case AggregateMin:
		return Of(extreme(values, math.Min))
	}
	return Of(extreme(values, math.Max))
}

func extreme(values []float64, pick func(a, b float64) float64) float64 {
	out := math.NaN()
	for _, v := range values {
		if math.IsNaN(v) {
			continue
		}
		if math.IsNaN(out) {
			out = v
		} else {
			out = pick(out, v)
		}
	}
	return out
}

// Entity is one measured thing behind a signal: a host, a container, a
// pool, a database instance, a cache, a consumer group. A reading's value
// aggregates its entities; the entities keep their own numbers so that a
// finding can say which one and whether it changed.
type Entity struct {
	// Labels are the labels that identify it (the candidate's `entity`).
	Labels      map[string]string
	Value       Value
	Baseline    Value // the same entity one day earlier
	WindowStart Value // its earliest finite point in the window
	// Series is the sparkline of the entity the value comes from only
	// (of every kept entity with prom.Options.EntitySeries).
	Series []Point
	// Normal is its own spread over the window the day before, when it
	// moved beyond the noise margin and the spread was read.
	Normal *Spread
	// Change is against its own day-before value (window start without it).
	Change Change
	// Requests are the requests its ratio or quantile is over, in the rate
	// window (from the throughput's same entity); None when unknown.
	Requests Value
	// Unjudged says why it is not judged ("2 failures in 5 min, under the
	// minimum of 5: not judged"): too few requests to be evidence. It is
	// shown, never a status, a finding or a change. "" when judged.
	Unjudged string
	// Identity says where its day-before value came from when not from
	// itself: "its instance group node_pool=web (the host is new)".
	Identity string
}

// Name prints the entity's labels for a sentence: the values alone when
// one label identifies it ("db-1:9187"), key=value pairs otherwise
// ("database=app, user=app"), in the candidate's label order.
func (e Entity) Name(order []string) string {
	keys := slices.Collect(maps.Keys(e.Labels))
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	if len(keys) == 1 {
		return e.Labels[keys[0]]
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + e.Labels[k]
	}
	return strings.Join(parts, ", ")
}

// sameLabels reports whether two label sets name the same entity.
func sameLabels(a, b map[string]string) bool { return maps.Equal(a, b) }

// tierNouns name a tier's entities in counts ("3 of 41 hosts shown").
var tierNouns = map[Tier][2]string{
	TierHost: {"host", "hosts"}, TierContainer: {"container", "containers"},
	TierAppPool: {"pool", "pools"}, TierPooler: {"pool", "pools"},
	TierDatabase: {"database instance", "database instances"}, TierCache: {"cache", "caches"},
	TierQueue: {"queue", "queues"}, TierService: {"service", "services"},
}

// EntityNoun names n entities of a tier: "1 host", "41 hosts".
func EntityNoun(tier Tier, n int) string {
	nouns, ok := tierNouns[tier]
	if !ok {
		nouns = [2]string{"entity", "entities"}
	}
	if n == 1 {
		return "1 " + nouns[0]
	}
	return fmt.Sprintf("%d %s", n, nouns[1])
}

// ValueEntity is the kept entity a reading's value comes from: the busiest
// (max) or lowest (min) one, or the only one of a sum. False for a sum of
// several, whose value is no one entity's, or when that entity was not kept.
func (r Reading) ValueEntity() (int, bool) {
	if len(r.Entities) == 0 || r.Aggregate == AggregateSum && r.EntityCount > 1 {
		return 0, false
	}
	for i, e := range r.Entities {
		if e.Value.V == r.Value.V || math.IsNaN(e.Value.V) && math.IsNaN(r.Value.V) {
			return i, true
		}
	}
	return 0, false
}

// PairWithValueEntity makes the reading's day-before value, window start
// and sparkline those of the entity its value comes from: "94.7% (day
// before: 42%)" must never set one host's number beside another's. A sum of
// several keeps its own (the same sum, earlier); a value whose entity was
// not kept has no baseline rather than another entity's.
func (r *Reading) PairWithValueEntity() {
	if len(r.Entities) == 0 || r.Aggregate == AggregateSum && r.EntityCount > 1 {
		return
	}
	i, ok := r.ValueEntity()
	if !ok {
		r.Baseline, r.WindowStart, r.Series = None, None, nil
		return
	}
	e := r.Entities[i]
	r.Baseline, r.WindowStart, r.Normal = e.Baseline, e.WindowStart, e.Normal
	if e.Series != nil {
		r.Series = e.Series
	}
}

// narrowedTo is r as if it measured only e: its value, baselines and
// status, for a sentence about that one entity.
func (r Reading) narrowedTo(e Entity) Reading {
	n := r
	n.Value, n.Baseline, n.WindowStart, n.Series = e.Value, e.Baseline, e.WindowStart, e.Series
	n.Entities, n.EntityCount, n.Aggregate = []Entity{e}, 1, AggregateMax
	n.BaselineAtLeast = false
	if e.Value.V != r.Value.V {
		// The bucket and the clamp were the value's entity's: another
		// entity's quantile has its own, unknown here.
		n.Bucket, n.AtLeast = nil, false
	}
	n.Status, n.Reason = r.Thresholds.Judge(n)
	return n
}

// narrowedToLabels narrows r to its entity with these labels; false when r
// is not usable or has entities but none with them.
func (r Reading) narrowedToLabels(labels map[string]string) (Reading, bool) {
	if !r.Usable() {
		return r, false
	}
	if len(r.Entities) == 0 {
		return r, true
	}
	for _, e := range r.Entities {
		if sameLabels(e.Labels, labels) {
			n := r.narrowedTo(e)
			return n, n.Usable()
		}
	}
	return r, false
}
