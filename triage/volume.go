package triage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// A ratio or a quantile over a handful of requests is not evidence: one
// failed request out of three is "33 % errors", and the "P99" of twelve
// requests is the slowest of them. weighVolume gives each entity of the
// error ratio and of the latency quantile its requests in the rate window,
// read from the throughput's same entity, and takes the ones under the
// minimums (RuleSettings.ErrorMinFailures, LatencyMinRequests) out of
// judgement: they stay shown, with their count, and never make a status,
// a finding or a change.

// volumeMinimums are the signals whose entities are judged only over
// enough requests: whether an entity has enough, and the minimum it is
// held to.
var volumeMinimums = map[SignalID]func(set RuleSettings, e Entity, window time.Duration) (bool, float64){
	// No failure at all is evidence enough of health: the minimum is for
	// judging failures.
	SignalErrorRatio: func(set RuleSettings, e Entity, window time.Duration) (bool, float64) {
		failed, _ := e.FailedPerSecond(window)
		return failed == 0 || failed*window.Seconds() >= set.ErrorMinFailures, set.ErrorMinFailures
	},
	SignalLatencyP99: func(set RuleSettings, e Entity, _ time.Duration) (bool, float64) {
		return e.Requests.V >= set.LatencyMinRequests, set.LatencyMinRequests
	},
}

// weighVolume sets the volume of the error ratio's and the latency
// quantile's entities and judges each reading on its entities with enough
// requests only: those come first and the value is the first one's. The
// error ratio's are ordered by failed requests per second within a status,
// not by ratio alone. With none over its minimum, a reading keeps its value
// and is not judged. Calling it again changes nothing.
func (s *Snapshot) weighVolume(set RuleSettings) {
	traffic, ok := s.usable(SignalThroughput)
	if !ok || s.RateWindow <= 0 {
		return
	}
	for i := range s.Readings {
		r := &s.Readings[i]
		minimum, weighed := volumeMinimums[r.ID]
		if !weighed || !r.Usable() || len(r.Entities) == 0 || r.Exporter != traffic.Exporter {
			continue
		}
		for j := range r.Entities {
			e := &r.Entities[j]
			e.Requests, e.Unjudged = None, ""
			if t, ok := traffic.entity(e.Labels); ok && t.Value.Usable() && e.Value.Usable() {
				e.Requests = Of(t.Value.V * s.RateWindow.Seconds())
				if enough, least := minimum(set, *e, s.RateWindow); !enough {
					what := s.VolumeText(r.ID, *e)
					if r.ID == SignalLatencyP99 {
						what = "a quantile " + what
					}
					e.Unjudged = fmt.Sprintf("%s, under the minimum of %s: not judged", what, trimFloat(least, 6))
				}
			}
		}
		r.judgeOnVolume()
	}
}

// judgeOnVolume puts the judged entities first, worst status first and,
// for the error ratio, most failed requests per second first, and takes
// the value, its pairs and the status from the first.
func (r *Reading) judgeOnVolume() {
	if r.Aggregate == AggregateSum {
		return
	}
	status := func(e Entity) Status {
		st, _ := r.Thresholds.Judge(Reading{Unit: r.Unit, Value: e.Value, Baseline: e.Baseline, WindowStart: e.WindowStart})
		return st
	}
	slices.SortStableFunc(r.Entities, func(a, b Entity) int {
		if (a.Unjudged == "") != (b.Unjudged == "") {
			if a.Unjudged == "" {
				return -1
			}
			return 1
		}
		if r.ID != SignalErrorRatio || a.Unjudged != "" {
			return 0 // worst first, as collected
		}
		if c := cmp.Compare(status(b).rank(), status(a).rank()); c != 0 {
			return c
		}
		fa, _ := a.FailedPerSecond(time.Minute)
		fb, _ := b.FailedPerSecond(time.Minute)
		return cmp.Compare(fb, fa)
	})
	first := r.Entities[0]
	if first.Unjudged != "" {
		r.Status, r.Reason = StatusOK, first.Unjudged+" on "+r.EntityName(first)
		return
	}
	before := r.Baseline
	if first.Value.V != r.Value.V {
		// Another entity's value: a quantile clamped at the top bucket is
		// the highest any entity can read, so a different value is not
		// clamped; the wide bucket was the old value's.
		r.AtLeast = false
		r.BaselineAtLeast = r.BaselineAtLeast && first.Baseline.V == r.Baseline.V
		r.Value, r.Bucket, r.Series = first.Value, nil, first.Series
	} else if r.PairWithValueEntity(); r.Baseline.Known == before.Known && r.Baseline.V == before.V {
		return // judged on this entity's own numbers already
	}
	r.PairWithValueEntity()
	r.Status, r.Reason = r.Thresholds.Judge(*r)
}

// entity is r's entity with these labels.
func (r Reading) entity(labels map[string]string) (Entity, bool) {
	for _, e := range r.Entities {
		if sameLabels(e.Labels, labels) {
			return e, true
		}
	}
	return Entity{}, false
}

// FailedPerSecond is an error-ratio entity's failed requests per second,
// its Requests being counted over window; false when its volume is
// unknown.
func (e Entity) FailedPerSecond(window time.Duration) (float64, bool) {
	if !e.Requests.Usable() || !e.Value.Usable() || window <= 0 {
		return 0, false
	}
	return e.Value.V * e.Requests.V / window.Seconds(), true
}

// VolumeText says how many requests an entity's number is over: "3
// failures in 5 min" for the error ratio, "over 12 requests in 5 min" for
// a quantile; "" when unknown.
func (s *Snapshot) VolumeText(id SignalID, e Entity) string {
	if !e.Requests.Usable() {
		return ""
	}
	in := " in " + minutesText(s.RateWindow)
	if id == SignalErrorRatio {
		return countPhrase(e.Value.V*e.Requests.V, "failure", "failures") + in
	}
	return "over " + countPhrase(e.Requests.V, "request", "requests") + in
}

// countPhrase rounds a count extrapolated by rate() to a whole number of
// things: "1 failure", "36 failures".
func countPhrase(n float64, one, many string) string {
	c := math.Round(n)
	if c == 1 {
		return "1 " + one
	}
	return trimFloat(c, 6) + " " + many
}

// minutesText is a window in words: "5 min", "90 s".
func minutesText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return PromDuration(d)
}
