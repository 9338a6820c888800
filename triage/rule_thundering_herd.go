package triage

import "fmt"

var thunderingHerdRule = Rule{
	ID:      RuleThunderingHerd,
	Title:   "Thundering herd on the database",
	Prompts: []PromptID{PromptThunderingHerd, PromptCachingArchitecture, PromptDatabaseReadScaling},
	Causes:  []SignalID{SignalCacheHitRatio, SignalDBTransactions, SignalDBActiveConnections},
	Eval:    evalThunderingHerd,
}

// dbLoadSignals measure the database's load; a herd multiplies them.
var dbLoadSignals = []SignalID{SignalDBTransactions, SignalDBActiveConnections}

func evalThunderingHerd(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	m, ok := s.missStormOf(set)
	if !ok {
		return nil
	}
	b := newFinding(s)
	b.support(SignalCacheHitRatio)
	if m.cache.missGrowth > 1 {
		b.evidencef("%s", m.cache.missSentence())
	}
	b.support(m.spiked...)
	if m.linked() {
		b.f.Link = m.basis
		b.evidencef("Link from the cache to the database: %s", m.basis)
		if n, ok := s.databaseHostSign(m); ok {
			b.uses(n.ID)
			b.evidencef("What the misses did to the database: %s", s.observed(n))
		}
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	// The red-herring check: a database busier because traffic grew is not
	// a herd.
	tp, _ := s.usable(SignalThroughput)
	switch ratio, ok := tp.BaselineRatio(); {
	case !ok:
		b.againstf("%s: not measured against the day before — traffic growth cannot be ruled out", s.TitleOf(SignalThroughput))
	case ratio >= set.DBLoadSpikeRatio:
		b.uses(SignalThroughput)
		b.againstf("%s — traffic grew as much: the database load may be plain growth, not misses", s.observed(tp))
	default:
		b.uses(SignalThroughput)
		b.againstf("%s — traffic did not grow as much: the extra database load comes from cache misses", s.observed(tp))
	}

	sev := atLeast(severityOf(s.worst(SignalCacheHitRatio, SignalDBTransactions)), SeverityWarning)
	b.f.Change, b.f.Since = ChangeNew, SinceDayBefore // the database load spike is against the day before
	hit := "is"
	if m.cache.dropped {
		hit = "fell to"
	}
	b.f.Summary = fmt.Sprintf("The cache hit ratio %s %s and the database load rose to %s the day before: cache misses stampede the database", hit, m.cache.hit.Formatted(), multiple(m.spike))
	if m.linked() {
		b.f.Summary += "; the database is the victim and the cache the cause: restore the hit ratio (warm the keys, find what flushed or expired them) before scaling the database"
	}
	b.f.Capacity = capacity
	return b.finish(sev, classSaturation, multipleMagnitude(m.spike))
}
