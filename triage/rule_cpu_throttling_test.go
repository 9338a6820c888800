package triage

import (
	"strings"
	"testing"
)

func TestCPUThrottling(t *testing.T) {
	slow := read(SignalLatencyP99, 0.2, baseline(0.05))
	runRuleCases(t, cpuThrottlingRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalCPUThrottling, 0.24), slow)},
		{name: "at warning with latency up", snap: sick(read(SignalCPUThrottling, 0.25), slow), want: SeverityWarning},
		{name: "above critical with latency up", snap: sick(read(SignalCPUThrottling, 0.6), slow), want: SeverityCritical},
		{name: "above critical, latency normal", snap: sick(read(SignalCPUThrottling, 0.6)), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "the throttling does not hurt requests")
			}},
		{name: "above critical, latency not measured", snap: sick(read(SignalCPUThrottling, 0.6), absent(SignalLatencyP99)), want: SeverityWarning},
		{name: "missing", snap: sick(absent(SignalCPUThrottling), slow)},
		{name: "NaN", snap: sick(nan(SignalCPUThrottling), slow)},
		{name: "container at its limit and throttled: one finding", snap: sick(containerCPU(0.98), read(SignalCPUThrottling, 0.6,
			entity(0.6, 0.02, "namespace", "shop", "pod", "checkout-7d9f", "container", "app")), slow), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				if !strings.HasPrefix(f.Summary, "CPU-bound at its container limit: namespace=shop, pod=checkout-7d9f, container=app uses 98%") {
					t.Errorf("summary: %s", f.Summary)
				}
			}},
		// node_exporter answers cpu_utilization (a calm host): the
		// containers' own signal beside it still shows the limit.
		{name: "container at its limit beside a calm host", snap: sick(read(SignalContainerCPU, 0.85, baseline(0.4),
			entity(0.85, 0.4, "namespace", "search", "workload", "search-api", "container", "app")), read(SignalCPUThrottling, 0.35,
			entity(0.35, 0.02, "namespace", "search", "workload", "search-api", "container", "app")), slow), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				if !strings.HasPrefix(f.Summary, "CPU-bound at its container limit: namespace=search, workload=search-api, container=app uses 85%") {
					t.Errorf("summary: %s", f.Summary)
				}
			}},
	})
}

// containerCPU is cpu_utilization as cAdvisor measures it: one container,
// against its limit.
func containerCPU(v float64) Reading {
	r := read(SignalCPUUtilization, v, baseline(0.3), entity(v, 0.3, "namespace", "shop", "pod", "checkout-7d9f", "container", "app"))
	r.Tier, r.EntityLabels = TierContainer, []string{"namespace", "pod", "container"}
	return r
}

// A container at its limit is said once, by cpu-throttling.
func TestCPUSaturationLeavesAContainerAtItsLimitToThrottling(t *testing.T) {
	s := sick(containerCPU(0.98), read(SignalCPUThrottling, 0.6,
		entity(0.6, 0.02, "namespace", "shop", "pod", "checkout-7d9f", "container", "app")))
	if found := cpuSaturationRule.Run(s, DefaultRuleSettings()); len(found) != 0 {
		t.Errorf("cpu-saturation fired beside the container-limit finding: %s", found[0].Summary)
	}
}
