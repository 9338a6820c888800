package triage

import "testing"

func TestCapacityHeadroom(t *testing.T) {
	runRuleCases(t, capacityHeadroomRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "theoretical max ≈ 250 requests/s (current 100 requests/s / 40%)")
				containsLine(t, "evidence", f.Evidence, "At 2x load:")
			}},
		{name: "saturated stays info", snap: poolExhaustion(), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "saturated already")
			}},
		{name: "throughput missing", snap: sick(absent(SignalThroughput)), want: SeverityInfo,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "saturates at 2.5x current load (throughput not measured)")
				containsLine(t, "against", f.Against, "Throughput: not measured")
			}},
		{name: "no utilization measured", snap: snapshot(read(SignalThroughput, 100))},
		{name: "utilizations NaN", snap: snapshot(read(SignalThroughput, 100), nan(SignalCPUUtilization, true), nan(SignalDBPoolUtilization, false))},
	})
}
