package prom

import (
	"container/heap"
	"context"
	"sync"
)

// gate bounds the requests in flight and decides who goes next when a slot
// frees: the most urgent waiter, and among equals the first to arrive. A
// channel semaphore serves arrival order only, so a pass's second round
// (sent late, and what the pass then waits for) queued behind every
// sparkline still waiting, and the pass ended on one long query alone.
type gate struct {
	mu      sync.Mutex
	limit   int
	busy    int
	arrived uint64
	waiting waiters
}

func newGate(limit int) *gate { return &gate{limit: limit} }

// urgency orders waiting requests: higher first.
type urgency int

const (
	// routine is a pass's first round.
	routine urgency = iota
	// secondRound is a query the pass waits on once it is sent: it follows
	// a signal already read, so it goes before routine ones still waiting.
	secondRound
	// longChain is the first round of a signal whose chain is long (a
	// histogram's quantile, a decomposition after it): started first, the
	// chain runs beside the short ones instead of after them.
	longChain
)

type urgencyKey struct{}

// withUrgency marks the requests sent under ctx.
func withUrgency(ctx context.Context, u urgency) context.Context {
	return context.WithValue(ctx, urgencyKey{}, u)
}

func urgencyOf(ctx context.Context) urgency {
	u, _ := ctx.Value(urgencyKey{}).(urgency)
	return u
}

type waiter struct {
	urgency urgency
	arrived uint64
	ready   chan struct{}
	index   int
}

// acquire waits for a slot; it fails only with ctx's error.
func (g *gate) acquire(ctx context.Context) error {
	g.mu.Lock()
	if g.busy < g.limit && len(g.waiting) == 0 {
		g.busy++
		g.mu.Unlock()
		return nil
	}
	w := &waiter{urgency: urgencyOf(ctx), arrived: g.arrived, ready: make(chan struct{})}
	g.arrived++
	heap.Push(&g.waiting, w)
	g.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		select {
		case <-w.ready: // handed a slot meanwhile: pass it on
			g.busy--
			g.admit()
		default:
			heap.Remove(&g.waiting, w.index)
		}
		return ctx.Err()
	}
}

func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.busy--
	g.admit()
}

// resize changes the limit; requests in flight over a lower one finish
// first.
func (g *gate) resize(limit int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limit = limit
	g.admit()
}

func (g *gate) size() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit
}

// admit hands free slots to the waiters in order; called with mu held.
func (g *gate) admit() {
	for g.busy < g.limit && len(g.waiting) > 0 {
		w := heap.Pop(&g.waiting).(*waiter)
		g.busy++
		close(w.ready)
	}
}

// waiters is a heap: the most urgent first, then the earliest.
type waiters []*waiter

func (ws waiters) Len() int { return len(ws) }
func (ws waiters) Less(i, j int) bool {
	if ws[i].urgency != ws[j].urgency {
		return ws[i].urgency > ws[j].urgency
	}
	return ws[i].arrived < ws[j].arrived
}
func (ws waiters) Swap(i, j int) {
	ws[i], ws[j] = ws[j], ws[i]
	ws[i].index, ws[j].index = i, j
}
func (ws *waiters) Push(x any) {
	w := x.(*waiter)
	w.index = len(*ws)
	*ws = append(*ws, w)
}
func (ws *waiters) Pop() any {
	old := *ws
	w := old[len(old)-1]
	*ws = old[:len(old)-1]
	return w
}
