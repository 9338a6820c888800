package triage

import "fmt"

var cacheHitCollapseRule = Rule{
	ID:      RuleCacheHitCollapse,
	Title:   "Cache hit ratio collapse",
	Prompts: []PromptID{PromptCachingArchitecture, PromptRedisScaling, PromptThunderingHerd},
	Causes:  []SignalID{SignalCacheHitRatio},
	Eval:    evalCacheHitCollapse,
}

// cacheCollapse is the cache hit ratio's fall: below the catalog's band, or
// at least CacheHitRatioDrop points under the day before.
type cacheCollapse struct {
	hit       Reading
	collapsed bool
	// dropped is a fall of at least CacheHitRatioDrop points against the
	// day before: a change, whatever the absolute band says.
	dropped bool
	// missGrowth is misses now over misses the day before: how much more read
	// load falls through to the database (0 when unknown).
	missGrowth float64
}

func cacheCollapseOf(s *Snapshot, set RuleSettings) cacheCollapse {
	r, ok := s.usable(SignalCacheHitRatio)
	if !ok {
		return cacheCollapse{}
	}
	c := cacheCollapse{hit: r, collapsed: s.hot(SignalCacheHitRatio)}
	if base, ok := r.Baseline.Float(); ok {
		// The tolerance makes 99 % -> 89 % a drop of 10 points in floats too.
		c.dropped = base-r.Value.V >= set.CacheHitRatioDrop-1e-9
		c.collapsed = c.collapsed || c.dropped
		if base < 1 {
			c.missGrowth = (1 - r.Value.V) / (1 - base)
		}
	}
	return c
}

// missSentence states what the fall means for the database: the share of
// reads that miss grew missGrowth times.
func (c cacheCollapse) missSentence() string {
	return fmt.Sprintf("The miss share of reads is %s the day before's: per request, that much more read load falls through to the database",
		multiple(c.missGrowth))
}

func evalCacheHitCollapse(s *Snapshot, set RuleSettings, _ *Capacity) []Finding {
	c := cacheCollapseOf(s, set)
	if !c.collapsed {
		return nil
	}
	b := newFinding(s)
	b.support(SignalCacheHitRatio)
	if c.missGrowth > 1 {
		b.evidencef("%s", c.missSentence())
	}
	b.symptom(SignalCacheEvictions, "no evictions: keys expired or were flushed, the cache is not too small")
	b.symptom(SignalCacheMemoryUtilization, "the cache has free memory")
	b.symptom(SignalDBTransactions, "the database does not absorb a miss spike yet")
	b.symptom(SignalLatencyP99, "users do not feel it yet")

	sev := atLeast(severityOf(c.hit.Status), SeverityWarning)
	b.f.Summary = fmt.Sprintf("The cache hit ratio is %s: reads that a cache should serve reach the database", c.hit.Formatted())
	if c.dropped {
		b.f.Change, b.f.Since = ChangeNew, SinceDayBefore
		if st, _ := c.hit.Thresholds.absolute(c.hit.Baseline.V, c.hit.Unit); st.rank() >= StatusWarning.rank() {
			b.f.Change = ChangeWorse
		}
		b.f.Summary = fmt.Sprintf("The cache hit ratio fell to %s from %s the day before: reads that the cache served now reach the database",
			c.hit.Formatted(), Format(c.hit.Baseline, c.hit.Unit, false))
	}
	return b.finish(sev, classUtilization, 1-c.hit.Value.V)
}
