package triage

import "fmt"

var dbConnectionCeilingRule = Rule{
	ID:      "db-connection-ceiling",
	Title:   "Database connection limit",
	Prompts: []string{PromptConnectionPool, PromptPostgreSQLDeepDive, PromptDatabaseReadScaling, PromptBottleneck},
	Causes:  []SignalID{SignalDBConnectionUtil, SignalDBConnectionsUsed},
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
	// fullest names the fullest instance (" (analytics-db:9187)") when the
	// reading has entities.
	fullest string
}

func connectionCeilingOf(s *Snapshot) connectionCeiling {
	if r, ok := s.usable(SignalDBConnectionUtil); ok {
		change, _ := r.Change()
		if len(r.Entities) > 0 {
			change, _ = r.EntityChange(r.Entities[0])
		}
		return connectionCeiling{util: r.Value.V, status: r.Status, reason: r.Reason, known: true, change: change, fullest: fullestName(r)}
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
	return connectionCeiling{util: util, status: status, reason: reason, known: true, derived: true, change: change, fullest: fullestName(used)}
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
func (c connectionCeiling) explainsWaits() bool { return c.hot() && c.change != ChangeUnchanged }

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

// ceiling states the connection ceiling in a sentence and records the
// signals it rests on.
func (b *findingBuilder) ceiling(c connectionCeiling) string {
	used, okUsed := b.s.usable(SignalDBConnectionsUsed)
	limit, okMax := b.s.usable(SignalDBConnectionsMax)
	counts := ""
	if okUsed && okMax {
		b.uses(SignalDBConnectionsUsed)
		b.uses(SignalDBConnectionsMax)
		counts = fmt.Sprintf(" (%s of %s)", trimFloat(used.Value.V, 3), limit.Formatted())
	}
	if !c.derived {
		r, _ := b.s.usable(SignalDBConnectionUtil)
		b.uses(SignalDBConnectionUtil)
		return b.s.observed(r) + counts
	}
	line := fmt.Sprintf("Database connections in use: %s of max_connections now%s", FormatNumber(c.util, UnitRatio), counts)
	if c.hot() && c.reason != "" {
		line += " — " + c.reason
	}
	return line
}

func evalDBConnectionCeiling(s *Snapshot, set RuleSettings, capacity *Capacity) []Finding {
	c := connectionCeilingOf(s)
	if !c.hot() {
		return nil
	}
	b := newFinding(s)
	b.evidencef("%s", b.ceiling(c))
	waiting := s.hot(SignalDBPoolWaiting, SignalDBPoolMaxWait, SignalAppPoolWaiting)
	for _, id := range []SignalID{SignalAppPoolWaiting, SignalDBPoolWaiting, SignalDBPoolMaxWait} {
		b.symptom(id, "no client waits for a connection there yet")
	}
	b.symptom(SignalLatencyP99, "users do not feel it yet")
	b.rival(SignalCPUUtilization, "not CPU-bound")
	b.rival(SignalDBQueryMean, "queries are no slower than the day before: connections are not held longer")

	sev, class := severityOf(c.status), classUtilization
	b.f.Summary = fmt.Sprintf("The database uses %s of max_connections: the database connection limit is close, new connections will be refused", FormatNumber(c.util, UnitRatio))
	if waiting && c.explainsWaits() {
		// Clients queue upstream because the database takes no more
		// connections: this limit, not the pools, is the ceiling.
		sev, class = SeverityCritical, classSaturation
		b.f.Summary = fmt.Sprintf("The database uses %s of max_connections and clients queue for connections upstream: the database connection limit is the ceiling", FormatNumber(c.util, UnitRatio))
	}
	b.f.Capacity = capacity
	return b.finish(sev, class, c.util)
}
