package triage

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Point is one sample of a range series.
type Point struct {
	T time.Time
	V float64
}

// Reading is what scaletriage knows about one signal at the evaluation
// instant: its value, baselines, sparkline series, status and provenance.
type Reading struct {
	ID    SignalID
	Title string
	Unit  Unit
	Value Value
	// AtLeast marks a quantile clamped at the top finite histogram bucket:
	// the true value is at least Value.
	AtLeast bool
	// Baseline is the same query one day earlier; WindowStart the earliest
	// finite point of the window.
	Baseline    Value
	WindowStart Value
	// BaselineAtLeast marks a clamped day-before quantile: a ratio to it
	// means nothing, so BaselineRatio gives none.
	BaselineAtLeast bool
	// Normal is the value's own spread over the window the day before, read
	// only for a value that moved beyond the noise margin (nil otherwise):
	// a move within it is no change.
	Normal *Spread
	// Bucket is the histogram bucket a quantile falls in, when it is wide
	// (its upper bound over WideBucket times its lower): the interpolated
	// value inside it is a guess, the bounds are the measurement.
	Bucket *Bucket
	Series []Point
	Status Status
	// Reason explains the status: the threshold crossed, why the signal is
	// missing and what would enable it, or the error.
	Reason   string
	Query    string
	Exporter string
	// Statistic, Engine and Tier are the winning candidate's declared facts
	// (Statistic with the rate window filled in: "P99 over 5m", "now").
	Statistic string
	Engine    Engine
	Tier      Tier
	// Aggregation is the catalog's: the entity the value comes from.
	Aggregation string
	// Entities are the measured things behind the value, worst first: at
	// most MaxEntities of EntityCount, each with its own numbers. Empty for
	// a signal measured as one series (a service's throughput).
	Entities    []Entity
	EntityCount int
	// EntityLabels are the labels that identify an entity, in the
	// candidate's order (for printing its name); Aggregate combined them.
	EntityLabels []string
	Aggregate    Aggregate
	// Identity is how its entities keep their history when their labels
	// are not their own (the candidate's): "workload from the pod-name
	// prefix"; "" when the labels are the identity.
	Identity string
	// Group are the candidate's group labels (Candidate.Group).
	Group []string
	// Contributors decompose the change of its changed entities (now minus
	// the day before) by the labels its series carry, largest first: who
	// brought it. Empty when nothing changed or nothing decomposes it.
	Contributors []Contributor
	// Scoped is set when the selector was applied to the query: its
	// entities are the service's own.
	Scoped     bool
	Thresholds Thresholds
	// Warnings and Infos are the server's annotations (sanitized).
	Warnings []string
	Infos    []string
	// Cancelled marks a signal an interrupt cut short: it has no value
	// because nobody waited for it, which is not "no data".
	Cancelled bool
}

// MeasuredBy records the candidate that answered: the query as sent, the
// exporter and the facts the candidate declares.
func (r *Reading) MeasuredBy(c Candidate, query, rate string) {
	r.Query, r.Exporter = query, c.Exporter
	r.Statistic, r.Engine, r.Tier, r.EntityLabels = c.ExpandStatistic(rate), c.Engine, c.Tier, c.EntityLabels
	r.Scoped, r.Identity, r.Group = c.Scoped(), c.Identity, c.Group
	if c.Aggregation != "" && c.Aggregation != r.Aggregation {
		// The title names the entity the value comes from: a container's
		// CPU is not "CPU utilization (busiest host)".
		if base, ok := strings.CutSuffix(r.Title, "("+r.Aggregation+")"); ok {
			r.Title = base + "(" + c.Aggregation + ")"
		}
		r.Aggregation = c.Aggregation
	}
}

// Change is the value against its own day-before value (the window start
// without one) under the signal's thresholds.
func (r Reading) Change() (Change, Since) {
	return r.Thresholds.ChangeWithin(r.Value, r.comparableBaseline(), r.WindowStart, r.Normal)
}

// EntityChange is an entity's value against its own earlier value, and its
// normal spread when it was read; unknown for one over too few requests to
// be judged (a "change" from 0 % to 100 % on two requests is none).
func (r Reading) EntityChange(e Entity) (Change, Since) {
	if e.Unjudged != "" {
		return ChangeUnknown, ""
	}
	return r.Thresholds.ChangeWithin(e.Value, e.Baseline, e.WindowStart, e.Normal)
}

// comparableBaseline is the day-before value unless it is a clamped
// quantile, which says only "at least" and compares with nothing.
func (r Reading) comparableBaseline() Value {
	if r.BaselineAtLeast {
		return None
	}
	return r.Baseline
}

// EntityName prints an entity of this reading: "db-1:9187",
// "database=app, user=app".
func (r Reading) EntityName(e Entity) string { return e.Name(r.EntityLabels) }

// Where names the entity a value comes from, for a sentence: " on
// batch-1:9100" for the busiest (or lowest) of several, " across 3 pools"
// for a sum; "" for a value measured as one series.
func (r Reading) Where() string {
	switch {
	case len(r.Entities) == 0:
		return ""
	case r.Aggregate == AggregateSum && r.EntityCount > 1:
		return " across " + EntityNoun(r.Tier, r.EntityCount)
	}
	return " on " + r.EntityName(r.Entities[0])
}

// EntitiesShown says how many entities are listed of how many were
// measured, when some are left out: "5 of 41 hosts shown"; "" otherwise.
func (r Reading) EntitiesShown() string {
	if r.EntityCount <= len(r.Entities) {
		return ""
	}
	return fmt.Sprintf("%d of %s shown", len(r.Entities), EntityNoun(r.Tier, r.EntityCount))
}

// Usable reports whether the current value can be computed with.
func (r Reading) Usable() bool {
	return r.Value.Usable() && r.Status != StatusMissing && r.Status != StatusError
}

// Formatted is the value as a person reads it, with "≥" for a clamped
// quantile, "cancelled" for a signal an interrupt cut short.
func (r Reading) Formatted() string {
	if r.Cancelled && !r.Value.Known {
		return "cancelled"
	}
	return Format(r.Value, r.Unit, r.AtLeast)
}

// BaselineRatio is value / day-before baseline when both are usable, the
// baseline is not zero and not itself a clamped lower bound.
func (r Reading) BaselineRatio() (float64, bool) {
	v, ok1 := r.Value.Float()
	b, ok2 := r.Baseline.Float()
	if !ok1 || !ok2 || b == 0 || r.BaselineAtLeast {
		return 0, false
	}
	return v / b, true
}

// Observed is the value with its statistic: "59 clients now",
// "996 ms, P99 over 5m", "6.5 requests/s, 5m average".
func (r Reading) Observed() string {
	value := r.Formatted()
	if r.Bucket != nil {
		value += " (" + r.Bucket.Phrase(r.Unit) + ")"
	}
	return withStatistic(value, r.Statistic)
}

// withStatistic joins a printed value and what it is: "59 clients now",
// "996 ms, P99 over 5m".
func withStatistic(value, statistic string) string {
	switch statistic {
	case "now":
		return value + " now"
	case "":
		return value
	}
	return value + ", " + statistic
}

// RatioText is BaselineRatio as people read it, "41.2x", with "≥" when the
// value is a lower bound (a clamped quantile): the ratio is one too.
func (r Reading) RatioText() (string, bool) {
	ratio, ok := r.BaselineRatio()
	if !ok {
		return "", false
	}
	s := trimFloat(ratio, 3) + "x"
	if r.AtLeast {
		s = "≥ " + s
	}
	return s, true
}

// BaselineText is the day-before value with the ratio to it, "20 ms
// (49.8x)", or "-" without one: the one rendering of a baseline in tables.
func (r Reading) BaselineText() string {
	if !r.Baseline.Known {
		return "-"
	}
	s := Format(r.Baseline, r.Unit, r.BaselineAtLeast)
	if ratio, ok := r.RatioText(); ok {
		s += " (" + ratio + ")"
	}
	return s
}

// Source describes where a snapshot came from. URL is always redacted.
type Source struct {
	URL     string
	Backend string
	Replay  string // the recording, when replayed
	// RedirectedTo is where a same-origin redirect moved the API (a path
	// prefix), redacted; "" when none.
	RedirectedTo string
	// ClockSkew is how far the server's clock is from ours when it is
	// beyond a minute (positive: the server is ahead); it shifts every
	// window. 0 when within a minute or not measured.
	ClockSkew time.Duration
	// Deduplicated is the replica label of an HA pair whose copies reached
	// us unmerged: every query kept one copy. "" when none was found.
	Deduplicated string
	// Unreachable are the stores a federating querier (Thanos) could not
	// reach, each with its error: their data may be missing.
	Unreachable []string
}

// Notes are the warnings about where the numbers came from: a moved API, a
// server clock that shifts every window, an HA pair deduplicated here, the
// stores a federating querier could not reach.
func (s Source) Notes() []string {
	var out []string
	if s.RedirectedTo != "" {
		out = append(out, "the server redirected the API to "+s.RedirectedTo+" (same origin: credentials kept)")
	}
	if s.ClockSkew != 0 {
		dir := "ahead of"
		if s.ClockSkew < 0 {
			dir = "behind"
		}
		out = append(out, fmt.Sprintf("the server's clock is %s %s ours: every window is shifted by that much", FormatNumber(math.Abs(s.ClockSkew.Seconds()), UnitSeconds), dir))
	}
	if s.Deduplicated != "" {
		out = append(out, fmt.Sprintf("an HA pair reached us without deduplication (series differ only in %q): every query keeps one copy with max without (%s), so no sum counts a series twice; set the querier's replica label to merge them there", s.Deduplicated, s.Deduplicated))
	}
	return append(out, s.Unreachable...)
}

// Snapshot is every reading of one triage pass. It is the input of the rules.
type Snapshot struct {
	Source     Source
	Window     time.Duration
	RateWindow time.Duration // the [range] of rate() in the queries
	At         time.Time
	Selector   string
	Readings   []Reading // catalog order
	Exporters  []string  // exporter families detected on the server
	// Partial is set when some answer carried warnings or a query failed:
	// the picture may be incomplete.
	Partial bool
	// Queries counts the requests sent to the server for this snapshot.
	Queries int
	// Scope is the service in trouble and its dependencies; nil when no
	// service was selected.
	Scope *ServiceScope
	// Warnings say what makes every reading doubtful, e.g. a rate window
	// shorter than two scrapes.
	Warnings []string
	// Events are the changes made to the system in the window and the
	// hour before it (rollouts, config reloads), oldest first.
	Events []Event
}

// Get returns the reading of id.
func (s *Snapshot) Get(id SignalID) (Reading, bool) {
	for _, r := range s.Readings {
		if r.ID == id {
			return r, true
		}
	}
	return Reading{}, false
}

// mustGet is the reading of id, or a zero one.
func (s *Snapshot) mustGet(id SignalID) Reading {
	r, _ := s.Get(id)
	return r
}

// Float returns the usable current value of id.
func (s *Snapshot) Float(id SignalID) (float64, bool) {
	r, ok := s.Get(id)
	if !ok || !r.Usable() {
		return 0, false
	}
	return r.Value.V, true
}

// WideBucket is the ratio of a bucket's bounds from which a quantile
// interpolated inside it is no measurement: the default client_golang
// buckets (0.5 s, 1 s] interpolate a P99 of 995 ms for requests that all
// took 613 ms.
const WideBucket = 1.5

// Bucket is the histogram bucket (Low, High] a quantile falls in.
type Bucket struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// BucketOf is the bucket of bounds that holds v when it is wide; nil when
// it is narrow, v is not usable or falls outside the finite buckets.
func BucketOf(v Value, bounds []float64) *Bucket {
	f, ok := v.Float()
	if !ok {
		return nil
	}
	for i, high := range bounds {
		if f > high {
			continue
		}
		low := 0.0
		if i > 0 {
			low = bounds[i-1]
		}
		if f <= low || low > 0 && high <= low*WideBucket {
			return nil
		}
		return &Bucket{Low: low, High: high}
	}
	return nil
}

// Phrase says the range as a measurement: "between 500 ms and 1 s:
// histogram resolution".
func (b Bucket) Phrase(unit Unit) string {
	return fmt.Sprintf("between %s and %s: histogram resolution", FormatNumber(b.Low, unit), FormatNumber(b.High, unit))
}
