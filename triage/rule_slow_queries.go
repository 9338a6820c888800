package triage

var slowQueriesRule = Rule{
	ID:      RuleSlowQueries,
	Title:   "Slow database queries",
	Prompts: []PromptID{PromptQueryOptimization, PromptPostgreSQLDeepDive, PromptProfiling},
	Causes:  []SignalID{SignalDBQueryP99, SignalDBQueryMean, SignalDBLongestTransaction},
	Eval:    evalSlowQueries,
}

func evalSlowQueries(s *Snapshot, set RuleSettings, _ *Capacity) []Finding {
	queryTimes := []SignalID{SignalDBQueryP99, SignalDBQueryMean, SignalDBLongestTransaction}
	if !s.hot(queryTimes...) {
		return nil
	}
	b := newFinding(s)
	b.support(queryTimes...)
	b.symptom(SignalLatencyP99, "request latency is normal: the slower queries do not reach users yet")
	b.rival(SignalDBTransactions, "no load spike against the day before: the queries are slower, not more numerous")
	b.rival(SignalCacheHitRatio, "the cache still absorbs reads")
	b.rivalCPU("not CPU-bound")

	b.f.Summary = "Database queries are slower than their baseline: query plans, locks or long transactions are the first suspects"
	if lt, ok := s.usable(SignalDBLongestTransaction); ok && s.hot(SignalDBLongestTransaction) && !s.hot(SignalDBQueryP99, SignalDBQueryMean) {
		b.f.Summary = longTransactionSummary(lt)
	}
	worst := s.worst(queryTimes...)
	class := classUtilization
	if m, ok := s.missStormOf(set); ok && m.onDatabase(s.hotInstance(queryTimes...)) {
		class, b.f.Link = classSymptom, m.basis
		b.f.Summary = m.victimSentence("queries on the database are slower")
	}
	return b.finish(severityOf(worst), class, worstBaselineMagnitude(s, queryTimes...))
}

// longTransactionSummary says where the longest transaction is open and what
// it holds there: on the primary locks and vacuum; on a replica its WAL
// replay (the replica lags) and, with hot_standby_feedback, the primary's
// vacuum.
func longTransactionSummary(r Reading) string {
	where, role := " (role not measured)", ""
	if len(r.Entities) > 0 {
		where, role = " on "+r.nameAndRole(r.Entities[0]), roleOf(r.Entities[0])
	}
	line := "A long-running transaction is open" + where + ": "
	switch role {
	case rolePrimary:
		return line + "it holds locks and a connection, and blocks vacuum"
	case roleReplica:
		return line + "it holds a connection and holds back WAL replay (the replica lags) and, with hot_standby_feedback on, vacuum on the primary"
	}
	return line + "it holds a connection; on the primary it also holds locks and blocks vacuum, on a replica it holds back WAL replay"
}

// worstBaselineMagnitude is the magnitude of the largest usable multiple of
// the day before among ids.
func worstBaselineMagnitude(s *Snapshot, ids ...SignalID) float64 {
	var m float64
	for _, id := range ids {
		if r, ok := s.usable(id); ok {
			if ratio, ok := r.BaselineRatio(); ok {
				m = max(m, multipleMagnitude(ratio))
			}
		}
	}
	return m
}
