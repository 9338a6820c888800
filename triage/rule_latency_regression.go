package triage

import (
	"fmt"
	"strings"
)

var latencyRegressionRule = Rule{
	ID:      RuleLatencyRegression,
	Title:   "Latency regression with no saturated resource",
	Prompts: []PromptID{PromptProfiling, PromptLoadTesting, PromptBottleneck},
	Causes:  []SignalID{SignalLatencyP99},
	Eval:    evalLatencyRegression,
}

// resourceSignals are the resources on the request path whose saturation
// would explain a latency rise; their own rules report them.
var resourceSignals = []SignalID{
	SignalCPUUtilization, SignalCPUPressure, SignalCPULoadPerCore, SignalCPUThrottling,
	SignalMemoryUtilization,
	SignalAppPoolWaiting, SignalAppPoolUtilization,
	SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalDBPoolUtilization,
	SignalDBConnectionUtil,
	SignalCacheCPU,
}

func evalLatencyRegression(s *Snapshot, _ RuleSettings, _ *Capacity) []Finding {
	// Slower database queries explain a latency rise too: slow-queries
	// reports that case.
	if !s.hot(SignalLatencyP99) || s.hot(resourceSignals...) || connectionCeilingOf(s).hot() ||
		s.hot(SignalDBQueryP99, SignalDBQueryMean) {
		return nil
	}
	r, _ := s.usable(SignalLatencyP99)
	b := newFinding(s)
	b.support(SignalLatencyP99)
	b.traffic()
	var calm, unmeasured []string
	for _, id := range resourceSignals {
		if rr, ok := s.usable(id); ok {
			b.uses(id)
			calm = append(calm, fmt.Sprintf("%s %s", s.TitleOf(id), rr.Formatted()))
		} else {
			unmeasured = append(unmeasured, s.TitleOf(id))
		}
	}
	if len(calm) > 0 {
		b.againstf("Checked and not saturated now: %s", strings.Join(calm, ", "))
	}
	if len(unmeasured) > 0 {
		b.againstf("Not measured, so not ruled out: %s", strings.Join(unmeasured, ", "))
	}
	b.rival(SignalDBQueryP99, "database queries are no slower than the day before")
	b.rival(SignalDBQueryMean, "database queries are no slower than the day before")

	b.f.Summary = fmt.Sprintf("P99 is %s with no saturated resource: the time goes in the code or a dependency — profile it, then load-test to find the breaking point", r.Formatted())
	if caller := firstService(r); caller != "" {
		if c, ok := s.slowCalleeOf(caller); ok {
			b.calleeEvidence(c)
			b.f.Summary = fmt.Sprintf("P99 is %s on %s with no saturated resource, and the time goes in %s, none of whose own callees got slower: profile %s, the callers only wait for it",
				r.Formatted(), caller, c.sentence(), c.name)
		}
	}
	ratio, _ := r.BaselineRatio()
	return b.finish(severityOf(r.Status), classSymptom, multipleMagnitude(ratio))
}
