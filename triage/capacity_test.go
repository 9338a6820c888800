package triage

import (
	"math"
	"reflect"
	"testing"
)

func TestComputeCapacity(t *testing.T) {
	s := snapshot(
		read(SignalThroughput, 200),
		read(SignalCPUUtilization, 0.5),
		read(SignalDBPoolUtilization, 0.25),
		read(SignalAppPoolUtilization, 0.1),
		read(SignalDBConnectionUtil, 0),         // idle: bounds nothing
		read(SignalMemoryUtilization, 0.99),     // not in the bottleneck law
		read(SignalCacheMemoryUtilization, 0.9), // neither
	)
	c := ComputeCapacity(s, []float64{2, 5, 10})
	if c == nil {
		t.Fatal("no capacity")
	}
	if c.Bottleneck != SignalCPUUtilization || c.Utilization != 0.5 || c.Headroom != 2 {
		t.Errorf("bottleneck %s %v headroom %v", c.Bottleneck, c.Utilization, c.Headroom)
	}
	if c.Throughput != Of(200) || c.MaxThroughput != Of(400) {
		t.Errorf("throughput %v max %v", c.Throughput, c.MaxThroughput)
	}
	if c.SecondOrder != SignalDBPoolUtilization || c.SecondHeadroom != 4 {
		t.Errorf("second order %s at %v", c.SecondOrder, c.SecondHeadroom)
	}
	wantSaturated := [][]SignalID{
		{SignalCPUUtilization}, // 0.5 x 2 reaches 100 %
		{SignalCPUUtilization, SignalDBPoolUtilization},
		{SignalCPUUtilization, SignalDBPoolUtilization, SignalAppPoolUtilization},
	}
	for i, p := range c.Projections {
		if !reflect.DeepEqual(p.Saturated, wantSaturated[i]) {
			t.Errorf("at %vx saturated %v, want %v", p.Multiple, p.Saturated, wantSaturated[i])
		}
		want := []SignalID{SignalCPUUtilization, SignalDBPoolUtilization, SignalAppPoolUtilization}
		if len(p.Utilizations) != len(want) {
			t.Fatalf("at %vx: %v (memory is never projected)", p.Multiple, p.Utilizations)
		}
		for j, u := range p.Utilizations { // most utilized first
			if u.Signal != want[j] {
				t.Errorf("at %vx #%d is %s, want %s", p.Multiple, j, u.Signal, want[j])
			}
		}
		if got := p.Utilizations[2].Value; math.Abs(got-0.1*p.Multiple) > 1e-12 {
			t.Errorf("at %vx app pool %v", p.Multiple, got)
		}
	}
}

func TestComputeCapacityEdges(t *testing.T) {
	tests := []struct {
		name       string
		snap       *Snapshot
		nilWant    bool
		bottleneck SignalID
		second     SignalID
		maxKnown   bool
	}{
		{name: "nothing measured", snap: snapshot(read(SignalThroughput, 10)), nilWant: true},
		{name: "NaN and missing", snap: snapshot(nan(SignalCPUUtilization), absent(SignalDBPoolUtilization)), nilWant: true},
		{name: "+Inf", snap: snapshot(inf(SignalCPUUtilization)), nilWant: true},
		{name: "one resource, no throughput", snap: snapshot(read(SignalCPUUtilization, 0.4)), bottleneck: SignalCPUUtilization},
		{name: "tie ordered by id", snap: snapshot(read(SignalThroughput, 10), read(SignalCPUUtilization, 0.4), read(SignalAppPoolUtilization, 0.4)),
			bottleneck: SignalAppPoolUtilization, second: SignalCPUUtilization, maxKnown: true},
		{name: "connection ceiling from used / max", snap: snapshot(read(SignalDBConnectionsUsed, 60), read(SignalDBConnectionsMax, 100), read(SignalCPUUtilization, 0.3)),
			bottleneck: SignalDBConnectionUtil, second: SignalCPUUtilization},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ComputeCapacity(tc.snap, DefaultRuleSettings().ProjectionMultiples)
			if tc.nilWant {
				if c != nil {
					t.Fatalf("want nil, got %+v", c)
				}
				return
			}
			if c == nil || c.Bottleneck != tc.bottleneck || c.SecondOrder != tc.second || c.MaxThroughput.Usable() != tc.maxKnown {
				t.Fatalf("got %+v", c)
			}
			if math.IsInf(c.Headroom, 0) || math.IsNaN(c.Headroom) {
				t.Errorf("headroom %v", c.Headroom)
			}
		})
	}
}
