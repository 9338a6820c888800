package triage

import (
	"testing"
	"time"
)

func TestHiddenRegression(t *testing.T) {
	at := time.Date(2026, 5, 22, 12, 0, 0, 0, time.UTC)
	workload := []string{"namespace", "shop", "workload", "checkout", "container", "app"}
	// Each replica at 45 % of its limit, as the day before; traffic flat.
	cpu := func(now float64) Reading {
		return read(SignalContainerCPU, now, baseline(0.45), entity(now, 0.45, workload...))
	}
	traffic := read(SignalThroughput, 200, baseline(200), entity(200, 200, "job", "checkout"))
	rollout := Event{Kind: EventVersion, Entity: "checkout", At: at.Add(-25 * time.Minute), What: "rolled out 2.15.0 (was 2.14.0)"}
	scale := func(from, to float64) Event {
		return Event{Kind: EventScale, Entity: "checkout", At: at.Add(-20 * time.Minute), What: "was scaled", From: from, To: to}
	}
	with := func(s *Snapshot, events ...Event) *Snapshot { s.Events = events; return s }
	runRuleCases(t, hiddenRegressionRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "rollout, replicas doubled at the same load per replica", snap: with(sick(cpu(0.45), traffic), rollout, scale(2, 4)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "checkout rolled out 2.15.0 (was 2.14.0) and now costs 2x the CPU per request; its autoscaler hid it by scaling to 2x the replicas")
				containsLine(t, "evidence", f.Evidence, "CPU against container limits (busiest container) on namespace=shop, workload=checkout, container=app went 2x per request (45% -> 45% per replica on 2x the replicas at 200 requests/s -> 200 requests/s)")
			}},
		{name: "scaled out for more traffic", snap: with(sick(cpu(0.45), read(SignalThroughput, 400, baseline(200), entity(400, 200, "job", "checkout"))), rollout, scale(2, 4))},
		{name: "under the ratio", snap: with(sick(cpu(0.3), traffic), rollout, scale(2, 4))},
		{name: "no scale-out", snap: with(sick(cpu(0.9), traffic), rollout)},
		{name: "no rollout", snap: with(sick(cpu(0.45), traffic), scale(2, 4))},
		{name: "missing CPU", snap: with(sick(absent(SignalContainerCPU), traffic), rollout, scale(2, 4))},
		{name: "NaN CPU", snap: with(sick(nan(SignalContainerCPU), traffic), rollout, scale(2, 4))},
	})
}
