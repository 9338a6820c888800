package triage

import (
	"errors"
	"math"
	"testing"
)

// The published call-centre example (Damonsoul/ErlangC's README, after the
// textbook one): 100 calls in 30 minutes, 180 s each, an offered load of 10
// erlangs.
func TestErlangCAgainstPublishedValues(t *testing.T) {
	q := PoolQueue{Rate: 100.0 / 1800, Hold: 180}
	if a := q.Erlangs(); math.Abs(a-10) > 1e-9 {
		t.Fatalf("A = %g, want 10", a)
	}
	for _, tt := range []struct {
		c    int
		want float64
	}{{11, 0.6821182}, {12, 0.4493882}, {13, 0.2852705}, {14, 0.1741319}} {
		p, err := q.WaitProbability(tt.c)
		if err != nil || math.Abs(p-tt.want) > 5e-7 {
			t.Errorf("c=%d: P(wait) %.7f %v, want %.7f", tt.c, p, err, tt.want)
		}
	}
	// The average speed of answer, 7.8359 s with 14 agents.
	if w, err := q.MeanWait(14); err != nil || math.Abs(w-7.8359) > 5e-4 {
		t.Errorf("c=14: mean wait %.4f s %v, want 7.8359 s", w, err)
	}
	if c, p, ok := q.SmallestPool(0.2, 100); !ok || c != 14 || math.Abs(p-0.1741319) > 5e-7 {
		t.Errorf("smallest pool under 20%%: %d (%.7f, %v), want 14", c, p, ok)
	}
}

func TestErlangCEdges(t *testing.T) {
	for _, tt := range []struct {
		name string
		q    PoolQueue
		c    int
	}{
		{"load equal to the pool", PoolQueue{Rate: 10, Hold: 1}, 10},
		{"load above the pool", PoolQueue{Rate: 30, Hold: 1}, 10},
		{"no connections", PoolQueue{Rate: 1, Hold: 1}, 0},
		{"NaN hold time", PoolQueue{Rate: 1, Hold: math.NaN()}, 10},
	} {
		if _, err := tt.q.WaitProbability(tt.c); !errors.Is(err, ErrOverloaded) {
			t.Errorf("%s: %v, want ErrOverloaded", tt.name, err)
		}
	}
	// A thousand connections: the recursion stays finite where A^c/c! would not.
	big := PoolQueue{Rate: 9000, Hold: 0.1}
	if p, err := big.WaitProbability(1000); err != nil || math.IsNaN(p) || p <= 0 || p >= 1 {
		t.Errorf("c=1000, A=900: P(wait) %g %v", p, err)
	}
	if _, _, ok := (PoolQueue{Rate: 100, Hold: 1}).SmallestPool(0.01, 50); ok {
		t.Error("a pool size found beyond the limit")
	}
}
