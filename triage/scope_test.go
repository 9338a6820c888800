package triage

import "testing"

func mustSelector(t *testing.T, ms ...Matcher) Matchers { t.Helper(); return Matchers(ms) }

func matcher(t *testing.T, name string, typ MatchType, value string) Matcher {
	t.Helper()
	m, err := NewMatcher(name, typ, value)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEntityScope(t *testing.T) {
	host := Reading{ID: SignalCPUUtilization, Tier: TierHost}
	container := Reading{ID: SignalCPUUtilization, Tier: TierContainer}
	db := Reading{ID: SignalDBConnectionUtil, Tier: TierDatabase}
	pool := Reading{ID: SignalAppPoolWaiting, Tier: TierAppPool, Scoped: true}
	scope := &ServiceScope{
		Selector: `job="checkout"`,
		Identity: map[string][]string{"job": {"checkout"}, "instance": {"checkout-1:8080", "10.0.0.7:8080"}, "namespace": {"shop"}, "pod": {"checkout-7d9f"},
			"server_address": {"redis-checkout"}, "db_name": {"orders"}, "messaging_destination_name": {"orders"}, "messaging_consumer_group_name": {"orders-worker"}},
		Dependencies: map[Tier][]Matchers{
			TierDatabase: {mustSelector(t, matcher(t, "instance", MatchRegexp, "orders-db.*"))},
		},
	}
	for _, tc := range []struct {
		name   string
		scope  *ServiceScope
		r      Reading
		labels map[string]string
		want   Scope
	}{
		{"no service selected", nil, host, map[string]string{"instance": "checkout-1:9100"}, ScopeUnknown},
		{"the selector scopes the query", scope, pool, map[string]string{"instance": "anything"}, ScopeIn},
		{"a configured dependency", scope, db, map[string]string{"instance": "orders-db-1:9187"}, ScopeIn},
		{"the tier's other entities", scope, db, map[string]string{"instance": "analytics-db:9187"}, ScopeOut},
		{"a host of the service", scope, host, map[string]string{"instance": "checkout-1:9100"}, ScopeIn},
		{"a host by IP", scope, host, map[string]string{"instance": "10.0.0.7:9100"}, ScopeIn},
		{"another host", scope, host, map[string]string{"instance": "batch-1:9100"}, ScopeUnknown},
		{"a pod of the service", scope, container, map[string]string{"namespace": "shop", "pod": "checkout-7d9f", "container": "app"}, ScopeIn},
		{"same pod name, other namespace", scope, container, map[string]string{"namespace": "batch", "pod": "checkout-7d9f"}, ScopeUnknown},
		{"the workload of a pod of the service", scope, container, map[string]string{"namespace": "shop", "workload": "checkout-7d9f", "container": "app"}, ScopeIn},
		{"the workload named after the job", scope, container, map[string]string{"namespace": "shop", "workload": "checkout", "container": "app"}, ScopeIn},
		{"a workload in another namespace", scope, container, map[string]string{"namespace": "batch", "workload": "checkout"}, ScopeUnknown},
		{"another workload", scope, container, map[string]string{"namespace": "shop", "workload": "etl"}, ScopeUnknown},
		{"a cache the config does not name", scope, Reading{Tier: TierCache}, map[string]string{"instance": "cache-1:9121"}, ScopeUnknown},
		{"a cache the service's client calls", scope, Reading{Tier: TierCache}, map[string]string{"instance": "redis-checkout:9121"}, ScopeIn},
		{"the pool of the service's database", scope, Reading{Tier: TierPooler}, map[string]string{"database": "orders", "user": "app"}, ScopeIn},
		{"another pool", scope, Reading{Tier: TierPooler}, map[string]string{"database": "analytics", "user": "app"}, ScopeUnknown},
		{"a topic the service reads", scope, Reading{Tier: TierQueue}, map[string]string{"consumergroup": "billing", "topic": "orders"}, ScopeIn},
		{"its consumer group", scope, Reading{Tier: TierQueue}, map[string]string{"group_id": "orders-worker", "topic_name": "x"}, ScopeIn},
	} {
		s := &Snapshot{Scope: tc.scope}
		got, basis := s.EntityScope(tc.r, tc.labels)
		if got != tc.want || basis == "" {
			t.Errorf("%s: %s (%s), want %s", tc.name, got, basis, tc.want)
		}
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{"app-1:8080": "app-1", "[::1]:9100": "::1", "db": "db", "10.0.0.7:9100": "10.0.0.7", "::1": "::1"} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatcherAnchorsRegexps(t *testing.T) {
	m := matcher(t, "instance", MatchRegexp, "db-1")
	if !m.Matches("db-1") || m.Matches("db-10") || m.Matches("xdb-1") {
		t.Error("a PromQL regexp matches the whole value")
	}
	if _, err := NewMatcher("a", MatchRegexp, "(["); err == nil {
		t.Error("a broken regexp is an error")
	}
	if !matcher(t, "x", MatchNotEqual, "").Matches("v") || matcher(t, "x", MatchNotRegexp, "v.*").Matches("val") {
		t.Error("negative matchers")
	}
}
