package triage

import "testing"

func TestErrorSpike(t *testing.T) {
	runRuleCases(t, errorSpikeRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below 2x the day before", snap: sick(read(SignalErrorRatio, 0.0019, baseline(0.001)))},
		{name: "at 2x the day before", snap: sick(read(SignalErrorRatio, 0.002, baseline(0.001))), want: SeverityWarning},
		{name: "2x the day before but inside its own band", snap: sick(read(SignalErrorRatio, 0.004, baseline(0.001), band(0.001, 0.005)))},
		{name: "2x the day before and beyond its own band", snap: sick(read(SignalErrorRatio, 0.004, baseline(0.001), band(0.001, 0.002))), want: SeverityWarning},
		{name: "3x the day before but under the floor", snap: sick(read(SignalErrorRatio, 0.0006, baseline(0.0002)))},
		{name: "new errors, none the day before", snap: sick(read(SignalErrorRatio, 0.005, baseline(0))), want: SeverityWarning},
		{name: "at the warning band", snap: sick(read(SignalErrorRatio, 0.01, baseline(0.01))), want: SeverityWarning},
		{name: "above critical", snap: sick(read(SignalErrorRatio, 0.2, baseline(0.001))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "20%, 5m average (day before: 0.1%, 200x)")
			}},
		{name: "missing", snap: sick(absent(SignalErrorRatio))},
		{name: "NaN", snap: sick(nan(SignalErrorRatio))},
	})
}

// band is a reading's own normal band, as the second round reads it.
func band(low, high float64) readingOption {
	return func(r *Reading) { r.Normal = &Spread{Low: low, High: high} }
}
