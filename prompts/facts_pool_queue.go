package prompts

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

const (
	// waitTarget is the wait probability a pool is sized for: one request
	// in a hundred waits for a connection.
	waitTarget = 0.01
	// reservedConnections is PostgreSQL's superuser_reserved_connections
	// default: max_connections minus these is what applications can open.
	reservedConnections = 3
	// maxPoolSearched bounds the search for a pool size.
	maxPoolSearched = 10000
)

// factPoolQueue is the connection math of a pool seen as a queue (Erlang C):
// at the database, from its transaction rate and connections busy, the mean
// hold time by Little's law and the smallest total that keeps waits rare
// today and at 2x, never past the database's own ceiling; at the service's
// application pools, the wait their size predicts beside the wait measured.
var factPoolQueue = fact{needs: []triage.SignalID{triage.SignalDBActiveConnections, triage.SignalDBTransactions, triage.SignalThroughput,
	triage.SignalDBConnectionsMax, triage.SignalInstances, triage.SignalAppPoolUtilization, triage.SignalAppPoolMax, triage.SignalAppPoolWaiting,
	triage.SignalPoolerPoolSize, triage.SignalPoolerTransactions, triage.SignalPoolerServerBusy, triage.SignalPoolerClientsWaiting},
	work: func(e *env) (string, bool) {
		parts := []string{"Pools as queues (Erlang C, M/M/c)."}
		for _, side := range []func() (string, bool){e.databaseQueue, e.poolerQueue, e.servicePoolWait} {
			if text, ok := side(); ok {
				parts = append(parts, text)
			}
		}
		if len(parts) == 1 {
			return "", false
		}
		parts = append(parts, "The model assumes independent arrivals and exponential hold times; bursts and long transactions wait more than it says.")
		return strings.Join(parts, " "), true
	}}

// databaseQueue is the database's side, every number the database's own:
// its transaction rate and connections running a query give, by Little's
// law, the mean hold time; the smallest total that keeps waits rare today
// and at 2x is never past the database's ceiling.
func (e *env) databaseQueue() (string, bool) {
	busy, ok := e.reading(triage.SignalDBActiveConnections)
	rate, ok2 := e.reading(triage.SignalDBTransactions)
	if !ok || !ok2 || busy.Value.V <= 0 || rate.Value.V <= 0 {
		return "", false
	}
	q := triage.PoolQueue{Rate: rate.Value.V, Hold: busy.Value.V / rate.Value.V}
	var b strings.Builder
	fmt.Fprintf(&b, "At the database: λ = %s (%s), L = %s running a query now ⇒ mean hold time S = L / λ = %s (Little's law), offered load A = λ × S = %s erlangs.",
		triage.Format(rate.Value, rate.Unit, false), rate.Statistic, triage.Format(busy.Value, busy.Unit, false),
		triage.FormatNumber(q.Hold, triage.UnitSeconds), num(q.Erlangs()))
	ceiling, ceilingText := e.databaseCeiling()
	b.WriteString(smallestPools(q, "total", ceiling))
	if ceilingText != "" {
		fmt.Fprintf(&b, " Database ceiling: %s.", ceilingText)
	}
	return b.String(), true
}

// smallestPools sizes a pool of what ("total", "pool") for the wait target
// today and at 2x load, never past the database's ceiling (0: unknown).
func smallestPools(q triage.PoolQueue, what string, ceiling float64) string {
	var b strings.Builder
	for _, load := range []struct {
		factor float64
		when   string
	}{{1, "today"}, {2, "at 2x load"}} {
		scaled := triage.PoolQueue{Rate: q.Rate * load.factor, Hold: q.Hold}
		c, p, ok := scaled.SmallestPool(waitTarget, maxPoolSearched)
		switch {
		case !ok:
			fmt.Fprintf(&b, " No %s up to %s connections keeps waits under %s %s.", what, num(maxPoolSearched), pct(waitTarget), load.when)
		case ceiling > 0 && float64(c) > ceiling:
			needs := num(float64(c)) + " connections in total"
			if what != "total" {
				needs = "a " + what + " of " + num(float64(c)) + " connections"
			}
			fmt.Fprintf(&b, " Keeping waits under %s %s needs %s, more than the database can serve (%s): shorten the hold time (query time, transactions held open) or spread the reads (replicas), not a bigger pool.",
				pct(waitTarget), load.when, needs, num(ceiling))
		default:
			fmt.Fprintf(&b, " Smallest %s keeping waits under %s %s: %s connections (P(wait) %s).", what, pct(waitTarget), load.when, num(float64(c)), pct(p))
		}
	}
	return b.String()
}

// saturatedShare is how close to its size a pool's busy connections must be
// to count as saturated: the rate it passes is then its capacity, not the
// demand, and Erlang C cannot size it from that rate.
const saturatedShare = 0.97

// poolerQueue is Erlang C at PgBouncer, per database pool, every number that
// pool's own: its size c, the transactions it passes λ and the server
// connections they keep busy A (server time in a transaction per second:
// the offered load, by Little's law), so the mean hold S = A / λ; the wait
// that size predicts beside the wait its clients measured (client wait time
// per second over λ), the smallest pool keeping waits rare today and at 2x,
// and that pool against the database's cores and connection ceiling.
func (e *env) poolerQueue() (string, bool) {
	sizes, ok1 := e.reading(triage.SignalPoolerPoolSize)
	rate, ok2 := e.reading(triage.SignalPoolerTransactions)
	busy, ok3 := e.reading(triage.SignalPoolerServerBusy)
	if !ok1 || !ok2 || !ok3 {
		return "", false
	}
	waiting, _ := e.reading(triage.SignalPoolerClientsWaiting)
	var lines []string
	for _, pool := range sizes.Entities {
		lambda, ok1 := entityValue(rate, pool.Labels)
		load, ok2 := entityValue(busy, pool.Labels)
		c := pool.Value.V
		if !ok1 || !ok2 || !pool.Value.Usable() || lambda <= 0 || load <= 0 || c < 1 {
			// An idle pool, one measured in part, or PgBouncer's own admin
			// console (queries, no server time): nothing to model.
			continue
		}
		lines = append(lines, e.poolerPoolQueue(pool.Labels, int(c), triage.PoolQueue{Rate: lambda, Hold: load / lambda}, waiting))
	}
	if len(lines) == 0 {
		return "", false
	}
	return strings.Join(lines, " "), true
}

// poolerPoolQueue is one PgBouncer pool's Erlang C line.
func (e *env) poolerPoolQueue(labels map[string]string, c int, q triage.PoolQueue, waiting triage.Reading) string {
	var b strings.Builder
	fmt.Fprintf(&b, "At PgBouncer, database %s: pool size c = %d, λ = %s transactions/s, A = %s server connections busy in a transaction (server time per second) ⇒ mean hold S = A / λ = %s.",
		e.label(labels["database"]), c, num(q.Rate), num(q.Erlangs()), triage.FormatNumber(q.Hold, triage.UnitSeconds))
	lq, measured := entityValue(waiting, labels)
	measuredText := ""
	if measured {
		measuredText = fmt.Sprintf("measured: %s clients waiting on average ⇒ %s mean wait per transaction (Little's law on the queue)",
			num(lq), triage.FormatNumber(lq/q.Rate, triage.UnitSeconds))
	}
	wait, err := q.MeanWait(c)
	switch {
	case q.Erlangs() >= saturatedShare*float64(c) || errors.Is(err, triage.ErrOverloaded):
		fmt.Fprintf(&b, " A ≈ c: every server connection is busy, so λ is what the pool passes, not what its clients ask, and Erlang C cannot size the pool from it")
		if measured {
			b.WriteString("; " + measuredText)
		}
		b.WriteString(".")
	default:
		p, _ := q.WaitProbability(c)
		fmt.Fprintf(&b, " Erlang C predicts P(wait) = %s and a mean wait of %s", pct(p), triage.FormatNumber(wait, triage.UnitSeconds))
		if measured {
			fmt.Fprintf(&b, "; %s: %s", measuredText, modelFit(lq/q.Rate, wait))
		}
		b.WriteString(".")
		ceiling, _ := e.databaseCeiling()
		b.WriteString(smallestPools(q, "pool", ceiling))
	}
	if cores, source, ok := e.cores(); ok {
		spindles, _ := e.spindles()
		formula := poolSizeFormula(cores, spindles)
		fmt.Fprintf(&b, " Against the database's cores: (%s × 2) + %s = %s connections keep it busy efficiently (cores: %s)", num(cores), num(spindles), num(formula), source)
		if float64(c) >= formula {
			b.WriteString("; the pool is already there: past it, a bigger pool moves the queue into the database's CPU, unless the hold time is spent waiting (I/O, locks, sleep), not computing.")
		} else {
			b.WriteString(".")
		}
	}
	return b.String()
}

// modelFit says whether a measured wait agrees with the model's: far apart
// is more than 3x either way, once either is a millisecond.
func modelFit(measured, predicted float64) string {
	if max(measured, predicted) > 0.001 && (measured > 3*predicted || predicted > 3*measured) {
		return "the model does not fit (bursts, long or idle-in-transaction connections hold longer than the mean says)"
	}
	return "the model fits"
}

// servicePoolWait is Erlang C on the service's application pools taken
// together, every number the service's own: the pools' sizes and
// connections in use (each pool's utilization × its size, matched by
// labels), the service's request rate through them (one checkout per
// request) and so, by Little's law, the mean hold time; the wait that size
// predicts stands beside the wait its waiters measure (Little's law on the
// queue).
func (e *env) servicePoolWait() (string, bool) {
	used, ok1 := e.reading(triage.SignalAppPoolUtilization)
	sizes, ok2 := e.reading(triage.SignalAppPoolMax)
	rate, ok3 := e.reading(triage.SignalThroughput)
	if !ok1 || !ok2 || !ok3 || rate.Value.V <= 0 || len(used.Entities) == 0 || used.EntityCount > len(used.Entities) {
		return "", false
	}
	var size, busy float64
	for _, pool := range used.Entities {
		max, ok := entityValue(sizes, pool.Labels)
		if !ok || !pool.Value.Usable() {
			return "", false // a pool without its own size: no total
		}
		size, busy = size+max, busy+pool.Value.V*max
	}
	c := int(size)
	if c < 1 || busy <= 0 {
		return "", false
	}
	q := triage.PoolQueue{Rate: rate.Value.V, Hold: busy / rate.Value.V}
	line := fmt.Sprintf("The service's application pools (%s): %s connections, %s in use, λ = %s (%s, one checkout per request) ⇒ mean hold time S = %s / %s = %s;",
		triage.EntityNoun(used.Tier, len(used.Entities)), num(size), num(busy), triage.Format(rate.Value, rate.Unit, false), rate.Statistic,
		num(busy), triage.Format(rate.Value, rate.Unit, false), triage.FormatNumber(q.Hold, triage.UnitSeconds))
	wait, err := q.MeanWait(c)
	if errors.Is(err, triage.ErrOverloaded) {
		return line + fmt.Sprintf(" A = %s ≥ %d: saturated, the queue grows without bound at this hold time.", num(q.Erlangs()), c), true
	}
	p, _ := q.WaitProbability(c)
	line += fmt.Sprintf(" Erlang C predicts P(wait) = %s and a mean wait of %s", pct(p), triage.FormatNumber(wait, triage.UnitSeconds))
	waiting, ok := e.reading(triage.SignalAppPoolWaiting)
	if !ok || waiting.EntityCount > len(waiting.Entities) {
		return line + " (the pools' waiters are not measured, to compare).", true
	}
	var lq float64
	for _, pool := range used.Entities {
		v, _ := entityValue(waiting, pool.Labels) // a pool with no waiter series has none waiting
		lq += v
	}
	measured := lq / q.Rate
	line += fmt.Sprintf("; measured: %s waiting ⇒ %s mean wait (Little's law on the queue)", num(lq), triage.FormatNumber(measured, triage.UnitSeconds))
	return line + ": " + modelFit(measured, wait) + ".", true
}

// entityValue is the value of r's entity with these labels (r's own value
// when r measures one series).
func entityValue(r triage.Reading, labels map[string]string) (float64, bool) {
	if len(r.Entities) == 0 {
		return r.Value.V, r.Value.Usable()
	}
	for _, e := range r.Entities {
		if maps.Equal(e.Labels, labels) {
			return e.Value.V, e.Value.Usable()
		}
	}
	return 0, false
}

// databaseCeiling is what applications can open in all: max_connections
// minus the superuser reserve (reserved_connections from --set, else 3).
func (e *env) databaseCeiling() (float64, string) {
	limit, ok := e.float(triage.SignalDBConnectionsMax)
	if !ok || limit <= 0 {
		return 0, ""
	}
	reserved, set := e.number("reserved_connections")
	if !set {
		reserved = reservedConnections
	}
	ceiling := max(limit-reserved, 0)
	text := fmt.Sprintf("max_connections %s − %s reserved = %s across all instances", num(limit), num(reserved), num(ceiling))
	if instances, ok := e.float(triage.SignalInstances); ok && instances > 1 {
		text += fmt.Sprintf(" (%s per instance at %s)", num(connectionsPerInstance(ceiling, instances)), num(instances))
	}
	return ceiling, text
}
