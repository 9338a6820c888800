package triage

import (
	"math"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		v       Value
		unit    Unit
		atLeast bool
		want    string
	}{
		{None, UnitClients, false, "no data"},
		{Of(math.NaN()), UnitSeconds, false, "NaN (no observations)"},
		{Of(math.Inf(1)), UnitRatio, false, "+Inf"},
		{Of(0), UnitClients, false, "0 clients"},
		{Of(59), UnitClients, false, "59 clients"},
		{Of(0.825), UnitRatio, false, "82.5%"},
		{Of(0.07), UnitRatio, false, "7%"},
		{Of(0.995), UnitSeconds, true, "≥ 995 ms"},
		{Of(0.0185), UnitSeconds, false, "18.5 ms"},
		{Of(0.0000412), UnitSeconds, false, "41.2 µs"},
		{Of(45), UnitSeconds, false, "45 s"},
		{Of(600), UnitSeconds, false, "10 min"},
		{Of(576.04), UnitRPS, false, "576 requests/s"},
		{Of(6.5), UnitRPS, false, "6.5 requests/s"},
		{Of(27900), UnitOpsPerSec, false, "27,900 ops/s"},
		{Of(123456), UnitOpsPerSec, false, "123,000 ops/s"},
		// Thousands separators from 10,000 on, in every renderer.
		{Of(2e6), UnitMessages, false, "2,000,000 messages"},
		{Of(-20000), "", false, "-20,000"},
		{Of(9990), UnitConnections, false, "9990 connections"},
		{Of(1500), UnitConnections, false, "1500 connections"},
		{Of(25769803776), UnitBytes, false, "24 GiB"},
		{Of(2), "", false, "2"},
		{Of(1), UnitInstances, false, "1 instance"},
		{Of(1), UnitRPS, false, "1 requests/s"},
	}
	for _, tt := range tests {
		if got := Format(tt.v, tt.unit, tt.atLeast); got != tt.want {
			t.Errorf("Format(%v, %q, %v) = %q, want %q", tt.v, tt.unit, tt.atLeast, got, tt.want)
		}
	}
}

func TestValueUsable(t *testing.T) {
	for _, v := range []Value{None, Of(math.NaN()), Of(math.Inf(-1))} {
		if v.Usable() {
			t.Errorf("%v usable", v)
		}
	}
	if !Of(0).Usable() {
		t.Error("0 is a real value")
	}
}

func TestPromDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{15 * time.Minute: "15m", time.Hour: "1h", 90 * time.Second: "90s", 1500 * time.Millisecond: "1500ms", 36 * time.Hour: "36h"} {
		if got := PromDuration(d); got != want {
			t.Errorf("%s -> %q, want %q", d, got, want)
		}
	}
}

func TestShowWorkingPrintsOperandsThatGiveTheResult(t *testing.T) {
	mul := func(x ...float64) float64 { return x[0] * x[1] }
	div := func(x ...float64) float64 { return x[0] / x[1] }
	tests := []struct {
		name string
		calc func(...float64) float64
		unit Unit
		ops  []Operand
		want string
	}{
		{"three digits suffice", mul, "", []Operand{{19.8, UnitRPS}, {2, UnitSeconds}}, "19.8 requests/s × 2 s = 39.6"},
		// 19.96 prints as "20" at three digits, and 20 × 1.5 = 30 where the
		// exact product is 29.94: four digits.
		{"more digits when rounding shows", mul, "", []Operand{{19.96, UnitRPS}, {1.5, UnitSeconds}}, "19.96 requests/s × 1.5 s = 29.9"},
		// 19.93 prints as "19.9", and 19.9 × 1.5 = 29.85 prints as 29.8.
		{"the rounding of the product too", mul, "", []Operand{{19.93, UnitRPS}, {1.5, UnitSeconds}}, "19.93 requests/s × 1.5 s = 29.9"},
		{"percent operand", div, UnitRPS, []Operand{{100, UnitRPS}, {0.6666, UnitRatio}}, "100 requests/s / 66.7% = 150 requests/s"},
		// Grouped operands are read back as numbers: "12,300 × 3" would not give 37,000.
		{"grouped operands", mul, "", []Operand{{12345.6, UnitRPS}, {3, UnitSeconds}}, "12,346 requests/s × 3 s = 37,000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ops, res := ShowWorking(tc.calc, tc.unit, tc.ops...)
			op := " × "
			if tc.unit == UnitRPS {
				op = " / "
			}
			if got := ops[0] + op + ops[1] + " = " + res; got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBucketOfWideBuckets(t *testing.T) {
	bounds := []float64{0.1, 0.25, 0.5, 1, 1.1, 2.5}
	for _, tc := range []struct {
		v    Value
		want *Bucket
	}{
		{Of(0.995), &Bucket{0.5, 1}}, // the (0.5 s, 1 s] bucket: 2x wide
		{Of(1.05), nil},              // (1, 1.1]: narrow, the value is a measurement
		{Of(0.05), &Bucket{0, 0.1}},  // the first bucket starts at 0
		{Of(3), nil},                 // beyond the finite buckets: "≥", not a range
		{None, nil},
	} {
		got := BucketOf(tc.v, bounds)
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("BucketOf(%v) = %+v, want %+v", tc.v, got, tc.want)
		}
	}
	r := Reading{Value: Of(0.995), Unit: UnitSeconds, Statistic: "P99 over 5m", Bucket: &Bucket{0.5, 1}}
	if got := r.Observed(); got != "995 ms (between 500 ms and 1 s: histogram resolution), P99 over 5m" {
		t.Errorf("Observed() = %q", got)
	}
}
