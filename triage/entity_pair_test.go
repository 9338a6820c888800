package triage

import (
	"math"
	"testing"
)

// The issue-19 case: db-a is the busiest host now (94.7%), db-b was the
// busiest the day before (42%); db-a was at 29.7%. The reading's pair must
// be db-a's.
func TestPairWithValueEntity(t *testing.T) {
	hosts := func() Reading {
		return Reading{
			Unit: UnitRatio, Value: Of(0.947), Baseline: Of(0.42), WindowStart: Of(0.41), Aggregate: AggregateMax, EntityCount: 2,
			Entities: []Entity{
				{Labels: map[string]string{"instance": "db-a:9100"}, Value: Of(0.947), Baseline: Of(0.297), WindowStart: Of(0.3), Series: []Point{{V: 0.3}}},
				{Labels: map[string]string{"instance": "db-b:9100"}, Value: Of(0.40), Baseline: Of(0.42), WindowStart: Of(0.41)},
			},
		}
	}
	for _, tc := range []struct {
		name                  string
		tune                  func(*Reading)
		baseline, windowStart Value
	}{
		{"busiest keeps its own", func(*Reading) {}, Of(0.297), Of(0.3)},
		{"a sum of several keeps the sum's", func(r *Reading) { r.Aggregate = AggregateSum }, Of(0.42), Of(0.41)},
		{"an entity not kept gives none", func(r *Reading) { r.Entities = r.Entities[1:] }, None, None},
		{"the entity of a NaN value", func(r *Reading) { r.Value, r.Entities[0].Value = Of(math.NaN()), Of(math.NaN()) }, Of(0.297), Of(0.3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hosts()
			tc.tune(&r)
			r.PairWithValueEntity()
			if r.Baseline != tc.baseline || r.WindowStart != tc.windowStart {
				t.Errorf("baseline %v, window start %v; want %v, %v", r.Baseline, r.WindowStart, tc.baseline, tc.windowStart)
			}
		})
	}
}
