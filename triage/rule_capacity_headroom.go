package triage

var capacityHeadroomRule = Rule{
	ID:      RuleCapacityHeadroom,
	Title:   "Capacity headroom",
	Prompts: []PromptID{PromptCapacityEstimation, PromptBottleneck, PromptLoadTesting},
	Causes:  []SignalID{SignalCPUUtilization, SignalDBPoolUtilization, SignalAppPoolUtilization, SignalDBConnectionUtil},
	Eval:    evalCapacityHeadroom,
}

func evalCapacityHeadroom(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	c := capacity
	if c == nil {
		return nil
	}
	b := newFinding(s)
	for _, l := range c.Loads {
		b.uses(l.Signal)
		statistic := "now" // the connection ceiling derived from used / max is read now
		if r, ok := s.Get(l.Signal); ok && r.Statistic != "" {
			statistic = r.Statistic
		}
		saturates := "saturates at " + multiple(1/l.Value) + " current load"
		if saturatedNow(1 / l.Value) {
			saturates = "saturated now"
		}
		b.evidencef("%s: %s — %s", s.TitleOf(l.Signal), withStatistic(FormatNumber(l.Value, UnitRatio), statistic), saturates)
	}
	if c.Throughput.Usable() {
		b.traffic()
	}
	b.f.Evidence = append(b.f.Evidence, c.ProjectionLines(s)...)
	b.againstf("The bottleneck law is linear: it assumes each utilization grows in proportion to requests, which queueing and caches bend near saturation")
	b.againstf("Memory and cache memory are left out: they track data size, not the request rate")
	if !c.Throughput.Usable() {
		b.againstf("%s: not measured — the maximum is given as a load multiple only", s.TitleOf(SignalThroughput))
	}
	b.f.Summary = c.Statement(s)
	b.f.Capacity = c
	return b.finish(SeverityInfo, classContext, c.Utilization)
}
