package triage

import (
	"math"
	"strings"
	"testing"
)

func TestChangeClassification(t *testing.T) {
	warn, crit := 0.8, 0.95
	util := Thresholds{Direction: Above, Warning: &warn, Critical: &crit}
	hitWarn, hitCrit := 0.8, 0.5
	hits := Thresholds{Direction: Below, Warning: &hitWarn, Critical: &hitCrit}
	relWarn, relCrit := 2.0, 5.0
	latency := Thresholds{Direction: Above, BaselineWarning: &relWarn, BaselineCritical: &relCrit}
	nan := Of(math.NaN())
	for _, tc := range []struct {
		name                   string
		t                      Thresholds
		now, dayBefore, wstart Value
		want                   Change
		since                  Since
	}{
		{"fine then, hot now", util, Of(0.97), Of(0.3), None, ChangeNew, SinceDayBefore},
		{"hot both days, same", util, Of(0.97), Of(0.97), None, ChangeUnchanged, SinceDayBefore},
		{"within the noise margin", util, Of(0.99), Of(0.96), None, ChangeUnchanged, SinceDayBefore},
		{"warning then, critical now", util, Of(0.97), Of(0.85), None, ChangeWorse, SinceDayBefore},
		{"hot both, well above", Thresholds{Direction: Above, Warning: &warn}, Of(3), Of(1), None, ChangeWorse, SinceDayBefore},
		{"critical then, warning now", util, Of(0.9), Of(0.97), None, ChangeBetter, SinceDayBefore},
		{"hot then, fine now", util, Of(0.5), Of(0.97), None, ChangeBetter, SinceDayBefore},
		{"fine both days", util, Of(0.3), Of(0.2), None, ChangeUnchanged, SinceDayBefore},
		{"no day before: window start", util, Of(0.97), None, Of(0.3), ChangeNew, SinceWindowStart},
		{"nothing earlier", util, Of(0.97), None, None, ChangeUnknown, ""},
		{"NaN now", util, nan, Of(0.3), None, ChangeUnknown, ""},
		{"low hit ratio both days", hits, Of(0.35), Of(0.35), None, ChangeUnchanged, SinceDayBefore},
		{"hit ratio collapsed", hits, Of(0.35), Of(0.99), None, ChangeNew, SinceDayBefore},
		{"latency 10x the day before", latency, Of(0.5), Of(0.05), None, ChangeNew, SinceDayBefore},
		{"latency as the day before", latency, Of(0.05), Of(0.05), None, ChangeUnchanged, SinceDayBefore},
	} {
		got, since := tc.t.Change(tc.now, tc.dayBefore, tc.wstart)
		if got != tc.want || since != tc.since {
			t.Errorf("%s: %s since %q, want %s since %q", tc.name, got, since, tc.want, tc.since)
		}
	}
}

// A chronic condition beside the incident: the batch host's 97 % CPU was
// there the day before, the pool waiters are new. The new one ranks first;
// the chronic one is at most a warning, names its host and never says it
// changed.
func TestChronicConditionRanksBelowTheChange(t *testing.T) {
	s := sick(
		read(SignalCPUUtilization, 0.97, baseline(0.97),
			entity(0.97, 0.97, "instance", "batch-1:9100"), entity(0.31, 0.3, "instance", "app-1:9100")),
		read(SignalAppPoolWaiting, 12, baseline(0)),
		read(SignalAppPoolUtilization, 1, baseline(0.4)),
	)
	d := Diagnose(s, DefaultRuleSettings())
	if len(d.Findings) < 2 || d.Findings[0].ID != "db-pool-exhaustion" {
		t.Fatalf("top finding: %v", ids(d.Findings))
	}
	if top := d.Findings[0]; top.Change != ChangeNew {
		t.Errorf("pool exhaustion change %q, want new", top.Change)
	}
	var cpu Finding
	for _, f := range d.Findings {
		if f.ID == "cpu-saturation" {
			cpu = f
		}
	}
	if cpu.ID == "" {
		t.Fatalf("no cpu-saturation finding: %v", ids(d.Findings))
	}
	if cpu.Change != ChangeUnchanged || cpu.Severity != SeverityWarning {
		t.Errorf("chronic CPU: change %q severity %s", cpu.Change, cpu.Severity)
	}
	for _, want := range []string{"Chronic, not what changed", "batch-1:9100", "97% the day before (unchanged)"} {
		if !strings.Contains(cpu.Summary, want) {
			t.Errorf("chronic summary lacks %q: %s", want, cpu.Summary)
		}
	}
	for _, word := range []string{"fell", "rose", "grew"} {
		if strings.Contains(cpu.Summary, word) {
			t.Errorf("a chronic condition worded as a change (%q): %s", word, cpu.Summary)
		}
	}
	if len(cpu.Entities) != 1 || cpu.Entities[0].Name != "batch-1:9100" {
		t.Errorf("entities %+v: only the hot host is named", cpu.Entities)
	}
}

// A database at its connection limit the day before too does not explain
// clients that wait now: the pool finding says so and ranks first.
func TestChronicConnectionLimitExplainsNoNewWait(t *testing.T) {
	s := sick(
		read(SignalAppPoolWaiting, 12, baseline(0)),
		read(SignalAppPoolUtilization, 1, baseline(0.4)),
		read(SignalDBConnectionUtil, 0.92, baseline(0.92), entity(0.92, 0.92, "instance", "analytics-db:9187"), entity(0.15, 0.14, "instance", "checkout-db:9187")),
	)
	d := Diagnose(s, DefaultRuleSettings())
	if d.Findings[0].ID != "db-pool-exhaustion" {
		t.Fatalf("top finding %v, want db-pool-exhaustion", ids(d.Findings))
	}
	if sum := d.Findings[0].Summary; !strings.Contains(sum, "that limit is chronic") || !strings.Contains(sum, "analytics-db:9187") || strings.Contains(sum, "because the database is at its connection limit") {
		t.Errorf("pool summary: %s", sum)
	}
	for _, f := range d.Findings {
		if f.ID == "db-connection-ceiling" && (f.Change != ChangeUnchanged || f.Severity == SeverityCritical || !strings.Contains(f.Summary, "analytics-db:9187")) {
			t.Errorf("chronic ceiling: change %s severity %s summary %s", f.Change, f.Severity, f.Summary)
		}
	}
}

// Issue 19's two cases and their mirrors: a change is a move beyond the
// value's own spread the day before, whatever its threshold state.
func TestChangeWithinSpread(t *testing.T) {
	cpu := Thresholds{Direction: Above, Warning: ptr(0.8), Critical: ptr(0.95)}
	hits := Thresholds{Direction: Below, Warning: ptr(0.8), Critical: ptr(0.5)}
	p99 := Thresholds{Direction: Above, BaselineWarning: ptr(2), BaselineCritical: ptr(5)} // judged against the day before only
	for _, tc := range []struct {
		name            string
		t               Thresholds
		now, dayBefore  float64
		normal          *Spread
		want, withoutIt Change
	}{
		{"doubled under the threshold", cpu, 0.58, 0.30, &Spread{Low: 0.28, High: 0.32}, ChangeWorse, ChangeUnchanged},
		{"noisy above the threshold, within its spread", cpu, 0.97, 0.84, &Spread{Low: 0.84, High: 0.97}, ChangeUnchanged, ChangeWorse},
		{"crossed into a state the spread never reached", cpu, 0.97, 0.30, &Spread{Low: 0.28, High: 0.32}, ChangeNew, ChangeNew},
		{"hot within a spread that was hot too", cpu, 0.90, 0.50, &Spread{Low: 0.5, High: 0.92}, ChangeUnchanged, ChangeNew},
		{"fell below its spread", cpu, 0.10, 0.30, &Spread{Low: 0.28, High: 0.32}, ChangeBetter, ChangeUnchanged},
		{"a ratio that gets worse downwards fell", hits, 0.70, 0.95, &Spread{Low: 0.93, High: 0.96}, ChangeNew, ChangeNew},
		{"a ratio that rose above its spread", hits, 0.99, 0.85, &Spread{Low: 0.84, High: 0.87}, ChangeBetter, ChangeUnchanged},
		{"no direction: thresholds alone", Thresholds{}, 600, 300, &Spread{Low: 290, High: 310}, ChangeUnchanged, ChangeUnchanged},
		{"3x the day-before point, inside its band", p99, 0.075, 0.025, &Spread{Low: 0.024, High: 0.2}, ChangeUnchanged, ChangeNew},
		{"3x the day-before point, beyond its band", p99, 0.3, 0.025, &Spread{Low: 0.024, High: 0.06}, ChangeNew, ChangeNew},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := tc.t.ChangeWithin(Of(tc.now), Of(tc.dayBefore), None, tc.normal); got != tc.want {
				t.Errorf("with its spread: %s, want %s", got, tc.want)
			}
			if got, _ := tc.t.ChangeWithin(Of(tc.now), Of(tc.dayBefore), None, nil); got != tc.withoutIt {
				t.Errorf("without it: %s, want %s", got, tc.withoutIt)
			}
		})
	}
}
