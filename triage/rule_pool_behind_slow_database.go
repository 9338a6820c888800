package triage

import "fmt"

var poolBehindSlowDatabaseRule = Rule{
	ID:      RulePoolBehindSlowDatabase,
	Title:   "Pool exhaustion downstream of a slow database",
	Prompts: []PromptID{PromptQueryOptimization, PromptDatabaseReadScaling, PromptPostgreSQLDeepDive, PromptBottleneck},
	Causes:  []SignalID{SignalCPUPressure, SignalCPUUtilization, SignalDBQueryMean},
	Eval:    evalPoolBehindSlowDatabase,
}

// evalPoolBehindSlowDatabase follows waiting clients to the database behind
// their pool: when that database got saturated (its host's CPU, CPU
// pressure) or slow (its query time), the pool is a victim and the database
// the cause. Enlarging the pool would pour more queries on it.
func evalPoolBehindSlowDatabase(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	if !s.hot(SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalAppPoolWaiting) {
		return nil
	}
	if serviceCeilingOf(s).explainsWaits() {
		return nil // the connection limit is the ceiling: db-connection-ceiling
	}
	d, ok := s.slowDatabaseBehindPools()
	if !ok {
		return nil
	}
	b := newFinding(s)
	for _, r := range d.signs {
		b.uses(r.ID)
		b.evidencef("%s", s.observed(r))
	}
	b.evidencef("Link from the pool to %s: %s", d.name, d.basis)
	b.f.Link = d.basis
	if m, ok := s.missStormOf(set); ok && m.onDatabase(d.instance()) {
		b.evidencef("What made %s slow: the cache hit ratio fell to %s and its load rose to %s the day before — see thundering-herd: restore the hit ratio first", d.name, m.cache.hit.Formatted(), multiple(m.spike))
	}
	for _, id := range []SignalID{SignalAppPoolWaiting, SignalDBPoolWaiting, SignalDBPoolMaxWait} {
		b.symptom(id, "no client waits there")
	}
	if d.rate.Usable() {
		b.uses(d.rate.ID)
		b.evidencef("%s", s.observed(d.rate))
		if full, ok := s.usable(d.rate.ID); ok && len(d.rate.Entities) == 1 {
			if line, cs, ok := s.ContributorLine(full, d.rate.Entities[0].Labels); ok {
				b.evidencef("%s", line)
				b.f.Contributors = append(b.f.Contributors, cs...)
			}
		}
	}
	little, hasLittle := d.littlesLaw()
	if hasLittle {
		b.evidencef("%s", little)
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	b.traffic()
	if c := serviceCeilingOf(s); c.known {
		b.againstf("%s — the database's connection limit is not what holds the clients", b.ceiling(c))
	}
	b.f.Summary = fmt.Sprintf("Clients wait for a connection because the database behind the pool, %s, got slow: %s. "+
		"The pool is a victim and the database the cause: do not enlarge the pool while the database is saturated, it would only queue more queries on it",
		d.name, d.signsText(s))
	sev := atLeast(severityOf(s.worst(SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalAppPoolWaiting)), SeverityWarning)
	b.f.Capacity = capacity
	return b.finish(sev, classSaturation, d.magnitude)
}
