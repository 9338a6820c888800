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
	c := cacheCollapseOf(s, set)
	if !c.collapsed {
		return nil
	}
	var spiked []SignalID
	var spike float64
	for _, id := range dbLoadSignals {
		if r, ok := s.usable(id); ok {
			if ratio, ok := r.BaselineRatio(); ok && ratio >= set.DBLoadSpikeRatio {
				spiked = append(spiked, id)
				spike = max(spike, ratio)
			}
		}
	}
	if len(spiked) == 0 {
		return nil
	}
	b := newFinding(s)
	b.support(SignalCacheHitRatio)
	if c.missGrowth > 1 {
		b.evidencef("%s", c.missSentence())
	}
	b.support(spiked...)
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
	if c.dropped {
		hit = "fell to"
	}
	b.f.Summary = fmt.Sprintf("The cache hit ratio %s %s and the database load rose to %s the day before: cache misses stampede the database", hit, c.hit.Formatted(), multiple(spike))
	b.f.Capacity = capacity
	return b.finish(sev, classSaturation, multipleMagnitude(spike))
}
