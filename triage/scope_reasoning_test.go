package triage

import (
	"slices"
	"strings"
	"testing"
)

// With checkout selected (its instance on host checkout-1), the ETL host
// etl-1 is linked to nothing: at 97 % as the day before it bounds none of
// checkout's capacity (checkout's own host does) and competes with nothing;
// at 97 % from 30 % it may still compete (an unknown link that changed is
// not ruled out).
func TestScopeInReasoning(t *testing.T) {
	scoped := func(etlBefore float64, ownHost bool) *Snapshot {
		hosts := []readingOption{baseline(etlBefore), entity(0.97, etlBefore, "instance", "etl-1:9100")}
		if ownHost {
			hosts = append(hosts, entity(0.3, 0.3, "instance", "checkout-1:9100"))
		}
		s := sick(
			read(SignalAppPoolWaiting, 25, baseline(0), entity(25, 0, "instance", "checkout-1:8080", "pool", "checkout")),
			read(SignalCPUUtilization, 0.97, hosts...),
		)
		s.Scope = &ServiceScope{Selector: `job="checkout"`, Identity: map[string][]string{"instance": {"checkout-1:8080"}}}
		return s
	}
	chronic := scoped(0.97, true)
	c := ComputeCapacity(chronic, DefaultRuleSettings().ProjectionMultiples)
	if !slices.Contains(c.Unlinked, "CPU utilization (busiest host) on etl-1:9100") {
		t.Errorf("unlinked %q", c.Unlinked)
	}
	i := slices.IndexFunc(c.Loads, func(u Utilization) bool { return u.Signal == SignalCPUUtilization })
	if i < 0 || c.Loads[i].Value != 0.3 {
		t.Errorf("CPU in the law must be checkout's host's 30%%: %+v", c.Loads)
	}
	if !strings.Contains(c.Statement(chronic), "not linked to the service, so left out: CPU utilization (busiest host) on etl-1:9100") {
		t.Errorf("statement: %s", c.Statement(chronic))
	}
	against := func(s *Snapshot) string {
		found := dbPoolExhaustionRule.Run(s, DefaultRuleSettings())
		return strings.Join(found[0].Against, "\n")
	}
	if a := against(scoped(0.97, false)); !strings.Contains(a, "etl-1:9100") || !strings.Contains(a, "it explains nothing") || strings.Contains(a, "competing") {
		t.Errorf("an unlinked unchanged host is never competing:\n%s", a)
	}
	if a := against(scoped(0.3, false)); !strings.Contains(a, "on etl-1:9100: 97%") || !strings.Contains(a, "a competing explanation") {
		t.Errorf("an unlinked host that changed is not ruled out:\n%s", a)
	}
}

// A traffic surge says which routes brought it.
func TestTrafficSurgeNamesItsRoutes(t *testing.T) {
	tp := read(SignalThroughput, 1200, baseline(576), entity(1200, 576, "job", "app"))
	tp.Contributors = []Contributor{{Signal: SignalThroughput, Entity: map[string]string{"job": "app"},
		Labels: map[string]string{"handler": "/export", "code": "200"}, Now: Of(630), Before: Of(6), Unit: UnitRPS, Share: 0.998}}
	s := sick(tp, read(SignalLatencyP99, 0.5, baseline(0.05)))
	found := latencyRegressionRule.Run(s, DefaultRuleSettings())
	if len(found) != 1 {
		t.Fatalf("%d findings", len(found))
	}
	containsLine(t, "evidence", found[0].Evidence, "Who brought the change: app's Throughput: +105x on code=200, handler=/export (6 requests/s -> 630 requests/s), 99.8% of the increase")
	if len(found[0].Contributors) != 1 {
		t.Errorf("contributors %+v", found[0].Contributors)
	}
}
