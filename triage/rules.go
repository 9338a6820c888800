package triage

import (
	"cmp"
	"slices"
)

// Rule is one explicit, testable diagnosis. Eval reads the snapshot, the
// settings and the bottleneck law computed once for the pass (nil when no
// resource is measurably utilized) and returns zero or more findings.
type Rule struct {
	ID    RuleID
	Title string
	// Prompts are the prompt slugs the rule's findings lead to, primary
	// first; a prompt about one engine is dropped when the measured engine
	// of its tier is another (see enginePrompts).
	Prompts []PromptID
	// Causes are the signals whose change a finding's change is: the
	// condition itself, not its symptoms (latency rises with any cause).
	Causes []SignalID
	Eval   func(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding
}

// rules are every rule, in the order they are documented and run.
var rules = []Rule{
	cpuSaturationRule,
	cpuThrottlingRule,
	memoryPressureRule,
	poolBehindSlowDatabaseRule,
	dbPoolExhaustionRule,
	dbConnectionCeilingRule,
	slowQueriesRule,
	cacheHitCollapseRule,
	thunderingHerdRule,
	redisCPURule,
	cacheCallsSurgeRule,
	replicationLagRule,
	queueBacklogRule,
	errorSpikeRule,
	rateLimitedRule,
	latencyRegressionRule,
	capacityHeadroomRule,
}

// Rules returns every rule, in the order they run.
func Rules() []Rule { return slices.Clone(rules) }

// Run evaluates the rule alone on a snapshot.
func (r Rule) Run(s *Snapshot, set RuleSettings) []Finding {
	return r.run(s, set, ComputeCapacity(s, set.ProjectionMultiples))
}

// run evaluates the rule and stamps each finding with the rule's id and
// title; the finding's Summary carries the specifics.
func (r Rule) run(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	found := r.Eval(s, set, capacity)
	prompts := promptsFor(s, r.Prompts)
	for i := range found {
		found[i].ID, found[i].Title, found[i].Prompts = r.ID, r.Title, prompts
		describeChange(s, &found[i], r.Causes)
	}
	return found
}

// enginePrompts are the prompts written for one engine, with the tier
// whose measured engine decides.
var enginePrompts = map[PromptID]struct {
	engine Engine
	tier   Tier
}{
	PromptPostgreSQLDeepDive: {EnginePostgreSQL, TierDatabase},
	PromptRedisScaling:       {EngineRedis, TierCache},
}

// promptsFor drops the prompts written for an engine the snapshot shows is
// not the one in use (a MySQL database gets no PostgreSQL deep dive); when
// no engine of the tier is measured, the prompt stays.
func promptsFor(s *Snapshot, prompts []PromptID) []PromptID {
	var out []PromptID
	for _, p := range prompts {
		if e, ok := enginePrompts[p]; ok {
			if engines := s.engines(e.tier); len(engines) > 0 && !slices.Contains(engines, e.engine) {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// engines are the distinct engines of the usable readings of a tier.
func (s *Snapshot) engines(tier Tier) []Engine {
	var out []Engine
	for _, r := range s.Readings {
		if r.Tier == tier && r.Engine != "" && r.Usable() && !slices.Contains(out, r.Engine) {
			out = append(out, r.Engine)
		}
	}
	return out
}

// Diagnosis is one pass of the rules over a snapshot: the ranked findings
// and the bottleneck law, computed once and shared by every finding that
// cites it.
type Diagnosis struct {
	Snapshot *Snapshot
	Findings []Finding
	// Capacity is nil when no resource is measurably utilized.
	Capacity *Capacity
}

// Diagnose runs every rule, says what changed in each finding (chronic ones
// rank below every change) and ranks the findings: score descending, then
// id, so that the same snapshot always gives the same report.
func Diagnose(s *Snapshot, set RuleSettings) Diagnosis {
	s.weighVolume(set)
	d := Diagnosis{Snapshot: s, Capacity: ComputeCapacity(s, set.ProjectionMultiples)}
	for _, r := range rules {
		d.Findings = append(d.Findings, r.run(s, set, d.Capacity)...)
	}
	slices.SortStableFunc(d.Findings, func(a, b Finding) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return d
}

// Top is the highest ranked warning or critical finding that leads to a
// prompt: the one headless reports open.
func (d Diagnosis) Top() (Finding, bool) {
	for _, f := range d.Findings {
		if f.Severity != SeverityInfo && len(f.Prompts) > 0 {
			return f, true
		}
	}
	return Finding{}, false
}

// LeadingTo is the highest ranked finding that leads to prompt id.
func (d Diagnosis) LeadingTo(prompt PromptID) (Finding, bool) {
	for _, f := range d.Findings {
		if slices.Contains(f.Prompts, prompt) {
			return f, true
		}
	}
	return Finding{}, false
}
