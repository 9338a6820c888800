package triage

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// ServiceChange is one service of the fleet and how far it moved from its
// own normal: the entities (by job, or by the service name of metrics
// derived from traces) of the service-tier signals.
type ServiceChange struct {
	Name string
	// Label is the label that names it: job, or service_name (the
	// OpenTelemetry collector's spanmetrics) or service (Tempo's
	// metrics-generator) for metrics derived from traces.
	Label string
	// Now and the day before. The window start is never a normal: with an
	// incident older than the window it is already inside it.
	Throughput, ThroughputBefore Value
	P99, P99Before               Value
	P99AtLeast                   bool
	Errors, ErrorsBefore         Value
	// P99Normal and ErrorsNormal are their own normal band (triage.Spread,
	// read by the second round for the services that moved beyond the
	// noise margin: the window the day before, widened by the hour either
	// side the day before and a week before): the band it moved out of.
	P99Normal, ErrorsNormal *Spread
	// Since is the basis of the verdict: the day before, or "" when the
	// server holds no day-before value for it (not judged).
	Since Since
	// Onset is when it left its normal, for an anomalous service whose
	// series were kept.
	Onset *Onset
	// Score is how many doublings the service moved past the top of its
	// normal band, weighted by its traffic: a service at 0.2 requests/s
	// swings widely and pages nobody.
	Score float64
	// Anomalous is a score at AnomalyScore or above; Reasons say why,
	// against what.
	Anomalous bool
	Reasons   []string
	// Root marks an anomalous service whose own callees are healthy: the
	// deepest of a chain of anomalies, where the cause is. Path is the
	// call path from an entry service to it.
	Root bool
	Path []string
	// OnsetOrder says, for a root, whether its onset precedes or equals its
	// callers' on the path (a cause comes first), or which caller left its
	// normal first: then the path may not be the cause's.
	OnsetOrder string

	// series are its own series per signal, for its onset.
	series map[SignalID][]Point
}

// AnomalyScore is the score from which a service counts as having moved:
// 1 is twice its normal latency (or error share, or half its traffic) at
// full traffic weight.
const AnomalyScore = 0.8

// ServiceLabels are the labels that name a service, in order: the job of
// HTTP metrics, the service name of traces-derived metrics.
var ServiceLabels = []string{"job", "service_name", "service"}

// serviceName is the service an entity measures and the label naming it.
func serviceName(labels map[string]string) (string, string) {
	for _, l := range ServiceLabels {
		if v := labels[l]; v != "" {
			return v, l
		}
	}
	return "", ""
}

// RankServices ranks the fleet's services by what changed, most telling
// first: with a call graph, the roots of anomalous chains first (their
// callers are victims), then by score; without one, by score.
func RankServices(s *Snapshot) []ServiceChange {
	byName := map[string]*ServiceChange{}
	var names []string
	get := func(name, label string) *ServiceChange {
		if sc, ok := byName[name]; ok {
			return sc
		}
		byName[name] = &ServiceChange{Name: name, Label: label, series: map[SignalID][]Point{}}
		names = append(names, name)
		return byName[name]
	}
	for _, id := range []SignalID{SignalThroughput, SignalLatencyP99, SignalErrorRatio} {
		r, ok := s.usable(id)
		if !ok {
			continue
		}
		for _, e := range r.Entities {
			name, label := serviceName(e.Labels)
			if name == "" {
				continue
			}
			sc := get(name, label)
			sc.series[id] = e.Series
			switch id {
			case SignalThroughput:
				sc.Throughput, sc.ThroughputBefore = e.Value, e.Baseline
			case SignalLatencyP99:
				sc.P99, sc.P99Before, sc.P99Normal = e.Value, e.Baseline, e.Normal
				sc.P99AtLeast = r.AtLeast && len(r.Entities) == 1
			case SignalErrorRatio:
				sc.Errors, sc.ErrorsBefore, sc.ErrorsNormal = e.Value, e.Baseline, e.Normal
			}
		}
	}
	out := make([]ServiceChange, 0, len(names))
	for _, n := range names {
		sc := byName[n]
		sc.rate()
		sc.series = nil
		out = append(out, *sc)
	}
	edges := serviceEdges(s)
	markRoots(out, edges)
	orderOnsets(out)
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

// errorFloor is the error share from which errors count, and the floor a
// share is measured from: 0 -> 0.05 % is no doubling to infinity.
const errorFloor = 0.001

// top is the highest normal of a reading: its day-before value or, when
// its spread over the window the day before was read, the spread's top.
func top(before Value, normal *Spread) (float64, bool) {
	b, ok := before.Float()
	if !ok {
		return 0, false
	}
	if normal != nil && normal.High > b {
		b = normal.High
	}
	return b, true
}

// rangeText is the spread a value was judged against, when read: "; 45 ms
// to 52 ms over 1h either side of this time the day before" (Spread.Over).
func rangeText(normal *Spread, unit Unit) string {
	if normal == nil {
		return ""
	}
	low, high := FormatNumber(normal.Low, unit), FormatNumber(normal.High, unit)
	if low == high {
		return "; steady at " + low + " over " + normal.Over()
	}
	return "; " + low + " to " + high + " over " + normal.Over()
}

// rate scores the service against its own history outside the window:
// how many doublings its worst signal moved past the top of its normal
// band (its day-before value, its range over the window the day before),
// weighted by its traffic; and why, against what. A service with no
// day-before value is not judged: the window start may already be inside
// the incident.
func (sc *ServiceChange) rate() {
	if !sc.P99Before.Usable() && !sc.ErrorsBefore.Usable() && !sc.ThroughputBefore.Usable() {
		sc.Reasons = append(sc.Reasons, "not judged: no value the day before to compare with (the window start is no normal)")
		return
	}
	sc.Since = SinceDayBefore
	var moved float64
	var onsets []Onset
	if hi, ok := top(sc.P99Before, sc.P99Normal); ok && hi > 0 {
		if now, ok := sc.P99.Float(); ok && now > hi*changeMargin {
			moved = math.Log2(now / hi)
			times := ""
			if r, ok := ratio(sc.P99, sc.P99Before); ok {
				times = multiple(r) + " "
			}
			sc.Reasons = append(sc.Reasons, fmt.Sprintf("P99 %s, %s%s (%s%s)", Format(sc.P99, UnitSeconds, sc.P99AtLeast), times,
				SinceDayBefore, FormatNumber(sc.P99Before.V, UnitSeconds), rangeText(sc.P99Normal, UnitSeconds)))
			if on, ok := seriesOnset(sc.series[SignalLatencyP99], func(v float64) bool { return v > hi*changeMargin }); ok {
				onsets = append(onsets, on)
			}
		}
	}
	if e, ok := sc.Errors.Float(); ok && e >= errorFloor {
		if hi, ok := top(sc.ErrorsBefore, sc.ErrorsNormal); ok {
			if m := math.Log2((e + errorFloor) / (hi + errorFloor)); m > math.Log2(changeMargin) {
				moved = math.Max(moved, m)
				sc.Reasons = append(sc.Reasons, fmt.Sprintf("errors %s (%s %s%s)", FormatNumber(e, UnitRatio),
					FormatNumber(sc.ErrorsBefore.V, UnitRatio), SinceDayBefore, rangeText(sc.ErrorsNormal, UnitRatio)))
				mark := math.Max(hi*changeMargin, errorFloor)
				if on, ok := seriesOnset(sc.series[SignalErrorRatio], func(v float64) bool { return v > mark }); ok {
					onsets = append(onsets, on)
				}
			}
		}
	}
	if r, ok := ratio(sc.ThroughputBefore, sc.Throughput); ok && r > 1.5 {
		moved = math.Max(moved, math.Log2(r))
		sc.Reasons = append(sc.Reasons, fmt.Sprintf("traffic %s, %s %s", FormatNumber(sc.Throughput.V, UnitRPS), FormatNumber(sc.ThroughputBefore.V, UnitRPS), SinceDayBefore))
		mark := sc.ThroughputBefore.V / 1.5
		if on, ok := seriesOnset(sc.series[SignalThroughput], func(v float64) bool { return v < mark }); ok {
			onsets = append(onsets, on)
		}
	}
	rps := math.Max(valueOr0(sc.Throughput), valueOr0(sc.ThroughputBefore))
	weight := rps / (rps + 1)
	sc.Score = math.Round(moved*weight*1000) / 1000
	sc.Anomalous = sc.Score >= AnomalyScore
	if sc.Anomalous && len(onsets) > 0 {
		first := slices.MinFunc(onsets, func(a, b Onset) int { return a.At.Compare(b.At) })
		sc.Onset = &first
	}
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

// orderOnsets compares each root's onset with its callers' on its path: in
// a chain the cause leaves its normal first.
func orderOnsets(services []ServiceChange) {
	onset := map[string]*Onset{}
	for _, sc := range services {
		onset[sc.Name] = sc.Onset
	}
	for i := range services {
		sc := &services[i]
		if !sc.Root || len(sc.Path) < 2 || sc.Onset == nil {
			continue
		}
		sc.OnsetOrder = "its onset precedes or equals its callers'"
		for _, caller := range sc.Path[:len(sc.Path)-1] {
			if on := onset[caller]; on != nil && on.At.Before(sc.Onset.At) {
				sc.OnsetOrder = fmt.Sprintf("onsets disagree with depth: %s left its normal at %s, before %s (%s)",
					caller, on.At.UTC().Format("15:04:05Z"), sc.Name, sc.Onset.At.UTC().Format("15:04:05Z"))
				break
			}
		}
	}
}
