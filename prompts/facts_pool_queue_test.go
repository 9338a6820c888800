package prompts

import (
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// The connection math of prompt 6 as queues (Erlang C): at the database,
// from its own rate and busy connections; at the service's application
// pools, from their own sizes, connections in use and waiters and the
// service's request rate; never a size the database cannot serve.
func TestPoolQueueConnectionMath(t *testing.T) {
	tps := reading(triage.SignalDBTransactions, "Database transactions", "transactions/s", 100)
	busy := reading(triage.SignalDBActiveConnections, "Database connections running a query", triage.UnitConnections, 5)
	limit := reading(triage.SignalDBConnectionsMax, "max_connections", triage.UnitConnections, 100)
	rps := reading(triage.SignalThroughput, "Throughput", triage.UnitRPS, 100)
	api1 := map[string]string{"instance": "api-1:8080", "pool": "HikariPool-1"}
	api2 := map[string]string{"instance": "api-2:8080", "pool": "HikariPool-1"}
	perPool := func(id triage.SignalID, unit triage.Unit, v1, v2 float64) triage.Reading {
		r := reading(id, string(id), unit, max(v1, v2))
		r.Entities = []triage.Entity{{Labels: api1, Value: triage.Of(v1)}, {Labels: api2, Value: triage.Of(v2)}}
		r.EntityCount, r.EntityLabels = 2, []string{"instance", "pool"}
		return r
	}
	// Two pools of 4, 3 and 2 in use: 8 connections, 5 in use at 100
	// requests/s, a hold time of 50 ms, A = 5: P(wait) 16.7 % and a mean
	// wait of 2.79 ms (checked by the closed form); 0.4 waiting at 100/s is
	// a 4 ms mean wait, 40 waiting 400 ms.
	sizes := perPool(triage.SignalAppPoolMax, triage.UnitConnections, 4, 4)
	used := perPool(triage.SignalAppPoolUtilization, triage.UnitRatio, 0.75, 0.5)
	waiting := func(v1, v2 float64) triage.Reading {
		return perPool(triage.SignalAppPoolWaiting, triage.UnitClients, v1, v2)
	}
	capped := perPool(triage.SignalAppPoolUtilization, triage.UnitRatio, 0.75, 0.5)
	capped.EntityCount = 3
	const database = "At the database: λ = 100 transactions/s (15m average), L = 5 connections running a query now ⇒ mean hold time S = L / λ = 50 ms (Little's law), offered load A = λ × S = 5 erlangs."
	const pools = "The service's application pools (2 pools): 8 connections, 5 in use, λ = 100 requests/s (15m average, one checkout per request) ⇒ mean hold time S = 5 / 100 requests/s = 50 ms;"
	for _, tc := range []struct {
		name      string
		s         *triage.Snapshot
		want, not []string
	}{
		{"the database's side, the ceiling beside", snap(tps, busy, limit),
			[]string{"Pools as queues (Erlang C, M/M/c).", database, "Smallest total keeping waits under 1% today: 12 connections (P(wait) 0.588%).",
				"Smallest total keeping waits under 1% at 2x load: 19 connections", "Database ceiling: max_connections 100 − 3 reserved = 97 across all instances."},
			[]string{"application pools"}},
		{"the pools' size predicts the wait measured", snap(rps, used, sizes, waiting(0.3, 0.1)),
			[]string{pools, "Erlang C predicts P(wait) = 16.7% and a mean wait of 2.79 ms; measured: 0.4 waiting ⇒ 4 ms mean wait (Little's law on the queue): the model fits."},
			[]string{"At the database"}},
		{"and says when it does not fit", snap(rps, used, sizes, waiting(30, 10)),
			[]string{"⇒ 400 ms mean wait (Little's law on the queue): the model does not fit (bursts"}, []string{"the model fits"}},
		{"saturated pools", snap(rps, perPool(triage.SignalAppPoolUtilization, triage.UnitRatio, 1, 1), sizes),
			[]string{"8 connections, 8 in use", "A = 8 ≥ 8: saturated, the queue grows without bound"}, nil},
		{"pools left out of the reading: no total", snap(rps, capped, sizes), nil, []string{"Erlang C"}},
		{"more than the database can serve", snap(tps, reading(triage.SignalDBActiveConnections, "busy", triage.UnitConnections, 60),
			reading(triage.SignalDBConnectionsMax, "max_connections", triage.UnitConnections, 50)),
			[]string{"Keeping waits under 1% today needs 80 connections in total, more than the database can serve (47): shorten the hold time",
				"not a bigger pool"},
			[]string{"Smallest total keeping waits under 1% today"}},
		{"no busy connections and no pools measured: nothing said", snap(tps, limit), nil, []string{"Erlang C"}},
	} {
		got := Populate(mustLookup(t, "connection-pool-optimization"), Input{Diagnosis: diagnosed(tc.s)})
		wantLines(t, tc.name, got.Markdown, tc.want, tc.not)
	}
}

// PgBouncer's pools as queues, each database's numbers its own: a pool of
// 5 passing 70 transactions/s held 50 ms each (A = 3.5) predicts P(wait)
// 37.8 % and a 12.6 ms mean wait (Erlang C's closed form: C(5, 3.5) =
// 0.3778, W = C·S / (c − A)); a saturated pool is never sized from the rate
// it passes; the pool is held against the database's cores.
func TestPoolerQueueConnectionMath(t *testing.T) {
	app, reports := map[string]string{"database": "app"}, map[string]string{"database": "reports"}
	perDatabase := func(id triage.SignalID, unit triage.Unit, v1, v2 float64) triage.Reading {
		r := reading(id, string(id), unit, max(v1, v2))
		r.Entities = []triage.Entity{{Labels: app, Value: triage.Of(v1)}, {Labels: reports, Value: triage.Of(v2)}}
		r.EntityCount, r.EntityLabels = 2, []string{"database"}
		return r
	}
	sizes := perDatabase(triage.SignalPoolerPoolSize, triage.UnitConnections, 5, 20)
	rate := func(v float64) triage.Reading {
		return perDatabase(triage.SignalPoolerTransactions, "transactions/s", v, 0) // reports is idle
	}
	busy := func(v float64) triage.Reading {
		return perDatabase(triage.SignalPoolerServerBusy, triage.UnitConnections, v, 0)
	}
	waiting := func(v float64) triage.Reading {
		return perDatabase(triage.SignalPoolerClientsWaiting, triage.UnitClients, v, 0)
	}
	cores := reading(triage.SignalCPUCores, "CPU cores", triage.UnitCores, 2)
	const line = "At PgBouncer, database app: pool size c = 5, λ = 70 transactions/s, A = 3.5 server connections busy in a transaction (server time per second) ⇒ mean hold S = A / λ = 50 ms."
	for _, tc := range []struct {
		name      string
		s         *triage.Snapshot
		want, not []string
	}{
		{"under its size: the model beside the wait measured", snap(sizes, rate(70), busy(3.5), waiting(0.7)),
			[]string{line, "Erlang C predicts P(wait) = 37.8% and a mean wait of 12.6 ms; measured: 0.7 clients waiting on average ⇒ 10 ms mean wait per transaction (Little's law on the queue): the model fits.",
				"Smallest pool keeping waits under 1% today: 10 connections", "Smallest pool keeping waits under 1% at 2x load:"},
			[]string{"database reports", "cannot size"}},
		{"a saturated pool is not sized from what it passes", snap(sizes, rate(100), busy(5), waiting(55), cores),
			[]string{"A ≈ c: every server connection is busy, so λ is what the pool passes, not what its clients ask, and Erlang C cannot size the pool from it; measured: 55 clients waiting on average ⇒ 550 ms mean wait per transaction",
				"Against the database's cores: (2 × 2) + 1 = 5 connections keep it busy efficiently",
				"the pool is already there: past it, a bigger pool moves the queue into the database's CPU"},
			[]string{"Smallest pool", "Erlang C predicts"}},
		{"the wait unmeasured: the model alone", snap(sizes, rate(70), busy(3.5)),
			[]string{"Erlang C predicts P(wait) = 37.8% and a mean wait of 12.6 ms."}, []string{"measured:"}},
		{"no server time: nothing said", snap(sizes, rate(70)), nil, []string{"At PgBouncer"}},
	} {
		got := Populate(mustLookup(t, "connection-pool-optimization"), Input{Diagnosis: diagnosed(tc.s)})
		wantLines(t, tc.name, got.Markdown, tc.want, tc.not)
	}
}
