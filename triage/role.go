package triage

import (
	"maps"
	"slices"
)

// roleLabel is the label the catalog's database queries add to an entity
// when the exporter tells a primary from a replica (postgres_exporter's
// pg_replication_is_replica): a replica's numbers are not the primary's. An
// entity without it has no measured role.
const roleLabel = "role"

const (
	rolePrimary = "primary"
	roleReplica = "replica"
)

// roleOf is an entity's measured role, "" when not measured.
func roleOf(e Entity) string { return e.Labels[roleLabel] }

// nameAndRole names an entity for a sentence with its role apart:
// "db-2:9187 (replica)", "db-2:9187 (role not measured)".
func (r Reading) nameAndRole(e Entity) string {
	labels := maps.Clone(e.Labels)
	delete(labels, roleLabel)
	name := Entity{Labels: labels}.Name(r.EntityLabels)
	if role := roleOf(e); role != "" {
		return name + " (" + role + ")"
	}
	return name + " (role not measured)"
}

// entityWhere is r narrowed to its first kept entity that match accepts.
func (r Reading) entityWhere(match func(Entity) bool) (Reading, bool) {
	for _, e := range r.Entities {
		if match(e) {
			n := r.narrowedTo(e)
			return n, n.Usable()
		}
	}
	return r, false
}

// hasRole matches the entities of a measured role.
func hasRole(role string) func(Entity) bool {
	return func(e Entity) bool { return roleOf(e) == role }
}

// onInstance matches the entities on the same instance as e.
func onInstance(e Entity) func(Entity) bool {
	instance := e.Labels["instance"]
	return func(own Entity) bool { return instance != "" && own.Labels["instance"] == instance }
}

// onlyPrimaries reports whether every entity of r is a measured primary:
// then its value is the primaries' alone.
func onlyPrimaries(r Reading) bool {
	if len(r.Entities) == 0 || r.EntityCount > len(r.Entities) {
		return false
	}
	for _, e := range r.Entities {
		if roleOf(e) != rolePrimary {
			return false
		}
	}
	return true
}

// rolesMeasured reports whether any entity of r carries a role.
func rolesMeasured(r Reading) bool {
	return slices.ContainsFunc(r.Entities, func(e Entity) bool { return roleOf(e) != "" })
}

// narrowed is s with the reading of n's signal replaced by n (one entity of
// it), so that the shared checks judge that entity alone.
func (s *Snapshot) narrowed(n Reading) *Snapshot {
	out := *s
	out.Readings = slices.Clone(s.Readings)
	for i := range out.Readings {
		if out.Readings[i].ID == n.ID {
			out.Readings[i] = n
		}
	}
	return &out
}

// rivalOn is rival on one entity of a signal (the primary's transaction),
// with the same wording.
func (b *findingBuilder) rivalOn(n Reading, calm string) {
	on := findingBuilder{s: b.s.narrowed(n), f: b.f}
	on.rival(n.ID, calm)
	b.f = on.f
}

// PrimaryHostCPU is the CPU utilization of the host the database primary
// runs on: a database reading's entity with role primary names its
// instance, and the host-tier CPU reading's entity on the same host is its
// CPU. primary is the primary's host ("" when no role is measured); ok is
// false when its CPU is not among the CPU reading's entities.
func (s *Snapshot) PrimaryHostCPU() (cpu Reading, primary string, ok bool) {
	for _, r := range s.Readings {
		if r.Tier != TierDatabase || !r.Usable() {
			continue
		}
		i := slices.IndexFunc(r.Entities, hasRole(rolePrimary))
		if i < 0 {
			continue
		}
		primary = hostOf(r.Entities[i].Labels["instance"])
		break
	}
	c, measured := s.usable(SignalCPUUtilization)
	if primary == "" || !measured || c.Tier != TierHost {
		return Reading{}, primary, false
	}
	cpu, ok = c.entityWhere(func(e Entity) bool { return hostOf(e.Labels["instance"]) == primary })
	return cpu, primary, ok
}
