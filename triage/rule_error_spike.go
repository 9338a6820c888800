package triage

import (
	"fmt"
	"math"
)

var errorSpikeRule = Rule{
	ID:      RuleErrorSpike,
	Title:   "Error spike",
	Prompts: []PromptID{PromptBottleneck, PromptLoadTesting, PromptObservabilityAtScale},
	Causes:  []SignalID{SignalErrorRatio},
	Eval:    evalErrorSpike,
}

func evalErrorSpike(s *Snapshot, set RuleSettings, _ *Capacity) []Finding {
	r, ok := s.usable(SignalErrorRatio)
	if !ok {
		return nil
	}
	ratio, hasRatio := r.BaselineRatio()
	if base, ok := r.Baseline.Float(); ok && base == 0 && r.Value.V > 0 {
		ratio, hasRatio = math.Inf(1), true // errors that did not exist the day before
	}
	risen := hasRatio && ratio >= set.ErrorBaselineRatio && r.Value.V >= set.ErrorRatioFloor
	if !risen && !s.hot(SignalErrorRatio) {
		return nil
	}
	b := newFinding(s)
	b.support(SignalErrorRatio)
	b.traffic()
	b.rival(SignalDBPoolWaiting, "no client waits at PgBouncer: the errors are not pool timeouts")
	b.rival(SignalAppPoolWaiting, "no request waits for a database connection")
	b.rivalCPU("not CPU-bound")

	b.f.Summary = fmt.Sprintf("%s of requests fail with a 5xx: find which resource or dependency fails first", r.Formatted())
	if risen { // a rise against the day before is a change whatever the bands say
		b.f.Change, b.f.Since = ChangeNew, SinceDayBefore
	}
	sev := atLeast(severityOf(r.Status), SeverityWarning)
	return b.finish(sev, classSymptom, multipleMagnitude(ratio))
}
