package main

// A Thanos querier over an HA pair of Prometheus 3 replicas holding the
// same data: the report's numbers must be those of one Prometheus, with
// the querier deduplicating, without it (scaletriage finds the replica
// label and reduces every query over it), with one replica's store gone
// (the other holds the data; the report names the dead store), and with
// every store gone the report fails, never a silent "healthy".
//
//	go test ./cmd/scaletriage -run TestThanosHAPair -count=1 -v

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/backendtest"
	"github.com/scaletriage/scaletriage/report"
)

func TestThanosHAPair(t *testing.T) {
	bins := backendtest.KindNamed(t, "thanos").Locate(t)
	sc := findScenario(t, "pgbouncer-community")
	files := []string{filepath.Join(scenarioDir, sc.name+".om")}

	single := backendtest.ServeBackfilled(t, bins, files)
	pair := backendtest.StartThanosPair(t, bins, files, true)
	undeduplicated := backendtest.StartQuerier(t, bins["thanos"], pair.Sidecars, false)

	want := thanosReport(t, single, sc)
	if n := countKnown(want); n < 10 {
		t.Fatalf("the single Prometheus gives %d values: too few to compare", n)
	}

	t.Run("deduplicating", func(t *testing.T) {
		got := thanosReport(t, pair.Querier, sc)
		sameNumbers(t, want, got)
		if !strings.HasPrefix(got.Source.Backend, "thanos querier") {
			t.Errorf("backend %q, want the Thanos querier named", got.Source.Backend)
		}
		if notes := strings.Join(got.Source.Notes, "\n"); strings.Contains(notes, "HA pair") {
			t.Errorf("a deduplicating querier reported as not deduplicating: %s", notes)
		}
	})
	t.Run("not-deduplicating", func(t *testing.T) {
		// Every series arrives twice (replica a and b): without the
		// rewrite, every sum would double.
		got := thanosReport(t, undeduplicated, sc)
		sameNumbers(t, want, got)
		if notes := strings.Join(got.Source.Notes, "\n"); !strings.Contains(notes, `HA pair reached us without deduplication (series differ only in "replica")`) {
			t.Errorf("the report does not say the pair was not deduplicated: %q", notes)
		}
	})
	t.Run("one-store-down", func(t *testing.T) {
		pair.StopSidecars[1]()
		backendtest.WaitStores(t, pair.Querier, func(stores map[string]string) bool { return stores[pair.Sidecars[1]] != "" })
		got := thanosReport(t, pair.Querier, sc)
		sameNumbers(t, want, got)
		if notes := strings.Join(got.Source.Notes, "\n"); !strings.Contains(notes, "store "+pair.Sidecars[1]+" is unreachable") {
			t.Errorf("the report does not name the unreachable store %s: %q", pair.Sidecars[1], notes)
		}
	})
	t.Run("every-store-down", func(t *testing.T) {
		pair.StopSidecars[0]()
		backendtest.WaitStores(t, pair.Querier, func(stores map[string]string) bool { return stores[pair.Sidecars[0]] != "" })
		code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--prometheus-url", pair.Querier, "--at", sc.at.Format(time.RFC3339))
		if code == exitOK {
			t.Fatalf("report exit 0 with every store down:\n%.600s", out)
		}
		if !strings.Contains(errOut, "nothing to triage") || !strings.Contains(errOut, "unreachable") {
			t.Errorf("exit %d; the error should say nothing was read and why (the stores): %s", code, errOut)
		}
	})
}

func thanosReport(t *testing.T, url string, sc scenarioSpec) report.V1 {
	t.Helper()
	code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--prometheus-url", url, "--at", sc.at.Format(time.RFC3339))
	if code != exitOK {
		t.Fatalf("report on %s: exit %d: %s", url, code, errOut)
	}
	var r report.V1
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func countKnown(r report.V1) int {
	n := 0
	for _, s := range r.Signals {
		if s.Value != nil {
			n++
		}
	}
	return n
}

// sameNumbers compares every signal's value, baseline and window start, and
// the findings, to a relative 1e-9.
func sameNumbers(t *testing.T, want, got report.V1) {
	t.Helper()
	same := func(a, b *float64) bool {
		if a == nil || b == nil {
			return a == b
		}
		return *a == *b || math.Abs(*a-*b) <= 1e-9*math.Max(math.Abs(*a), math.Abs(*b))
	}
	if len(want.Signals) != len(got.Signals) {
		t.Fatalf("%d signals, want %d", len(got.Signals), len(want.Signals))
	}
	for i, w := range want.Signals {
		g := got.Signals[i]
		if !same(w.Value, g.Value) || !same(w.Baseline, g.Baseline) || !same(w.WindowStart, g.WindowStart) {
			t.Errorf("%s: value %s baseline %s start %s, want %s %s %s", w.ID, fmtPtr(g.Value), fmtPtr(g.Baseline), fmtPtr(g.WindowStart),
				fmtPtr(w.Value), fmtPtr(w.Baseline), fmtPtr(w.WindowStart))
		}
	}
	if w, g := findingIDs(want), findingIDs(got); strings.Join(w, ",") != strings.Join(g, ",") {
		t.Errorf("findings %v, want %v", g, w)
	}
}
