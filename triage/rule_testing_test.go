package triage

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// The helpers every rule test shares: readings built as the prom package
// builds them, a healthy baseline snapshot, and a table runner.

const testWindow = 5 * time.Minute

type readingOption func(*Reading)

func baseline(v float64) readingOption    { return func(r *Reading) { r.Baseline = Of(v) } }
func windowStart(v float64) readingOption { return func(r *Reading) { r.WindowStart = Of(v) } }
func clamped() readingOption              { return func(r *Reading) { r.AtLeast = true } }

func series(vs ...float64) readingOption {
	return func(r *Reading) {
		at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i, v := range vs {
			r.Series = append(r.Series, Point{T: at.Add(time.Duration(i) * 30 * time.Second), V: v})
		}
	}
}

// read builds a reading with the catalog's title, unit and thresholds, and
// the status and reason those thresholds give (NaN comes out missing).
func read(id SignalID, v float64, opts ...readingOption) Reading {
	d, ok := defaultCatalog().Def(id)
	if !ok {
		panic("no catalog signal " + id)
	}
	// The first candidate answers, as the collector would record it: its
	// query, exporter and declared statistic, engine and tier.
	r := Reading{ID: id, Title: d.Title, Unit: d.Unit, Aggregation: d.Aggregation, Value: Of(v), Thresholds: d.Thresholds}
	r.MeasuredBy(d.Candidates[0], d.Candidates[0].Expand("", "5m"), "5m")
	for _, o := range opts {
		o(&r)
	}
	r.Status, r.Reason = d.Thresholds.Judge(r)
	return r
}

// absent is a signal the server has no data for.
func absent(id SignalID) Reading {
	r := read(id, 0)
	r.Value, r.Status, r.Reason = None, StatusMissing, "no data"
	return r
}

// nan is a NaN value marked critical, as a careless producer might: a rule
// fires on a critical reading, so only its check of the value itself keeps
// it quiet.
func nan(id SignalID) Reading { return markedCritical(id, math.NaN()) }

// inf is nan's +Inf twin, for the rules that compare a value or its ratio
// to the day before with a line: NaN fails every comparison by itself,
// +Inf passes them all, so only the finite check keeps such a rule quiet.
func inf(id SignalID, opts ...readingOption) Reading { return markedCritical(id, math.Inf(1), opts...) }

func markedCritical(id SignalID, v float64, opts ...readingOption) Reading {
	r := read(id, v, opts...)
	r.Status = StatusCritical
	return r
}

// snapshot builds a 5m-window snapshot; a later reading replaces an earlier
// one with the same id, so that snapshot(append(healthy(), x...)...) works.
func snapshot(readings ...Reading) *Snapshot {
	s := &Snapshot{Window: testWindow, At: time.Date(2025, 1, 2, 12, 0, 0, 0, time.UTC)}
	for _, r := range readings {
		if i := slices.IndexFunc(s.Readings, func(x Reading) bool { return x.ID == r.ID }); i >= 0 {
			s.Readings[i] = r
			continue
		}
		s.Readings = append(s.Readings, r)
	}
	return s
}

// healthy is a system with every signal measured and nothing wrong. It
// reads every Signal constant, so read's panic also checks them against the
// catalog.
func healthy() []Reading {
	return []Reading{
		read(SignalThroughput, 100, baseline(95)),
		read(SignalLatencyP99, 0.05, baseline(0.045)),
		read(SignalErrorRatio, 0.001, baseline(0.001)),
		read(SignalRateLimitedRatio, 0, baseline(0)),
		read(SignalCPUUtilization, 0.3, baseline(0.28)),
		read(SignalCPUPressure, 0.01, baseline(0.01)),
		read(SignalCPULoadPerCore, 0.4, baseline(0.4)),
		read(SignalCPUThrottling, 0.02, baseline(0.02)),
		read(SignalMemoryUtilization, 0.5, baseline(0.5)),
		read(SignalDBConnectionsUsed, 20, baseline(20)),
		read(SignalDBConnectionsMax, 100, baseline(100)),
		read(SignalDBConnectionUtil, 0.2, baseline(0.2)),
		read(SignalDBActiveConnections, 5, baseline(5)),
		read(SignalDBPoolUtilization, 0.4, baseline(0.4)),
		read(SignalDBPoolWaiting, 0, baseline(0)),
		read(SignalDBPoolMaxWait, 0, baseline(0)),
		read(SignalAppPoolUtilization, 0.3, baseline(0.3)),
		read(SignalAppPoolWaiting, 0, baseline(0)),
		read(SignalDBQueryP99, 0.01, baseline(0.01)),
		read(SignalDBQueryMean, 0.002, baseline(0.002)),
		read(SignalDBLongestTransaction, 2, baseline(2)),
		read(SignalDBTransactions, 500, baseline(480)),
		read(SignalCacheHitRatio, 0.95, baseline(0.95)),
		read(SignalCacheEvictions, 0, baseline(0)),
		read(SignalCacheMemoryUtilization, 0.5, baseline(0.5)),
		read(SignalReplicationLag, 0.1, baseline(0.1)),
		read(SignalQueueDepth, 10, baseline(12), windowStart(10)),
	}
}

// sick is the healthy system with some readings replaced.
func sick(readings ...Reading) *Snapshot { return snapshot(append(healthy(), readings...)...) }

// ruleCase is one row of a rule's table: the snapshot, the severity expected
// ("" for no finding) and optional extra checks.
type ruleCase struct {
	name  string
	snap  *Snapshot
	want  Severity
	check func(t *testing.T, f Finding)
}

// runRuleCases runs the rule on each case and checks the invariants every
// finding keeps: id, severity, evidence for and against with the window,
// known prompt slugs, signals, a positive score, and never a NaN.
func runRuleCases(t *testing.T, rule Rule, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			found := rule.Run(tc.snap, DefaultRuleSettings())
			if tc.want == "" {
				if len(found) != 0 {
					t.Fatalf("want no finding, got %s %q", found[0].Severity, found[0].Summary)
				}
				return
			}
			if len(found) != 1 {
				t.Fatalf("want one finding, got %d", len(found))
			}
			f := found[0]
			checkFinding(t, rule.ID, f)
			if f.Severity != tc.want {
				t.Errorf("severity %s, want %s (%s)", f.Severity, tc.want, f.Summary)
			}
			if tc.check != nil {
				tc.check(t, f)
			}
		})
	}
}

func checkFinding(t *testing.T, id RuleID, f Finding) {
	t.Helper()
	if f.ID != id || f.Title == "" || f.Summary == "" {
		t.Errorf("id %q title %q summary %q", f.ID, f.Title, f.Summary)
	}
	if len(f.Evidence) == 0 || len(f.Against) == 0 || len(f.Signals) == 0 || len(f.Prompts) == 0 {
		t.Errorf("incomplete finding: %+v", f)
	}
	if f.Score <= 0 || math.IsNaN(f.Score) {
		t.Errorf("score %v", f.Score)
	}
	if all := strings.Join(f.Evidence, "\n"); !strings.Contains(all, "5m") && !strings.Contains(all, " now") && !strings.Contains(all, "average") && !strings.Contains(all, "increase") {
		t.Errorf("no evidence says which statistic it read: %q", f.Evidence)
	}
	for _, line := range slices.Concat(f.Evidence, f.Against, []string{f.Summary}) {
		if strings.Contains(line, "NaN") || strings.Contains(line, "Inf") {
			t.Errorf("non-finite number in %q", line)
		}
	}
	if len(f.Prompts) == 0 {
		t.Error("a finding leads to no prompt") // prompts' vocabulary test resolves each slug
	}
}

// containsLine fails unless one of lines contains want.
func containsLine(t *testing.T, what string, lines []string, want string) {
	t.Helper()
	for _, l := range lines {
		if strings.Contains(l, want) {
			return
		}
	}
	t.Errorf("%s has no line with %q: %q", what, want, lines)
}

// entity adds one measured thing behind a reading (labels as k, v pairs),
// worst first in the order given, with its own day-before value.
func entity(value, dayBefore float64, labels ...string) readingOption {
	return func(r *Reading) {
		e := Entity{Labels: map[string]string{}, Value: Of(value), Baseline: Of(dayBefore)}
		for i := 0; i+1 < len(labels); i += 2 {
			e.Labels[labels[i]] = labels[i+1]
		}
		r.Entities = append(r.Entities, e)
		r.EntityCount = len(r.Entities)
	}
}
