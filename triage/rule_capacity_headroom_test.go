package triage

import (
	"strings"
	"testing"
)

func TestCapacityHeadroom(t *testing.T) {
	runRuleCases(t, capacityHeadroomRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "theoretical max throughput ≈ 100 requests/s / 40% = 250 requests/s")
				containsLine(t, "evidence", f.Evidence, "At 2x load:")
			}},
		// 50% at 576 requests/s the day before, 100% at 6.5 now: slowness,
		// not load, fills the pool, so current/utilization is no ceiling.
		{name: "saturated by slowness stays info", snap: poolExhaustion(), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "no theoretical max from today's numbers, since utilization is not proportional to load")
				containsLine(t, "summary", []string{f.Summary}, "at the earlier cost per request it would saturate near 1150 requests/s")
				if f.Capacity.MaxThroughput.Known || f.Capacity.BaselineMaxThroughput.V != 1152 {
					t.Errorf("capacity %+v", f.Capacity)
				}
			}},
		{name: "no day before: the window start decides", snap: sick(read(SignalDBPoolUtilization, 1, windowStart(0.2)), read(SignalThroughput, 20, windowStart(19))), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "was 20% at 19 requests/s at the window start")
			}},
		{name: "idle at the window start, full now at the same rate", snap: sick(read(SignalDBPoolUtilization, 1, windowStart(0)), read(SignalThroughput, 20, windowStart(19))), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "was 0% at 19 requests/s at the window start and is 100% at 20 requests/s now, so slowness, not requests, fills it")
				if f.Capacity.MaxThroughput.Known || f.Capacity.BaselineMaxThroughput.Known {
					t.Errorf("no ceiling can be derived: %+v", f.Capacity)
				}
				containsLine(t, "evidence", f.Evidence, "read them as no forecast")
			}},
		{name: "no traffic now", snap: sick(read(SignalThroughput, 0, baseline(100))), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "(no throughput to divide: not measured, or 0)")
				if f.Capacity.MaxThroughput.Known || strings.Contains(f.Summary, "Inf") {
					t.Errorf("capacity %+v: %s", f.Capacity, f.Summary)
				}
			}},
		{name: "saturated by load stays info", snap: sick(read(SignalDBPoolUtilization, 1, baseline(0.5)), read(SignalThroughput, 200, baseline(100))), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "200 requests/s / 100% = 200 requests/s: current throughput is its ceiling")
			}},
		{name: "throughput missing", snap: sick(absent(SignalThroughput)), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "saturates at 1 / 40% = 2.5x current load (no throughput to divide: not measured, or 0)")
				containsLine(t, "against", f.Against, "Throughput: not measured")
			}},
		{name: "no utilization measured", snap: snapshot(read(SignalThroughput, 100))},
		{name: "utilizations NaN", snap: snapshot(read(SignalThroughput, 100), nan(SignalCPUUtilization), nan(SignalDBPoolUtilization))},
		{name: "utilizations +Inf", snap: snapshot(read(SignalThroughput, 100), inf(SignalCPUUtilization), inf(SignalDBPoolUtilization))},
	})
}
