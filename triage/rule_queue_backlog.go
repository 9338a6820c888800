package triage

import (
	"fmt"
	"math"
)

var queueBacklogRule = Rule{
	ID:      RuleQueueBacklog,
	Title:   "Queue backlog",
	Prompts: []PromptID{PromptQueueLoadLeveling, PromptHorizontalScaling, PromptAutoScaling},
	Causes:  []SignalID{SignalQueueDepth},
	Eval:    evalQueueBacklog,
}

func evalQueueBacklog(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	all, ok := s.usable(SignalQueueDepth)
	if !ok {
		return nil
	}
	// Judged per queue (a consumer group on a topic): a backlog summed
	// across groups grows by one group's lag and stands by another's.
	r, focus := s.focusQueue(all)
	depth := r.Value.V
	start, hasStart := r.WindowStart.Float()
	// Growth decides (as in awesome-prometheus-alerts' KafkaConsumerLag: a
	// rising lag matters more than its size); from an empty queue any depth
	// past the floor is growth.
	growing := hasStart && depth >= set.QueueMinDepth &&
		(start == 0 && depth > 0 || start > 0 && depth/start >= set.QueueGrowthRatio)
	if !growing && r.Status.rank() < StatusWarning.rank() {
		return nil
	}
	b := newFinding(s)
	b.uses(SignalQueueDepth)
	b.evidencef("%s", s.observed(r))
	if hasStart {
		b.evidencef("%s", s.queueTrend(r, start))
	}
	flow, hasFlow := s.QueueFlow()
	if hasFlow {
		b.flow(flow)
	}
	b.otherQueues(all, focus)
	b.rivalCPU("not CPU-bound: consumers are not starved of CPU")
	b.symptom(SignalErrorRatio, "consumers are not failing more than usual")

	sev, class := severityOf(r.Status), classUtilization
	b.f.Summary = fmt.Sprintf("The queue%s holds %s but is not growing: a standing backlog that consumers keep pace with", queueName(r), r.Formatted())
	if hasStart && depth > start && !growing {
		// It grew, under the ratio that counts as growth: said as measured.
		b.f.Summary = fmt.Sprintf("The queue%s holds %s and grew by %s %s, under the %sx that counts as growth: a standing backlog that consumers nearly keep pace with",
			queueName(r), r.Formatted(), FormatNumber(depth-start, r.Unit), s.windowPhrase(), trimFloat(set.QueueGrowthRatio, 3))
	}
	if growing {
		sev, class = atLeast(sev, SeverityWarning), classSaturation
		b.f.Summary = fmt.Sprintf("The queue%s grew to %s: producers outpace consumers", queueName(r), r.Formatted())
		switch {
		case hasFlow && flow.Stalled():
			b.f.Summary = fmt.Sprintf("The queue%s grew to %s: its consumers are stalled (no offsets committed)", queueName(r), r.Formatted())
		case hasFlow && flow.Excess() > 0:
			b.f.Summary += " by " + FormatNumber(flow.Excess(), flow.Produce.Unit)
		}
		b.f.Change, b.f.Since = ChangeNew, SinceWindowStart // growth is the change
		if st, _ := r.Thresholds.absolute(start, r.Unit); st.rank() >= StatusWarning.rank() {
			b.f.Change = ChangeWorse
		}
		if hasFlow && b.behindSlowDatabase(flow, r) {
			class = classSymptom // a victim: the slow database is the cause
		}
	} else if hasStart && depth < start {
		b.againstf("The backlog is shrinking %s: consumers are catching up", s.windowPhrase())
	}
	b.f.Capacity = capacity
	return b.finish(sev, class, multipleMagnitude(depth/max(start, 1)))
}

// queueName names the queue a backlog reading is about, for a summary:
// " (consumergroup=orders-worker, topic=orders)" for one queue, "" when it
// is measured as one series or summed across several.
func queueName(r Reading) string {
	if len(r.Entities) != 1 || r.EntityCount > 1 {
		return ""
	}
	return " (" + r.EntityName(r.Entities[0]) + ")"
}

// focusQueue is the queue a backlog finding is about, and its index among
// the reading's entities: the one whose backlog grew most over the window
// (the service's own queues first), else the largest. A reading of one
// queue, or of none apart, is its own.
func (s *Snapshot) focusQueue(r Reading) (Reading, int) {
	if len(r.Entities) <= 1 || r.EntityCount <= 1 {
		return r, 0
	}
	best, bestIn, bestGrowth := 0, false, math.Inf(-1)
	for i, e := range r.Entities {
		growth := math.Inf(-1)
		if now, ok := e.Value.Float(); ok {
			if start, ok := e.WindowStart.Float(); ok {
				growth = now - start
			}
		}
		scope, _ := s.EntityScope(r, e.Labels)
		in := scope == ScopeIn
		if in && !bestIn || in == bestIn && growth > bestGrowth {
			best, bestIn, bestGrowth = i, in, growth
		}
	}
	if math.IsInf(bestGrowth, -1) || bestGrowth <= 0 && !bestIn {
		best = 0 // nothing grew: the largest backlog
	}
	return r.narrowedTo(r.Entities[best]), best
}

// otherQueues says what the queues beside the one judged hold, each
// against its own day before: another group's standing lag is no part of
// this one's growth.
func (b *findingBuilder) otherQueues(r Reading, focus int) {
	if len(r.Entities) <= 1 || r.EntityCount <= 1 {
		return
	}
	for i, e := range r.Entities {
		if i == focus {
			continue
		}
		change, _ := r.EntityChange(e)
		n := r.narrowedTo(e)
		base := "no day-before value"
		if e.Baseline.Usable() {
			base = "day before: " + Format(e.Baseline, r.Unit, false)
		}
		b.againstf("Another queue, judged apart: %s holds %s (%s), %s", r.EntityName(e), n.Formatted(), base, change)
	}
}

// QueueFlow is what flows through one queue (a consumer group on a topic):
// its backlog, the rate producers write to it and the rate its consumers
// commit, each narrowed to that queue.
type QueueFlow struct {
	// Queue names it: "consumergroup=orders-worker, topic=orders".
	Queue                     string
	Backlog, Produce, Consume Reading
}

// QueueFlow is the flow of the queue the backlog finding is about (the one
// that grew most, the service's first; else the largest), when its
// produce and consume rates are both measured for that same queue: rates
// of other queues say nothing about this one.
func (s *Snapshot) QueueFlow() (QueueFlow, bool) {
	depth, ok := s.usable(SignalQueueDepth)
	if !ok || len(depth.Entities) == 0 {
		return QueueFlow{}, false
	}
	narrowed, focus := s.focusQueue(depth)
	queue := depth.Entities[focus]
	flow := QueueFlow{Queue: depth.EntityName(queue), Backlog: depth.narrowedTo(queue)}
	for _, side := range []struct {
		id  SignalID
		out *Reading
	}{{SignalQueueProduceRate, &flow.Produce}, {SignalQueueConsumeRate, &flow.Consume}} {
		r, ok := s.Get(side.id)
		if !ok || len(r.Entities) == 0 {
			return QueueFlow{}, false
		}
		if *side.out, ok = r.narrowedToLabels(queue.Labels); !ok {
			return QueueFlow{}, false
		}
	}
	flow.Backlog = narrowed
	return flow, flow.Backlog.Usable()
}

// Excess is how many more messages per second producers write than
// consumers commit (negative when consumers are faster).
func (f QueueFlow) Excess() float64 { return f.Produce.Value.V - f.Consume.Value.V }

// Stalled reports consumers that commit nothing while producers write.
func (f QueueFlow) Stalled() bool { return f.Consume.Value.V == 0 && f.Produce.Value.V > 0 }

// flow adds the queue's produce and consume rates: producers outpacing
// consumers are the growth's cause; consumers keeping pace are against it.
func (b *findingBuilder) flow(f QueueFlow) {
	b.uses(SignalQueueProduceRate)
	b.uses(SignalQueueConsumeRate)
	produce, consume := f.Produce.Formatted(), f.Consume.Formatted()
	switch {
	case f.Stalled():
		b.evidencef("Consumers of %s committed no offsets (%s, %s) while producers wrote %s: they are stalled, not slow", f.Queue, consume, f.Consume.Statistic, produce)
	case f.Excess() > 0:
		b.evidencef("Producers outpace consumers on %s by %s: %s produced, %s consumed (%s)", f.Queue, FormatNumber(f.Excess(), f.Produce.Unit), produce, consume, f.Produce.Statistic)
	default:
		b.againstf("Consumers keep pace on %s: %s consumed, %s produced (%s)", f.Queue, consume, produce, f.Consume.Statistic)
	}
}

// NetDrain is how fast a backlog shrank over the window, (window start −
// now) / window, per second of the reading's unit: negative when it grew.
// ok is false without a window or a window-start value. The rule and the
// prompts' drain time share it.
func (s *Snapshot) NetDrain(r Reading) (perSecond, start float64, ok bool) {
	start, ok = r.WindowStart.Float()
	now, okNow := r.Value.Float()
	if !ok || !okNow || s.Window <= 0 {
		return 0, start, false
	}
	return (start - now) / s.Window.Seconds(), start, true
}

// queueTrend states the backlog's change over the window, its rate, and how
// many steps of the range series rose.
func (s *Snapshot) queueTrend(r Reading, start float64) string {
	line := fmt.Sprintf("The backlog went from %s to %s %s", FormatNumber(start, r.Unit), r.Formatted(), s.windowPhrase())
	if drain, _, ok := s.NetDrain(r); ok {
		line += ", " + FormatNumber(-drain, r.Unit+"/s")
	}
	rising, steps := 0, 0
	for i := 1; i < len(r.Series); i++ {
		steps++
		if r.Series[i].V > r.Series[i-1].V {
			rising++
		}
	}
	if steps > 0 {
		line += fmt.Sprintf("; it rose in %d of %d steps", rising, steps)
	}
	return line
}

// consumersSlowed reports consumers committing much less than the day
// before (as far as traffic must move to be another traffic).
func (f QueueFlow) consumersSlowed() (float64, bool) {
	now, ok1 := f.Consume.Value.Float()
	before, ok2 := f.Consume.Baseline.Float()
	if !ok1 || !ok2 || before <= 0 || now*trafficChange > before {
		return 0, false
	}
	return now / before, true
}

// behindSlowDatabase follows consumers that slowed to the database behind
// them when it got slow (the chain of pool-behind-slow-database, linked
// the same way): the backlog is its victim, and more consumers would pour
// more queries on it.
func (b *findingBuilder) behindSlowDatabase(f QueueFlow, backlog Reading) bool {
	share, slowed := f.consumersSlowed()
	if !slowed {
		return false
	}
	d, ok := b.s.slowDatabaseBehindPools()
	if !ok {
		return false
	}
	for _, r := range d.signs {
		b.uses(r.ID)
		b.evidencef("%s", b.s.observed(r))
	}
	b.evidencef("Link from the consumers of %s to %s: %s", f.Queue, d.name, d.basis)
	b.f.Link = d.basis
	b.f.Summary = fmt.Sprintf("A victim, not the cause: the queue%s grew to %s because its consumers slowed to %s of their rate the day before behind the database %s, which got slow: %s. "+
		"Adding consumers would pour more queries on it", queueName(backlog), backlog.Formatted(), FormatNumber(share, UnitRatio), d.name, d.signsText(b.s))
	return true
}
