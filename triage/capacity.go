package triage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// capacitySignals are the utilizations the bottleneck law applies to: the
// ones that grow in proportion to the request rate (busy CPU, busy pool
// connections by Little's law). Left out on purpose:
//   - memory_utilization: heaps, page cache and GC fill memory whatever the
//     load, so throughput / memory predicts nothing;
//   - cache_memory_utilization: Redis fills maxmemory up to its eviction
//     policy; it tracks the working set, not requests.
//
// db_connection_utilization is kept although pools hold idle connections
// open: it is the hard ceiling a scale-out of app instances runs into.
// cache_cpu_utilization is Redis's one command thread: busy CPU like the
// hosts', and often full long before them.
var capacitySignals = []SignalID{
	SignalCPUUtilization,
	SignalDBPoolUtilization,
	SignalAppPoolUtilization,
	SignalDBConnectionUtil,
	SignalCacheCPU,
}

// CapacityInputs are the signals ComputeCapacity reads: the utilizations
// and, for the connection ceiling, connections used and max_connections.
func CapacityInputs() []SignalID {
	return append(slices.Clone(capacitySignals), SignalDBConnectionsUsed, SignalDBConnectionsMax)
}

// ComputeCapacity applies the bottleneck law to the snapshot: the most
// utilized resource bounds throughput at current / utilization, the next one
// is the second-order bottleneck, and each multiple of load is projected
// linearly. It returns nil when no capacity signal has a positive value (an
// idle resource bounds nothing).
func ComputeCapacity(s *Snapshot, multiples []float64) *Capacity {
	loads, unlinked := capacityLoads(s)
	if len(loads) == 0 {
		return nil
	}
	top := loads[0]
	c := &Capacity{
		Bottleneck:  top.Signal,
		Utilization: top.Value,
		Headroom:    1 / top.Value,
		Loads:       loads,
		Unlinked:    unlinked,
	}
	if tp, ok := s.usable(SignalThroughput); ok && tp.Value.V > 0 {
		c.Throughput = tp.Value
		if caveat, before, odd := disproportion(s, top, tp); odd {
			c.Caveat, c.BaselineMaxThroughput = caveat, before
		} else {
			c.MaxThroughput = Of(tp.Value.V / top.Value)
		}
	}
	if len(loads) > 1 {
		c.SecondOrder = loads[1].Signal
		c.SecondHeadroom = 1 / loads[1].Value
	}
	for _, m := range multiples {
		p := Projection{Multiple: m}
		for _, l := range loads { // most utilized first: the projection keeps that order
			p.Utilizations = append(p.Utilizations, Utilization{Signal: l.Signal, Value: l.Value * m})
			if l.Value*m >= 1 {
				p.Saturated = append(p.Saturated, l.Signal)
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
func disproportion(s *Snapshot, top Utilization, tp Reading) (string, Value, bool) {
	r := top.from
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
		was := fmt.Sprintf("%s was %s at %s %s and is %s at %s now", s.TitleOf(top.Signal), FormatNumber(utilBase, UnitRatio),
			FormatNumber(tpBase, UnitRPS), ref.when, FormatNumber(top.Value, UnitRatio), FormatNumber(tp.Value.V, UnitRPS))
		if utilBase == 0 { // idle then, busy now at a similar rate: no cost to scale
			return was + ", so slowness, not requests, fills it", None, true
		}
		growth := (top.Value / tp.Value.V) / (utilBase / tpBase)
		if growth <= disproportionRatio {
			return "", None, false
		}
		return fmt.Sprintf("%s (%s the cost per request), so slowness, not requests, fills it", was, multiple(growth)), Of(tpBase / utilBase), true
	}
	return "", None, false
}

// capacityLoads are the usable, positive capacity utilizations, most utilized
// first (ties by id, for a stable report). With a service selected, each is
// its worst linked entity's: a host or database nothing links to the service
// bounds none of its throughput, and is named in unlinked instead.
func capacityLoads(s *Snapshot) (loads []Utilization, unlinked []string) {
	for _, id := range capacitySignals {
		var r Reading
		var ok bool
		if id == SignalDBConnectionUtil {
			c := connectionCeilingOf(s)
			if s.Scope != nil {
				c = serviceCeilingOf(s)
			}
			if c.known && !c.linked && c.fullest != "" { // one series is nobody's to leave out
				unlinked = append(unlinked, s.TitleOf(id)+c.fullest)
				continue
			}
			r, ok = c.reading, c.known
			r.Value = Of(c.util)
		} else {
			r, ok = s.usable(id)
			if ok && s.Scope != nil {
				if len(r.Entities) > 0 && !r.Scoped {
					if scope, _ := s.EntityScope(r, r.Entities[0].Labels); scope != ScopeIn {
						unlinked = append(unlinked, s.TitleOf(id)+" on "+r.EntityName(r.Entities[0]))
					}
				}
				var linked bool
				if r, linked = s.linkedPart(r); !linked {
					continue
				}
			}
		}
		if ok && r.Value.V > 0 {
			loads = append(loads, Utilization{Signal: id, Value: r.Value.V, from: r})
		}
	}
	slices.SortFunc(loads, func(a, b Utilization) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return cmp.Compare(a.Signal, b.Signal)
	})
	return loads, unlinked
}

// linkedPart is r narrowed to its worst entity linked to the selected
// service; r itself when its query is the service's own or it has no
// entities. False when none of its entities is linked.
func (s *Snapshot) linkedPart(r Reading) (Reading, bool) {
	if r.Scoped || len(r.Entities) == 0 {
		return r, true
	}
	for _, e := range r.Entities {
		if scope, _ := s.EntityScope(r, e.Labels); scope == ScopeIn {
			n := r.narrowedTo(e)
			return n, n.Usable()
		}
	}
	return r, false
}

// Statement is the bottleneck law in one sentence, with its arithmetic: the
// one rendering of it that findings, prompts, guidance and the TUI share.
func (c *Capacity) Statement(s *Snapshot) string {
	u := FormatNumber(c.Utilization, UnitRatio)
	line := fmt.Sprintf("%s is the most utilized resource at %s", s.TitleOf(c.Bottleneck), u)
	if saturatedNow(c.Headroom) {
		line += ": it is saturated now, with no headroom at the current load"
	} else {
		line += fmt.Sprintf(": it saturates at 1 / %s = %s current load", u, multiple(c.Headroom))
	}
	switch {
	case c.MaxThroughput.Usable():
		ops, max := ShowWorking(func(x ...float64) float64 { return x[0] / x[1] }, UnitRPS,
			Operand{c.Throughput.V, UnitRPS}, Operand{c.Utilization, UnitRatio})
		line += fmt.Sprintf("; theoretical max throughput ≈ %s / %s = %s", ops[0], ops[1], max)
		if c.Utilization >= 1 {
			line += ": current throughput is its ceiling"
		}
	case c.NotProportional():
		line += "; no theoretical max from today's numbers, since utilization is not proportional to load"
		if c.Caveat != "" {
			line += ": " + c.Caveat
		}
		if b, ok := c.BaselineMaxThroughput.Float(); ok {
			line += fmt.Sprintf("; at the earlier cost per request it would saturate near %s", FormatNumber(b, UnitRPS))
		}
	default:
		line += " (no throughput to divide: not measured, or 0)"
	}
	switch {
	case c.SecondOrder == "":
	case saturatedNow(c.SecondHeadroom):
		line += fmt.Sprintf("; %s is saturated now too", s.TitleOf(c.SecondOrder))
	default:
		line += fmt.Sprintf("; the next to saturate (second-order bottleneck) is %s, at %s the current load", s.TitleOf(c.SecondOrder), multiple(c.SecondHeadroom))
	}
	if len(c.Unlinked) > 0 {
		line += "; not linked to the service, so left out: " + strings.Join(c.Unlinked, ", ")
	}
	return line
}

// saturatedNow reports a headroom that prints as "1x" or less: no load
// multiple is left, and "saturates at 1x" would say nothing.
func saturatedNow(headroom float64) bool { return headroom <= 1 || multiple(headroom) == "1x" }

// ProjectionLines say, per load multiple, each resource's projected
// utilization and what saturates, most utilized first; a last line says
// when the projection is no forecast.
func (c *Capacity) ProjectionLines(s *Snapshot) []string {
	var lines []string
	for _, p := range c.Projections {
		parts := make([]string, len(p.Utilizations))
		for i, u := range p.Utilizations {
			parts[i] = fmt.Sprintf("%s %s", s.TitleOf(u.Signal), FormatNumber(u.Value, UnitRatio))
		}
		verdict := "nothing saturates"
		if len(p.Saturated) > 0 {
			names := make([]string, len(p.Saturated))
			for i, id := range p.Saturated {
				names[i] = s.TitleOf(id)
			}
			verdict = "saturated: " + strings.Join(names, ", ")
		}
		lines = append(lines, fmt.Sprintf("At %s load: %s — %s", multiple(p.Multiple), strings.Join(parts, ", "), verdict))
	}
	if c.NotProportional() && len(lines) > 0 {
		lines = append(lines, "These projections scale today's utilization linearly, which it does not follow right now: read them as no forecast")
	}
	return lines
}

// NotProportional reports a capacity whose max throughput is unknown
// although throughput is measured (Caveat says why): utilization follows
// something other than load, so throughput / utilization means nothing.
func (c *Capacity) NotProportional() bool {
	return c.Caveat != "" || c.Throughput.Usable() && !c.MaxThroughput.Usable()
}
