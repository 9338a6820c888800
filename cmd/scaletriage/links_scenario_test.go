package main

import (
	"context"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// testLinksShowTheEntity asks the engine the query each entity's graph link
// holds, at the report's instant: it must answer that entity's series alone,
// with the value the report printed (label_replace'd labels, a replica's
// role, included).
func testLinksShowTheEntity(t *testing.T, b *scenarioBackend) {
	client, err := prom.New(prom.Config{URL: b.url})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range []string{"pgbouncer-community", "fleet-chronic", "replicated-postgres", "cpu-saturation"} {
		sc := findScenario(t, name)
		r, _ := scenarioReport(t, b, sc)
		for _, s := range r.Signals {
			for _, e := range s.Entities {
				if e.Links == nil || e.Value == nil || math.IsNaN(*e.Value) {
					continue
				}
				expr := linkExpr(t, e.Links)
				res, err := client.Instant(context.Background(), expr, sc.at)
				if err != nil {
					t.Errorf("%s %s %s: %v", name, s.ID, e.Name, err)
					continue
				}
				if len(res.Series) != 1 || len(res.Series[0].Points) != 1 || !sameNumber(res.Series[0].Points[0].V, *e.Value) {
					t.Errorf("%s %s %s: the link's query answers %+v, want that entity's %v alone", name, s.ID, e.Name, res.Series, *e.Value)
				}
				checked++
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d entity links checked", checked)
	}
}

// linkExpr is the expression of a Prometheus graph link.
func linkExpr(t *testing.T, l *report.Links) string {
	t.Helper()
	u, err := url.Parse(l.Prometheus)
	if err != nil || u.Query().Get("g0.expr") == "" {
		t.Fatalf("link %q: %v", l.Prometheus, err)
	}
	return u.Query().Get("g0.expr")
}

func sameNumber(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// rebaseLinks points a report's links at another base URL, as a replay of
// a recording made with that URL would.
func rebaseLinks(r *report.V1, from, to string) {
	rebase := func(l *report.Links) {
		if l != nil && strings.HasPrefix(l.Prometheus, from+"/") {
			l.Prometheus = to + strings.TrimPrefix(l.Prometheus, from)
		}
	}
	for i := range r.Signals {
		rebase(r.Signals[i].Links)
		for j := range r.Signals[i].Entities {
			rebase(r.Signals[i].Entities[j].Links)
		}
	}
	for i := range r.Findings {
		rebase(r.Findings[i].Links)
		for j := range r.Findings[i].Entities {
			rebase(r.Findings[i].Entities[j].Links)
		}
	}
}

// testTicketTellsTheCause renders the ticket of an incident whose pool is a
// victim of a slow database: its "Why" names the link and who brought the
// change, its timeline the onsets, and the finding its graph.
func testTicketTellsTheCause(t *testing.T, b *scenarioBackend) {
	sc := findScenario(t, "shared-db-statements")
	code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "markdown", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
	if code != exitOK {
		t.Fatalf("report exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"# CRITICAL: ", "**Summary:** CRITICAL ", "## Why\n\nClients wait for a connection because the database behind the pool",
		"\n- linked by: ", "\n- who brought the change: ", "## Timeline\n", "| this report |", "Graph: [Prometheus](" + b.url + "/graph?g0.expr=",
		"<details>\n<summary>The populated prompt",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the ticket lacks %q:\n%.3000s", want, out)
		}
	}
}
