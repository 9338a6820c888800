package triage

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Contributor is one label set's part in a signal's change on one entity:
// "datname=billing" in a database's transactions, a pod in its node's CPU.
// Now and Before are its own numbers (Before 0 when it is new), in Unit.
type Contributor struct {
	Signal      SignalID
	Entity      map[string]string // the entity whose change it decomposes
	Labels      map[string]string
	Now, Before Value
	Unit        Unit
	// Share is its part of the entity's increase (the sum of every
	// label set's rise), 0..1; 0 for a label set seen but unchanged, kept
	// because it says which databases an instance serves (a datname link),
	// never printed as a contributor.
	Share float64
}

// Name prints the contributor's labels: "datname=billing",
// "namespace=batch, pod=etl-7c9".
func (c Contributor) Name() string {
	keys := slices.Sorted(maps.Keys(c.Labels))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + c.Labels[k]
	}
	return strings.Join(parts, ", ")
}

// Phrase says what it brought: "+9.8x transactions/s on datname=billing
// (12 -> 118 transactions/s), 91% of the increase"; a new one says "new".
func (c Contributor) Phrase() string {
	now, before := c.Now.V, c.Before.V
	growth := "new"
	if before > 0 {
		growth = "+" + multiple(now/before)
	}
	return fmt.Sprintf("%s on %s (%s -> %s), %s of the increase", growth, c.Name(),
		FormatNumber(before, c.Unit), FormatNumber(now, c.Unit), FormatNumber(c.Share, UnitRatio))
}

// ContributorLine is one sentence naming who brought an entity's change:
// "Who brought the change: db-1:9187's Database transactions: +9.8x on
// datname=billing (...), 91% of the increase; ...", and those
// contributors; false when none was measured.
func (s *Snapshot) ContributorLine(r Reading, entity map[string]string) (string, []Contributor, bool) {
	var parts []string
	var cs []Contributor
	for _, c := range r.Contributors {
		if maps.Equal(c.Entity, entity) && c.Share > 0 {
			parts = append(parts, c.Phrase())
			cs = append(cs, c)
		}
	}
	if len(parts) == 0 {
		return "", nil, false
	}
	name := Entity{Labels: entity}.Name(r.EntityLabels)
	return fmt.Sprintf("Who brought the change: %s's %s: %s", name, s.TitleOf(r.ID), strings.Join(parts, "; ")), cs, true
}

// Decomposition is how one signal's change on an entity splits by the
// labels its series carry: one query per signal, over the changed entities
// only (triage/prom runs it as `topk` over now minus the day before).
type Decomposition struct {
	Signal   SignalID
	Exporter string   // the candidate that must have answered
	Metrics  []string // all must exist
	// Key is the label of Query's series that names the entity; KeyOf
	// gives an entity's value of it ("db-1:9187", the node "db-1").
	Key   string
	KeyOf func(e Entity) string
	// By are the labels it splits by; Query is grouped by Key and By, with
	// $KEYS (a regexp of the changed entities' keys), $RATE and $OFFSET.
	By    []string
	Unit  Unit
	Query string
}

// Decompositions are the built-in ones: a database's transactions by
// database name (pg_stat_database), its query time by database, user and
// statement (pg_stat_statements), its connections by database, user and
// application (pg_stat_activity), a host's CPU by the cAdvisor pods on that
// node (pods without a CPU limit included), a service's requests by route
// and status, a cache's commands by command.
var Decompositions = []Decomposition{
	{
		Signal: SignalThroughput, Exporter: "client_golang",
		Metrics: []string{"http_request_duration_seconds_count"},
		Key:     "job", KeyOf: func(e Entity) string { return e.Labels["job"] },
		By: []string{"handler", "code"}, Unit: UnitRPS,
		Query: `sum by (job, handler, code) (rate(http_request_duration_seconds_count{job=~"$KEYS"}[$RATE]$OFFSET))`,
	},
	{
		Signal: SignalThroughput, Exporter: "prometheus-client",
		Metrics: []string{"http_requests_total"},
		Key:     "job", KeyOf: func(e Entity) string { return e.Labels["job"] },
		By: []string{"handler", "code"}, Unit: UnitRPS,
		Query: `sum by (job, handler, code) (rate(http_requests_total{job=~"$KEYS"}[$RATE]$OFFSET))`,
	},
	{
		Signal: SignalThroughput, Exporter: "opentelemetry",
		Metrics: []string{"http_server_request_duration_seconds_count"},
		Key:     "job", KeyOf: func(e Entity) string { return e.Labels["job"] },
		By: []string{"http_route", "http_response_status_code"}, Unit: UnitRPS,
		Query: `sum by (job, http_route, http_response_status_code) (rate(http_server_request_duration_seconds_count{job=~"$KEYS"}[$RATE]$OFFSET))`,
	},
	{
		Signal: SignalDBTransactions, Exporter: "postgres_exporter",
		Metrics: []string{"pg_stat_database_xact_commit", "pg_stat_database_xact_rollback"},
		Key:     "instance", KeyOf: func(e Entity) string { return e.Labels["instance"] },
		By: []string{"datname"}, Unit: "transactions/s",
		Query: `sum by (instance, datname) (rate(pg_stat_database_xact_commit{instance=~"$KEYS"}[$RATE]$OFFSET) + rate(pg_stat_database_xact_rollback{instance=~"$KEYS"}[$RATE]$OFFSET))`,
	},
	{
		// The mean query time cannot be split, the time spent can: query
		// seconds per second are the connections busy running them
		// (Little's law), so the statement that brought most of the rise
		// holds most of the connections.
		Signal: SignalDBQueryMean, Exporter: "postgres_exporter (pg_stat_statements)",
		Metrics: []string{"pg_stat_statements_seconds_total"},
		Key:     "instance", KeyOf: func(e Entity) string { return e.Labels["instance"] },
		By: []string{"datname", "user", "queryid"}, Unit: UnitBusyConnections,
		Query: `sum by (instance, datname, user, queryid) (rate(pg_stat_statements_seconds_total{instance=~"$KEYS"}[$RATE]$OFFSET))`,
	},
	{
		Signal: SignalDBConnectionsUsed, Exporter: "postgres_exporter",
		Metrics: []string{"pg_stat_activity_count"},
		Key:     "instance", KeyOf: func(e Entity) string { return e.Labels["instance"] },
		By: []string{"datname", "usename", "application_name"}, Unit: UnitConnections,
		Query: `sum by (instance, datname, usename, application_name) (pg_stat_activity_count{instance=~"$KEYS"}$OFFSET)`,
	},
	{
		Signal: SignalCacheOps, Exporter: "redis_exporter",
		Metrics: []string{"redis_commands_total"},
		Key:     "instance", KeyOf: func(e Entity) string { return e.Labels["instance"] },
		By: []string{"cmd"}, Unit: UnitOpsPerSec,
		Query: `sum by (instance, cmd) (rate(redis_commands_total{instance=~"$KEYS"}[$RATE]$OFFSET))`,
	},
	{
		Signal: SignalCPUUtilization, Exporter: "node_exporter",
		Metrics: []string{"container_cpu_usage_seconds_total"},
		Key:     "node", KeyOf: func(e Entity) string { return hostOf(e.Labels["instance"]) },
		By: []string{"namespace", "pod"}, Unit: UnitCores,
		Query: `sum by (node, namespace, pod) (rate(container_cpu_usage_seconds_total{container!="",node=~"$KEYS"}[$RATE]$OFFSET))`,
	},
}

// RisenEntities are the kept entities of r whose value rose beyond the
// noise margin, whichever way the signal gets worse: an increase is what
// a decomposition splits.
func (r Reading) RisenEntities() []Entity {
	var out []Entity
	for _, e := range r.Entities {
		before := e.Baseline
		if !before.Usable() {
			before = e.WindowStart
		}
		if now, ok := e.Value.Float(); ok && before.Usable() && now > before.V*changeMargin && now-before.V > 1e-9 {
			out = append(out, e)
		}
	}
	return out
}

// MovedEntities are the kept entities of r that moved beyond the noise
// margin against their own earlier value: the ones whose normal spread is
// worth one more query. Which of them changed is decided once it is known.
func (r Reading) MovedEntities() []Entity {
	var out []Entity
	for _, e := range r.Entities {
		if r.Thresholds.Moved(e.Value, e.Baseline, e.WindowStart) {
			out = append(out, e)
		}
	}
	return out
}
