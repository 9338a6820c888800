package triage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// CapacitySignals are the utilizations the bottleneck law applies to: the
// ones that grow in proportion to the request rate (busy CPU, busy pool
// connections by Little's law). Left out on purpose:
//   - memory_utilization: heaps, page cache and GC fill memory whatever the
//     load, so throughput / memory predicts nothing;
//   - cache_memory_utilization: Redis fills maxmemory up to its eviction
//     policy; it tracks the working set, not requests.
//
// db_connection_utilization is kept although pools hold idle connections
// open: it is the hard ceiling a scale-out of app instances runs into.
var CapacitySignals = []SignalID{
	SignalCPUUtilization,
	SignalDBPoolUtilization,
	SignalAppPoolUtilization,
	SignalDBConnectionUtil,
}

// resourceLoad is one resource's utilization in the capacity maths.
type resourceLoad struct {
	id   SignalID
	util float64
}

// ComputeCapacity applies the bottleneck law to the snapshot: the most
// utilized resource bounds throughput at current / utilization, the next one
// is the second-order bottleneck, and each multiple of load is projected
// linearly. It returns nil when no capacity signal has a positive value (an
// idle resource bounds nothing).
func ComputeCapacity(s *Snapshot, multiples []float64) *Capacity {
	loads := capacityLoads(s)
	if len(loads) == 0 {
		return nil
	}
	top := loads[0]
	c := &Capacity{
		Bottleneck:  top.id,
		Utilization: top.util,
		Headroom:    1 / top.util,
	}
	if tp, ok := s.usable(SignalThroughput); ok && tp.Value.V > 0 {
		c.Throughput = tp.Value
		if caveat, before, odd := disproportion(s, top, tp); odd {
			c.Caveat, c.BaselineMaxThroughput = caveat, before
		} else {
			c.MaxThroughput = Of(tp.Value.V / top.util)
		}
	}
	if len(loads) > 1 {
		c.SecondOrder = loads[1].id
		c.SecondHeadroom = 1 / loads[1].util
	}
	for _, m := range multiples {
		p := Projection{Multiple: m, Utilizations: make(map[SignalID]float64, len(loads))}
		for _, l := range loads { // most utilized first, so Saturated keeps that order
			p.Utilizations[l.id] = l.util * m
			if l.util*m >= 1 {
				p.Saturated = append(p.Saturated, l.id)
			}
		}
		c.Projections = append(c.Projections, p)
	}
	return c
}

// disproportionRatio is how much the utilization per request/s may grow
// against the day before before the bottleneck law stops applying.
// Heuristic: the law assumes utilization proportional to load.
const disproportionRatio = 1.5

// disproportion checks the bottleneck law's premise against the day before:
// in an incident a resource often fills because work got slower, not because
// requests grew (a pool 60% used at 576 requests/s is 100% used at 6.5). Then
// current / utilization is no ceiling at all; the day-before cost per request
// still gives one.
func disproportion(s *Snapshot, top resourceLoad, tp Reading) (string, Value, bool) {
	r, ok := s.Get(top.id)
	if !ok {
		return "", None, false
	}
	// The day before when known, else the start of the window (a lab, a
	// server with less than a day of data).
	for _, ref := range []struct {
		tp, util Value
		when     string
	}{{tp.Baseline, r.Baseline, "the day before"}, {tp.WindowStart, r.WindowStart, "at the window start"}} {
		tpBase, ok1 := ref.tp.Float()
		utilBase, ok2 := ref.util.Float()
		if !ok1 || !ok2 || tpBase <= 0 || utilBase < 0 {
			continue
		}
		was := fmt.Sprintf("%s was %s at %s %s and is %s at %s now", s.titleOf(top.id), FormatNumber(utilBase, UnitRatio),
			FormatNumber(tpBase, UnitRPS), ref.when, FormatNumber(top.util, UnitRatio), FormatNumber(tp.Value.V, UnitRPS))
		if utilBase == 0 { // idle then, busy now at a similar rate: no cost to scale
			return was + ", so slowness, not requests, fills it", None, true
		}
		growth := (top.util / tp.Value.V) / (utilBase / tpBase)
		if growth <= disproportionRatio {
			return "", None, false
		}
		return fmt.Sprintf("%s (%s the cost per request), so slowness, not requests, fills it", was, multiple(growth)), Of(tpBase / utilBase), true
	}
	return "", None, false
}

// capacityLoads are the usable, positive capacity utilizations, most utilized
// first (ties by id, for a stable report).
func capacityLoads(s *Snapshot) []resourceLoad {
	var loads []resourceLoad
	for _, id := range CapacitySignals {
		util, ok := s.Float(id)
		if id == SignalDBConnectionUtil {
			c := connectionCeilingOf(s)
			util, ok = c.util, c.known
		}
		if ok && util > 0 {
			loads = append(loads, resourceLoad{id, util})
		}
	}
	slices.SortFunc(loads, func(a, b resourceLoad) int {
		if c := cmp.Compare(b.util, a.util); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return loads
}

// headline states the bottleneck law in one sentence.
func (c *Capacity) headline(s *Snapshot) string {
	line := fmt.Sprintf("%s is the most utilized resource at %s", s.titleOf(c.Bottleneck), FormatNumber(c.Utilization, UnitRatio))
	switch {
	case c.MaxThroughput.Usable():
		line += fmt.Sprintf(": theoretical max ≈ %s (current %s / %s)",
			FormatNumber(c.MaxThroughput.V, UnitRPS), FormatNumber(c.Throughput.V, UnitRPS), FormatNumber(c.Utilization, UnitRatio))
	case c.Caveat != "":
		line += ": no theoretical max from today's numbers — utilization is not proportional to load: " + c.Caveat
		if b, ok := c.BaselineMaxThroughput.Float(); ok {
			line += fmt.Sprintf("; at the earlier cost per request it would saturate near %s", FormatNumber(b, UnitRPS))
		}
	default:
		line += fmt.Sprintf(": it saturates at %s current load (no throughput to divide: not measured, or 0)", multiple(c.Headroom))
	}
	if c.Utilization >= 1 && c.Caveat == "" {
		line += " — it is saturated already: current throughput is its ceiling"
	}
	if c.SecondOrder != "" {
		line += fmt.Sprintf("; second-order bottleneck: %s, saturating at %s current load", s.titleOf(c.SecondOrder), multiple(c.SecondHeadroom))
	}
	return line
}

// projectionLines say, per load multiple, each resource's projected
// utilization and what saturates.
func (c *Capacity) projectionLines(s *Snapshot) []string {
	var lines []string
	for _, p := range c.Projections {
		ids := make([]SignalID, 0, len(p.Utilizations))
		for id := range p.Utilizations {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b SignalID) int {
			if c := cmp.Compare(p.Utilizations[b], p.Utilizations[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = fmt.Sprintf("%s %s", s.titleOf(id), FormatNumber(p.Utilizations[id], UnitRatio))
		}
		verdict := "nothing saturates"
		if len(p.Saturated) > 0 {
			names := make([]string, len(p.Saturated))
			for i, id := range p.Saturated {
				names[i] = s.titleOf(id)
			}
			verdict = "saturated: " + strings.Join(names, ", ")
		}
		lines = append(lines, fmt.Sprintf("At %s load: %s — %s", multiple(p.Multiple), strings.Join(parts, ", "), verdict))
	}
	if c.Caveat != "" && len(lines) > 0 {
		lines = append(lines, "These projections scale today's utilization linearly, which it does not follow right now: read them as no forecast")
	}
	return lines
}
