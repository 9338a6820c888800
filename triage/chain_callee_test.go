package triage

import (
	"strings"
	"testing"
)

// TestCalleeChain follows callers' slowdown and failures along the service
// graph to the deepest service that got slow: latency-regression names it
// and links the path, error-spike at a caller says it is its victim and
// ranks below; without a graph, or with a callee that did not slow down,
// nothing is claimed.
func TestCalleeChain(t *testing.T) {
	graph := read(SignalServiceCalls, 600, baseline(600), entity(300, 300, "client", "frontend", "server", "api"), entity(300, 300, "client", "api", "server", "inventory"))
	p99 := func(inventory float64) Reading {
		return read(SignalLatencyP99, 0.93, baseline(0.024), entity(0.93, 0.024, "job", "api"), entity(0.9, 0.024, "job", "frontend"), entity(inventory, 0.024, "job", "inventory"))
	}
	errs := read(SignalErrorRatio, 0.1, baseline(0), entity(0.1, 0, "job", "api"), entity(0.1, 0, "job", "frontend"))
	says := func(link string, want ...string) func(*testing.T, Finding) {
		return func(t *testing.T, f Finding) {
			if f.Link != link {
				t.Errorf("link %q, want %q", f.Link, link)
			}
			all := f.Summary + "\n" + strings.Join(f.Evidence, "\n")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("no %q in %s", w, all)
				}
			}
		}
	}
	const path = "service graph: api -> inventory"
	runRuleCases(t, latencyRegressionRule, []ruleCase{
		{name: "the time goes in the slowed callee", snap: sick(graph, p99(0.242)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				says(path, "P99 is 930 ms on api", "the time goes in inventory, which it calls (P99 242 ms, 10.1x the day before)")(t, f)
				// The cause leads, though the callers' P99 is larger.
				if len(f.Entities) == 0 || f.Entities[0].Entity.Labels["job"] != "inventory" {
					t.Errorf("first entity %+v, want inventory's P99", f.Entities)
				}
				if len(f.Evidence) == 0 || !strings.HasPrefix(f.Evidence[0], "Latency P99 on inventory: 242 ms") {
					t.Errorf("first evidence %q, want inventory's own P99", f.Evidence)
				}
			}},
		{name: "the callee did not slow down", snap: sick(graph, p99(0.024)), want: SeverityCritical, check: says("", "the time goes in the code or a dependency")},
		{name: "no service graph", snap: sick(p99(0.242)), want: SeverityCritical, check: says("", "the time goes in the code or a dependency")},
	})
	runRuleCases(t, errorSpikeRule, []ruleCase{
		{name: "the callers' failures are the callee's timeouts", snap: sick(graph, p99(0.242), errs), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				says(path, "A victim, not the cause: 10% of api's requests fail while inventory")(t, f)
				if f.Score >= score(classSymptom, SeverityCritical, 0.01) {
					t.Errorf("a victim ranks below its cause: score %v", f.Score)
				}
			}},
		{name: "no slowed callee: the errors are the finding", snap: sick(graph, p99(0.024), errs), want: SeverityCritical, check: says("", "find which resource or dependency fails first")},
	})
}
