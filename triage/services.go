package triage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// ServiceChange is one service of the fleet and how far it moved from its
// own normal: the entities (by job) of the service-tier signals.
type ServiceChange struct {
	Name string
	// Now and the day before (window start when there is no day before).
	Throughput, ThroughputBefore Value
	P99, P99Before               Value
	P99AtLeast                   bool
	Errors, ErrorsBefore         Value
	Since                        Since
	// Score is how far the service moved from its own normal (log2 of the
	// worst ratio, discounted by how much its normal itself swings),
	// weighted by its traffic: a service at 0.2 requests/s swings widely
	// and pages nobody.
	Score float64
	// Anomalous is a score at AnomalyScore or above; Reasons say why.
	Anomalous bool
	Reasons   []string
	// Root marks an anomalous service whose own callees are healthy: the
	// deepest of a chain of anomalies, where the cause is. Path is the
	// call path from an entry service to it.
	Root bool
	Path []string

	// p99Normal are the two normal points of its P99 (the day before and
	// the window start), whose difference is how much its normal swings.
	p99Normal [2]Value
}

// AnomalyScore is the score from which a service counts as having moved:
// 1 is twice its normal latency (or error share, or half its traffic) at
// full traffic weight.
const AnomalyScore = 0.8

// RankServices ranks the fleet's services by what changed, most telling
// first: with a call graph, the roots of anomalous chains first (their
// callers are victims), then by score; without one, by score.
func RankServices(s *Snapshot) []ServiceChange {
	byName := map[string]*ServiceChange{}
	var names []string
	get := func(name string) *ServiceChange {
		if sc, ok := byName[name]; ok {
			return sc
		}
		byName[name] = &ServiceChange{Name: name}
		names = append(names, name)
		return byName[name]
	}
	for _, id := range []SignalID{SignalThroughput, SignalLatencyP99, SignalErrorRatio} {
		r, ok := s.usable(id)
		if !ok {
			continue
		}
		for _, e := range r.Entities {
			name := e.Labels["job"]
			if name == "" {
				continue
			}
			sc := get(name)
			before, since := e.Baseline, SinceDayBefore
			if !before.Usable() {
				before, since = e.WindowStart, SinceWindowStart
			}
			sc.Since = since
			switch id {
			case SignalThroughput:
				sc.Throughput, sc.ThroughputBefore = e.Value, before
			case SignalLatencyP99:
				sc.P99, sc.P99Before = e.Value, before
				sc.P99AtLeast = r.AtLeast && len(r.Entities) == 1
			case SignalErrorRatio:
				sc.Errors, sc.ErrorsBefore = e.Value, before
			}
			if id == SignalLatencyP99 {
				sc.p99Normal = [2]Value{e.Baseline, e.WindowStart}
			}
		}
	}
	out := make([]ServiceChange, 0, len(names))
	for _, n := range names {
		sc := byName[n]
		sc.rate()
		out = append(out, *sc)
	}
	edges := serviceEdges(s)
	markRoots(out, edges)
	slices.SortStableFunc(out, func(a, b ServiceChange) int {
		if a.Root != b.Root {
			if a.Root {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// noise is how much the service's P99 differs between its two normal
// points, in doublings: a service whose normal swings 2x has moved only
// when it moves more than that. Without both, none.
func (sc *ServiceChange) noise() float64 {
	if r, ok := ratio(sc.p99Normal[1], sc.p99Normal[0]); ok && r > 0 && sc.Since == SinceDayBefore {
		return math.Abs(math.Log2(r))
	}
	return 0
}

// rate scores the service: how many doublings its worst signal moved
// beyond its normal swing, weighted by its traffic, and why.
func (sc *ServiceChange) rate() {
	discount := sc.noise()
	var moved float64
	if r, ok := ratio(sc.P99, sc.P99Before); ok && r > 1 {
		if m := math.Log2(r) - discount; m > moved {
			moved = m
		}
		sc.Reasons = append(sc.Reasons, fmt.Sprintf("P99 %s %s (%s)", FormatNumber(sc.P99Before.V, UnitSeconds), sc.Since.When(), multiple(r)))
	}
	// Errors: shares of a percent count, from a floor of 0.1 % so that
	// 0 -> 0.05 % is no doubling to infinity.
	if e, ok := sc.Errors.Float(); ok && e >= 0.001 {
		before, _ := sc.ErrorsBefore.Float()
		if m := math.Log2((e + 0.001) / (before + 0.001)); m > 0 {
			moved = math.Max(moved, m)
			sc.Reasons = append(sc.Reasons, fmt.Sprintf("errors %s, %s %s", FormatNumber(e, UnitRatio), FormatNumber(before, UnitRatio), sc.Since.When()))
		}
	}
	if r, ok := ratio(sc.ThroughputBefore, sc.Throughput); ok && r > 1.5 {
		moved = math.Max(moved, math.Log2(r))
		sc.Reasons = append(sc.Reasons, fmt.Sprintf("traffic %s, %s %s", FormatNumber(sc.Throughput.V, UnitRPS), FormatNumber(sc.ThroughputBefore.V, UnitRPS), sc.Since.When()))
	}
	rps := math.Max(valueOr0(sc.Throughput), valueOr0(sc.ThroughputBefore))
	weight := rps / (rps + 1)
	sc.Score = math.Round(moved*weight*1000) / 1000
	sc.Anomalous = sc.Score >= AnomalyScore
}

func ratio(a, b Value) (float64, bool) {
	x, ok1 := a.Float()
	y, ok2 := b.Float()
	if !ok1 || !ok2 || y <= 0 || x < 0 {
		return 0, false
	}
	return x / y, true
}

func valueOr0(v Value) float64 {
	f, _ := v.Float()
	return f
}

// serviceEdges are the calls between services: client -> its servers.
func serviceEdges(s *Snapshot) map[string][]string {
	edges := map[string][]string{}
	r, ok := s.usable(SignalServiceCalls)
	if !ok {
		return edges
	}
	for _, e := range r.Entities {
		client, server := e.Labels["client"], e.Labels["server"]
		if client != "" && server != "" && client != server && !slices.Contains(edges[client], server) {
			edges[client] = append(edges[client], server)
		}
	}
	return edges
}

// markRoots marks the anomalous services none of whose callees is
// anomalous, when they are part of a chain (an anomalous caller or
// callee), and gives each its call path from an entry service.
func markRoots(services []ServiceChange, edges map[string][]string) {
	anomalous := map[string]bool{}
	for _, sc := range services {
		anomalous[sc.Name] = sc.Anomalous
	}
	callers := map[string][]string{}
	for client, servers := range edges {
		for _, srv := range servers {
			callers[srv] = append(callers[srv], client)
		}
	}
	for i := range services {
		sc := &services[i]
		if !sc.Anomalous {
			continue
		}
		if len(edges[sc.Name]) == 0 && len(callers[sc.Name]) == 0 {
			continue // not in the graph: no chain to follow
		}
		if slices.ContainsFunc(edges[sc.Name], func(callee string) bool { return anomalous[callee] }) {
			continue // a victim: something it calls moved too
		}
		sc.Root = true
		sc.Path = pathTo(sc.Name, callers, anomalous)
	}
}

// pathTo walks the callers back from name to an entry service (one that
// nothing calls), preferring anomalous callers (the chain users feel), and
// returns the path entry first.
func pathTo(name string, callers map[string][]string, anomalous map[string]bool) []string {
	path := []string{name}
	seen := map[string]bool{name: true}
	for cur := name; len(callers[cur]) > 0; {
		candidates := slices.Clone(callers[cur])
		slices.SortFunc(candidates, func(a, b string) int {
			if anomalous[a] != anomalous[b] {
				if anomalous[a] {
					return -1
				}
				return 1
			}
			return cmp.Compare(a, b)
		})
		next := ""
		for _, c := range candidates {
			if !seen[c] {
				next = c
				break
			}
		}
		if next == "" {
			break
		}
		seen[next] = true
		path = append([]string{next}, path...)
		cur = next
	}
	return path
}
