package triage

import "fmt"

var redisCPURule = Rule{
	ID:      RuleRedisCPUSaturation,
	Title:   "Redis CPU saturation",
	Prompts: []PromptID{PromptRedisScaling, PromptCachingArchitecture, PromptBottleneck},
	Causes:  []SignalID{SignalCacheCPU},
	Eval:    evalRedisCPU,
}

// Redis runs every command on one thread: its core fills up while the host
// has idle ones, and more cores do not help.
func evalRedisCPU(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	if !s.hot(SignalCacheCPU) {
		return nil
	}
	r, _ := s.usable(SignalCacheCPU)
	b := newFinding(s)
	b.support(SignalCacheCPU, SignalCacheOps)
	b.traffic()
	calls := cacheCallsOf(s)
	if calls.surged() {
		b.evidencef("%s", calls.sentence())
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	b.rival(SignalCPUUtilization, "the host has idle cores: Redis's one command thread is the limit, not the machine")
	b.rival(SignalCacheMemoryUtilization, "the cache is far from maxmemory: eviction work does not explain the CPU")

	b.f.Summary = fmt.Sprintf("Redis%s uses %s of its one core (%s): its single command thread is saturated, whatever the host's idle cores",
		r.Where(), r.Formatted(), r.Statistic)
	if calls.surged() {
		b.f.Summary += "; " + calls.cause()
	}
	return b.finish(severityOf(r.Status), classUtilization, r.Value.V)
}

// redisCoreRival names a saturated Redis main thread as a competing
// explanation, and reports whether it did. A calm or unmeasured one says
// nothing: most systems run no Redis, and an idle one explains nothing.
func (b *findingBuilder) redisCoreRival() bool {
	r, ok := b.s.usable(SignalCacheCPU)
	if !ok || !b.s.hot(SignalCacheCPU) {
		return false
	}
	b.uses(SignalCacheCPU)
	b.againstf("%s: a competing explanation — Redis runs its commands on one core, which fills whatever the other cores do", b.s.observed(r))
	return true
}

// rivalCPU checks the hosts' CPU as a rival explanation, calm saying why
// idle hosts rule it out. While a Redis main thread is saturated they rule
// nothing out: CPU is short in Redis's one core, so that is named instead.
func (b *findingBuilder) rivalCPU(calm string) {
	if b.redisCoreRival() {
		calm = "the hosts have idle cores, which does not rule out Redis's single core"
	}
	b.rival(SignalCPUUtilization, calm)
}
