// Package report renders one triage pass for people and programs: the JSON
// report (version 1, a contract), the text and Markdown reports, the signals
// doctor, the prompt a finding leads to and the recording file. Both the
// command line and the TUI use it; it writes to an io.Writer or returns
// strings, and reads nothing.
package report

import (
	"io"
	"math"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// V1 is the JSON report, version 1 (a contract: fields are only ever added;
// a change of meaning needs a version bump).
type V1 struct {
	Version    int         `json:"version"`
	Tool       ToolV1      `json:"tool"`
	Source     SourceV1    `json:"source"`
	Window     string      `json:"window"`
	RateWindow string      `json:"rate_window"`
	At         string      `json:"at"`
	Selector   string      `json:"selector"`
	Partial    bool        `json:"partial"`
	Queries    int         `json:"queries"`
	Exporters  []string    `json:"exporters"`
	Signals    []SignalV1  `json:"signals"`
	Findings   []FindingV1 `json:"findings"`
	// Scope is the service in trouble: the selector, the label values its
	// own series carry and the config's dependencies; absent without one.
	Scope *ScopeV1 `json:"scope,omitempty"`
	// Alert is the alert the triage started from; absent without one.
	Alert *AlertV1 `json:"alert,omitempty"`
	// Events are the changes made to the system in the window and the hour
	// before it (rollouts, config reloads), oldest first: candidate causes.
	Events []EventV1 `json:"events,omitempty"`
}

// EventV1 is one change event: its kind (version, config-reload, spec,
// scale, restart), the job or workload it happened on, when (RFC 3339),
// what changed and, for a counted change, the numbers it went between.
type EventV1 struct {
	Kind   triage.EventKind  `json:"kind"`
	Entity string            `json:"entity"`
	Labels map[string]string `json:"labels,omitempty"`
	At     string            `json:"at"`
	What   string            `json:"what"`
	From   *float64          `json:"from,omitempty"`
	To     *float64          `json:"to,omitempty"`
}

// ScopeV1 is what decides whether an entity belongs to the service.
type ScopeV1 struct {
	Selector     string                   `json:"selector"`
	Identity     map[string][]string      `json:"identity"`
	Dependencies map[triage.Tier][]string `json:"dependencies,omitempty"`
}

// ToolV1 names the scaletriage build that wrote the report.
type ToolV1 struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
}

// SourceV1 is where the numbers came from; the URL is always redacted.
type SourceV1 struct {
	URL     string `json:"url"`
	Backend string `json:"backend"`
	Replay  string `json:"replay,omitempty"`
	// RedirectedTo is where a same-origin redirect moved the API;
	// ClockSkewSeconds the server's clock minus ours, beyond a minute.
	RedirectedTo     string   `json:"redirected_to,omitempty"`
	ClockSkewSeconds *float64 `json:"clock_skew_seconds,omitempty"`
	// Notes say both in words.
	Notes []string `json:"notes,omitempty"`
}

// SignalV1 is one reading.
type SignalV1 struct {
	ID      triage.SignalID `json:"id"`
	Title   string          `json:"title"`
	Value   *float64        `json:"value"` // null when missing, NaN or infinite
	AtLeast bool            `json:"at_least,omitempty"`
	Display string          `json:"display"`
	Unit    triage.Unit     `json:"unit"`
	// Statistic says what the value is ("P99 over 5m", "now"); Engine and
	// Tier what was measured and where it sits (catalog facts).
	Statistic string        `json:"statistic,omitempty"`
	Engine    triage.Engine `json:"engine,omitempty"`
	Tier      triage.Tier   `json:"tier,omitempty"`
	Status    triage.Status `json:"status"`
	Reason    string        `json:"reason,omitempty"`
	Baseline  *float64      `json:"baseline"`
	// BaselineAtLeast marks a day-before quantile clamped at the top bucket.
	BaselineAtLeast bool     `json:"baseline_at_least,omitempty"`
	WindowStart     *float64 `json:"window_start"`
	Query           string   `json:"query,omitempty"`
	Exporter        string   `json:"exporter,omitempty"`
	// Identity says how the entities keep their history when their labels
	// are not their own: a Kubernetes workload across renamed pods.
	Identity   string            `json:"identity,omitempty"`
	Thresholds triage.Thresholds `json:"thresholds"`
	Warnings   []string          `json:"warnings,omitempty"`
	Infos      []string          `json:"infos,omitempty"`
	// Change is the value against the day before (since says when the
	// window start stood in); entities are the measured things behind the
	// value, worst first, entity_count how many there were.
	Change      triage.Change `json:"change,omitempty"`
	Since       triage.Since  `json:"since,omitempty"`
	Entities    []EntityV1    `json:"entities,omitempty"`
	EntityCount int           `json:"entity_count,omitempty"`
	// Contributors decompose the change of its changed entities by the
	// labels its series carry: who brought it, largest share first.
	Contributors []ContributorV1 `json:"contributors,omitempty"`
	// Bucket is the histogram bucket a quantile falls in when it is wide:
	// value is interpolated inside it, the bounds are what was measured.
	Bucket *triage.Bucket `json:"bucket,omitempty"`
	// Links open the query's graph at the instant, over the window.
	Links *Links `json:"links,omitempty"`
}

// EntityV1 is one measured thing: a host, a pool, a database instance...
type EntityV1 struct {
	Signal      triage.SignalID   `json:"signal,omitempty"` // in a finding
	Name        string            `json:"name,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Value       *float64          `json:"value"`
	Baseline    *float64          `json:"baseline"`
	WindowStart *float64          `json:"window_start,omitempty"`
	Change      triage.Change     `json:"change"`
	Since       triage.Since      `json:"since,omitempty"`
	// Scope says whether it belongs to the selected service (in, out,
	// unknown) and scope_basis how that was decided.
	Scope      triage.Scope `json:"scope"`
	ScopeBasis string       `json:"scope_basis,omitempty"`
	// Links open this entity's own series: the query narrowed to its labels.
	Links *Links `json:"links,omitempty"`
	// Requests are the requests its error ratio or quantile is over in the
	// rate window; unjudged says why too few of them are no evidence.
	Requests *float64 `json:"requests,omitempty"`
	Unjudged string   `json:"unjudged,omitempty"`
	// Identity says where its baseline came from when not from itself
	// (a host new since the day before takes its instance group's).
	Identity string `json:"identity,omitempty"`
}

// ContributorV1 is one label set's part in an entity's change: its value
// now and the day before, and its share of the entity's increase (0..1).
type ContributorV1 struct {
	Signal   triage.SignalID   `json:"signal,omitempty"` // in a finding
	Entity   map[string]string `json:"entity"`
	Labels   map[string]string `json:"labels"`
	Value    *float64          `json:"value"`
	Baseline *float64          `json:"baseline"`
	Unit     triage.Unit       `json:"unit"`
	Share    float64           `json:"share"`
}

func contributorsJSON(cs []triage.Contributor, withSignal bool) []ContributorV1 {
	var out []ContributorV1
	for _, c := range cs {
		if c.Share <= 0 {
			continue // seen, not a contributor: it brought none of the change
		}
		id := c.Signal
		if !withSignal {
			id = ""
		}
		out = append(out, ContributorV1{Signal: id, Entity: c.Entity, Labels: c.Labels, Value: number(c.Now), Baseline: number(c.Before), Unit: c.Unit, Share: c.Share})
	}
	return out
}

// FindingV1 is one verdict.
type FindingV1 struct {
	ID       triage.RuleID                `json:"id"`
	Severity triage.Severity              `json:"severity"`
	Score    float64                      `json:"score"`
	Title    string                       `json:"title"`
	Summary  string                       `json:"summary"`
	Evidence []string                     `json:"evidence"`
	Against  []string                     `json:"against"`
	Prompts  []triage.PromptID            `json:"prompts"`
	Signals  []triage.SignalID            `json:"signals"`
	Capacity *CapacityV1                  `json:"capacity,omitempty"`
	Unfilled map[triage.PromptID][]string `json:"unfilled"`
	// Change is what changed (new, worse, unchanged = chronic, better,
	// unknown); entities are what the finding is about, each with its own.
	Change     triage.Change `json:"change"`
	Since      triage.Since  `json:"since,omitempty"`
	Entities   []EntityV1    `json:"entities"`
	Scope      triage.Scope  `json:"scope"`
	ScopeBasis string        `json:"scope_basis,omitempty"`
	// Links open the series the finding rests on (its first entity's).
	Links *Links `json:"links,omitempty"`
	// Onset is when the earliest of its changed entities left its normal
	// (triage.Reading.EntityOnset), RFC 3339; onset_before_window when it
	// already had at the window's start.
	Onset             string `json:"onset,omitempty"`
	OnsetBeforeWindow bool   `json:"onset_before_window,omitempty"`
	// Link is how a finding that follows a victim to its cause linked them
	// (config dependencies, a datname match, a shared host...);
	// contributors are who brought the change it rests on.
	Link         string          `json:"link,omitempty"`
	Contributors []ContributorV1 `json:"contributors,omitempty"`
}

// CapacityV1 is the bottleneck law.
type CapacityV1 struct {
	Throughput     *float64        `json:"throughput_rps"`
	Bottleneck     triage.SignalID `json:"bottleneck"`
	Utilization    float64         `json:"utilization"`
	MaxThroughput  *float64        `json:"max_throughput_rps"`
	Caveat         string          `json:"caveat,omitempty"`
	BaselineMax    *float64        `json:"baseline_max_throughput_rps,omitempty"`
	Headroom       float64         `json:"headroom"`
	SecondOrder    triage.SignalID `json:"second_order,omitempty"`
	SecondHeadroom float64         `json:"second_headroom,omitempty"`
	// Unlinked are the resources left out because nothing links them to
	// the selected service.
	Unlinked    []string       `json:"unlinked,omitempty"`
	Projections []ProjectionV1 `json:"projections"`
}

// ProjectionV1 is the picture at one load multiple. Utilizations is an
// object keyed by signal id (version 1's shape).
type ProjectionV1 struct {
	Multiple     float64                     `json:"multiple"`
	Utilizations map[triage.SignalID]float64 `json:"utilizations"`
	Saturated    []triage.SignalID           `json:"saturated"`
}

// New builds the JSON report of a pass.
func New(res Pass) V1 {
	s := res.Diagnosis.Snapshot
	r := V1{
		Version: 1, Tool: toolJSON(), Source: sourceJSON(s.Source),
		Window: triage.PromDuration(s.Window), RateWindow: triage.PromDuration(s.RateWindow),
		At: s.At.UTC().Format(time.RFC3339), Selector: s.Selector, Partial: s.Partial, Queries: s.Queries,
		Exporters: nonNil(s.Exporters), Signals: []SignalV1{}, Findings: []FindingV1{}, Scope: scopeJSON(s.Scope),
	}
	if res.Alert != nil {
		a := alertJSON(*res.Alert, s.At)
		r.Alert = &a
	}
	for _, ev := range s.Events {
		r.Events = append(r.Events, EventV1{Kind: ev.Kind, Entity: ev.Entity, Labels: ev.Labels, At: rfc3339(ev.At), What: ev.What,
			From: number(triage.Of(ev.From)), To: number(triage.Of(ev.To))})
	}
	links := res.Links()
	for _, rd := range s.Readings {
		change, since := rd.Change()
		own, perEntity := links.ReadingLinks(rd)
		entities := readingEntities(s, rd)
		for i := range entities {
			entities[i].Links = perEntity[i].orNil()
		}
		r.Signals = append(r.Signals, SignalV1{Links: own.orNil(),
			Change: change, Since: since, Entities: entities, EntityCount: rd.EntityCount, Bucket: rd.Bucket,
			ID: rd.ID, Title: rd.Title, Value: number(rd.Value), AtLeast: rd.AtLeast, Display: rd.Formatted(),
			Unit: rd.Unit, Statistic: rd.Statistic, Engine: rd.Engine, Tier: rd.Tier,
			Status: rd.Status, Reason: rd.Reason, Baseline: number(rd.Baseline), BaselineAtLeast: rd.BaselineAtLeast,
			WindowStart: number(rd.WindowStart), Query: rd.Query, Exporter: rd.Exporter, Identity: rd.Identity,
			Thresholds: rd.Thresholds, Warnings: rd.Warnings, Infos: rd.Infos, Contributors: contributorsJSON(rd.Contributors, false),
		})
	}
	for _, f := range res.Diagnosis.Findings {
		var onset triage.Onset
		if f.Change == triage.ChangeNew || f.Change == triage.ChangeWorse {
			onset, _ = s.FindingOnset(f)
		}
		r.Findings = append(r.Findings, FindingV1{Onset: rfc3339(onset.At), OnsetBeforeWindow: onset.Before,
			ID: f.ID, Severity: f.Severity, Score: f.Score, Title: f.Title, Summary: f.Summary,
			Evidence: nonNil(f.Evidence), Against: nonNil(f.Against), Prompts: nonNil(f.Prompts),
			Signals: nonNil(f.Signals), Capacity: capacityJSON(f.Capacity), Unfilled: res.Unfilled(f),
			Change: f.Change, Since: f.Since, Entities: findingEntities(s, f, links), Scope: f.Scope, ScopeBasis: f.ScopeBasis,
			Links: links.FindingLinks(s, f).orNil(),
			Link:  f.Link, Contributors: contributorsJSON(f.Contributors, true),
		})
	}
	return r
}

// toolJSON and sourceJSON are the blocks every JSON document opens with,
// built once so that the report and services say the same.
func toolJSON() ToolV1 {
	build := Build()
	return ToolV1{Name: "scaletriage", Version: build.Version, Commit: build.Commit}
}

func sourceJSON(src triage.Source) SourceV1 {
	return SourceV1{URL: src.URL, Backend: src.Backend, Replay: src.Replay,
		RedirectedTo: src.RedirectedTo, ClockSkewSeconds: skewSeconds(src.ClockSkew), Notes: src.Notes()}
}

// WriteJSON writes the JSON report, indented.
func WriteJSON(w io.Writer, res Pass) error { return encodeJSON(w, New(res)) }

// readingEntities are a reading's entities with their own change.
func readingEntities(s *triage.Snapshot, r triage.Reading) []EntityV1 {
	var out []EntityV1
	for _, e := range r.Entities {
		change, since := r.EntityChange(e)
		scope, basis := s.EntityScope(r, e.Labels)
		out = append(out, EntityV1{Name: r.EntityName(e), Labels: e.Labels, Value: number(e.Value),
			Baseline: number(e.Baseline), WindowStart: number(e.WindowStart), Change: change, Since: since,
			Scope: scope, ScopeBasis: basis, Requests: number(e.Requests), Unjudged: e.Unjudged,
			Identity: e.Identity})
	}
	return out
}

// rfc3339 is t in UTC, "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func skewSeconds(d time.Duration) *float64 {
	if d == 0 {
		return nil
	}
	f := d.Seconds()
	return &f
}

func scopeJSON(sc *triage.ServiceScope) *ScopeV1 {
	if sc == nil {
		return nil
	}
	out := &ScopeV1{Selector: sc.Selector, Identity: sc.Identity}
	for tier, deps := range sc.Dependencies {
		if out.Dependencies == nil {
			out.Dependencies = map[triage.Tier][]string{}
		}
		for _, d := range deps {
			out.Dependencies[tier] = append(out.Dependencies[tier], d.String())
		}
	}
	return out
}

// findingEntities are what a finding is about; a whole signal has no name.
func findingEntities(s *triage.Snapshot, f triage.Finding, links Linker) []EntityV1 {
	out := []EntityV1{}
	for _, e := range f.Entities {
		var l Links
		if r, ok := s.Get(e.Signal); ok {
			l = links.For(EntityQuery(r.Query, e.Entity.Labels))
		}
		out = append(out, EntityV1{Signal: e.Signal, Name: e.Name, Labels: e.Entity.Labels, Value: number(e.Entity.Value),
			Baseline: number(e.Entity.Baseline), Change: e.Change, Since: e.Since, Scope: e.Scope, ScopeBasis: e.ScopeBasis, Links: l.orNil(),
			Requests: number(e.Entity.Requests), Unjudged: e.Entity.Unjudged, Identity: e.Entity.Identity})
	}
	return out
}

// number is a JSON number or null: "no data" is not 0, NaN is not 0.
func number(v triage.Value) *float64 {
	if f, ok := v.Float(); ok {
		return &f
	}
	return nil
}

func capacityJSON(c *triage.Capacity) *CapacityV1 {
	if c == nil {
		return nil
	}
	out := &CapacityV1{
		Throughput: number(c.Throughput), Bottleneck: c.Bottleneck, Utilization: c.Utilization,
		MaxThroughput: number(c.MaxThroughput), Caveat: c.Caveat, BaselineMax: number(c.BaselineMaxThroughput),
		Headroom: finiteOr0(c.Headroom), SecondOrder: c.SecondOrder, SecondHeadroom: finiteOr0(c.SecondHeadroom),
		Unlinked: c.Unlinked, Projections: []ProjectionV1{},
	}
	for _, p := range c.Projections {
		utils := make(map[triage.SignalID]float64, len(p.Utilizations))
		for _, u := range p.Utilizations {
			utils[u.Signal] = u.Value
		}
		out.Projections = append(out.Projections, ProjectionV1{Multiple: p.Multiple, Utilizations: utils, Saturated: nonNil(p.Saturated)})
	}
	return out
}

func finiteOr0(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
