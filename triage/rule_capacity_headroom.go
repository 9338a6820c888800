package triage

var capacityHeadroomRule = Rule{
	ID:    "capacity-headroom",
	Title: "Capacity headroom",
	Eval:  evalCapacityHeadroom,
}

func evalCapacityHeadroom(s *Snapshot, set RuleSettings) []Finding {
	c := ComputeCapacity(s, set.ProjectionMultiples)
	if c == nil {
		return nil
	}
	b := newFinding(s)
	for _, l := range capacityLoads(s) {
		b.uses(l.id)
		b.evidencef("%s: %s %s — saturates at %s current load", s.titleOf(l.id), FormatNumber(l.util, UnitRatio), "now", multiple(1/l.util))
	}
	if c.Throughput.Usable() {
		b.support(SignalThroughput)
	}
	b.f.Evidence = append(b.f.Evidence, c.projectionLines(s)...)
	b.againstf("The bottleneck law is linear: it assumes each utilization grows in proportion to requests, which queueing and caches bend near saturation")
	b.againstf("Memory and cache memory are left out: they track data size, not the request rate")
	if !c.Throughput.Usable() {
		b.againstf("%s: not measured — the maximum is given as a load multiple only", s.titleOf(SignalThroughput))
	}
	b.f.Summary = c.headline(s)
	b.f.Prompts = []string{PromptCapacityEstimation, PromptBottleneck, PromptLoadTesting}
	b.f.Capacity = c
	return b.finish(SeverityInfo, classContext, c.Utilization)
}
