package triage

import "testing"

func TestThunderingHerd(t *testing.T) {
	collapsed := read(SignalCacheHitRatio, 0.6, baseline(0.95))
	runRuleCases(t, thunderingHerdRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "collapse, DB load below the spike ratio", snap: sick(collapsed, read(SignalDBTransactions, 990, baseline(500)))},
		{name: "collapse, DB load at the spike ratio", snap: sick(collapsed, read(SignalDBTransactions, 1000, baseline(500))), want: SeverityWarning},
		{name: "collapse, active connections 4x", snap: sick(collapsed, read(SignalDBActiveConnections, 20, baseline(5))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				if f.Score < 300 || f.Capacity == nil {
					t.Errorf("a herd is saturation: score %v", f.Score)
				}
			}},
		{name: "traffic grew as much", snap: sick(collapsed, read(SignalDBTransactions, 1500, baseline(500)), read(SignalThroughput, 300, baseline(100))),
			want: SeverityWarning, check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "plain growth")
			}},
		{name: "DB spike without collapse", snap: sick(read(SignalDBTransactions, 1500, baseline(500)))},
		{name: "DB load missing", snap: sick(collapsed, absent(SignalDBTransactions), absent(SignalDBActiveConnections))},
		{name: "cache NaN", snap: sick(nan(SignalCacheHitRatio), read(SignalDBTransactions, 1500, baseline(500)))},
		{name: "DB load NaN", snap: sick(collapsed, nan(SignalDBTransactions), nan(SignalDBActiveConnections))},
		{name: "DB load +Inf", snap: sick(collapsed, inf(SignalDBTransactions, baseline(500)), inf(SignalDBActiveConnections, baseline(5)))},
	})
}
