package triage

import (
	"fmt"
	"math"
)

var dbPoolExhaustionRule = Rule{
	ID:      RuleDBPoolExhaustion,
	Title:   "Database connection pool exhaustion",
	Prompts: []PromptID{PromptConnectionPool, PromptBottleneck, PromptDatabaseReadScaling},
	Causes:  []SignalID{SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalAppPoolWaiting, SignalDBPoolUtilization, SignalAppPoolUtilization},
	Eval:    evalDBPoolExhaustion,
}

// poolTier names where in the chain app pool -> PgBouncer -> database the
// pool signals point, as a place ("the application pool") and as a tier
// ("app").
func poolTier(pgBouncer, app bool) (place, tier string) {
	switch {
	case pgBouncer && app:
		return "the application pool and PgBouncer", "app/PgBouncer"
	case pgBouncer:
		return "PgBouncer", "PgBouncer"
	}
	return "the application pool", "app"
}

func evalDBPoolExhaustion(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	pgWaiting := s.hot(SignalDBPoolWaiting, SignalDBPoolMaxWait)
	appWaiting := s.hot(SignalAppPoolWaiting)
	pgFull := s.hot(SignalDBPoolUtilization)
	appFull := s.hot(SignalAppPoolUtilization)
	waiting := pgWaiting || appWaiting
	if !waiting && !pgFull && !appFull {
		return nil
	}
	place, tier := poolTier(pgFull, appFull)
	if waiting {
		place, tier = poolTier(pgWaiting, appWaiting)
	}

	b := newFinding(s)
	for _, id := range []SignalID{SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalDBPoolUtilization} {
		b.symptom(id, "PgBouncer is not the limit")
	}
	for _, id := range []SignalID{SignalAppPoolWaiting, SignalAppPoolUtilization} {
		b.symptom(id, "the application pool is not the limit")
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	traffic := b.traffic()

	// Cross-tier: a full pool in front of a database far from its own
	// connection limit is a pool problem; at the limit it is the database's.
	c := serviceCeilingOf(s)
	switch {
	case !c.known:
		b.againstf("%s: not measured — cannot tell whether the pool or the database connection limit is the ceiling", s.TitleOf(SignalDBConnectionUtil))
	case c.explainsWaits():
		b.againstf("%s — the database connection limit is the ceiling, see db-connection-ceiling", b.ceiling(c))
	case c.hot() && !c.linked:
		b.againstf("%s — not linked to the service (config dependencies name its database): it explains none of its waits", b.ceiling(c))
	case c.hot():
		b.againstf("%s — at its limit as before: a chronic limit does not explain what changed", b.ceiling(c))
	default:
		b.againstf("%s — the database itself is not the limit", b.ceiling(c))
	}
	slow, behindSlow := s.slowDatabaseBehindPools()
	if waiting && behindSlow && !c.explainsWaits() {
		// Not a rival: the database behind the pool is the cause.
		b.againstf("%s, behind the pool, got slow: %s — the waits are its, not the pool's", slow.name, slow.signsText(s))
	} else {
		b.rivalCPU("not CPU-bound")
		b.rival(SignalDBQueryMean, "queries are no slower than the day before: connections are not held longer by slow queries")
	}
	b.rival(SignalDBLongestTransaction, "no long transaction holds a connection")

	sev := severityOf(s.worst(SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalDBPoolUtilization, SignalAppPoolWaiting, SignalAppPoolUtilization))
	class, magnitude := classUtilization, math.Max(floatOr(s, SignalDBPoolUtilization), floatOr(s, SignalAppPoolUtilization))
	switch {
	case waiting && c.explainsWaits():
		class = classSymptom // the waits are explained by the database limit
		b.f.Summary = fmt.Sprintf("Clients wait for a connection at %s because the database is at its connection limit: the database connection limit is the ceiling, not the pool", place)
	case waiting && behindSlow:
		class = classSymptom // a victim: pool-behind-slow-database names the cause
		b.f.Link = slow.basis
		b.f.Summary = fmt.Sprintf("A victim, not the cause: clients wait for a connection at %s because the database behind it, %s (%s), got slow; see pool-behind-slow-database, and do not enlarge the pool while the database is saturated",
			place, slow.name, slow.basis)
	case waiting && c.hot() && !c.linked:
		class = classSaturation
		b.f.Summary = fmt.Sprintf("Clients wait for a connection at %s; the database near its connection limit%s is not linked to the service, so the pool or how long connections are held at the %s tier is the first suspect", place, c.fullest, tier)
	case waiting && c.hot():
		class = classSaturation
		b.f.Summary = fmt.Sprintf("Clients wait for a connection at %s, which is new, while the fullest database%s is as close to its connection limit as before: that limit is chronic, so the pool or how long connections are held at the %s tier changed", place, c.fullest, tier)
	case waiting:
		class = classSaturation
		b.f.Summary = fmt.Sprintf("Clients wait for a connection at %s while the database is far from its connection limit: the pool is too small or connections are held too long at the %s tier", place, tier)
		if !c.known {
			b.f.Summary = fmt.Sprintf("Clients wait for a connection at %s; the database's connection limit is not measured, so the pool or the database limit may be the ceiling", place)
		}
	default:
		b.f.Summary = fmt.Sprintf("The pool at %s is %s in use but no client waits yet: it saturates first as load grows", place, FormatNumber(magnitude, UnitRatio))
	}
	if waiting {
		magnitude = countMagnitude(math.Max(floatOr(s, SignalDBPoolWaiting), floatOr(s, SignalAppPoolWaiting)))
		if traffic > 0 && traffic <= 1/trafficChange {
			// Fewer requests, yet no connection free: the service's own
			// traffic is not what fills the pool.
			b.f.Summary += fmt.Sprintf("; the service's own traffic fell to %s of %s, so something else holds the connections (slower queries, long transactions, another client)",
				FormatNumber(traffic, UnitRatio), movedSince(s.mustGet(SignalThroughput)))
		}
	}
	b.f.Capacity = capacity
	return b.finish(sev, class, magnitude)
}
