package prom

import "testing"

func TestConditionReadsTheThreshold(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`histogram_quantile(0.99, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m]))) > 0.5`, "P99 > 500 ms"},
		{`(histogram_quantile(0.95, sum by (le) (rate(rpc_duration_seconds_bucket[5m])))) >= 2`, "P95 >= 2 s"},
		{`0.9 < pgbouncer_pools_client_waiting_connections`, "pgbouncer_pools_client_waiting_connections > 0.9"},
		{`sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05`, "the rule's expression > 0.05"},
		{`redis_connected_clients > 1000`, "redis_connected_clients > 1000"},
		{`up == 0`, "up == 0"},
		{`absent(up{job="api"})`, ""},
		{`up == 0 or vector(1)`, ""},
		{`rate(a[5m]) > rate(b[5m])`, ""},
		{`not promql (`, ""},
	} {
		if got := Condition(c.expr); got != c.want {
			t.Errorf("%s: %q, want %q", c.expr, got, c.want)
		}
	}
}
