package prompts

import (
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// Kafka: the consumers' speed-up comes from the backlog's own consumer
// group and topic: produce / consume to keep up, (backlog / 3600 s +
// produce) / consume to drain it within an hour.
func TestQueueSpeedUpFromProduceAndConsumeRates(t *testing.T) {
	orders := map[string]string{"consumergroup": "orders-worker", "topic": "orders"}
	audit := map[string]string{"consumergroup": "audit", "topic": "orders"}
	onQueue := func(r triage.Reading, labels map[string]string) triage.Reading {
		r.Entities, r.EntityCount = []triage.Entity{{Labels: labels, Value: r.Value}}, 1
		return r
	}
	backlog := onQueue(reading(triage.SignalQueueDepth, "Queue backlog", triage.UnitMessages, 9000), orders)
	backlog.WindowStart = triage.Of(500)
	rate := func(id triage.SignalID, v float64, labels map[string]string) triage.Reading {
		return onQueue(reading(id, string(id), "messages/s", v), labels)
	}
	for _, tc := range []struct {
		name      string
		s         *triage.Snapshot
		want, not []string
	}{
		{"producers outpace consumers 2x", snap(backlog, rate(triage.SignalQueueProduceRate, 60, orders), rate(triage.SignalQueueConsumeRate, 30, orders)),
			[]string{"Consumer speed-up for consumergroup=orders-worker, topic=orders (rates: 15m average): to keep up, produce / consume = 60 messages/s / 30 messages/s = 2x the consumers' current throughput; " +
				"to also drain the backlog of 9000 messages within an hour, (9000 messages / 3600 s + 60 messages/s) / 30 messages/s = 2.08x"},
			nil},
		{"consumers stalled", snap(backlog, rate(triage.SignalQueueProduceRate, 60, orders), rate(triage.SignalQueueConsumeRate, 0, orders)),
			[]string{"Consumer speed-up for consumergroup=orders-worker, topic=orders: none can be computed: the consumers committed no offsets (0 messages/s, 15m average) while producers wrote 60 messages/s: they are stalled, not slow."},
			[]string{"Inf", "x the consumers'"}},
		{"rates of another consumer group", snap(backlog, rate(triage.SignalQueueProduceRate, 60, audit), rate(triage.SignalQueueConsumeRate, 30, audit)),
			nil, []string{"Consumer speed-up"}},
		{"consume rate not measured", snap(backlog, rate(triage.SignalQueueProduceRate, 60, orders)),
			nil, []string{"Consumer speed-up"}},
	} {
		got := Populate(mustLookup(t, "queue-based-load-leveling"), Input{Diagnosis: diagnosed(tc.s)})
		wantLines(t, tc.name, got.Markdown, tc.want, tc.not)
	}
}
