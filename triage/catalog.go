package triage

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v2"
)

// SignalID names a signal; the ids are part of the report contract.
type SignalID string

// Candidate is one way to measure a signal with one exporter family.
type Candidate struct {
	Exporter string `yaml:"exporter" json:"exporter"`
	// Metrics must all exist on the server for the candidate to be tried.
	Metrics []string `yaml:"metrics" json:"metrics"`
	// Query is PromQL with the tokens $SEL (selector matchers) and $RATE.
	Query string `yaml:"query" json:"query"`
	// Histogram names the _bucket metric of a quantile query, so that a
	// quantile clamped to the top finite bucket is reported as "at least".
	Histogram string `yaml:"histogram,omitempty" json:"histogram,omitempty"`
	// HistogramScale converts the bucket bounds to the signal's unit (ms -> s).
	HistogramScale float64 `yaml:"histogram_scale,omitempty" json:"histogram_scale,omitempty"`
	// Statistic says what the value is, with the $RATE token: "now" for a
	// gauge, "$RATE average" for a rate, "P99 over $RATE" for a quantile.
	// Declared, never guessed from the query text.
	Statistic string `yaml:"statistic,omitempty" json:"statistic,omitempty"`
	// Engine is the software measured (postgresql, mysql, pgbouncer, redis,
	// memcached, kafka, rabbitmq, hikaricp...), empty when it is not one.
	Engine Engine `yaml:"engine,omitempty" json:"engine,omitempty"`
	// Tier is where in the system the measured thing sits.
	Tier Tier `yaml:"tier,omitempty" json:"tier,omitempty"`
	// Entity names the labels that identify each measured thing (host,
	// pool, database, cache): the query returns one series per entity and
	// the signal's Aggregate combines them. Empty: the query returns one
	// series.
	EntityLabels []string `yaml:"entity,omitempty" json:"entity,omitempty"`
	// Aggregation overrides the signal's for this candidate: a cAdvisor
	// reading is the busiest container, not the busiest host.
	Aggregation string `yaml:"aggregation,omitempty" json:"aggregation,omitempty"`
	// Identity says how an entity keeps its history when its labels are
	// not its own: a Kubernetes workload whose pods a rollout renames,
	// identified through kube-state-metrics' owners or the pod names.
	Identity string `yaml:"identity,omitempty" json:"identity,omitempty"`
	// Group names labels (the query keeps them, grouped by them too) that
	// put an entity in a group of interchangeable ones: hosts an
	// autoscaler replaces (node_pool, instance_group). An entity new since
	// the day before takes its group's day-before value, said as such.
	Group []string `yaml:"group,omitempty" json:"group,omitempty"`
}

// Hint explains a missing signal more precisely when a related metric exists.
type Hint struct {
	If  string `yaml:"if" json:"if"`
	Say string `yaml:"say" json:"say"`
}

// SignalDef is one catalog entry.
type SignalDef struct {
	ID         SignalID   `yaml:"id" json:"id"`
	Title      string     `yaml:"title" json:"title"`
	Unit       Unit       `yaml:"unit" json:"unit"`
	Thresholds Thresholds `yaml:"thresholds" json:"thresholds"`
	Enable     string     `yaml:"enable" json:"enable"`
	// NoData is the reason when the metrics exist but the query returns
	// nothing, when the signal knows why (a label the query needs is
	// absent): never a silent 0.
	NoData string `yaml:"no_data,omitempty" json:"no_data,omitempty"`
	Hints  []Hint `yaml:"hints" json:"hints,omitempty"`
	// Range is the values the signal can take, when its unit's default
	// (PossibleRange) is wrong for it.
	Range *Range `yaml:"range,omitempty" json:"range,omitempty"`
	// Related are metric names, or name prefixes ending in "*", of the
	// families that measure this signal under names no candidate reads:
	// a missing signal lists the ones the server has.
	Related []string `yaml:"related,omitempty" json:"related,omitempty"`
	// Aggregation names the entity the value comes from when several are
	// measured ("busiest host", "fullest pool"); empty for a total or a
	// single thing.
	Aggregation string `yaml:"aggregation,omitempty" json:"aggregation,omitempty"`
	// Statistic and Tier are the defaults of the candidates that do not
	// declare their own (most signals have one statistic and one tier).
	Statistic string `yaml:"statistic,omitempty" json:"statistic,omitempty"`
	Tier      Tier   `yaml:"tier,omitempty" json:"tier,omitempty"`
	// Aggregate combines the entities of candidates that declare them into
	// the signal's value (max by default).
	Aggregate Aggregate `yaml:"aggregate,omitempty" json:"aggregate,omitempty"`
	// MaxEntities is how many entities a reading keeps (MaxEntities by
	// default): the services of a fleet are all wanted, to rank them.
	MaxEntities int         `yaml:"max_entities,omitempty" json:"max_entities,omitempty"`
	Candidates  []Candidate `yaml:"candidates" json:"candidates"`
}

// Catalog is the ordered list of signals scaletriage reads.
type Catalog []SignalDef

//go:embed catalog.yaml
var catalogYAML []byte

// DefaultCatalog returns a fresh copy of the embedded catalog.
func DefaultCatalog() Catalog { return embeddedCatalog().clone() }

// embeddedCatalog is parsed once: the YAML is compiled into the binary, and
// parsing it is not free (docs/facts.md#catalog-parse).
var embeddedCatalog = sync.OnceValue(parseEmbeddedCatalog)

func parseEmbeddedCatalog() Catalog {
	var doc struct {
		Signals Catalog `yaml:"signals"`
	}
	if err := yaml.UnmarshalStrict(catalogYAML, &doc); err != nil {
		panic("embedded catalog.yaml is invalid: " + err.Error())
	}
	for i := range doc.Signals {
		if err := doc.Signals[i].validateRelated(); err != nil {
			panic("embedded catalog.yaml is invalid: " + err.Error())
		}
		doc.Signals[i].inheritDefaults()
	}
	return doc.Signals
}

// inheritDefaults gives each candidate the signal's statistic and tier
// unless it declares its own, so that a candidate always carries its facts.
func (d *SignalDef) inheritDefaults() {
	for j := range d.Candidates {
		c := &d.Candidates[j]
		if c.Statistic == "" {
			c.Statistic = d.Statistic
		}
		if c.Tier == "" {
			c.Tier = d.Tier
		}
	}
}

// WithFactsFrom fills the statistic, engine and tier of candidates that
// lack them (a catalog recorded before candidates declared them) from the
// same signal's candidate with the same exporter in ref, and a signal's
// aggregation when its title is ref's.
func (c Catalog) WithFactsFrom(ref Catalog) Catalog {
	out := make(Catalog, len(c))
	for i, d := range c {
		d.Candidates = slices.Clone(d.Candidates)
		refDef, _ := ref.Def(d.ID)
		if d.Aggregation == "" && d.Title == refDef.Title {
			d.Aggregation = refDef.Aggregation
		}
		for j, cand := range d.Candidates {
			k := slices.IndexFunc(refDef.Candidates, func(r Candidate) bool { return r.Exporter == cand.Exporter })
			if k < 0 {
				continue
			}
			known := refDef.Candidates[k]
			if cand.Statistic == "" {
				cand.Statistic = known.Statistic
			}
			if cand.Engine == "" {
				cand.Engine = known.Engine
			}
			if cand.Tier == "" {
				cand.Tier = known.Tier
			}
			d.Candidates[j] = cand
		}
		out[i] = d
	}
	return out
}

// Sanitized returns a copy with every string made safe to print: a catalog
// read back from a recording is untrusted.
func (c Catalog) Sanitized() Catalog {
	out := make(Catalog, len(c))
	for i, d := range c {
		d.ID = SignalID(Sanitize(string(d.ID)))
		d.Title, d.Enable, d.Unit, d.NoData = Sanitize(d.Title), Sanitize(d.Enable), Unit(Sanitize(string(d.Unit))), Sanitize(d.NoData)
		d.Statistic, d.Tier, d.Aggregation = Sanitize(d.Statistic), Tier(Sanitize(string(d.Tier))), Sanitize(d.Aggregation)
		d.Aggregate = Aggregate(Sanitize(string(d.Aggregate)))
		d.Thresholds.Source = Sanitize(d.Thresholds.Source)
		d.Hints = append([]Hint(nil), d.Hints...)
		for j, h := range d.Hints {
			d.Hints[j] = Hint{If: Sanitize(h.If), Say: Sanitize(h.Say)}
		}
		d.Related = sanitizeAll(d.Related)
		d.Candidates = append([]Candidate(nil), d.Candidates...)
		for j, cand := range d.Candidates {
			cand.Exporter, cand.Query, cand.Histogram = Sanitize(cand.Exporter), SanitizeText(cand.Query, 4096), Sanitize(cand.Histogram)
			cand.Statistic, cand.Engine, cand.Tier = Sanitize(cand.Statistic), Engine(Sanitize(string(cand.Engine))), Tier(Sanitize(string(cand.Tier)))
			cand.EntityLabels, cand.Aggregation, cand.Identity = sanitizeAll(cand.EntityLabels), Sanitize(cand.Aggregation), Sanitize(cand.Identity)
			cand.Metrics, cand.Group = sanitizeAll(cand.Metrics), sanitizeAll(cand.Group)
			d.Candidates[j] = cand
		}
		out[i] = d
	}
	return out
}

// sanitizeAll returns a sanitized copy of list.
func sanitizeAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = Sanitize(v)
	}
	return out
}

// Def returns the definition of id.
func (c Catalog) Def(id SignalID) (SignalDef, bool) {
	for _, d := range c {
		if d.ID == id {
			return d, true
		}
	}
	return SignalDef{}, false
}

// SignalOverride is what a config file may change about a signal: threshold
// values (nil keeps the default), extra candidate queries tried before the
// built-in ones, and for a new signal its title and unit.
type SignalOverride struct {
	Title      string      `yaml:"title"`
	Unit       *Unit       `yaml:"unit"`
	Tier       Tier        `yaml:"tier"`
	Thresholds Thresholds  `yaml:"thresholds"`
	Candidates []Candidate `yaml:"candidates"`
}

// Merge applies overrides and returns a new catalog; an unknown id with
// candidates adds a signal at the end, an unknown id without is an error.
func (c Catalog) Merge(over map[SignalID]SignalOverride) (Catalog, error) {
	out := make(Catalog, len(c))
	copy(out, c)
	ids := make([]string, 0, len(over))
	for id := range over {
		ids = append(ids, string(id))
	}
	slices.Sort(ids)
	for _, sid := range ids {
		id := SignalID(sid)
		o := over[id]
		for _, cand := range o.Candidates {
			if err := cand.validate(); err != nil {
				return nil, fmt.Errorf("signals.%s.candidates: %w", id, err)
			}
		}
		if err := o.Thresholds.validate(); err != nil {
			return nil, fmt.Errorf("signals.%s.thresholds: %w", id, err)
		}
		i := out.index(id)
		if i < 0 {
			if len(o.Candidates) == 0 {
				return nil, fmt.Errorf("signals.%s: unknown signal id (a new signal needs candidates)", id)
			}
			d := SignalDef{ID: id, Title: o.Title, Enable: "configured in the config file"}
			if d.Title == "" {
				d.Title = string(id)
			}
			out = append(out, d)
			i = len(out) - 1
		}
		d := out[i]
		if o.Title != "" {
			d.Title = o.Title
		}
		if o.Unit != nil {
			d.Unit = *o.Unit
		}
		d.Thresholds = d.Thresholds.overlay(o.Thresholds)
		if o.Tier != "" {
			d.Tier = o.Tier
		}
		added := slices.Clone(o.Candidates)
		for j := range added {
			if added[j].Tier == "" {
				added[j].Tier = d.Tier
			}
		}
		d.Candidates = append(added, d.Candidates...)
		out[i] = d
	}
	return out, nil
}

func (c Catalog) index(id SignalID) int {
	for i, d := range c {
		if d.ID == id {
			return i
		}
	}
	return -1
}

func (c Candidate) validate() error {
	if strings.TrimSpace(c.Query) == "" {
		return fmt.Errorf("a candidate needs a query")
	}
	if c.Exporter == "" {
		return fmt.Errorf("candidate %q needs an exporter name", c.Query)
	}
	if strings.TrimSpace(c.Statistic) == "" {
		return fmt.Errorf(`candidate %q needs a statistic: what its value is, e.g. "now" (a gauge), "$RATE average" (a rate), "P99 over $RATE" (a quantile), "1m load average"`, c.Query)
	}
	if err := c.Tier.Validate(); err != nil {
		return fmt.Errorf("candidate %q: %w", c.Query, err)
	}
	return nil
}

// ExpandStatistic is the statistic with the rate window filled in.
func (c Candidate) ExpandStatistic(rate string) string {
	return strings.ReplaceAll(c.Statistic, "$RATE", rate)
}

// Expand fills the query tokens: sel is the matcher list without braces
// (`job="api",env="prod"`), rate a PromQL duration.
func (c Candidate) Expand(sel, rate string) string {
	q := strings.ReplaceAll(c.Query, "$RATE", rate)
	q = strings.ReplaceAll(q, "$SEL", strings.TrimSpace(sel))
	q = strayComma.ReplaceAllStringFunc(q, func(m string) string {
		switch {
		case strings.HasPrefix(m, "{"):
			return "{"
		case strings.HasSuffix(m, "}"):
			return "}"
		}
		return ","
	})
	return emptyBraces.ReplaceAllString(q, "$1")
}

// strayComma finds the commas an empty $SEL leaves: "{,", ",}", ",,";
// emptyBraces the "metric{}" it leaves, printed as plain "metric".
var (
	strayComma  = regexp.MustCompile(`\{\s*,|,\s*\}|,\s*,`)
	emptyBraces = regexp.MustCompile(`([a-zA-Z0-9_:])\{\}`)
)

// Scoped reports whether the selector applies to this candidate.
func (c Candidate) Scoped() bool { return strings.Contains(c.Query, "$SEL") }

// clone is a deep copy: a caller may change its catalog (Merge, overrides)
// without touching another's.
func (c Catalog) clone() Catalog {
	out := make(Catalog, len(c))
	for i, d := range c {
		d.Hints, d.Related = slices.Clone(d.Hints), slices.Clone(d.Related)
		d.Candidates = slices.Clone(d.Candidates)
		for j := range d.Candidates {
			d.Candidates[j].Metrics = slices.Clone(d.Candidates[j].Metrics)
			d.Candidates[j].EntityLabels = slices.Clone(d.Candidates[j].EntityLabels)
			d.Candidates[j].Group = slices.Clone(d.Candidates[j].Group)
		}
		out[i] = d
	}
	return out
}

// AllEntities is the catalog with each signal keeping up to n entities:
// `services` ranks every service and cuts only what it shows.
func (c Catalog) AllEntities(n int) Catalog {
	out := slices.Clone(c)
	for i := range out {
		out[i].MaxEntities = max(out[i].MaxEntities, n)
	}
	return out
}

// Only is the catalog narrowed to ids, in catalog order.
func (c Catalog) Only(ids ...SignalID) Catalog {
	var out Catalog
	for _, d := range c {
		if slices.Contains(ids, d.ID) {
			out = append(out, d)
		}
	}
	return out
}
