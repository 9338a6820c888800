package prom

import "testing"

func TestWithoutReplica(t *testing.T) {
	tests := []struct{ in, want string }{
		{`pgbouncer_pools_client_waiting_connections`,
			`max without (replica) (pgbouncer_pools_client_waiting_connections)`},
		{`sum(rate(http_requests_total{job="api"}[5m]))`,
			`sum(max without (replica) (rate(http_requests_total{job="api"}[5m])))`},
		{`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))`,
			`histogram_quantile(0.99, sum by (le) (max without (replica) (rate(http_request_duration_seconds_bucket[5m]))))`},
		{`sum(a) / sum(b > 0)`,
			`sum(max without (replica) (a)) / sum(max without (replica) (b) > 0)`},
		{`time() - timestamp(up)`, `time() - max without (replica) (timestamp(up))`},
		{`max_over_time(rate(x[1m])[10m:1m])`, `max_over_time(max without (replica) (rate(x[1m]))[10m:1m])`},
		{`-x`, `-max without (replica) (x)`},
		{`topk(3, x)`, `topk(3, max without (replica) (x))`},
	}
	for _, tt := range tests {
		got, err := withoutReplica(tt.in, "replica")
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if got != tt.want {
			t.Errorf("%s\n got  %s\n want %s", tt.in, got, tt.want)
		}
		// What it prints parses back to itself: the query sent is PromQL.
		again, err := withoutReplica(got, "other")
		if err != nil || again == got {
			t.Errorf("rewritten query does not parse back: %q (%v)", got, err)
		}
	}
	if got, err := withoutReplica(`rate(x[5m]`, "replica"); err == nil || got != `rate(x[5m]` {
		t.Errorf("unparsable query: %q %v, want it unchanged with an error", got, err)
	}
}
