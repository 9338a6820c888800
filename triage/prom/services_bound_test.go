package prom

import (
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// TestBoundServicesParses: every bounded service query is PromQL, keeps
// its own expression and is pinned to the instant, for every exporter.
func TestBoundServicesParses(t *testing.T) {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	cat := triage.DefaultCatalog().BoundServices(333, at)
	for _, id := range []triage.SignalID{triage.SignalThroughput, triage.SignalLatencyP99, triage.SignalErrorRatio} {
		d, _ := cat.Def(id)
		orig, _ := triage.DefaultCatalog().Def(id)
		for i, c := range d.Candidates {
			q := c.Expand(`job="api"`, "5m")
			if _, err := selectorParser.ParseExpr(q); err != nil {
				t.Errorf("%s %s: %v\n%s", id, c.Exporter, err, q)
			}
			if !strings.Contains(c.Query, orig.Candidates[i].Query) || !strings.Contains(q, "@ 1772452800") {
				t.Errorf("%s %s: not the bounded original: %s", id, c.Exporter, c.Query)
			}
		}
	}
}

// TestBoundCallGraphParses: the bounded call graph is PromQL, pinned.
func TestBoundCallGraphParses(t *testing.T) {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	d, _ := triage.DefaultCatalog().BoundCallGraph(1000, at).Def(triage.SignalServiceCalls)
	for _, c := range d.Candidates {
		q := c.Expand("", "5m")
		if _, err := selectorParser.ParseExpr(q); err != nil || !strings.Contains(q, "topk(1000, ") || !strings.Contains(q, "@ 1772452800") {
			t.Errorf("%s: %v\n%s", c.Exporter, err, q)
		}
	}
}
