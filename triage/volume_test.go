package triage

import (
	"strings"
	"testing"
	"time"
)

// fleetVolume is a snapshot whose error ratio and P99 have one entity per
// job, with each job's requests/s in the throughput (5m rate window).
func fleetVolume(errs, p99 []readingOption, rps map[string]float64) *Snapshot {
	var traffic []readingOption
	total := 0.0
	for job, v := range rps {
		traffic = append(traffic, entity(v, v, "job", job))
		total += v
	}
	s := sick(
		read(SignalThroughput, total, append(traffic, baseline(total))...),
		read(SignalErrorRatio, 0.001, errs...),
		read(SignalLatencyP99, 0.05, p99...),
	)
	s.RateWindow = 5 * time.Minute
	for i := range s.Readings {
		r := &s.Readings[i]
		r.Aggregate = AggregateMax
		if r.ID == SignalThroughput {
			r.Aggregate = AggregateSum
		}
		if len(r.Entities) > 0 && r.ID != SignalThroughput {
			// The value is the worst entity's, as the collector pairs it.
			r.Value = r.Entities[0].Value
			r.PairWithValueEntity()
			r.Status, r.Reason = r.Thresholds.Judge(*r)
		}
	}
	return s
}

func findingOf(d Diagnosis, id RuleID) (Finding, bool) {
	for _, f := range d.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

func TestVolume(t *testing.T) {
	calm := []readingOption{entity(0.05, 0.045, "job", "frontend")}
	for _, tc := range []struct {
		name      string
		errs, p99 []readingOption
		rps       map[string]float64
		// finding is the error-spike's or latency-regression's severity
		// ("" none), value the reading's value after weighing, first the
		// finding's first evidence line's start, status the reading's.
		id       RuleID
		finding  string
		change   Change
		first    string
		evidence string
		against  string
		reason   string
	}{
		{name: "3 failures of a function: not judged",
			errs: []readingOption{entity(1, 0, "job", "fn"), entity(0.0002, 0.0002, "job", "frontend")},
			p99:  calm, rps: map[string]float64{"fn": 0.01, "frontend": 300},
			id: RuleErrorSpike},
		{name: "no failing service over the minimum: the reading says so",
			errs: []readingOption{entity(1, 0, "job", "fn")},
			p99:  calm, rps: map[string]float64{"fn": 0.01, "frontend": 300},
			id: RuleErrorSpike, reason: "3 failures in 5 min, under the minimum of 5: not judged on fn"},
		{name: "30 failures of a function: judged, and said",
			errs: []readingOption{entity(1, 0, "job", "fn"), entity(0.0002, 0.0002, "job", "frontend")},
			p99:  calm, rps: map[string]float64{"fn": 0.1, "frontend": 300},
			id: RuleErrorSpike, finding: string(SeverityCritical), change: ChangeNew,
			first: "Error ratio (5xx) on fn: 100%", evidence: "Failed requests on fn: 30 failures in 5 min (0.1/s)"},
		{name: "ranked by failed requests, not by the ratio alone",
			errs: []readingOption{entity(1, 0, "job", "fn"), entity(0.06, 0, "job", "api")},
			p99:  calm, rps: map[string]float64{"fn": 0.1, "api": 100},
			id: RuleErrorSpike, finding: string(SeverityCritical), change: ChangeNew,
			first: "Error ratio (5xx) on api: 6%", evidence: "Failed requests on api: 1800 failures in 5 min (6/s)"},
		{name: "an unchanged function never stands for a new failure",
			errs: []readingOption{entity(1, 1, "job", "fn"), entity(0.06, 0, "job", "api")},
			p99:  calm, rps: map[string]float64{"fn": 10, "api": 10},
			id: RuleErrorSpike, finding: string(SeverityCritical), change: ChangeNew,
			first:   "Error ratio (5xx) on api: 6%, 5m average (180 failures in 5 min), 0% the day before (new)",
			against: "Error ratio (5xx) on fn: 100%, 5m average (day before: 100%, 1x) — at or above critical threshold 5% — unchanged: not what changed"},
		{name: "a P99 over 12 requests: shown with its count, not judged",
			errs: []readingOption{entity(0, 0, "job", "frontend")},
			p99:  []readingOption{entity(0.5, 0.02, "job", "reports"), entity(0.05, 0.045, "job", "frontend")},
			rps:  map[string]float64{"reports": 0.04, "frontend": 300},
			id:   RuleLatencyRegression},
		{name: "a P99 over enough requests is judged",
			errs: []readingOption{entity(0, 0, "job", "frontend")},
			p99:  []readingOption{entity(0.5, 0.02, "job", "frontend")},
			rps:  map[string]float64{"frontend": 300},
			id:   RuleLatencyRegression, finding: string(SeverityCritical), change: ChangeNew, first: "Latency P99 on frontend: 500 ms"},
		{name: "every P99 over too few requests: the reading says so",
			errs: []readingOption{entity(0, 0, "job", "frontend")},
			p99:  []readingOption{entity(0.5, 0.02, "job", "reports")},
			rps:  map[string]float64{"reports": 0.04},
			id:   RuleLatencyRegression, reason: "a quantile over 12 requests in 5 min, under the minimum of 100: not judged on reports"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fleetVolume(tc.errs, tc.p99, tc.rps)
			d := Diagnose(s, DefaultRuleSettings())
			Diagnose(s, DefaultRuleSettings()) // weighing twice changes nothing
			f, ok := findingOf(d, tc.id)
			if got := string(f.Severity); !ok && tc.finding != "" || ok && got != tc.finding {
				t.Fatalf("%s: %q (%v), want %q: %q", tc.id, got, ok, tc.finding, f.Evidence)
			}
			if ok {
				if f.Change != tc.change {
					t.Errorf("change %s, want %s", f.Change, tc.change)
				}
				if !strings.HasPrefix(f.Evidence[0], tc.first) {
					t.Errorf("first evidence %q, want it to start %q", f.Evidence[0], tc.first)
				}
				if tc.evidence != "" {
					containsLine(t, "evidence", f.Evidence, tc.evidence)
				}
				if tc.against != "" {
					containsLine(t, "against", f.Against, tc.against)
				}
			}
			if tc.reason != "" {
				id := SignalErrorRatio
				if tc.id == "latency-regression" {
					id = SignalLatencyP99
				}
				if r, _ := s.Get(id); r.Status != StatusOK || r.Reason != tc.reason {
					t.Errorf("%s: %s %q, want ok %q", id, r.Status, r.Reason, tc.reason)
				}
			}
		})
	}
}

func TestVolumeUnknownIsJudged(t *testing.T) {
	// Without the throughput's entity (another exporter, or dropped from
	// the kept ones) the volume is unknown: judged as before, never
	// silenced on a guess.
	s := fleetVolume([]readingOption{entity(1, 0, "job", "fn")}, nil, map[string]float64{"other": 5})
	d := Diagnose(s, DefaultRuleSettings())
	if f, ok := findingOf(d, "error-spike"); !ok || f.Severity != SeverityCritical {
		t.Errorf("error-spike %+v", f)
	}
}
