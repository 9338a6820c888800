package triage

import (
	"cmp"
	"slices"
)

// Rule is one explicit, testable diagnosis. Eval reads the snapshot and
// returns zero or more findings; Run stamps them with the rule's id.
type Rule struct {
	ID    string
	Title string
	Eval  func(s *Snapshot, set RuleSettings) []Finding
}

// Rules are every rule, in the order they are documented and run.
var Rules = []Rule{
	cpuSaturationRule,
	cpuThrottlingRule,
	memoryPressureRule,
	dbPoolExhaustionRule,
	dbConnectionCeilingRule,
	slowQueriesRule,
	cacheHitCollapseRule,
	thunderingHerdRule,
	replicationLagRule,
	queueBacklogRule,
	errorSpikeRule,
	rateLimitedRule,
	latencyRegressionRule,
	capacityHeadroomRule,
}

// Run evaluates the rule and stamps each finding with the rule's id and
// title; the finding's Summary carries the specifics.
func (r Rule) Run(s *Snapshot, set RuleSettings) []Finding {
	found := r.Eval(s, set)
	for i := range found {
		found[i].ID, found[i].Title = r.ID, r.Title
	}
	return found
}

// Diagnose runs every rule and ranks the findings: score descending, then id,
// so that the same snapshot always gives the same report.
func Diagnose(s *Snapshot, set RuleSettings) []Finding {
	var all []Finding
	for _, r := range Rules {
		all = append(all, r.Run(s, set)...)
	}
	slices.SortStableFunc(all, func(a, b Finding) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return all
}
