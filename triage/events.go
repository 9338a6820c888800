package triage

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// EventKind is what kind of change an event is.
type EventKind string

const (
	// EventVersion is a new version seen in a *_build_info version label:
	// a rollout.
	EventVersion EventKind = "version"
	// EventConfigReload is a successful configuration reload
	// (*_config_last_reload_success_timestamp_seconds).
	EventConfigReload EventKind = "config-reload"
	// EventSpec is a new generation of a Deployment's or StatefulSet's
	// spec (kube-state-metrics' *_metadata_generation): a rollout started.
	EventSpec EventKind = "spec"
	// EventScale is a HorizontalPodAutoscaler changing its replicas.
	EventScale EventKind = "scale"
	// EventRestart is containers of a workload restarting
	// (kube_pod_container_status_restarts_total).
	EventRestart EventKind = "restart"
)

// Event is a change made to the system, read from the metrics: a rollout,
// a configuration reload. Events in the window and the hour before it are
// candidate causes of what changed after them.
type Event struct {
	Kind EventKind
	// Entity is the job (or workload) it happened on, Labels its labels.
	Entity string
	Labels map[string]string
	At     time.Time
	// What says what changed: "rolled out 2.15.0 (was 2.14.0)".
	What string
	// From and To are the numbers a counted change went between (a
	// generation, replicas, restarts); NaN when it has none.
	From, To float64
}

// EventLead is how long before a finding's onset an event can have
// caused it; EventLag how long after (a scrape interval and a rate
// window's smoothing: the onset is read from 5m rates).
const (
	EventLead = 30 * time.Minute
	EventLag  = 5 * time.Minute
)

// FindingEntityOnset is a finding entity's onset: its own series when it
// kept one, the reading's otherwise.
func (s *Snapshot) FindingEntityOnset(e FindingEntity) (Onset, bool) {
	r, ok := s.Get(e.Signal)
	if !ok {
		return Onset{}, false
	}
	if e.Name == "" {
		return r.Onset()
	}
	return r.EntityOnset(e.Entity)
}

// FindingOnset is the oldest onset among a finding's changed entities.
func (s *Snapshot) FindingOnset(f Finding) (Onset, bool) {
	var out Onset
	found := false
	for _, e := range f.Entities {
		if on, ok := s.FindingEntityOnset(e); ok && (!found || on.At.Before(out.At)) {
			out, found = on, true
		}
	}
	return out, found
}

// suspectEvent is the latest event on an entity linked to a new or worse
// finding shortly before its onset: the first thing to check. Linked: the
// event's entity is a label value of the finding's entities (a workload, a
// job) or the selected service's job.
func (s *Snapshot) suspectEvent(f Finding) (Event, Onset, bool) {
	if len(s.Events) == 0 || f.Change != ChangeNew && f.Change != ChangeWorse {
		return Event{}, Onset{}, false
	}
	on, ok := s.FindingOnset(f)
	if !ok {
		return Event{}, Onset{}, false
	}
	linked := func(ev Event) bool {
		for _, e := range f.Entities {
			for _, v := range e.Entity.Labels {
				if v == ev.Entity {
					return true
				}
			}
		}
		return s.Scope != nil && slices.Contains(s.Scope.Identity["job"], ev.Entity)
	}
	var near []Event
	for _, ev := range s.Events {
		// An onset older than the window is known only to be before its
		// start: any event from the hour before up to then may be it.
		lead := EventLead
		if on.Before {
			lead += time.Hour
		}
		if !ev.At.Before(on.At.Add(-lead)) && !ev.At.After(on.At.Add(EventLag)) && linked(ev) {
			near = append(near, ev)
		}
	}
	if len(near) == 0 {
		return Event{}, on, false
	}
	// The latest; of one change seen several ways within a few minutes (a
	// rollout's new version, spec generation and restarts), the one that
	// says most.
	latest := slices.MaxFunc(near, func(a, b Event) int { return a.At.Compare(b.At) })
	best := latest
	for _, ev := range near {
		if latest.At.Sub(ev.At) <= EventLag && eventRank(ev.Kind) > eventRank(best.Kind) {
			best = ev
		}
	}
	return best, on, true
}

// eventRank orders the kinds of one change by how much they say: a new
// version names it, a restart only shows it.
func eventRank(k EventKind) int {
	return slices.Index([]EventKind{EventRestart, EventScale, EventSpec, EventConfigReload, EventVersion}, k)
}

// EventSentence says an event as a suspect: "search-api rolled out 2.15.0
// (was 2.14.0) at 11:35Z, 3 min before the onset".
func EventSentence(ev Event, on Onset) string {
	line := fmt.Sprintf("%s %s at %s", ev.Entity, ev.What, ev.At.UTC().Format("15:04Z"))
	switch d := on.At.Sub(ev.At); {
	case on.Before:
		line += fmt.Sprintf(", %d min before the window, which starts already changed", int(d.Minutes()))
	case d >= time.Minute:
		line += fmt.Sprintf(", %d min before the onset", int(d.Minutes()))
	case d <= -time.Minute:
		// The onset is read from rates over a window: it lags the change.
		line += fmt.Sprintf(", %d min after the onset read from smoothed rates", int(-d.Minutes()))
	default:
		line += ", at the onset"
	}
	return line
}

// attachEvents names, in a new or worse finding, the change event shortly
// before its onset on a linked entity, first in its evidence: the first
// suspect.
func attachEvents(s *Snapshot, f *Finding) {
	ev, on, ok := s.suspectEvent(*f)
	if !ok {
		return
	}
	line := "First suspect, a change shortly before the onset: " + EventSentence(ev, on)
	if cost, ok := s.perRequest(ev.Entity); ok {
		line += "; " + cost
	}
	f.Evidence = append([]string{line}, f.Evidence...)
	f.Summary += fmt.Sprintf(" (first suspect: %s %s at %s)", ev.Entity, ev.What, ev.At.UTC().Format("15:04Z"))
}

// ownEntity is the entity of signal id that belongs to service (one
// of its label values is the service's name) with a usable value and a
// day-before value above zero.
func (s *Snapshot) ownEntity(id SignalID, service string) (Reading, Entity, bool) {
	r, ok := s.usable(id)
	if !ok {
		return r, Entity{}, false
	}
	for _, e := range r.Entities {
		if e.Value.Usable() && e.Baseline.Usable() && e.Baseline.V > 0 && slices.Contains(slices.Collect(maps.Values(e.Labels)), service) {
			return r, e, true
		}
	}
	return r, Entity{}, false
}

// replicasRatio is how many times more replicas service runs than before
// its autoscaler's changes in the events (1 without any): CPU against
// container limits is per replica, so cores are it times the replicas.
func (s *Snapshot) replicasRatio(service string) (float64, []Event) {
	ratio := 1.0
	var scaled []Event
	for _, ev := range s.Events {
		if ev.Kind == EventScale && ev.Entity == service && ev.From > 0 && ev.To > 0 {
			ratio *= ev.To / ev.From
			scaled = append(scaled, ev)
		}
	}
	return ratio, scaled
}

// requestCost is a service's CPU per request now against the day before:
// its CPU (containers against their limits, else its hosts'), times its
// replicas' change, over its own throughput's change.
type requestCost struct {
	cpu             Reading
	entity          Entity
	throughput      Reading
	traffic         Entity
	replicas, ratio float64
}

func (s *Snapshot) cpuPerRequest(service string) (requestCost, bool) {
	tp, traffic, ok := s.ownEntity(SignalThroughput, service)
	if !ok {
		return requestCost{}, false
	}
	replicas, _ := s.replicasRatio(service)
	for _, id := range []SignalID{SignalContainerCPU, SignalCPUUtilization} {
		if r, e, ok := s.ownEntity(id, service); ok {
			ratio := (e.Value.V / e.Baseline.V) * replicas / (traffic.Value.V / traffic.Baseline.V)
			return requestCost{cpu: r, entity: e, throughput: tp, traffic: traffic, replicas: replicas, ratio: ratio}, true
		}
	}
	return requestCost{}, false
}

// String says it: "CPU against container limits ... went 2.12x per
// request (40% -> 85% at 300 requests/s -> 300 requests/s)".
func (c requestCost) String() string {
	line := fmt.Sprintf("%s on %s went %s per request (%s -> %s", c.cpu.Title, c.cpu.EntityName(c.entity), multiple(c.ratio),
		Format(c.entity.Baseline, c.cpu.Unit, false), Format(c.entity.Value, c.cpu.Unit, false))
	if c.replicas != 1 {
		line += fmt.Sprintf(" per replica on %s the replicas", multiple(c.replicas))
	}
	return line + fmt.Sprintf(" at %s -> %s)", Format(c.traffic.Baseline, c.throughput.Unit, false), Format(c.traffic.Value, c.throughput.Unit, false))
}

// perRequest is what each request of service costs now against the day
// before: its CPU per request, or, without a CPU of its own, its P99. ""
// when neither has both values.
func (s *Snapshot) perRequest(service string) (string, bool) {
	if c, ok := s.cpuPerRequest(service); ok {
		return c.String(), true
	}
	if r, e, ok := s.ownEntity(SignalLatencyP99, service); ok {
		return fmt.Sprintf("%s of %s went %s (%s -> %s)", r.Title, service, multiple(e.Value.V/e.Baseline.V), Format(e.Baseline, r.Unit, false), Format(e.Value, r.Unit, false)), true
	}
	return "", false
}
