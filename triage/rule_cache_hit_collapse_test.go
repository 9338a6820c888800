package triage

import "testing"

func TestCacheHitCollapse(t *testing.T) {
	runRuleCases(t, cacheHitCollapseRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "above warning band, small drop", snap: sick(read(SignalCacheHitRatio, 0.81, baseline(0.9)))},
		{name: "at warning band", snap: sick(read(SignalCacheHitRatio, 0.8, baseline(0.85))), want: SeverityWarning},
		{name: "below critical band", snap: sick(read(SignalCacheHitRatio, 0.3, baseline(0.95))), want: SeverityCritical},
		{name: "drop at the setting above the band", snap: sick(read(SignalCacheHitRatio, 0.89, baseline(0.99))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "The miss share of reads is 11x the day before's")
			}},
		{name: "evictions support it", snap: sick(read(SignalCacheHitRatio, 0.5, baseline(0.95)), read(SignalCacheEvictions, 50)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Cache evictions: 50 /s")
			}},
		{name: "missing", snap: sick(absent(SignalCacheHitRatio))},
		{name: "NaN", snap: sick(nan(SignalCacheHitRatio))},
	})
}
