package triage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// BoundServices is the catalog for a fleet with more services than one
// answer may hold: each service signal's query keeps only the services
// that moved most, ranked server-side at the instant at, the same set for
// every signal of an exporter and at every step and offset (the ranking is
// pinned with @): up to k whose P99 rose most against the day before, k
// whose error share rose most and k whose traffic fell most. A candidate
// whose exporter measures none of them is left as it is.
func (c Catalog) BoundServices(k int, at time.Time) Catalog {
	out := c.clone()
	byExporter := func(id SignalID, exporter string) (Candidate, bool) {
		d, ok := c.Def(id)
		if !ok {
			return Candidate{}, false
		}
		i := slices.IndexFunc(d.Candidates, func(x Candidate) bool { return x.Exporter == exporter })
		if i < 0 {
			return Candidate{}, false
		}
		return d.Candidates[i], true
	}
	for i, d := range out {
		if d.ID != SignalThroughput && d.ID != SignalLatencyP99 && d.ID != SignalErrorRatio {
			continue
		}
		for j, cand := range d.Candidates {
			var ranks, metrics []string
			// Only services that moved are ranked: ties (a healthy fleet
			// at 1x) would let topk pick a different set per signal.
			for _, r := range []struct {
				id          SignalID
				change, min string
			}{
				{SignalLatencyP99, "(%s) / (%s)", fmt.Sprint(changeMargin)}, // P99 rose
				{SignalErrorRatio, "(%s) - (%s)", "0"},                      // error share rose
				{SignalThroughput, "(%[2]s) / (%[1]s)", "1.5"},              // traffic fell
			} {
				other, ok := byExporter(r.id, cand.Exporter)
				if !ok {
					continue
				}
				change := fmt.Sprintf(r.change, other.Query, dayBeforeOf(other.Query))
				ranks = append(ranks, "topk("+strconv.Itoa(k)+", "+change+" > "+r.min+")")
				metrics = append(metrics, other.Metrics...)
			}
			if len(ranks) == 0 || len(cand.EntityLabels) == 0 {
				continue
			}
			pinned := fmt.Sprintf("last_over_time((%s)[1m:1m] @ %d)", strings.Join(ranks, " or "), at.Unix())
			cand.Query = "(" + cand.Query + ") and on (" + strings.Join(cand.EntityLabels, ", ") + ") " + pinned
			for _, m := range metrics {
				if !slices.Contains(cand.Metrics, m) {
					cand.Metrics = append(cand.Metrics, m)
				}
			}
			out[i].Candidates[j] = cand
		}
	}
	return out
}

// BoundCallGraph is the catalog with the call graph read as its n busiest
// edges at the instant at (pinned with @, so that every step reads the
// same edges): for a graph with more edges than one answer may hold.
func (c Catalog) BoundCallGraph(n int, at time.Time) Catalog {
	out := c.clone()
	for i, d := range out {
		if d.ID != SignalServiceCalls {
			continue
		}
		for j, cand := range d.Candidates {
			if len(cand.EntityLabels) == 0 {
				continue
			}
			out[i].Candidates[j].Query = fmt.Sprintf("(%s) and on (%s) last_over_time((topk(%d, %s))[1m:1m] @ %d)",
				cand.Query, strings.Join(cand.EntityLabels, ", "), n, cand.Query, at.Unix())
		}
	}
	return out
}

// dayBeforeOf is a query's value one day earlier: a one-point subquery,
// since offset follows selectors, not expressions.
func dayBeforeOf(query string) string {
	return "last_over_time((" + query + ")[1m:1m] offset 1d)"
}
