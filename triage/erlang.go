package triage

import (
	"errors"
	"math"
)

// A connection pool is a queue with c servers: requests arrive at rate λ and
// hold a connection for a mean time S, an offered load of A = λ·S erlangs
// (by Little's law, the mean connections busy). Erlang C (M/M/c) gives the
// probability that a request waits and how long on average, for any size.
// Its assumptions (Poisson arrivals, exponential hold times) make it a
// model, not a measurement: bursts and long transactions wait more.

// PoolQueue is a pool's measured load.
type PoolQueue struct {
	Rate float64 // λ, requests per second through the pool
	Hold float64 // S, mean seconds a connection is held
}

// Erlangs is the offered load A = λ·S.
func (q PoolQueue) Erlangs() float64 { return q.Rate * q.Hold }

// ErrOverloaded is a pool of c connections at or past its capacity: A ≥ c,
// the queue grows without bound.
var ErrOverloaded = errors.New("offered load at or above the pool size: the queue grows without bound")

// WaitProbability is Erlang C, C(c, A): the share of requests that wait for
// a connection with c connections. Computed with the Erlang B recursion
// (B₀ = 1, Bₖ = A·Bₖ₋₁ / (k + A·Bₖ₋₁), C = B꜀ / (1 − ρ + ρ·B꜀)), which
// stays finite where A^c/c! overflows.
func (q PoolQueue) WaitProbability(c int) (float64, error) {
	a := q.Erlangs()
	if c <= 0 || a >= float64(c) || math.IsNaN(a) || math.IsInf(a, 0) || a < 0 {
		return 0, ErrOverloaded
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(c)
	return b / (1 - rho + rho*b), nil
}

// MeanWait is the mean wait over all requests, W_q = C·S / (c − A).
func (q PoolQueue) MeanWait(c int) (float64, error) {
	p, err := q.WaitProbability(c)
	if err != nil {
		return 0, err
	}
	return p * q.Hold / (float64(c) - q.Erlangs()), nil
}

// SmallestPool is the fewest connections that keep the wait probability
// under target, and that probability; false when none up to limit does.
func (q PoolQueue) SmallestPool(target float64, limit int) (int, float64, bool) {
	for c := max(1, int(math.Floor(q.Erlangs()))+1); c <= limit; c++ {
		if p, err := q.WaitProbability(c); err == nil && p < target {
			return c, p, true
		}
	}
	return 0, 0, false
}
