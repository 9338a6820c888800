package triage

import (
	"fmt"
	"time"
)

var hiddenRegressionRule = Rule{
	ID:      RuleHiddenRegression,
	Title:   "A rollout's regression hidden by the autoscaler",
	Prompts: []PromptID{PromptProfiling, PromptAutoScaling, PromptLoadTesting},
	Causes:  []SignalID{SignalContainerCPU, SignalCPUUtilization},
	Eval:    evalHiddenRegression,
}

// evalHiddenRegression finds a service that rolled out a new version and
// whose autoscaler then added replicas, so that each replica looks as busy
// as the day before while every request costs more CPU: no threshold
// fires, the bill and the ceiling moved. The CPU per request is its CPU
// against the limits times the replicas' change over its traffic's change.
func evalHiddenRegression(s *Snapshot, set RuleSettings, _ *Capacity) []Finding {
	var out []Finding
	for _, ev := range s.Events {
		if ev.Kind != EventVersion && ev.Kind != EventSpec {
			continue
		}
		replicas, scaled := s.replicasRatio(ev.Entity)
		if len(scaled) == 0 || replicas <= 1 || !scaled[len(scaled)-1].At.After(ev.At.Add(-time.Minute)) || hasFindingFor(out, ev.Entity) {
			continue
		}
		cost, ok := s.cpuPerRequest(ev.Entity)
		if !ok || cost.ratio < set.CostPerRequestRatio {
			continue
		}
		b := newFinding(s)
		b.uses(cost.cpu.ID)
		b.uses(SignalThroughput)
		b.evidencef("%s %s at %s", ev.Entity, ev.What, ev.At.UTC().Format("15:04Z"))
		for _, sc := range scaled {
			b.evidencef("%s %s at %s", sc.Entity, sc.What, sc.At.UTC().Format("15:04Z"))
		}
		b.evidencef("%s", s.observed(cost.cpu.narrowedTo(cost.entity)))
		b.evidencef("%s", s.observed(cost.throughput.narrowedTo(cost.traffic)))
		b.evidencef("%s", cost)
		b.againstf("Each replica is about as busy against its limit as the day before (%s -> %s): no threshold on it fires",
			Format(cost.entity.Baseline, cost.cpu.Unit, false), Format(cost.entity.Value, cost.cpu.Unit, false))
		b.f.Summary = fmt.Sprintf("%s %s and now costs %s the CPU per request; its autoscaler hid it by scaling to %s the replicas: the capacity ceiling and the bill moved, no threshold did",
			ev.Entity, ev.What, multiple(cost.ratio), multiple(replicas))
		// The entity is the workload, new in what it costs (its own
		// utilization moved little: that is the point).
		scope, basis := s.EntityScope(cost.cpu, cost.entity.Labels)
		b.f.Entities = []FindingEntity{{Signal: cost.cpu.ID, Name: cost.cpu.EntityName(cost.entity), Entity: cost.entity, Change: ChangeNew, Scope: scope, ScopeBasis: basis}}
		b.f.Change = ChangeNew
		f := b.finish(SeverityWarning, classUtilization, cost.ratio)
		out = append(out, f...)
	}
	return out
}

// hasFindingFor reports whether a finding of out already names service.
func hasFindingFor(out []Finding, service string) bool {
	for _, f := range out {
		for _, e := range f.Entities {
			for _, v := range e.Entity.Labels {
				if v == service {
					return true
				}
			}
		}
	}
	return false
}
