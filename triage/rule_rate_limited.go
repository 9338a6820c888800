package triage

import "fmt"

var rateLimitedRule = Rule{
	ID:      RuleRateLimited,
	Title:   "Requests rejected by rate limiting",
	Prompts: []PromptID{PromptRateLimiting, PromptHorizontalScaling, PromptBottleneck},
	Causes:  []SignalID{SignalRateLimitedRatio},
	Eval:    evalRateLimited,
}

func evalRateLimited(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	if !s.hot(SignalRateLimitedRatio) {
		return nil
	}
	r, _ := s.usable(SignalRateLimitedRatio)
	b := newFinding(s)
	b.support(SignalRateLimitedRatio)
	b.traffic()
	b.rival(SignalCPUUtilization, "the servers have spare CPU: the limit, not capacity, rejects requests")
	b.f.Summary = fmt.Sprintf("%s of requests are rejected with 429: the rate limits are below demand", r.Formatted())
	return b.finish(severityOf(r.Status), classSymptom, r.Value.V)
}
