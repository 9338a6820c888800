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
		// Two groups: one newly lagging (0 -> 400k), one lagging 2M every
		// day. The sum grows by under the ratio; the new one is the finding,
		// the standing one is said apart, unchanged.
		{name: "one group grows beside a standing one", snap: sick(append(rates(30, 6, "consumergroup", "indexer", "topic", "docs"),
			read(SignalQueueDepth, 2.4e6, baseline(2e6), windowStart(2e6), series(2e6, 2.2e6, 2.4e6),
				queueEntity(2e6, 2e6, 2e6, "consumergroup", "analytics", "topic", "events"),
				queueEntity(4e5, 0, 0, "consumergroup", "indexer", "topic", "docs")))...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "The queue (consumergroup=indexer, topic=docs) grew to 400,000 messages: producers outpace consumers by 24 messages/s")
				containsLine(t, "against", f.Against, "Another queue, judged apart: consumergroup=analytics, topic=events holds 2,000,000 messages (day before: 2,000,000 messages), unchanged")
				if strings.Contains(f.Summary, "not growing") {
					t.Errorf("growth measured, summary says none: %s", f.Summary)
				}
			}},
		// The consumers slowed to a fifth behind a database that got slow:
		// the backlog is its victim.
		{name: "consumers slowed behind a slow database", snap: sick(append(rates(30, 6, queue...), backlog,
			read(SignalDBQueryMean, 0.16, baseline(0.01), entity(0.16, 0.01, "instance", "db-1:9187")))...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "A victim, not the cause: the queue (consumergroup=orders-worker, topic=orders) grew to 20,000 messages because its consumers slowed to 20% of their rate the day before behind the database db-1:9187, which got slow")
				containsLine(t, "evidence", f.Evidence, "Link from the consumers of consumergroup=orders-worker, topic=orders to db-1:9187: the only database instance measured (db-1:9187)")
				if f.Link == "" {
					t.Error("no link")
				}
			}},
		{name: "consumers slowed, the database is not slower", snap: sick(append(rates(30, 6, queue...), backlog,
			read(SignalDBQueryMean, 0.01, baseline(0.01), entity(0.01, 0.01, "instance", "db-1:9187")))...), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "The queue (consumergroup=orders-worker, topic=orders) grew to 20,000 messages: producers outpace consumers by 24 messages/s")
			}},
		{name: "grew under the ratio", snap: sick(read(SignalQueueDepth, 2.38e6, windowStart(2.1e6), series(2.1e6, 2.38e6))), want: SeverityCritical,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "summary", []string{f.Summary}, "holds 2,380,000 messages and grew by 280,000 messages in the 5m window, under the 1.2x that counts as growth")
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

// queueEntity is one queue of a backlog reading with its window start.
func queueEntity(value, dayBefore, start float64, labels ...string) readingOption {
	return func(r *Reading) {
		entity(value, dayBefore, labels...)(r)
		r.Entities[len(r.Entities)-1].WindowStart = Of(start)
	}
}
