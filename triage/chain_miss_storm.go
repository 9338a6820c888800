package triage

import "fmt"

// missStorm is a database surge that a cache miss storm brought: the cache
// hit ratio fell while the database's load rose to DBLoadSpikeRatio times
// the day before. When the cache and the database are linked, the database
// (and the host or query time it saturated) is a victim and the cache the
// cause: scaling the database would feed the misses.
type missStorm struct {
	cache  cacheCollapse
	spiked []SignalID // the database load signals that rose
	spike  float64    // the largest of their multiples of the day before
	// cacheName and database name the fallen cache and the surging
	// database's instance ("" when measured as one series); basis is the
	// link between them, "" when nothing links them.
	cacheName, database, basis string
}

// missStormOf reads a miss storm; false without a collapse or a spike.
func (s *Snapshot) missStormOf(set RuleSettings) (missStorm, bool) {
	m := missStorm{cache: cacheCollapseOf(s, set)}
	if !m.cache.collapsed {
		return m, false
	}
	for _, id := range dbLoadSignals {
		if r, ok := s.usable(id); ok {
			if ratio, ok := r.BaselineRatio(); ok && ratio >= set.DBLoadSpikeRatio {
				m.spiked = append(m.spiked, id)
				m.spike = max(m.spike, ratio)
				if m.database == "" {
					m.database = valueInstance(r)
				}
			}
		}
	}
	if len(m.spiked) == 0 {
		return m, false
	}
	m.cacheName = valueInstance(m.cache.hit)
	m.basis = s.cacheDatabaseLink(m)
	return m, true
}

// valueInstance is the instance of the entity a reading's value is, "" when
// it is measured as one series or summed.
func valueInstance(r Reading) string {
	if i, ok := r.ValueEntity(); ok {
		return r.Entities[i].Labels["instance"]
	}
	return ""
}

// cacheDatabaseLink says how the fallen cache and the surging database are
// linked, most explicit first: with a service selected, both belong to it
// (the config's dependencies, the selector); with none, they are the only
// cache and the only database measured. "" when nothing links them: a miss
// storm on one team's cache says nothing of another team's database.
func (s *Snapshot) cacheDatabaseLink(m missStorm) string {
	if s.Scope != nil {
		cacheBasis, ok := s.inScope(m.cache.hit)
		if !ok {
			return ""
		}
		for _, id := range m.spiked {
			if r, _ := s.usable(id); r.ID == id {
				if dbBasis, ok := s.inScope(r); ok {
					return fmt.Sprintf("the service's cache (%s) and database (%s)", cacheBasis, dbBasis)
				}
			}
		}
		return ""
	}
	caches, databases := s.instancesOf(TierCache, SignalCacheHitRatio), s.databaseInstances()
	if len(caches) <= 1 && len(databases) <= 1 {
		return fmt.Sprintf("the only cache (%s) and the only database (%s) measured", orOneSeries(m.cacheName), orOneSeries(m.database))
	}
	return ""
}

// inScope is how the entity a reading's value is belongs to the selected
// service; false when it does not or cannot be told.
func (s *Snapshot) inScope(r Reading) (string, bool) {
	labels := map[string]string{}
	if i, ok := r.ValueEntity(); ok {
		labels = r.Entities[i].Labels
	}
	scope, basis := s.EntityScope(r, labels)
	return basis, scope == ScopeIn
}

func orOneSeries(instance string) string {
	if instance == "" {
		return "one series"
	}
	return instance
}

// linked is a storm whose cache and database are known to be one service's.
func (m missStorm) linked() bool { return m.basis != "" }

// onHost reports a linked storm whose database runs on host.
func (m missStorm) onHost(host string) bool {
	return m.linked() && m.database != "" && hostOf(m.database) == host
}

// onDatabase reports a linked storm on the database instance (any, when the
// database is measured as one series).
func (m missStorm) onDatabase(instance string) bool {
	return m.linked() && (m.database == "" || instance == "" || m.database == instance)
}

// victimSentence is the summary of a finding on the database the storm
// saturated: "A victim, not the cause: <what> ...".
func (m missStorm) victimSentence(what string) string {
	return fmt.Sprintf("A victim, not the cause: %s under the read load the cache misses brought (the cache hit ratio fell to %s, the database's load is %s the day before); see thundering-herd: restore the hit ratio before scaling the database, which would only absorb the misses",
		what, m.cache.hit.Formatted(), multiple(m.spike))
}

// databaseHostSign is the storm's database host's CPU when it is hot and
// rose: what the misses did to the database.
func (s *Snapshot) databaseHostSign(m missStorm) (Reading, bool) {
	if m.database == "" {
		return Reading{}, false
	}
	if signs := s.hostCPUSigns(hostOf(m.database)); len(signs) > 0 {
		return signs[0], true
	}
	return Reading{}, false
}

// busiestHost is the host of the entity a host-tier reading's value is.
func busiestHost(r Reading) string {
	if r.Tier != TierHost {
		return ""
	}
	return hostOf(valueInstance(r))
}

// hotInstance is the instance of the first hot reading among ids ("" when
// it is measured as one series).
func (s *Snapshot) hotInstance(ids ...SignalID) string {
	for _, id := range ids {
		if r, ok := s.usable(id); ok && s.hot(id) {
			return valueInstance(r)
		}
	}
	return ""
}

// instance is the slow database's instance, "" when it is measured as one
// series.
func (d slowDatabase) instance() string {
	if d.name == oneDatabase {
		return ""
	}
	return d.name
}
