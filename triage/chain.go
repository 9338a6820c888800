package triage

import (
	"fmt"
	"slices"
	"strings"
)

// slowDatabase is the database behind the service's pools when it got slow
// or saturated: the cause a pool that fills is the victim of. Its numbers
// are the database's own (readings narrowed to it), never another's.
type slowDatabase struct {
	name  string // "db-1:9187"; "the database" when measured as one series
	basis string // the link used, most explicit first
	// signs are the sentences that show it slow or saturated (its host's
	// CPU and pressure, its query time), each changed since before.
	signs     []Reading
	magnitude float64
	// rate and queryTime are its transactions and mean query time, for
	// Little's law; not usable when unmeasured.
	rate, queryTime Reading
}

// oneDatabase names a database measured as one series.
const oneDatabase = "the database"

// databaseInstances are the instances the database-tier readings measure,
// worst first; nil when they are measured as one series.
func (s *Snapshot) databaseInstances() []string {
	return s.instancesOf(TierDatabase, SignalDBQueryMean, SignalDBTransactions, SignalDBConnectionUtil, SignalDBConnectionsUsed)
}

// instancesOf are the distinct instances that the readings of ids measured
// at tier name, in order.
func (s *Snapshot) instancesOf(tier Tier, ids ...SignalID) []string {
	var out []string
	for _, id := range ids {
		r, ok := s.usable(id)
		if !ok || r.Tier != tier {
			continue
		}
		for _, e := range r.Entities {
			if inst := e.Labels["instance"]; inst != "" && !slices.Contains(out, inst) {
				out = append(out, inst)
			}
		}
	}
	return out
}

// databaseLink says how the database on instance is linked to the
// service's pools, most explicit first: the config's dependencies (or the
// service's client calling it) when a service is selected, a service-graph
// edge to one of its datnames, the name of a waiting pool's database among
// its datnames, and, with no service selected, being the only database
// measured. False when nothing links it
// or the config names other databases.
func (s *Snapshot) databaseLink(instance string, only bool) (string, bool) {
	labels := map[string]string{"instance": instance}
	if s.Scope != nil {
		for _, id := range []SignalID{SignalDBTransactions, SignalDBQueryMean, SignalDBConnectionUtil} {
			r, ok := s.usable(id)
			if !ok || r.Tier != TierDatabase {
				continue
			}
			for _, e := range r.Entities {
				if e.Labels["instance"] != instance {
					continue
				}
				switch scope, basis := s.EntityScope(r, e.Labels); scope {
				case ScopeIn:
					return basis, true
				case ScopeOut:
					return "", false
				}
			}
		}
	}
	if edge, ok := s.serviceGraphEdgeTo(instance); ok {
		return "service graph: " + edge, true
	}
	if db, ok := s.pooledDatabaseOn(labels); ok {
		return fmt.Sprintf("datname match: the waiting pool's database %q is a database (datname) on %s", db, instance), true
	}
	if s.Scope == nil && only {
		return "the only database instance measured (" + instance + ")", true
	}
	return "", false
}

// serviceGraphEdgeTo is a service-graph edge from the service (any client
// when none is selected) to a database on the instance: the collector's
// servicegraph connector names a database edge's server after db.name,
// which is a datname there. "orders -> orders (a database on db-1:9187)".
func (s *Snapshot) serviceGraphEdgeTo(instance string) (string, bool) {
	calls, ok := s.usable(SignalServiceCalls)
	if !ok {
		return "", false
	}
	datnames := s.datnamesOn(instance)
	for _, e := range calls.Entities {
		client, server := e.Labels["client"], e.Labels["server"]
		if !slices.Contains(datnames, server) || s.Scope != nil && !slices.Contains(s.Scope.Identity["job"], client) {
			continue
		}
		return fmt.Sprintf("%s -> %s (a database on %s)", client, server, instance), true
	}
	return "", false
}

// datnamesOn are the databases (datname) an instance serves, as its
// transactions' decomposition saw them: read only when they moved.
func (s *Snapshot) datnamesOn(instance string) []string {
	tx, ok := s.usable(SignalDBTransactions)
	if !ok {
		return nil
	}
	var out []string
	for _, c := range tx.Contributors {
		if db := c.Labels["datname"]; c.Entity["instance"] == instance && db != "" && !slices.Contains(out, db) {
			out = append(out, db)
		}
	}
	return out
}

// poolDatabaseLabels name a pool's database on the pool metrics the catalog
// reads: PgBouncer's database, database/sql's db_name.
var poolDatabaseLabels = []string{"database", "db_name"}

// pooledDatabaseOn is the database name of a waiting pool (or of the
// service's client metrics) that is a datname on the database instance,
// as the instance's transaction contributors show.
func (s *Snapshot) pooledDatabaseOn(instance map[string]string) (string, bool) {
	var names []string
	for _, id := range []SignalID{SignalDBPoolWaiting, SignalAppPoolWaiting, SignalDBPoolMaxWait} {
		r, ok := s.usable(id)
		if !ok {
			continue
		}
		for _, e := range r.Entities {
			for _, l := range poolDatabaseLabels {
				if v := e.Labels[l]; v != "" && !slices.Contains(names, v) {
					names = append(names, v)
				}
			}
		}
	}
	if s.Scope != nil {
		names = append(names, s.Scope.Identity["db_name"]...)
		names = append(names, s.Scope.Identity["db_namespace"]...)
	}
	for _, db := range s.datnamesOn(instance["instance"]) {
		if slices.Contains(names, db) {
			return db, true
		}
	}
	return "", false
}

// slowDatabaseBehindPools finds the linked database that got slow or
// saturated since before: its host's CPU or CPU pressure hot and changed,
// or its mean query time hot or far above its own normal. A chronic state
// explains no new wait.
func (s *Snapshot) slowDatabaseBehindPools() (slowDatabase, bool) {
	instances := s.databaseInstances()
	if len(instances) == 0 {
		// Measured as one series: the database is the only one, and only
		// its own query time can be read as its (no host is linked).
		d := slowDatabase{name: oneDatabase, basis: "the only database measured (one series)"}
		if s.Scope != nil {
			return d, false
		}
		if q, ok := s.usable(SignalDBQueryMean); ok && q.Tier == TierDatabase && slowerThanBefore(q) {
			d.signs, d.queryTime = []Reading{q}, q
			d.rate, _ = s.usable(SignalDBTransactions)
			d.magnitude = changeMagnitude(q)
			return d, true
		}
		return d, false
	}
	for _, inst := range instances {
		basis, linked := s.databaseLink(inst, len(instances) == 1)
		if !linked {
			continue
		}
		d := slowDatabase{name: inst, basis: basis}
		onInstance := func(e Entity) bool { return e.Labels["instance"] == inst }
		for _, n := range s.hostCPUSigns(hostOf(inst)) {
			d.signs = append(d.signs, n)
			d.magnitude = max(d.magnitude, n.Value.V)
		}
		if q, ok := s.usable(SignalDBQueryMean); ok && q.Tier == TierDatabase {
			if n, ok := q.entityWhere(onInstance); ok {
				d.queryTime = n
				if slowerThanBefore(n) {
					d.signs = append(d.signs, n)
					d.magnitude = max(d.magnitude, changeMagnitude(n))
				}
			}
		}
		if tx, ok := s.usable(SignalDBTransactions); ok {
			d.rate, _ = tx.entityWhere(onInstance)
		}
		if len(d.signs) > 0 {
			return d, true
		}
	}
	return slowDatabase{}, false
}

// hostCPUSigns are a host's CPU pressure and utilization, each narrowed to
// that host, when hot and new or worse: the signs that it got saturated.
func (s *Snapshot) hostCPUSigns(host string) []Reading {
	var out []Reading
	for _, id := range []SignalID{SignalCPUPressure, SignalCPUUtilization} {
		if r, ok := s.usable(id); ok && r.Tier == TierHost {
			if n, ok := r.entityWhere(func(e Entity) bool { return hostOf(e.Labels["instance"]) == host }); ok && n.Status.rank() >= StatusWarning.rank() && changedUp(n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// changedUp reports a reading new or worse against its own earlier value.
func changedUp(r Reading) bool {
	change, _ := r.Change()
	return change == ChangeNew || change == ChangeWorse
}

// slowerThanBefore reports a query time hot and changed, or far above its
// own normal whatever its threshold state.
func slowerThanBefore(r Reading) bool {
	return r.Status.rank() >= StatusWarning.rank() && changedUp(r) || movedALot(r)
}

// changeMagnitude maps how far a reading moved from its normal to [0, 1).
func changeMagnitude(r Reading) float64 {
	ratio, _ := movedRatio(r)
	return multipleMagnitude(ratio)
}

// signsText lists what shows the database slow, for a summary: "CPU
// utilization (busiest host) 95% (3.17x the day before), Database query mean
// time (server side) 200 ms (28.6x the day before)".
func (d slowDatabase) signsText(s *Snapshot) string {
	parts := make([]string, len(d.signs))
	for i, r := range d.signs {
		parts[i] = fmt.Sprintf("%s %s", s.TitleOf(r.ID), r.Formatted())
		if ratio, ok := movedRatio(r); ok && ratio > 1 {
			parts[i] += " (" + movedPhrase(r) + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// littlesLaw states the connections the database keeps busy, L = λ·W, on
// its own measured rate and query time, now and before: the number a pool
// resize would have to beat, and why it cannot while the database is
// saturated.
func (d slowDatabase) littlesLaw() (string, bool) {
	rate, okRate := d.rate.Value.Float()
	w, okW := d.queryTime.Value.Float()
	if !okRate || !okW || d.queryTime.Unit != UnitSeconds {
		return "", false
	}
	mul := func(xs ...float64) float64 { return xs[0] * xs[1] }
	ops, busy := ShowWorking(mul, UnitConnections, Operand{rate, d.rate.Unit}, Operand{w, UnitSeconds})
	line := fmt.Sprintf("Little's law on %s: %s × %s mean query time = %s busy on average", d.name, ops[0], ops[1], busy)
	if rb, ok := d.rate.Baseline.Float(); ok {
		if wb, ok := d.queryTime.Baseline.Float(); ok {
			ops, before := ShowWorking(mul, UnitConnections, Operand{rb, d.rate.Unit}, Operand{wb, UnitSeconds})
			line += fmt.Sprintf(" (the day before: %s × %s = %s)", ops[0], ops[1], before)
		}
	}
	return line + ": the connections are held by slow queries, so a bigger pool only queues more of them on the database", true
}
