package prom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// impossibleServer answers every query of one signal with one series of
// entity {instance="db-1"}: now at the instant (the range's last point),
// before the day before.
func impossibleServer(t *testing.T, now, before string) *fakeServer {
	series := func(v string) string {
		return `{"metric":{"instance":"db-1"},"value":[1,"` + v + `"]}`
	}
	return newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			return fakeAnswer{body: `{"status":"success","data":["m"]}`}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"instance":"db-1"},"values":[[` +
				r.Form.Get("end") + `,"` + now + `"]]}]}}`}
		case strings.HasSuffix(r.URL.Path, "/query"):
			at, _ := strconv.ParseFloat(r.Form.Get("time"), 64)
			if time.Unix(int64(at), 0).Before(testAt.Add(-time.Hour)) {
				return fakeAnswer{body: `{"status":"success","data":{"resultType":"vector","result":[` + series(before) + `]}}`}
			}
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"vector","result":[` + series(now) + `]}}`}
		}
		return fakeAnswer{status: 404}
	})
}

// Hardening round 3, item 3: a value outside its signal's possible range
// (a buggy exporter or recording rule) is reported with its series and
// never judged; an impossible day-before value is dropped, not compared.
func TestImpossibleValuesAreNeverJudged(t *testing.T) {
	tests := []struct {
		signal      triage.SignalID
		now, before string
		want        string // the reason, or the warning when only the day before is impossible
	}{
		{"error_ratio", "5", "0.01", `impossible value 500% from the series {instance="db-1"} (a ratio is 0% to 100%)`},
		{"db_pool_utilization", "1010", "0.5", `impossible value 101,000% from the series {instance="db-1"}`},
		{"throughput_rps", "-3", "10", `impossible value -3 requests/s from the series {instance="db-1"} (a rate is at least 0 requests/s)`},
		{"latency_p99_seconds", "-0.2", "0.1", `impossible value -200 ms from the series {instance="db-1"} (a duration is at least 0 s)`},
		{"cache_hit_ratio", "-2", "-2", `impossible value -200% from the series {instance="db-1"}`},
		{"cache_hit_ratio", "0.2", "-2", `impossible day-before value -200% from the series {instance="db-1"}: ignored`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s from %s", tt.signal, tt.now, tt.before), func(t *testing.T) {
			def, ok := triage.DefaultCatalog().Def(tt.signal)
			if !ok {
				t.Fatalf("no signal %s in the catalog", tt.signal)
			}
			def.Candidates = []triage.Candidate{{Exporter: "buggy", Metrics: []string{"m"}, Query: "q", EntityLabels: []string{"instance"}}}
			snap, r := collectOne(t, impossibleServer(t, tt.now, tt.before), def)
			findings := triage.Diagnose(snap, triage.DefaultRuleSettings()).Findings
			if tt.now == "0.2" { // only the day before is impossible
				if !r.Usable() || r.Baseline.Known || r.Entities[0].Baseline.Known || !strings.Contains(strings.Join(r.Warnings, "\n"), tt.want) {
					t.Errorf("status %s, baseline %+v, warnings %q; want usable, no day-before, %q", r.Status, r.Baseline, r.Warnings, tt.want)
				}
				if _, ok := r.BaselineRatio(); ok {
					t.Error("a ratio to an impossible day-before value")
				}
				return
			}
			if r.Status != triage.StatusError || r.Usable() || !strings.HasPrefix(r.Reason, tt.want) || !strings.HasSuffix(r.Reason, "not judged") {
				t.Errorf("status %s, reason %q; want error, %q", r.Status, r.Reason, tt.want)
			}
			for _, f := range findings {
				if f.Severity != triage.SeverityInfo {
					t.Errorf("finding %s (%s) from an impossible value: %q", f.ID, f.Severity, f.Evidence)
				}
			}
		})
	}
}

// The declared ranges that differ from their unit's: Redis counts every
// thread's CPU, replication lag can read below 0.
func TestDeclaredRangesAdmitWhatIsPossible(t *testing.T) {
	cat := triage.DefaultCatalog()
	for _, c := range []struct {
		signal triage.SignalID
		v      float64
		holds  bool
	}{
		{"cache_cpu_utilization", 1.6, true},
		{"replication_lag_seconds", -4, true},
		{"cpu_utilization", 1.02, true}, // rate extrapolation
		{"cpu_utilization", -1e-16, true},
		{"cpu_utilization", 1.2, false},
		{"queue_depth", -1, false},
	} {
		def, _ := cat.Def(c.signal)
		if got := def.PossibleRange().Holds(c.v); got != c.holds {
			t.Errorf("%s %g: possible %v, want %v", c.signal, c.v, got, c.holds)
		}
	}
}

// Hardening round 3, item 5: a server answering NaN for every signal has
// nothing to triage, as an empty one, never a healthy "no rule fired".
func TestNaNEverywhereIsNothingToTriage(t *testing.T) {
	cat := triage.DefaultCatalog()
	names := catalogMetricNames(cat)
	discovery, _ := json.Marshal(map[string]any{"status": "success", "data": names})
	f := newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			return fakeAnswer{body: string(discovery)}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[` + r.Form.Get("end") + `,"NaN"]]}]}}`}
		case strings.HasSuffix(r.URL.Path, "/query"):
			return fakeAnswer{body: vectorBody("NaN", "")}
		}
		return fakeAnswer{body: `{"status":"success","data":[]}`}
	})
	_, err := Collect(context.Background(), newTestClient(t, f.URL, 5*time.Second), cat, Options{At: testAt})
	if !errors.Is(err, ErrNothingRead) || !strings.Contains(err.Error(), "signals answered NaN: no observations in the window") {
		t.Fatalf("error %v, want %v with the reason", err, ErrNothingRead)
	}
}

// catalogMetricNames are every metric the catalog's candidates read: a
// discovery answer in which every signal is present.
func catalogMetricNames(cat triage.Catalog) []string {
	var names []string
	for _, d := range cat {
		for _, c := range d.Candidates {
			names = append(names, c.Metrics...)
		}
	}
	return names
}
