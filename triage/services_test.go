package triage

import (
	"strings"
	"testing"
	"time"
)

// serviceSnapshot is one service's P99 and throughput readings: now, the
// day before, its window start and its spread the day before.
func serviceSnapshot(p99, before, windowStart Value, normal *Spread, rps float64, series []Point) *Snapshot {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	job := map[string]string{"job": "checkout"}
	return &Snapshot{At: at, Readings: []Reading{
		{ID: SignalLatencyP99, Status: StatusOK, Value: p99, Baseline: before, EntityLabels: []string{"job"}, EntityCount: 1,
			Entities: []Entity{{Labels: job, Value: p99, Baseline: before, WindowStart: windowStart, Normal: normal, Series: series}}},
		{ID: SignalThroughput, Status: StatusOK, Value: Of(rps), Baseline: Of(rps), EntityLabels: []string{"job"}, EntityCount: 1,
			Entities: []Entity{{Labels: job, Value: Of(rps), Baseline: Of(rps), WindowStart: Of(rps)}}},
	}}
}

func TestRankServicesAgainstHistory(t *testing.T) {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	step := func(mins int, v float64) Point { return Point{T: at.Add(time.Duration(mins) * time.Minute), V: v} }
	for _, tc := range []struct {
		name            string
		p99, before, ws Value
		normal          *Spread
		rps             float64
		series          []Point
		anomalous       bool
		since           Since
		reason          string
		onset           string // "15:04" or "" for none; "<" prefix: before the window
	}{
		// The case: the window start is already inside the
		// incident (2.3 s); the day before says 47.5 ms.
		{name: "incident older than the window", p99: Of(2.36), before: Of(0.0475), ws: Of(2.3), normal: &Spread{Low: 0.045, High: 0.052}, rps: 50,
			series: []Point{step(-15, 2.3), step(-10, 2.35), step(0, 2.36)}, anomalous: true, since: SinceDayBefore,
			reason: "P99 2.36 s, 49.7x the day before (47.5 ms; 45 ms to 52 ms over the window the day before)", onset: "<11:45"},
		{name: "onset inside the window", p99: Of(0.5), before: Of(0.05), ws: Of(0.05), normal: &Spread{Low: 0.05, High: 0.05}, rps: 50,
			series: []Point{step(-15, 0.05), step(-10, 0.051), step(-9, 0.3), step(-5, 0.2), step(0, 0.5)}, anomalous: true, since: SinceDayBefore,
			reason: "steady at 50 ms over the window the day before", onset: "11:51"},
		// Now is within its own range over the window the day before.
		{name: "within its spread", p99: Of(0.09), before: Of(0.045), ws: Of(0.09), normal: &Spread{Low: 0.04, High: 0.095}, rps: 50, since: SinceDayBefore},
		{name: "without a spread read: against the day before", p99: Of(0.2), before: Of(0.05), ws: Of(0.2), rps: 50, anomalous: true, since: SinceDayBefore,
			reason: "P99 200 ms, 4x the day before (50 ms)"},
		// No day-before value: not judged, whatever the window start says.
		{name: "no history", p99: Of(2), before: None, ws: Of(0.05), rps: 50, reason: "not judged"},
		{name: "low traffic", p99: Of(0.5), before: Of(0.05), ws: Of(0.05), rps: 0.1, since: SinceDayBefore},
		{name: "no data is not 0", p99: None, before: Of(0.05), ws: Of(0.05), rps: 50, since: SinceDayBefore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := serviceSnapshot(tc.p99, tc.before, tc.ws, tc.normal, tc.rps, tc.series)
			if !tc.before.Usable() {
				s.Readings[1].Entities[0].Baseline = None
			}
			got := RankServices(s)
			if len(got) != 1 {
				t.Fatalf("%d services", len(got))
			}
			sc := got[0]
			if sc.Anomalous != tc.anomalous || sc.Since != tc.since {
				t.Errorf("anomalous %v since %q, want %v %q (score %v, %q)", sc.Anomalous, sc.Since, tc.anomalous, tc.since, sc.Score, sc.Reasons)
			}
			if tc.reason != "" && !strings.Contains(strings.Join(sc.Reasons, "; "), tc.reason) {
				t.Errorf("reasons %q, want %q", sc.Reasons, tc.reason)
			}
			var onset string
			if sc.Onset != nil {
				onset = sc.Onset.At.Format("15:04")
				if sc.Onset.Before {
					onset = "<" + onset
				}
			}
			if onset != tc.onset {
				t.Errorf("onset %q, want %q", onset, tc.onset)
			}
			if sc.Label != "job" {
				t.Errorf("label %q", sc.Label)
			}
		})
	}
}

// TestRankServicesWindowIndependent: the verdict of an incident older than
// the window is the same whatever the window start reads.
func TestRankServicesWindowIndependent(t *testing.T) {
	var verdicts []bool
	for _, ws := range []Value{Of(0.05), Of(1), Of(2.3)} {
		sc := RankServices(serviceSnapshot(Of(2.36), Of(0.0475), ws, nil, 50, nil))[0]
		verdicts = append(verdicts, sc.Anomalous)
	}
	if verdicts[0] != true || verdicts[1] != true || verdicts[2] != true {
		t.Errorf("verdicts %v over three window starts, want anomalous every time", verdicts)
	}
}

func TestServiceNotes(t *testing.T) {
	s := serviceSnapshot(Of(0.1), Of(0.1), Of(0.1), nil, 50, nil)
	s.Readings[0].EntityCount = 400
	s.Readings = append(s.Readings, Reading{ID: SignalServiceCalls, Status: StatusError, Reason: "answer over 1000 series"})
	notes := strings.Join(ServiceNotes(s, RankServices(s)), "\n")
	for _, want := range []string{"read for 1 of 400 services", "call graph too large or unreadable (answer over 1000 series)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	empty := &Snapshot{Selector: `job="chekout"`}
	if notes := ServiceNotes(empty, nil); len(notes) != 1 || !strings.Contains(notes[0], `--selector job="chekout" matches none`) {
		t.Errorf("selector matching nothing: %q", notes)
	}
}

// TestOnsetOrder: a root's onset is compared with its callers' on its
// path; a caller that left its normal first is said.
func TestOnsetOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	series := func(from int) []Point {
		var out []Point
		for m := -15; m <= 0; m++ {
			v := 0.05
			if m >= from {
				v = 0.5
			}
			out = append(out, Point{T: at.Add(time.Duration(m) * time.Minute), V: v})
		}
		return out
	}
	for _, tc := range []struct {
		name                   string
		callerFrom, calleeFrom int
		want                   string
	}{
		{"root first", -10, -12, "its onset precedes or equals its callers'"},
		{"together", -10, -10, "its onset precedes or equals its callers'"},
		{"caller first", -12, -10, "onsets disagree with depth: web left its normal at 11:48:00Z, before ledger (11:50:00Z)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entity := func(job string, from int) Entity {
				return Entity{Labels: map[string]string{"job": job}, Value: Of(0.5), Baseline: Of(0.05), Series: series(from)}
			}
			rps := func(job string) Entity {
				return Entity{Labels: map[string]string{"job": job}, Value: Of(100), Baseline: Of(100)}
			}
			s := &Snapshot{At: at, Readings: []Reading{
				{ID: SignalLatencyP99, Status: StatusOK, Value: Of(0.5), Entities: []Entity{entity("web", tc.callerFrom), entity("ledger", tc.calleeFrom)}},
				{ID: SignalThroughput, Status: StatusOK, Value: Of(200), Entities: []Entity{rps("web"), rps("ledger")}},
				{ID: SignalServiceCalls, Status: StatusOK, Value: Of(100), Entities: []Entity{{Labels: map[string]string{"client": "web", "server": "ledger"}, Value: Of(100)}}},
			}}
			ranked := RankServices(s)
			if ranked[0].Name != "ledger" || !ranked[0].Root || ranked[0].OnsetOrder != tc.want {
				t.Errorf("first %s root %v order %q, want ledger, root, %q", ranked[0].Name, ranked[0].Root, ranked[0].OnsetOrder, tc.want)
			}
		})
	}
}
