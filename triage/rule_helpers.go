package triage

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// evidenceClass is the kind of evidence a finding rests on. It dominates the
// score, so that saturation outranks utilization whatever the severity.
type evidenceClass int

const (
	classContext     evidenceClass = iota // info: headroom, caveats
	classSymptom                          // what users see, or waits another finding explains
	classUtilization                      // a resource is busy or degraded
	classSaturation                       // work is waiting: pool waiters, queue growth, CPU pressure
)

func (sev Severity) rank() int {
	switch sev {
	case SeverityCritical:
		return 2
	case SeverityWarning:
		return 1
	}
	return 0
}

// score ranks a finding: class in the hundreds, severity in the tens, then a
// magnitude in [0, 1] (how far past the line) that stays under the next
// severity step. Rounded so that reports stay byte-stable.
func score(class evidenceClass, sev Severity, magnitude float64) float64 {
	m := math.Max(0, math.Min(1, magnitude))
	return math.Round((float64(class)*100+float64(sev.rank())*10+9*m)*100) / 100
}

// countMagnitude maps a count of waiters to [0, 1): 1 -> 0.5, 59 -> 0.98.
func countMagnitude(n float64) float64 { return n / (n + 1) }

// multipleMagnitude maps a multiple of a baseline to [0, 1): 2x -> 0.5, 5x -> 0.8.
func multipleMagnitude(ratio float64) float64 {
	if ratio <= 1 {
		return 0
	}
	return 1 - 1/ratio
}

// severityOf turns a signal status into a finding severity.
func severityOf(st Status) Severity {
	switch st {
	case StatusCritical:
		return SeverityCritical
	case StatusWarning:
		return SeverityWarning
	}
	return SeverityInfo
}

// atLeast returns the more severe of sev and floor.
func atLeast(sev, floor Severity) Severity {
	if floor.rank() > sev.rank() {
		return floor
	}
	return sev
}

// atMost returns the less severe of sev and ceiling.
func atMost(sev, ceiling Severity) Severity {
	if sev.rank() > ceiling.rank() {
		return ceiling
	}
	return sev
}

// floatOr is the usable value of id, or 0.
func floatOr(s *Snapshot, id SignalID) float64 {
	v, _ := s.Float(id)
	return v
}

// usable returns the reading of id when a rule may compute with it: present,
// finite, neither missing nor failed.
func (s *Snapshot) usable(id SignalID) (Reading, bool) {
	r, ok := s.Get(id)
	return r, ok && r.Usable()
}

// hot reports whether any of ids is usable and at warning or critical.
func (s *Snapshot) hot(ids ...SignalID) bool {
	return s.worst(ids...).rank() >= StatusWarning.rank()
}

// worst is the most severe status among the usable readings of ids (ok when
// none is usable: a missing signal is never evidence).
func (s *Snapshot) worst(ids ...SignalID) Status {
	worst := StatusOK
	for _, id := range ids {
		if r, ok := s.usable(id); ok && r.Status.Worse(worst) {
			worst = r.Status
		}
	}
	return worst
}

// windowPhrase says over which window the values were read.
func (s *Snapshot) windowPhrase() string {
	if s.Window <= 0 {
		return "at the evaluation instant"
	}
	return "in the " + PromDuration(s.Window) + " window"
}

// defaultCatalog is parsed once, for the titles and thresholds of signals a
// snapshot does not carry.
var defaultCatalog = sync.OnceValue(DefaultCatalog)

// TitleOf names a signal for a sentence, even when the snapshot lacks it:
// the reading's title, else the built-in catalog's, else the id.
func (s *Snapshot) TitleOf(id SignalID) string {
	if r, ok := s.Get(id); ok && r.Title != "" {
		return r.Title
	}
	if d, ok := defaultCatalog().Def(id); ok {
		return d.Title
	}
	return string(id)
}

// multiple prints a ratio as a load or baseline multiple: "49.8x".
func multiple(ratio float64) string { return trimFloat(ratio, 3) + "x" }

// observed is the sentence for one usable reading: value with unit, window,
// and the day-before baseline with the ratio to it, e.g.
// "Latency P99: ≥ 995 ms, P99 over 5m (day before: 20 ms, ≥ 49.8x)".
// For a warning or critical reading the catalog's reason follows.
func (s *Snapshot) observed(r Reading) string {
	line := fmt.Sprintf("%s%s: %s", s.TitleOf(r.ID), r.Where(), r.Observed())
	base, hasBase := r.Baseline.Float()
	ratio, hasRatio := r.RatioText()
	hot := r.Status == StatusWarning || r.Status == StatusCritical
	switch {
	case !hasBase:
		line += " (no day-before baseline)"
	case hasRatio && !(hot && strings.Contains(r.Reason, "day-before baseline")):
		line += fmt.Sprintf(" (day before: %s, %s)", FormatNumber(base, r.Unit), ratio)
	default: // a zero baseline has no ratio; a baseline reason already states it
		line += fmt.Sprintf(" (day before: %s)", FormatNumber(base, r.Unit))
	}
	if hot && r.Reason != "" {
		line += " — " + r.Reason
	}
	return line
}

// findingBuilder collects the evidence for and against one finding and the
// signals it rests on.
type findingBuilder struct {
	s *Snapshot
	f Finding
}

func newFinding(s *Snapshot) *findingBuilder { return &findingBuilder{s: s} }

func (b *findingBuilder) uses(id SignalID) {
	if !slices.Contains(b.f.Signals, id) {
		b.f.Signals = append(b.f.Signals, id)
	}
}

func (b *findingBuilder) evidencef(format string, args ...any) {
	b.f.Evidence = append(b.f.Evidence, fmt.Sprintf(format, args...))
}

func (b *findingBuilder) againstf(format string, args ...any) {
	b.f.Against = append(b.f.Against, fmt.Sprintf(format, args...))
}

// support adds the usable readings of ids as evidence for the finding.
func (b *findingBuilder) support(ids ...SignalID) {
	for _, id := range ids {
		if r, ok := b.s.usable(id); ok {
			b.uses(id)
			b.evidencef("%s", b.s.observed(r))
		}
	}
}

// trafficChange is how far throughput may move against the day before and
// still be the same traffic: beyond it a drop or surge is evidence.
const trafficChange = 1.5

// traffic adds the service's throughput to the evidence, saying when it
// moved: a drop or a surge against its earlier value is part of what
// changed. It returns the ratio to that value (0 when unknown).
func (b *findingBuilder) traffic() float64 {
	r, ok := b.s.usable(SignalThroughput)
	if !ok {
		return 0
	}
	b.uses(SignalThroughput)
	ratio, ok := movedRatio(r)
	switch {
	case ok && ratio <= 1/trafficChange:
		b.evidencef("%s — traffic fell to %s of %s", b.s.observed(r), FormatNumber(ratio, UnitRatio), movedSince(r))
	case ok && ratio >= trafficChange:
		b.evidencef("%s — traffic rose to %s %s", b.s.observed(r), multiple(ratio), movedSince(r))
		b.surgeContributors(r)
	default:
		b.evidencef("%s", b.s.observed(r))
	}
	if !ok {
		return 0
	}
	return ratio
}

// surgeContributors names the routes and statuses that brought a rise in
// traffic, for the first service whose rise was decomposed.
func (b *findingBuilder) surgeContributors(r Reading) {
	for _, e := range r.Entities {
		if line, cs, ok := b.s.ContributorLine(r, e.Labels); ok {
			b.evidencef("%s", line)
			b.f.Contributors = append(b.f.Contributors, cs...)
			return
		}
	}
}

// movedSince names what a reading is compared with: "the day before" or
// "the window start".
func movedSince(r Reading) string {
	if r.comparableBaseline().Usable() {
		return string(SinceDayBefore)
	}
	return string(SinceWindowStart)
}

// symptom checks an effect the verdict predicts (latency up, say): evidence
// for it when the signal is hot, against it (with calm) when it is not, and
// nothing when it is not measured.
func (b *findingBuilder) symptom(id SignalID, calm string) {
	r, ok := b.s.usable(id)
	switch {
	case !ok:
		return
	case b.s.hot(id):
		b.evidencef("%s", b.s.observed(r))
		if r.Scoped && b.s.Scope != nil {
			b.f.serviceSymptoms = append(b.f.serviceSymptoms, b.s.observed(r))
		}
	case unjudged(r):
		b.againstf("%s — %s: neither shown nor ruled out", b.s.observed(r), unjudgedWhy(r))
	default:
		b.againstf("%s — %s", b.s.observed(r), calm)
	}
	b.uses(id)
}

// rival checks another explanation (the red-herring check of seed prompt 2):
// calm says why a healthy reading rules it out; a hot reading is a competing
// explanation; an unmeasured one cannot be ruled out.
func (b *findingBuilder) rival(id SignalID, calm string) {
	r, ok := b.s.usable(id)
	if ok {
		var explains bool
		if r, explains = b.s.couldExplain(r); !explains {
			b.againstf("%s — not linked to the service and unchanged since the day before: it explains nothing", b.s.observed(r))
			b.uses(id)
			return
		}
	}
	switch {
	case !ok:
		b.againstf("%s: not measured — cannot be ruled out", b.s.TitleOf(id))
		return
	case r.Status.rank() >= StatusWarning.rank():
		b.againstf("%s: a competing explanation", b.s.observed(r))
	case unjudged(r):
		b.againstf("%s — %s: cannot be ruled out", b.s.observed(r), unjudgedWhy(r))
	case movedALot(r):
		// Under its threshold but far from its own normal: the data does
		// not rule it out.
		b.againstf("%s — under its threshold but %s: a competing explanation, not ruled out", b.s.observed(r), movedPhrase(r))
	default:
		b.againstf("%s — %s", b.s.observed(r), calm)
	}
	b.uses(id)
}

// couldExplain narrows a rival to what may explain the selected service's
// trouble: its worst entity linked to the service, else its worst one of
// unknown link that changed since before. An entity the config puts out of
// scope, or an unlinked one unchanged since the day before, explains
// nothing: false, with r narrowed to its worst entity to say so. Without a
// service, or for a reading of the service's own, r stands as it is.
func (s *Snapshot) couldExplain(r Reading) (Reading, bool) {
	if s.Scope == nil || r.Scoped || len(r.Entities) == 0 {
		return r, true
	}
	if n, linked := s.linkedPart(r); linked {
		return n, true
	}
	for _, e := range r.Entities {
		scope, _ := s.EntityScope(r, e.Labels)
		if change, _ := r.EntityChange(e); scope == ScopeUnknown && e.Unjudged == "" && change != ChangeUnchanged {
			n := r.narrowedTo(e)
			return n, n.Usable()
		}
	}
	return r.narrowedTo(r.Entities[0]), false
}

// rivalChangeRatio is how far from its own normal a calm rival may be and
// still be ruled out: 3x the day before is a change, whatever the band.
const rivalChangeRatio = 3

// movedALot reports a reading at least rivalChangeRatio times its day-before
// value (the window start without one), in the direction it gets worse.
func movedALot(r Reading) bool {
	ratio, ok := movedRatio(r)
	return ok && ratio >= rivalChangeRatio
}

// movedRatio is how many times worse than before a reading is: now / before
// for a signal that gets worse upwards, before / now for one that gets
// worse downwards.
func movedRatio(r Reading) (float64, bool) {
	now, ok := r.Value.Float()
	before, ok2 := r.comparableBaseline().Float()
	if !ok2 {
		before, ok2 = r.WindowStart.Float()
	}
	if !ok || !ok2 {
		return 0, false
	}
	if r.Thresholds.Direction == Below {
		now, before = before, now
	}
	if before <= 0 || now <= 0 {
		return 0, false
	}
	return now / before, true
}

// movedPhrase says how far a reading moved: "50x the day before".
func movedPhrase(r Reading) string {
	ratio, _ := movedRatio(r)
	return multiple(ratio) + " " + movedSince(r)
}

// unjudged reports a reading whose only thresholds compare with the day
// before while there is no day-before value: its "ok" proves nothing (the
// window start may already be inside the incident).
func unjudged(r Reading) bool {
	t := r.Thresholds
	relativeOnly := t.Warning == nil && t.Critical == nil && (t.BaselineWarning != nil || t.BaselineCritical != nil)
	b, ok := r.comparableBaseline().Float()
	return relativeOnly && (!ok || b <= 0)
}

// unjudgedWhy says why a reading judged only against its baseline can
// neither show nor rule out anything: no day-before value, or a quantile
// clamped at the top bucket then (a lower bound against a lower bound is no
// ratio).
func unjudgedWhy(r Reading) string {
	if r.BaselineAtLeast {
		return "clamped at the top histogram bucket now and the day before: a lower bound against a lower bound is no ratio"
	}
	return "no usable day-before baseline to compare with"
}

// finish scores the finding.
func (b *findingBuilder) finish(sev Severity, class evidenceClass, magnitude float64) []Finding {
	b.f.Severity = sev
	b.f.Score = score(class, sev, magnitude)
	return []Finding{b.f}
}
