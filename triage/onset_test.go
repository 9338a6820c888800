package triage

import (
	"testing"
	"time"
)

func TestEntityOnset(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 11, 45, 0, 0, time.UTC)
	step := time.Minute
	series := func(vs ...float64) []Point {
		out := make([]Point, len(vs))
		for i, v := range vs {
			out[i] = Point{T: t0.Add(time.Duration(i) * step), V: v}
		}
		return out
	}
	for _, tt := range []struct {
		name         string
		before, now  float64
		series       []Point
		want         time.Time
		wantBefore   bool
		wantNoOnset  bool
		noDayBefore  bool
		clampedDayBf bool
	}{
		{name: "a jump at 11:48 that stays", before: 0.3, now: 0.95, series: series(0.3, 0.31, 0.3, 0.9, 0.95, 0.94, 0.95), want: t0.Add(3 * step)},
		{name: "a blip before the jump does not count", before: 0.3, now: 0.95, series: series(0.3, 0.9, 0.3, 0.3, 0.93, 0.95), want: t0.Add(4 * step)},
		{name: "a fall (a hit ratio)", before: 0.97, now: 0.2, series: series(0.97, 0.96, 0.5, 0.2, 0.2), want: t0.Add(2 * step)},
		{name: "already past at the window start: older than the window", before: 0.3, now: 0.95, series: series(0.9, 0.92, 0.95), want: t0, wantBefore: true},
		{name: "no move: no onset", before: 0.5, now: 0.55, series: series(0.5, 0.52, 0.55), wantNoOnset: true},
		{name: "falling back now: no onset", before: 0.3, now: 0.95, series: series(0.3, 0.95, 0.6), wantNoOnset: true},
		{name: "no day before: the window start is no normal", before: 0.3, now: 0.95, series: series(0.3, 0.95), noDayBefore: true, wantNoOnset: true},
		{name: "a clamped day-before quantile", before: 0.3, now: 0.95, series: series(0.3, 0.95), clampedDayBf: true, wantNoOnset: true},
		{name: "no series", before: 0.3, now: 0.95, wantNoOnset: true},
	} {
		e := Entity{Value: Of(tt.now), Baseline: Of(tt.before), Series: tt.series}
		if tt.noDayBefore {
			e.Baseline = None
		}
		got, ok := Reading{BaselineAtLeast: tt.clampedDayBf}.EntityOnset(e)
		switch {
		case tt.wantNoOnset && ok:
			t.Errorf("%s: onset %v, want none", tt.name, got)
		case !tt.wantNoOnset && (!ok || !got.At.Equal(tt.want) || got.Before != tt.wantBefore):
			t.Errorf("%s: onset %v %v, want %s (before the window: %v)", tt.name, got, ok, tt.want.Format("15:04"), tt.wantBefore)
		}
	}
}
