package triage

// Severity of a finding. Info findings explain context (such as headroom)
// and never mean "something is wrong".
type Severity string

const (
	SeverityInfo     Severity = "info"
	SeverityWarning  Severity = "warning"
	SeverityCritical Severity = "critical"
)

// Finding is one verdict of one rule: what is (or will be) the bottleneck,
// the evidence for and against it, and the prompts it leads to.
type Finding struct {
	ID       RuleID   // the rule's
	Severity Severity // info, warning or critical
	// Score ranks findings deterministically, highest first. Saturation
	// (something is waiting) scores above utilization.
	Score   float64
	Title   string
	Summary string // one sentence: where the ceiling is
	// Evidence for the verdict and against it (the red-herring check of
	// seed prompt 2), each a sentence with numbers, units and window.
	Evidence []string
	Against  []string
	// Prompts are the prompts it leads to, primary first.
	Prompts []PromptID
	// Signals are the readings the finding rests on, for evidence tables.
	Signals []SignalID
	// Capacity holds the bottleneck-law numbers when utilizations are known.
	Capacity *Capacity
	// Change is what changed, against the day before (Since says when the
	// window start stood in): the most telling change among the entities
	// of the finding's hot signals. Unchanged is chronic: at most a
	// warning, ranked below every change, worded as such.
	Change Change
	Since  Since
	// Entities are the measured things the finding is about (the hot
	// entities of its signals, worst first), each with its own change.
	Entities []FindingEntity
	// Scope is in when one of its entities belongs to the service, out when
	// all are outside its configured dependencies, else unknown;
	// ScopeBasis says how that was decided.
	Scope      Scope
	ScopeBasis string
	// Contributors are who brought the change of its changed entities
	// (an evidence line says each); Link, for a finding that follows a
	// victim to its cause, is the link it used (config dependencies, a
	// datname match, a shared host...).
	Contributors []Contributor
	Link         string
	// serviceSymptoms are the evidence lines that are the selected
	// service's own symptom: evidence only for a finding linked to it.
	serviceSymptoms []string
	// cause is the entity a chain followed the slowdown to, shown first.
	cause *chainCause
}

// chainCause is the entity a chain found the cause in and its evidence
// line.
type chainCause struct {
	signal SignalID
	labels map[string]string
	line   string
}

// FindingEntity is one entity a finding names: a host, a pool, a database
// instance, a cache... or, for a signal measured as one series, the signal
// itself (no labels).
type FindingEntity struct {
	Signal SignalID
	Name   string // the entity as printed ("db-1:9187"); "" for a whole signal
	Entity Entity
	Change Change
	Since  Since
	Scope  Scope
	// ScopeBasis says how the scope was decided.
	ScopeBasis string
}

// Capacity is the bottleneck law applied to the known utilizations:
// theoretical max throughput ≈ current throughput / highest utilization.
type Capacity struct {
	Throughput    Value    // current requests/s (unknown when not measured)
	Bottleneck    SignalID // the most utilized resource
	Utilization   float64  // its utilization, 0..1+
	MaxThroughput Value    // Throughput / Utilization; unknown when not proportional
	// Caveat, when set, says why MaxThroughput is not derived: utilization
	// did not follow load; it states the earlier and current numbers.
	// BaselineMaxThroughput is then the ceiling at the earlier cost per
	// request (the day before, else the window start), unknown when the
	// resource was idle then.
	Caveat                string
	BaselineMaxThroughput Value
	Headroom              float64  // 1/Utilization: load multiple at which it saturates
	SecondOrder           SignalID // the next resource to saturate once the first is fixed
	SecondHeadroom        float64  // load multiple at which the second saturates
	// Loads are the utilizations the law was applied to, most utilized first.
	Loads []Utilization
	// Projections state, for 2x, 5x and 10x load, each resource's projected
	// utilization (linear in load) and which saturates first.
	Projections []Projection
	// Unlinked name, with a service selected, the resources left out of
	// the law because nothing links them to it ("CPU utilization (busiest
	// host) on etl-1:9100").
	Unlinked []string
}

// Utilization is one resource's utilization (0..1+) in the capacity maths.
type Utilization struct {
	Signal SignalID
	Value  float64
	// from is the reading it was read from, narrowed to the entity whose
	// value it is: its earlier values are that entity's.
	from Reading
}

// Projection is the picture at one load multiple.
type Projection struct {
	Multiple float64
	// Utilizations are projected linearly, most utilized first.
	Utilizations []Utilization
	// Saturated lists resources at or above 100 %, most utilized first.
	Saturated []SignalID
}
