package triage

import (
	"strings"
	"testing"
)

func TestQueueBacklog(t *testing.T) {
	queue := []string{"consumergroup", "orders-worker", "topic", "orders"}
	backlog := read(SignalQueueDepth, 20000, baseline(500), windowStart(500), entity(20000, 500, queue...))
	rates := func(produce, consume float64, labels ...string) []Reading {
		return []Reading{
			read(SignalQueueProduceRate, produce, baseline(30), entity(produce, 30, labels...)),
			read(SignalQueueConsumeRate, consume, baseline(30), entity(consume, 30, labels...)),
		}
	}
	runRuleCases(t, queueBacklogRule, []ruleCase{
		{name: "producers outpace consumers", snap: sick(append(rates(60, 30, queue...), backlog)...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Producers outpace consumers on consumergroup=orders-worker, topic=orders by 30 messages/s: 60 messages/s produced, 30 messages/s consumed (5m average)")
				containsLine(t, "summary", []string{f.Summary}, "producers outpace consumers by 30 messages/s")
			}},
		{name: "consumers stalled", snap: sick(append(rates(60, 0, queue...), backlog)...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Consumers of consumergroup=orders-worker, topic=orders committed no offsets (0 messages/s, 5m average) while producers wrote 60 messages/s")
				containsLine(t, "summary", []string{f.Summary}, "its consumers are stalled")
			}},
		{name: "consumers keep pace", snap: sick(append(rates(30, 30, queue...), backlog)...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "Consumers keep pace on consumergroup=orders-worker, topic=orders: 30 messages/s consumed, 30 messages/s produced")
			}},
		// Another group's rates say nothing about this queue.
		{name: "rates of another queue", snap: sick(append(rates(60, 30, "consumergroup", "audit", "topic", "orders"), backlog)...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				for _, line := range append(f.Evidence, f.Against...) {
					if strings.Contains(line, "produced") || strings.Contains(line, "committed") {
						t.Errorf("rates of another queue used: %q", line)
					}
				}
				containsLine(t, "summary", []string{f.Summary}, "producers outpace consumers")
			}},
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "growth below the ratio", snap: sick(read(SignalQueueDepth, 500, windowStart(420)))},
		{name: "growth at the ratio", snap: sick(read(SignalQueueDepth, 600, windowStart(500), series(500, 520, 560, 600))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "The backlog went from 500 messages to 600 messages in the 5m window, 0.333 messages/s; it rose in 3 of 3 steps")
				if f.Score < 300 {
					t.Errorf("growth is saturation: score %v", f.Score)
				}
			}},
		{name: "growth under the depth floor", snap: sick(read(SignalQueueDepth, 90, windowStart(10)))},
		{name: "growth from empty", snap: sick(read(SignalQueueDepth, 150, windowStart(0))), want: SeverityWarning},
		{name: "growing past critical", snap: sick(read(SignalQueueDepth, 20000, windowStart(5000))), want: SeverityCritical},
		{name: "high but draining", snap: sick(read(SignalQueueDepth, 5000, windowStart(8000))), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "against", f.Against, "shrinking")
				if f.Score >= 300 {
					t.Errorf("draining is no saturation: score %v", f.Score)
				}
			}},
		{name: "high, no window start", snap: sick(read(SignalQueueDepth, 999))},
		{name: "missing", snap: sick(absent(SignalQueueDepth))},
		{name: "NaN", snap: sick(nan(SignalQueueDepth))},
	})
}
