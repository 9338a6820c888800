package main

import (
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/internal/replaytest"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// checkPairs is issue 19's "one entity, one pair" on a scenario's report:
// a busiest or lowest signal's value, day-before value and window start are
// all its value's entity's, and every finding sentence that prints an
// entity's value sets only that entity's own earlier numbers beside it.
func checkPairs(t *testing.T, r report.V1) {
	t.Helper()
	cat := triage.DefaultCatalog()
	var printed []replaytest.PrintedEntity
	for _, s := range r.Signals {
		def, _ := cat.Def(s.ID)
		for i, e := range s.Entities {
			printed = append(printed, replaytest.PrintedEntity{
				Subject: s.Title + " on " + e.Name, Value: jsonFormat(e.Value, s.Unit),
				Baseline: jsonFormat(e.Baseline, s.Unit), WindowStart: jsonFormat(e.WindowStart, s.Unit),
			})
			if i > 0 || def.Aggregate == triage.AggregateSum || s.Value == nil || e.Value == nil || *s.Value != *e.Value {
				continue
			}
			if jsonFormat(s.Baseline, s.Unit) != jsonFormat(e.Baseline, s.Unit) || jsonFormat(s.WindowStart, s.Unit) != jsonFormat(e.WindowStart, s.Unit) {
				t.Errorf("%s: value %s is %s's, but baseline %s / window start %s are not its %s / %s", s.ID, fmtPtr(s.Value), e.Name,
					fmtPtr(s.Baseline), fmtPtr(s.WindowStart), fmtPtr(e.Baseline), fmtPtr(e.WindowStart))
			}
		}
	}
	var text []string
	for _, f := range r.Findings {
		text = append(text, f.Summary)
		text = append(text, f.Evidence...)
		text = append(text, f.Against...)
	}
	bad, _ := replaytest.PairMismatches(strings.Join(text, "\n"), printed)
	for _, b := range bad {
		t.Error(b)
	}
}

// jsonFormat prints a report number as the writers print it: null is no data.
func jsonFormat(v *float64, unit triage.Unit) string {
	if v == nil {
		return triage.Format(triage.None, unit, false)
	}
	return triage.Format(triage.Of(*v), unit, false)
}
