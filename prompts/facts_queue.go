package prompts

import (
	"fmt"

	"github.com/scaletriage/scaletriage/triage"
)

// backlogDrainTarget is the time the speed-up drains the backlog in: an hour.
const backlogDrainTarget = 3600.0

// factQueueSpeedUp sizes the consumers from the queue's own rates: to keep
// up they must commit as fast as producers write (produce / consume), and to
// drain the backlog within an hour also backlog / 3600 s more
// ((backlog / 3600 + produce) / consume). Only rates measured for the
// backlog's own consumer group and topic are used.
var factQueueSpeedUp = fact{needs: []triage.SignalID{triage.SignalQueueDepth, triage.SignalQueueProduceRate, triage.SignalQueueConsumeRate}, work: func(e *env) (string, bool) {
	flow, ok := e.snap.QueueFlow()
	if !ok {
		return "", false
	}
	queue, statistic := e.label(flow.Queue), flow.Consume.Statistic
	produce, consume := flow.Produce.Value.V, flow.Consume.Value.V
	if consume <= 0 {
		return fmt.Sprintf("Consumer speed-up for %s: none can be computed: the consumers committed no offsets (%s, %s) while producers wrote %s: they are stalled, not slow.",
			queue, flow.Consume.Formatted(), statistic, flow.Produce.Formatted()), true
	}
	produced := triage.Operand{V: produce, Unit: flow.Produce.Unit}
	consumed := triage.Operand{V: consume, Unit: flow.Consume.Unit}
	keepOps, keep := triage.ShowWorking(func(x ...float64) float64 { return x[0] / x[1] }, "", produced, consumed)
	drainOps, drain := triage.ShowWorking(func(x ...float64) float64 { return (x[0]/backlogDrainTarget + x[1]) / x[2] }, "",
		triage.Operand{V: flow.Backlog.Value.V, Unit: flow.Backlog.Unit}, produced, consumed)
	return fmt.Sprintf("Consumer speed-up for %s (rates: %s): to keep up, produce / consume = %s / %s = %sx the consumers' current throughput; "+
		"to also drain the backlog of %s within an hour, (%s / 3600 s + %s) / %s = %sx "+
		"(assumes throughput grows in proportion to consumers, at most one consumer per partition).",
		queue, statistic, keepOps[0], keepOps[1], keep, flow.Backlog.Formatted(), drainOps[0], drainOps[1], drainOps[2], drain), true
}}
