package triage

import "fmt"

var cacheCallsSurgeRule = Rule{
	ID:      RuleCacheCallsSurge,
	Title:   "Cache calls per request surge",
	Prompts: []PromptID{PromptCachingArchitecture, PromptRedisScaling, PromptBottleneck},
	Causes:  []SignalID{SignalCacheOps},
	Eval:    evalCacheCallsSurge,
}

// cacheCallsSurge is the multiple of the day before at which cache
// operations, and the operations per request, are a surge. Heuristic: the
// catalog's load spike (db_transactions_per_second warns at 2x the day
// before).
const cacheCallsSurge = 2

// cacheCalls compares the cache's operations with the service's traffic,
// each against the same instant the day before.
type cacheCalls struct {
	ops, traffic           Reading
	opsRatio, trafficRatio float64
	known                  bool
}

func cacheCallsOf(s *Snapshot) cacheCalls {
	ops, okOps := s.usable(SignalCacheOps)
	traffic, okTraffic := s.usable(SignalThroughput)
	opsRatio, okOpsRatio := ops.BaselineRatio()
	trafficRatio, okTrafficRatio := traffic.BaselineRatio()
	return cacheCalls{ops: ops, traffic: traffic, opsRatio: opsRatio, trafficRatio: trafficRatio,
		known: okOps && okTraffic && okOpsRatio && okTrafficRatio}
}

// perRequest is how many times the day before's cache calls each request
// makes.
func (c cacheCalls) perRequest() float64 { return c.opsRatio / c.trafficRatio }

// surged reports cache operations that grew much more than the traffic
// that should drive them: the calls per request changed, not the load.
func (c cacheCalls) surged() bool {
	return c.known && c.opsRatio >= cacheCallsSurge && c.perRequest() >= cacheCallsSurge
}

// sentence states the comparison with its numbers.
func (c cacheCalls) sentence() string {
	return fmt.Sprintf("%s at %s the day before, %s at %s: each request makes %s the cache calls it made then",
		c.ops.Title, multiple(c.opsRatio), c.traffic.Title, multiple(c.trafficRatio), multiple(c.perRequest()))
}

// cause names what multiplies cache calls per request.
func (c cacheCalls) cause() string {
	return fmt.Sprintf("each request makes %s the cache calls of the day before (operations %s, traffic %s): look for a hot key, a missing client-side cache or a retry storm",
		multiple(c.perRequest()), multiple(c.opsRatio), multiple(c.trafficRatio))
}

func evalCacheCallsSurge(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	calls := cacheCallsOf(s)
	// A saturated Redis core is redis-cpu-saturation's finding, which names
	// the surge as its cause.
	if !calls.surged() || s.hot(SignalCacheCPU) {
		return nil
	}
	b := newFinding(s)
	b.support(SignalCacheOps)
	b.traffic()
	b.evidencef("%s", calls.sentence())
	b.rival(SignalCacheHitRatio, "the hit ratio holds: the extra calls are not misses refilling the cache")
	b.symptom(SignalCacheCPU, "Redis's core has room for them yet")
	b.symptom(SignalLatencyP99, "users do not feel it yet")

	b.f.Change, b.f.Since = ChangeNew, SinceDayBefore // both ratios are against the day before
	b.f.Summary = "Cache calls per request surged: " + calls.cause()
	return b.finish(SeverityWarning, classSymptom, multipleMagnitude(calls.perRequest()))
}
