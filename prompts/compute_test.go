package prompts

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestPeakRange(t *testing.T) {
	for _, tc := range []struct{ avg, low, high float64 }{
		{6.5, 13, 19.5}, {0, 0, 0}, {1000, 2000, 3000},
	} {
		low, high := peakRange(tc.avg)
		if !near(low, tc.low) || !near(high, tc.high) {
			t.Errorf("peakRange(%v) = %v, %v; want %v, %v", tc.avg, low, high, tc.low, tc.high)
		}
	}
}

func TestLittlesLaw(t *testing.T) {
	for _, tc := range []struct{ rate, w, want float64 }{
		{62, 0.995, 61.69}, {6.5, 0.995, 6.4675}, {1000, 0.05, 50}, {0, 3, 0},
	} {
		if got := littlesLaw(tc.rate, tc.w); !near(got, tc.want) {
			t.Errorf("littlesLaw(%v, %v) = %v, want %v", tc.rate, tc.w, got, tc.want)
		}
	}
}

func TestPoolSizeFormula(t *testing.T) {
	for _, tc := range []struct{ cores, spindles, want float64 }{
		{2, 1, 5}, {8, 1, 17}, {4, 0, 8}, {16, 4, 36},
	} {
		if got := poolSizeFormula(tc.cores, tc.spindles); got != tc.want {
			t.Errorf("poolSizeFormula(%v, %v) = %v, want %v", tc.cores, tc.spindles, got, tc.want)
		}
	}
}

func TestConnections(t *testing.T) {
	if got := totalConnections(20, 5); got != 100 {
		t.Errorf("totalConnections(20, 5) = %v", got)
	}
	for _, tc := range []struct{ max, inst, want float64 }{
		{100, 20, 5}, {100, 1, 100}, {100, 3, 33}, {97, 10, 9},
	} {
		if got := connectionsPerInstance(tc.max, tc.inst); got != tc.want {
			t.Errorf("connectionsPerInstance(%v, %v) = %v, want %v", tc.max, tc.inst, got, tc.want)
		}
	}
	if got := connectionsPerInstance(100, 0); !math.IsNaN(got) {
		t.Errorf("connectionsPerInstance with 0 instances = %v, want NaN (no answer)", got)
	}
	low, high := connectionMemory(100)
	if low != 500e6 || high != 1000e6 {
		t.Errorf("connectionMemory(100) = %v, %v", low, high)
	}
}

func TestPostgresMemory(t *testing.T) {
	const gib = 1 << 30
	sb, ec, wm := postgresMemory(24*gib, 100)
	if sb != 6*gib || ec != 18*gib || !near(wm, 6*gib/100.0) {
		t.Errorf("postgresMemory(24 GiB, 100) = %v, %v, %v", sb, ec, wm)
	}
	// The seed's two spellings agree: (RAM*0.25)/max == RAM/max/4.
	if _, _, wm := postgresMemory(64*gib, 200); !near(wm, 64*gib/200.0/4) {
		t.Errorf("work_mem %v != RAM/max/4", wm)
	}
	if _, _, wm := postgresMemory(gib, 0); !math.IsNaN(wm) {
		t.Errorf("work_mem with max_connections 0 = %v, want NaN", wm)
	}
}

func TestReadReplicas(t *testing.T) {
	for _, tc := range []struct {
		util, multiple float64
		want           int
	}{
		{0.07, 1, 0},  // ceil(0.1) - 1
		{0.07, 10, 0}, // ceil(1.0) - 1: exactly at target needs no replica
		{0.5, 2, 1},   // ceil(1.43) - 1
		{0.9, 1, 1},   // ceil(1.29) - 1
		{0.9, 5, 6},   // ceil(6.43) - 1
		{0, 10, 0},
	} {
		if got := readReplicas(tc.util, tc.multiple, replicaTarget); got != tc.want {
			t.Errorf("readReplicas(%v, %v) = %d, want %d", tc.util, tc.multiple, got, tc.want)
		}
	}
}

func TestRedisHeadroom(t *testing.T) {
	low, high := redisHeadroom(20000)
	if low != 5 || high != 10 {
		t.Errorf("redisHeadroom(20000) = %v, %v; want 5, 10", low, high)
	}
	if low, _ := redisHeadroom(0); !math.IsInf(low, 1) {
		t.Errorf("redisHeadroom(0) = %v, want +Inf", low)
	}
}

func TestOverProvisioned(t *testing.T) {
	for _, tc := range []struct {
		cpu, mem float64
		want     bool
	}{
		{0.35, 0.45, true}, {0.40, 0.45, false}, {0.35, 0.60, false}, {0.9, 0.1, false},
	} {
		if got := overProvisioned(tc.cpu, tc.mem); got != tc.want {
			t.Errorf("overProvisioned(%v, %v) = %v, want %v", tc.cpu, tc.mem, got, tc.want)
		}
	}
}
