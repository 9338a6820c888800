package prompts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// answerable are, per prompt, the placeholders (as their binding's match
// text) that a metric in the catalog can answer: the denominator of the
// fill rate. A placeholder only people can answer (the architecture, a
// target, a design choice) is not listed.
var answerable = map[triage.PromptID][]string{
	"back-of-envelope-capacity-estimation": {"[X] requests/second peak"},
	"bottleneck-identification": {"Throughput: [requests/second]", "Latency P99: [ms]", "CPU utilization: [%]",
		"Memory utilization: [%]", "[N used / M max]", "Database query time P99: [ms]", "Cache hit rate: [%]",
		"Error rate: [%]", "[describe what happens at 2x, 5x, 10x current load]"},
	"connection-pool-optimization": {"Application instances: [N]", "[current setting]", "[PostgreSQL default: 100]",
		"[none / PgBouncer / RDS Proxy / application pool]", "[connection exhaustion / high latency / connection refused]"},
	// Its placeholders (what to cache, the in-process cache's size limit)
	// are design choices; the measured Redis numbers go in its arithmetic.
	"caching-architecture-design":          nil,
	"postgresql-scaling-deep-dive":         {"[instance type, size]", "[slow query log findings]"},
	"redis-scaling-and-clustering":         {"[describe: session store / cache / queue / rate limiter / pub-sub]", "[QPS, memory, persistence requirements]"},
	"database-query-optimization-at-scale": {"P99 latency: [current]", "[current QPS]"},
}

var fillRateRecordings = []string{"pgbouncer-community", "queue-backlog", "postgres-max-connections", "slow-queries", "cpu-saturation", "fleet-chronic"}

// TestFillRate prints, over the recorded scenario incidents, how many of
// the placeholders the metrics could answer are filled, per prompt and in
// all: go test ./prompts -run FillRate -v. No user context is given, so
// only measurements count.
func TestFillRate(t *testing.T) {
	diagnoses := map[string]Input{}
	for _, name := range fillRateRecordings {
		diagnoses[name] = Input{Diagnosis: replayed(t, name)}
	}
	var report []string
	filled, total := 0, 0
	for _, p := range Library() {
		matches, listed := answerable[p.ID]
		if !listed {
			continue
		}
		n := 0
		var missed []string
		for _, name := range fillRateRecordings {
			in := diagnoses[name]
			if f, ok := in.Diagnosis.LeadingTo(p.ID); ok {
				in.Finding = &f
			}
			md := Populate(p, in).Markdown
			for _, m := range matches {
				if !strings.Contains(p.Template, m) {
					t.Fatalf("%s: %q is not in the template", p.ID, m)
				}
				if strings.Contains(md, m) {
					missed = append(missed, name+": "+m)
				} else {
					n++
				}
			}
		}
		all := len(matches) * len(fillRateRecordings)
		filled, total = filled+n, total+all
		report = append(report, fmt.Sprintf("%2d %-38s %3d/%-3d %s", p.Number, p.ID, n, all, strings.Join(missed, "; ")))
	}
	t.Logf("fill rate over %d recordings: %d/%d = %.0f%%\n%s", len(fillRateRecordings), filled, total,
		100*float64(filled)/float64(total), strings.Join(report, "\n"))
}
