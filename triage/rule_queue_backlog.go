package triage

import "fmt"

var queueBacklogRule = Rule{
	ID:      RuleQueueBacklog,
	Title:   "Queue backlog",
	Prompts: []PromptID{PromptQueueLoadLeveling, PromptHorizontalScaling, PromptAutoScaling},
	Causes:  []SignalID{SignalQueueDepth},
	Eval:    evalQueueBacklog,
}

func evalQueueBacklog(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	r, ok := s.usable(SignalQueueDepth)
	if !ok {
		return nil
	}
	depth := r.Value.V
	start, hasStart := r.WindowStart.Float()
	// Growth decides (as in awesome-prometheus-alerts' KafkaConsumerLag: a
	// rising lag matters more than its size); from an empty queue any depth
	// past the floor is growth.
	growing := hasStart && depth >= set.QueueMinDepth &&
		(start == 0 && depth > 0 || start > 0 && depth/start >= set.QueueGrowthRatio)
	if !growing && !s.hot(SignalQueueDepth) {
		return nil
	}
	b := newFinding(s)
	b.support(SignalQueueDepth)
	if hasStart {
		b.evidencef("%s", s.queueTrend(r, start))
	}
	flow, hasFlow := s.QueueFlow()
	if hasFlow {
		b.flow(flow)
	}
	b.rivalCPU("not CPU-bound: consumers are not starved of CPU")
	b.symptom(SignalErrorRatio, "consumers are not failing more than usual")

	sev, class := severityOf(r.Status), classUtilization
	b.f.Summary = fmt.Sprintf("The queue holds %s but is not growing: a standing backlog that consumers keep pace with", r.Formatted())
	if growing {
		sev, class = atLeast(sev, SeverityWarning), classSaturation
		b.f.Summary = fmt.Sprintf("The queue grew to %s: producers outpace consumers", r.Formatted())
		switch {
		case hasFlow && flow.Stalled():
			b.f.Summary = fmt.Sprintf("The queue grew to %s: its consumers are stalled (no offsets committed)", r.Formatted())
		case hasFlow && flow.Excess() > 0:
			b.f.Summary += " by " + FormatNumber(flow.Excess(), flow.Produce.Unit)
		}
		b.f.Change, b.f.Since = ChangeNew, SinceWindowStart // growth is the change
		if st, _ := r.Thresholds.absolute(start, r.Unit); st.rank() >= StatusWarning.rank() {
			b.f.Change = ChangeWorse
		}
	} else if hasStart && depth < start {
		b.againstf("The backlog is shrinking %s: consumers are catching up", s.windowPhrase())
	}
	b.f.Capacity = capacity
	return b.finish(sev, class, multipleMagnitude(depth/max(start, 1)))
}

// QueueFlow is what flows through one queue (a consumer group on a topic):
// its backlog, the rate producers write to it and the rate its consumers
// commit, each narrowed to that queue.
type QueueFlow struct {
	// Queue names it: "consumergroup=orders-worker, topic=orders".
	Queue                     string
	Backlog, Produce, Consume Reading
}

// QueueFlow is the flow of the queue with the largest backlog, when its
// produce and consume rates are both measured for that same queue: rates
// of other queues say nothing about this one.
func (s *Snapshot) QueueFlow() (QueueFlow, bool) {
	depth, ok := s.usable(SignalQueueDepth)
	if !ok || len(depth.Entities) == 0 {
		return QueueFlow{}, false
	}
	queue := depth.Entities[0]
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
