package triage

import (
	"fmt"
	"slices"
	"strings"
)

// slowCallee is where a caller's slowdown or failures come from: the
// deepest service it calls, directly or through other slowed services,
// whose own P99 got slow (hot, and new or worse) while none of the services
// it calls did. Its numbers are its own entity's.
type slowCallee struct {
	name string
	p99  Reading  // the callee's P99, narrowed to it
	path []string // caller -> ... -> callee, along the service graph
}

// link is the call path as a finding's link basis.
func (c slowCallee) link() string { return "service graph: " + strings.Join(c.path, " -> ") }

// slowCalleeOf follows the service graph's edges from caller through the
// services whose P99 got slow to the deepest one; false when caller calls
// no slowed service (or no graph is measured).
func (s *Snapshot) slowCalleeOf(caller string) (slowCallee, bool) {
	edges := serviceEdges(s)
	p99, ok := s.usable(SignalLatencyP99)
	if caller == "" || len(edges[caller]) == 0 || !ok {
		return slowCallee{}, false
	}
	slowed := func(name string) (Reading, bool) {
		n, ok := p99.entityWhere(func(e Entity) bool {
			service, _ := serviceName(e.Labels)
			return service == name && e.Unjudged == ""
		})
		return n, ok && n.Status.rank() >= StatusWarning.rank() && changedUp(n)
	}
	var best slowCallee
	seen := map[string]bool{caller: true}
	var walk func(path []string)
	walk = func(path []string) {
		for _, callee := range edges[path[len(path)-1]] {
			if n, ok := slowed(callee); ok && !seen[callee] {
				seen[callee] = true
				if next := slices.Concat(path, []string{callee}); len(next) > len(best.path) {
					best = slowCallee{name: callee, p99: n, path: next}
				}
				walk(slices.Concat(path, []string{callee}))
			}
		}
	}
	walk([]string{caller})
	return best, best.name != ""
}

// firstService is the service a reading's first entity measures ("" when
// it names none).
func firstService(r Reading) string {
	if len(r.Entities) == 0 {
		return ""
	}
	name, _ := serviceName(r.Entities[0].Labels)
	return name
}

// calleeEvidence adds the slowed callee's own P99 and the path to it; a
// finding that names the callee's P99 among its entities shows it first.
func (b *findingBuilder) calleeEvidence(c slowCallee) {
	b.uses(SignalLatencyP99)
	line := b.s.observed(c.p99)
	b.evidencef("%s", line)
	if len(c.p99.Entities) > 0 {
		b.f.cause = &chainCause{signal: SignalLatencyP99, labels: c.p99.Entities[0].Labels, line: line}
	}
	b.evidencef("Link from %s to %s: %s", c.path[0], c.name, c.link())
	b.f.Link = c.link()
}

// calleeSentence names the slowed callee and how it is reached: "inventory,
// which it calls through api (P99 242 ms, 10x the day before)".
func (c slowCallee) sentence() string {
	via := ""
	if len(c.path) > 2 {
		via = " through " + strings.Join(c.path[1:len(c.path)-1], " -> ")
	}
	ratio := ""
	if m, ok := c.p99.RatioText(); ok {
		ratio = ", " + m
	}
	return fmt.Sprintf("%s, which it calls%s (P99 %s%s the day before)", c.name, via, c.p99.Formatted(), ratio)
}
