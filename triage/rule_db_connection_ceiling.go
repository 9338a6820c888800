package triage

import "fmt"

var dbConnectionCeilingRule = Rule{
	ID:      RuleDBConnectionCeiling,
	Title:   "Database connection limit",
	Prompts: []PromptID{PromptConnectionPool, PromptPostgreSQLDeepDive, PromptDatabaseReadScaling, PromptBottleneck},
	Causes:  []SignalID{SignalDBConnectionUtil, SignalDBConnectionsUsed, SignalDBConnectionsRefused},
	Eval:    evalDBConnectionCeiling,
}

// connectionCeiling is the database's connections in use against its
// max_connections: db_connection_utilization, or db_connections_used /
// db_connections_max when only those two are measured.
type connectionCeiling struct {
	util    float64
	status  Status
	reason  string
	known   bool
	derived bool
	// change is the fullest instance's against its own earlier value: a
	// limit that was already reached the day before explains no new wait.
	change Change
	// fullest names the instance measured (" (analytics-db:9187)") when
	// the reading has entities: the service's own database when the scope
	// links one, else the fullest.
	fullest string
	// linked is false when a service is selected but this database is not
	// linked to it: a limit on another database explains none of its waits.
	linked bool
	// reading is db_connection_utilization narrowed to the entity measured
	// (the whole reading without entities); zero when derived.
	reading Reading
}

func connectionCeilingOf(s *Snapshot) connectionCeiling { return s.ceilingOf(false) }

// serviceCeilingOf is the connection ceiling of the service's own database
// when the scope links one: the one a cross-tier rule may join with the
// service's pools.
func serviceCeilingOf(s *Snapshot) connectionCeiling { return s.ceilingOf(true) }

func (s *Snapshot) ceilingOf(service bool) connectionCeiling {
	if r, ok := s.usable(SignalDBConnectionUtil); ok {
		if len(r.Entities) == 0 {
			change, _ := r.Change()
			return connectionCeiling{util: r.Value.V, status: r.Status, reason: r.Reason, known: true, change: change,
				linked: s.Scope == nil, reading: r}
		}
		e, linked := r.Entities[0], s.Scope == nil
		if service {
			e, linked = s.serviceEntity(r)
		}
		n := r.narrowedTo(e)
		change, _ := n.Change()
		return connectionCeiling{util: n.Value.V, status: n.Status, reason: n.Reason, known: n.Value.Usable(), change: change,
			fullest: " (" + r.EntityName(e) + ")", linked: linked, reading: n}
	}
	used, okUsed := s.usable(SignalDBConnectionsUsed)
	limit, okMax := s.usable(SignalDBConnectionsMax)
	if !okUsed || !okMax || limit.Value.V <= 0 {
		return connectionCeiling{}
	}
	util := used.Value.V / limit.Value.V
	t := ceilingThresholds(s)
	status, reason := t.Judge(Reading{Value: Of(util), Unit: UnitRatio})
	change, _ := t.Change(Of(util), ratioOf(used.Baseline, limit.Baseline), ratioOf(used.WindowStart, limit.WindowStart))
	return connectionCeiling{util: util, status: status, reason: reason, known: true, derived: true, change: change,
		fullest: fullestName(used), linked: s.Scope == nil}
}

// serviceEntity is the entity of r that belongs to the service (the worst
// one in scope) and true; with none linked, the worst entity, and true only
// when no service is selected (a Prometheus that watches one service).
func (s *Snapshot) serviceEntity(r Reading) (Entity, bool) {
	for _, e := range r.Entities {
		if scope, _ := s.EntityScope(r, e.Labels); scope == ScopeIn {
			return e, true
		}
	}
	return r.Entities[0], s.Scope == nil
}

// fullestName is " (<the worst entity>)" for a reading with entities.
func fullestName(r Reading) string {
	if len(r.Entities) == 0 {
		return ""
	}
	return " (" + r.EntityName(r.Entities[0]) + ")"
}

// ratioOf is a / b when both are usable and b is positive.
func ratioOf(a, b Value) Value {
	x, ok1 := a.Float()
	y, ok2 := b.Float()
	if !ok1 || !ok2 || y <= 0 {
		return None
	}
	return Of(x / y)
}

// explainsWaits reports whether the connection limit explains clients
// waiting now: it is hot and was not already so before, since a chronic
// limit explains no new wait.
func (c connectionCeiling) explainsWaits() bool {
	return c.hot() && c.change != ChangeUnchanged && c.linked
}

// ceilingThresholds are db_connection_utilization's bands as the snapshot
// carries them (config overrides included), else the catalog's.
func ceilingThresholds(s *Snapshot) Thresholds {
	if r, ok := s.Get(SignalDBConnectionUtil); ok && (r.Thresholds.Warning != nil || r.Thresholds.Critical != nil) {
		return r.Thresholds
	}
	d, _ := defaultCatalog().Def(SignalDBConnectionUtil)
	return d.Thresholds
}

func (c connectionCeiling) hot() bool { return c.known && c.status.rank() >= StatusWarning.rank() }

// measures reports whether c is the connection limit of the database r
// measures (r's worst entity); two readings without entities are taken as
// one database's.
func (c connectionCeiling) measures(r Reading) bool {
	if len(r.Entities) == 0 || len(c.reading.Entities) == 0 {
		return len(r.Entities) == len(c.reading.Entities)
	}
	return sameLabels(c.reading.Entities[0].Labels, r.Entities[0].Labels)
}

// ceiling states the connection ceiling in a sentence and records the
// signals it rests on.
func (b *findingBuilder) ceiling(c connectionCeiling) string {
	used, okUsed := b.s.usable(SignalDBConnectionsUsed)
	limit, okMax := b.s.usable(SignalDBConnectionsMax)
	if len(c.reading.Entities) == 1 { // the same instance's counts, never another's
		used, okUsed = used.narrowedToLabels(c.reading.Entities[0].Labels)
		limit, okMax = limit.narrowedToLabels(c.reading.Entities[0].Labels)
	}
	counts := ""
	if okUsed && okMax {
		b.uses(SignalDBConnectionsUsed)
		b.uses(SignalDBConnectionsMax)
		counts = fmt.Sprintf(" (%s of %s)", trimFloat(used.Value.V, 3), limit.Formatted())
	}
	if !c.derived {
		b.uses(SignalDBConnectionUtil)
		return b.s.observed(c.reading) + counts
	}
	line := fmt.Sprintf("Database connections in use: %s of max_connections now%s", FormatNumber(c.util, UnitRatio), counts)
	if c.hot() && c.reason != "" {
		line += " — " + c.reason
	}
	return line
}

func evalDBConnectionCeiling(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	c := connectionCeilingOf(s)
	refusing := s.hot(SignalDBConnectionsRefused)
	refused, _ := s.usable(SignalDBConnectionsRefused)
	if !c.hot() && !refusing {
		return nil
	}
	// The limit measured is another database's when the refusals come from
	// an instance it does not cover: it says nothing about them.
	sameDatabase := !refusing || c.measures(refused)
	b := newFinding(s)
	switch {
	case c.hot():
		b.evidencef("%s", b.ceiling(c))
	case c.known && sameDatabase:
		b.againstf("%s — under its threshold now: the refusals came in a burst", b.ceiling(c))
	}
	b.symptom(SignalDBConnectionsRefused, "no connection was refused at max_connections")
	waiting := s.hot(SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalAppPoolWaiting)
	for _, id := range []SignalID{SignalAppPoolWaiting, SignalDBPoolWaiting, SignalDBPoolMaxWait} {
		b.symptom(id, "no client waits for a connection there yet")
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	b.rivalCPU("not CPU-bound")
	b.rival(SignalDBQueryMean, "queries are no slower than the day before: connections are not held longer")

	sev, class, magnitude := severityOf(c.status), classUtilization, c.util
	used := FormatNumber(c.util, UnitRatio)
	switch {
	case refusing:
		// Clients turned away are the harm itself, not a forecast.
		sev, class, magnitude = SeverityCritical, classSaturation, countMagnitude(refused.Value.V)
		b.f.Summary = fmt.Sprintf("The database%s is already refusing clients: %s refused at max_connections (%s)", refused.Where(), refused.Formatted(), refused.Statistic)
		if c.known && sameDatabase {
			b.f.Summary += fmt.Sprintf("; it uses %s of max_connections now", used)
		}
	case waiting && c.explainsWaits():
		// Clients queue upstream because the database takes no more
		// connections: this limit, not the pools, is the ceiling.
		sev, class = SeverityCritical, classSaturation
		b.f.Summary = fmt.Sprintf("The database uses %s of max_connections and clients queue for connections upstream: the database connection limit is the ceiling", used)
	default:
		b.f.Summary = fmt.Sprintf("The database uses %s of max_connections: the database connection limit is close, new connections will be refused", used)
	}
	b.f.Capacity = capacity
	return b.finish(sev, class, magnitude)
}
