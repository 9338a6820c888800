package triage

var slowQueriesRule = Rule{
	ID:      "slow-queries",
	Title:   "Slow database queries",
	Prompts: []string{PromptQueryOptimization, PromptPostgreSQLDeepDive, PromptProfiling},
	Causes:  []SignalID{SignalDBQueryP99, SignalDBQueryMean},
	Eval:    evalSlowQueries,
}

func evalSlowQueries(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	queryTimes := []SignalID{SignalDBQueryP99, SignalDBQueryMean, SignalDBLongestTransaction}
	if !s.hot(queryTimes...) {
		return nil
	}
	b := newFinding(s)
	b.support(queryTimes...)
	b.symptom(SignalLatencyP99, "request latency is normal: the slower queries do not reach users yet")
	b.rival(SignalDBTransactions, "no load spike against the day before: the queries are slower, not more numerous")
	b.rival(SignalCacheHitRatio, "the cache still absorbs reads")
	b.rival(SignalCPUUtilization, "not CPU-bound")

	b.f.Summary = "Database queries are slower than their baseline: query plans, locks or long transactions are the first suspects"
	if s.hot(SignalDBLongestTransaction) && !s.hot(SignalDBQueryP99, SignalDBQueryMean) {
		b.f.Summary = "A long-running transaction is open: it holds locks and a connection, and blocks vacuum"
	}
	worst := s.worst(queryTimes...)
	return b.finish(severityOf(worst), classUtilization, worstBaselineMagnitude(s, queryTimes...))
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
