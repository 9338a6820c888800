package triage

import "fmt"

var replicationLagRule = Rule{
	ID:      "replication-lag",
	Title:   "Replication lag",
	Prompts: []string{PromptDatabaseReadScaling, PromptPostgreSQLDeepDive, PromptDataConsistency},
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
	b.rival(SignalDBTransactions, "no write spike against the day before: the replica, not the primary's load, falls behind")
	b.rival(SignalDBLongestTransaction, "no long transaction on the primary")
	b.f.Summary = fmt.Sprintf("The worst replica is %s behind: reads from it are stale and it cannot take more read load", r.Formatted())
	return b.finish(severityOf(r.Status), classUtilization, countMagnitude(r.Value.V))
}
