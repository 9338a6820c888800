package triage

import "fmt"

var replicationLagRule = Rule{
	ID:      RuleReplicationLag,
	Title:   "Replication lag",
	Prompts: []PromptID{PromptDatabaseReadScaling, PromptPostgreSQLDeepDive, PromptDataConsistency},
	Causes:  []SignalID{SignalReplicationLag},
	Eval:    evalReplicationLag,
}

func evalReplicationLag(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	if !s.hot(SignalReplicationLag) {
		return nil
	}
	r, _ := s.usable(SignalReplicationLag)
	b := newFinding(s)
	b.support(SignalReplicationLag)
	b.writeLoad()
	lagging, where := Entity{}, "the worst replica"
	if len(r.Entities) > 0 {
		lagging, where = r.Entities[0], r.nameAndRole(r.Entities[0])
	}
	b.longTransactions(lagging)
	b.f.Summary = fmt.Sprintf("Replication lag on %s is %s: reads from it are stale and it cannot take more read load", where, r.Formatted())
	return b.finish(severityOf(r.Status), classUtilization, countMagnitude(r.Value.V))
}

// writeLoad checks the primary's write rate: a write spike, not the replica,
// may be what it cannot keep up with. Without roles the transactions are
// every instance's, replicas' read-only ones included, so calm totals do not
// rule a write spike out.
func (b *findingBuilder) writeLoad() {
	if tx, ok := b.s.usable(SignalDBTransactions); ok && onlyPrimaries(tx) {
		b.rival(SignalDBTransactions, "no write spike on the primary against the day before: the replica, not the primary's load, falls behind")
		return
	}
	b.rival(SignalDBTransactions, "role not measured: every instance's transactions, replicas' read-only ones included, show no spike against the day before, which does not rule out a write spike on the primary alone")
}

// longTransactions checks the long transactions that hold a replica back:
// one on the lagging replica delays its replay (a conflicting query is
// waited for up to max_standby_streaming_delay), one on the primary is
// another explanation. Without roles the longest of any instance is only a
// rival, whoever runs it.
func (b *findingBuilder) longTransactions(lagging Entity) {
	lt, ok := b.s.usable(SignalDBLongestTransaction)
	if !ok || !rolesMeasured(lt) {
		b.rival(SignalDBLongestTransaction, "no long transaction on any instance (role not measured: primary and replicas are not told apart)")
		return
	}
	if onReplica, ok := lt.entityWhere(onInstance(lagging)); ok {
		b.uses(SignalDBLongestTransaction)
		if onReplica.Status.rank() >= StatusWarning.rank() {
			b.evidencef("%s — replay on the lagging replica waits for the queries it conflicts with (up to max_standby_streaming_delay), so a long one holds the replica behind", b.s.observed(onReplica))
		} else {
			b.againstf("%s — no long query on the lagging replica holds its replay back", b.s.observed(onReplica))
		}
	}
	if onPrimary, ok := lt.entityWhere(hasRole(rolePrimary)); ok {
		b.rivalOn(onPrimary, "no long transaction on the primary")
	} else {
		b.againstf("%s on the primary: not measured — cannot be ruled out", b.s.TitleOf(SignalDBLongestTransaction))
	}
}
