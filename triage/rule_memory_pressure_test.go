package triage

import (
	"slices"
	"strings"
	"testing"
)

func TestMemoryPressure(t *testing.T) {
	runRuleCases(t, memoryPressureRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "below warning", snap: sick(read(SignalMemoryUtilization, 0.79))},
		{name: "at warning", snap: sick(read(SignalMemoryUtilization, 0.8)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				if f.Capacity != nil {
					t.Error("memory is not in the capacity maths")
				}
			}},
		{name: "above critical", snap: sick(read(SignalMemoryUtilization, 0.95)), want: SeverityCritical},
		{name: "at warning, no process killed", snap: sick(read(SignalMemoryUtilization, 0.85), oomKills(0, 0)), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "OOM kills on app-1:9100: 0 kills, 30m increase (day before: 0 kills) — no process was OOM-killed: the pressure does not hurt yet")
				containsLine(t, "summary", []string{f.Summary}, "next come OOM kills or swapping")
			}},
		// A kill is the harm itself: critical, worded as what happened.
		{name: "at warning with OOM kills", snap: sick(read(SignalMemoryUtilization, 0.85, baseline(0.5)), oomKills(2, 0)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "OOM kills on app-1:9100: 2 kills, 30m increase (day before: 0 kills) — at or above warning threshold 1")
				containsLine(t, "summary", []string{f.Summary}, "Memory pressure already kills processes: 2 OOM kills on app-1:9100 (30m increase), and the fullest host or container uses 85% of its memory")
				if f.Change != ChangeNew || f.Score < 300 {
					t.Errorf("change %s score %v: a new kill is saturation", f.Change, f.Score)
				}
			}},
		{name: "OOM kill, memory back under its threshold", snap: sick(read(SignalMemoryUtilization, 0.5, baseline(0.5)), oomKills(1, 0)), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "Memory pressure already kills processes: 1 OOM kill on app-1:9100 (30m increase)")
				containsLine(t, "against", f.Against, "50% now (day before: 50%, 1x) — under its threshold now: a kill frees memory")
			}},
		{name: "OOM kills across hosts", snap: sick(read(SignalMemoryUtilization, 0.5, baseline(0.5)),
			read(SignalOOMKills, 3, measuredBy("node_exporter"), baseline(0), entity(2, 0, "instance", "app-2:9100"), entity(1, 0, "instance", "app-3:9100"), entity(0, 0, "instance", "app-1:9100"), summed())), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "already kills processes: 3 OOM kills across 3 hosts, on app-2:9100, app-3:9100 (30m increase)")
			}},
		{name: "OOM kills missing", snap: sick(read(SignalMemoryUtilization, 0.79), absent(SignalOOMKills))},
		{name: "missing", snap: sick(absent(SignalMemoryUtilization))},
		{name: "NaN", snap: sick(nan(SignalMemoryUtilization), nan(SignalOOMKills))},
	})
	for _, f := range Diagnose(sick(read(SignalMemoryUtilization, 0.95), oomKills(3, 0)), DefaultRuleSettings()).Findings {
		for _, line := range append([]string{f.Summary}, f.Evidence...) {
			if strings.Contains(line, "will") {
				t.Errorf("%s: a kill that happened is worded as a forecast: %q", f.ID, line)
			}
		}
	}
}

// oomKills is n OOM kills on app-1:9100 in the last 30 minutes, dayBefore
// the day before.
func oomKills(n, dayBefore float64) Reading {
	return read(SignalOOMKills, n, measuredBy("node_exporter"), baseline(dayBefore), entity(n, dayBefore, "instance", "app-1:9100"))
}

// measuredBy has the reading answered by the catalog's candidate of that
// exporter instead of its first (kube-state-metrics for OOM kills).
func measuredBy(exporter string) readingOption {
	return func(r *Reading) {
		d, _ := defaultCatalog().Def(r.ID)
		i := slices.IndexFunc(d.Candidates, func(c Candidate) bool { return c.Exporter == exporter })
		r.MeasuredBy(d.Candidates[i], d.Candidates[i].Expand("", "5m"), "5m")
	}
}

// summed marks a reading whose entities add up, as the collector marks a
// signal with aggregate: sum.
func summed() readingOption { return func(r *Reading) { r.Aggregate = AggregateSum } }
