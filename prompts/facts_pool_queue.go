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
	triage.SignalDBConnectionsMax, triage.SignalInstances, triage.SignalAppPoolUtilization, triage.SignalAppPoolMax, triage.SignalAppPoolWaiting},
	work: func(e *env) (string, bool) {
		db, ok1 := e.databaseQueue()
		pools, ok2 := e.servicePoolWait()
		if !ok1 && !ok2 {
			return "", false
		}
		parts := []string{"Pools as queues (Erlang C, M/M/c)."}
		if ok1 {
			parts = append(parts, db)
		}
		if ok2 {
			parts = append(parts, pools)
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
	for _, load := range []struct {
		factor float64
		when   string
	}{{1, "today"}, {2, "at 2x load"}} {
		scaled := triage.PoolQueue{Rate: q.Rate * load.factor, Hold: q.Hold}
		c, p, ok := scaled.SmallestPool(waitTarget, maxPoolSearched)
		switch {
		case !ok:
			fmt.Fprintf(&b, " No total up to %s connections keeps waits under %s %s.", num(maxPoolSearched), pct(waitTarget), load.when)
		case ceiling > 0 && float64(c) > ceiling:
			fmt.Fprintf(&b, " Keeping waits under %s %s needs %s connections in total, more than the database can serve (%s): shorten the hold time (query time, transactions held open) or spread the reads (replicas), not a bigger pool.",
				pct(waitTarget), load.when, num(float64(c)), num(ceiling))
		default:
			fmt.Fprintf(&b, " Smallest total keeping waits under %s %s: %s connections (P(wait) %s).", pct(waitTarget), load.when, num(float64(c)), pct(p))
		}
	}
	if ceilingText != "" {
		fmt.Fprintf(&b, " Database ceiling: %s.", ceilingText)
	}
	return b.String(), true
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
	// Far apart: more than 3x either way, once either is a millisecond.
	if far := max(measured, wait) > 0.001 && (measured > 3*wait || wait > 3*measured); far {
		return line + ": the model does not fit (bursts, long or idle-in-transaction connections hold longer than the mean says).", true
	}
	return line + ": the model fits.", true
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
