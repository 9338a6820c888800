package prom

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// waitQueued blocks until n requests wait at the gate.
func waitQueued(t *testing.T, g *gate, n int) {
	t.Helper()
	for range 1000 {
		g.mu.Lock()
		queued := len(g.waiting)
		g.mu.Unlock()
		if queued == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%d requests never queued", n)
}

func TestGateOrder(t *testing.T) {
	tests := []struct {
		name      string
		urgencies []urgency // in arrival order
		want      []int     // the order they get the one slot
	}{
		{"arrival order among equals", []urgency{0, 0, 0}, []int{0, 1, 2}},
		{"the urgent go first", []urgency{0, secondRound, 0, secondRound}, []int{1, 3, 0, 2}},
		{"only urgent", []urgency{secondRound, secondRound}, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGate(1)
			if err := g.acquire(t.Context()); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var got []int
			var wg sync.WaitGroup
			for i, u := range tt.urgencies {
				wg.Go(func() {
					if err := g.acquire(withUrgency(t.Context(), u)); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					got = append(got, i)
					mu.Unlock()
					g.release()
				})
				waitQueued(t, g, i+1) // arrival order is the loop's
			}
			g.release()
			wg.Wait()
			if !slices.Equal(got, tt.want) {
				t.Errorf("served %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGateCancelledWaiterLeavesTheQueue(t *testing.T) {
	g := newGate(1)
	if err := g.acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- g.acquire(ctx) }()
	waitQueued(t, g, 1)
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("cancelled acquire: %v, want context.Canceled", err)
	}
	g.release()
	// The slot the cancelled waiter never took is free.
	if err := g.acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
	if g.busy != 1 || len(g.waiting) != 0 {
		t.Errorf("busy %d, waiting %d; want 1 and 0", g.busy, len(g.waiting))
	}
}

func TestGateResize(t *testing.T) {
	g := newGate(1)
	if err := g.acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		if g.acquire(t.Context()) == nil {
			close(got)
		}
	}()
	waitQueued(t, g, 1)
	g.resize(2) // a wider gate admits the waiter at once
	<-got
	g.resize(1) // a narrower one lets both in-flight requests finish
	g.release()
	if g.busy != 1 || g.size() != 1 {
		t.Errorf("busy %d of %d, want 1 of 1", g.busy, g.size())
	}
}
