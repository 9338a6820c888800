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
	if !ok || len(r.Entities) > 0 && r.Entities[0].Unjudged != "" {
		return nil // no service fails enough requests for its ratio to say anything
	}
	ratio, hasRatio := r.BaselineRatio()
	if base, ok := r.Baseline.Float(); ok && base == 0 && r.Value.V > 0 {
		ratio, hasRatio = math.Inf(1), true // errors that did not exist the day before
	}
	// Inside its own band the day before (and a week before) is its normal,
	// whatever the one day-before point says.
	inBand := r.Normal != nil && r.Value.V <= r.Normal.High*changeMargin
	risen := hasRatio && ratio >= set.ErrorBaselineRatio && r.Value.V >= set.ErrorRatioFloor && !inBand
	if !risen && !s.hot(SignalErrorRatio) {
		return nil
	}
	b := newFinding(s)
	b.support(SignalErrorRatio)
	magnitude := multipleMagnitude(ratio)
	if len(r.Entities) > 0 {
		if failed, ok := r.Entities[0].FailedPerSecond(s.RateWindow); ok {
			// Ranked by the requests that fail, not by the ratio alone: 2 %
			// of the front end outranks 100 % of a function called twice.
			magnitude = countMagnitude(failed)
			b.evidencef("Failed requests on %s: %s (%s/s), over the minimum of %s that makes a ratio evidence",
				r.EntityName(r.Entities[0]), s.VolumeText(SignalErrorRatio, r.Entities[0]), trimFloat(failed, 3), trimFloat(set.ErrorMinFailures, 6))
		}
	}
	b.traffic()
	b.rival(SignalDBPoolWaiting, "no client waits at PgBouncer: the errors are not pool timeouts")
	b.rival(SignalAppPoolWaiting, "no request waits for a database connection")
	b.rivalCPU("not CPU-bound")

	b.f.Summary = fmt.Sprintf("%s of requests fail with a 5xx: find which resource or dependency fails first", r.Formatted())
	if caller := firstService(r); caller != "" {
		if c, ok := s.slowCalleeOf(caller); ok {
			// The caller's failures are the slowed callee's timeouts: a
			// victim, ranked below the slowdown's own finding.
			b.calleeEvidence(c)
			b.f.Summary = fmt.Sprintf("A victim, not the cause: %s of %s's requests fail while %s got slow: its timeouts fail them — see latency-regression; fix %s before adding retries or capacity at %s",
				r.Formatted(), caller, c.sentence(), c.name, caller)
			magnitude = 0
		}
	}
	if risen { // a rise against the day before is a change whatever the bands say
		b.f.Change, b.f.Since = ChangeNew, SinceDayBefore
	}
	sev := atLeast(severityOf(r.Status), SeverityWarning)
	return b.finish(sev, classSymptom, magnitude)
}
