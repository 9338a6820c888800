package triage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// maxEntitiesPerSignal bounds how many entities of one signal a finding
// names: the ones in trouble, not the fleet.
const maxEntitiesPerSignal = 3

// describeChange fills a finding's entities and change from its rule's
// causes, unless the rule decided the change itself, and words an
// unchanged (chronic) condition as such: at most a warning, never "fell" or
// "rose".
func describeChange(s *Snapshot, f *Finding, causes []SignalID) {
	hot := true
	if len(f.Entities) == 0 { // a rule that names its own entities keeps them
		f.Entities, hot = findingEntities(s, causes)
	}
	if f.Change == "" {
		// With no cause hot, the rule fired on something relative that it
		// did not name as a change: unknown, never chronic.
		f.Change, f.Since = ChangeUnknown, ""
		if hot && len(f.Entities) > 0 {
			// A finding's change is its evidence's: the entity that makes
			// it new or worse is the one it shows first and cites.
			slices.SortStableFunc(f.Entities, func(a, b FindingEntity) int { return cmp.Compare(b.Change.rank(), a.Change.rank()) })
			led := f.leadWithCause()
			f.Change, f.Since = f.Entities[0].Change, f.Entities[0].Since
			if !led {
				s.citeChanged(f)
			}
		}
	}
	f.Scope, f.ScopeBasis = findingScope(f.Entities)
	if f.Scope != ScopeIn {
		unlinkSymptoms(f)
	}
	if f.Severity == SeverityInfo {
		return
	}
	s.addContributors(f)
	switch f.Change {
	case ChangeUnchanged:
		f.Severity = atMost(f.Severity, SeverityWarning)
		f.Summary = chronicSummary(s, f.Entities)
		f.Score = chronicScore(f.Score)
	case ChangeBetter:
		f.Score = betterScore(f.Score)
	}
	if f.Scope == ScopeOut {
		// Another service's condition: shown, never ranked with the
		// service's own.
		f.Severity = atMost(f.Severity, SeverityWarning)
		f.Summary = "Out of scope (" + f.ScopeBasis + "): " + f.Summary
		f.Score = chronicScore(f.Score)
	}
}

// leadWithCause puts first the entity a chain followed the slowdown to,
// and its evidence line: the callers' larger numbers are what waits on it,
// not what to fix. False when no entity of the finding is that cause.
func (f *Finding) leadWithCause() bool {
	if f.cause == nil {
		return false
	}
	i := slices.IndexFunc(f.Entities, func(e FindingEntity) bool {
		return e.Signal == f.cause.signal && sameLabels(e.Entity.Labels, f.cause.labels)
	})
	if i < 0 {
		return false
	}
	lead := f.Entities[i]
	f.Entities = slices.Insert(slices.Delete(f.Entities, i, i+1), 0, lead)
	if j := slices.Index(f.Evidence, f.cause.line); j > 0 {
		f.Evidence = slices.Insert(slices.Delete(f.Evidence, j, j+1), 0, f.cause.line)
	}
	return true
}

// citeChanged makes a new or worse finding cite first the entity that
// changed, when its cause's reading is printed on another one (the worst,
// the busiest) that did not: that line leaves the evidence for the against,
// saying so, and the changed entity's own sentence leads the evidence.
func (s *Snapshot) citeChanged(f *Finding) {
	first := f.Entities[0]
	r, ok := s.Get(first.Signal)
	if f.Change != ChangeNew && f.Change != ChangeWorse || !ok || len(r.Entities) == 0 || sameLabels(r.Entities[0].Labels, first.Entity.Labels) {
		return
	}
	if i := slices.Index(f.Evidence, s.observed(r)); i >= 0 {
		change, _ := r.EntityChange(r.Entities[0])
		f.Against = append(f.Against, f.Evidence[i]+" — "+string(change)+": not what changed")
		f.Evidence = slices.Delete(f.Evidence, i, i+1)
	}
	f.Evidence = slices.Insert(f.Evidence, 0, s.EntitySentence(first))
}

// addContributors names who brought the change of each changed entity of
// a finding, one evidence line each, unless its rule already did.
func (s *Snapshot) addContributors(f *Finding) {
	for _, e := range f.Entities {
		if e.Change != ChangeNew && e.Change != ChangeWorse {
			continue
		}
		r, _ := s.Get(e.Signal)
		if line, cs, ok := s.ContributorLine(r, e.Entity.Labels); ok && !slices.Contains(f.Evidence, line) {
			f.Evidence = append(f.Evidence, line)
			f.Contributors = append(f.Contributors, cs...)
		}
	}
}

// unlinkSymptoms moves the selected service's own symptoms from the
// evidence of a finding not linked to it to its against: the service's
// P99 says nothing for another team's database.
func unlinkSymptoms(f *Finding) {
	for _, line := range f.serviceSymptoms {
		if i := slices.Index(f.Evidence, line); i >= 0 {
			f.Evidence = slices.Delete(f.Evidence, i, i+1)
			f.Against = append(f.Against, line+" — the service's own symptom, but nothing links this finding to the service: no evidence for it")
		}
	}
}

// chronicScore and betterScore keep a finding's order among its peers while
// ranking it below every finding that changed: a chronic saturation is not
// what this incident is about. Scores of changed warning or critical
// findings start at 110 (symptom class, warning).
func chronicScore(score float64) float64 { return score / 1000 }
func betterScore(score float64) float64  { return score / 10 }

// findingEntities are the entities of the hot causes (warning or
// critical), worst first; with none hot, the first usable cause's worst.
func findingEntities(s *Snapshot, ids []SignalID) (entities []FindingEntity, hot bool) {
	for _, id := range ids {
		if r, ok := s.usable(id); ok && r.Status.rank() >= StatusWarning.rank() {
			entities = append(entities, s.hotEntities(r)...)
		}
	}
	if len(entities) > 0 {
		return entities, true
	}
	for _, id := range ids {
		if r, ok := s.usable(id); ok {
			return s.hotEntities(r)[:1], false
		}
	}
	return nil, false
}

// hotEntities are a reading's entities that are themselves at warning or
// worse (at most maxEntitiesPerSignal), else its worst one; a reading
// without entities stands for itself.
func (s *Snapshot) hotEntities(r Reading) []FindingEntity {
	if len(r.Entities) == 0 {
		change, since := r.Change()
		whole := Entity{Value: r.Value, Baseline: r.comparableBaseline(), WindowStart: r.WindowStart}
		return []FindingEntity{s.findingEntity(r, whole, "", change, since)}
	}
	var out []FindingEntity
	for _, e := range r.Entities {
		status, _ := r.Thresholds.Judge(Reading{Unit: r.Unit, Value: e.Value, Baseline: e.Baseline, WindowStart: e.WindowStart})
		if e.Unjudged != "" || status.rank() < StatusWarning.rank() || len(out) == maxEntitiesPerSignal {
			continue
		}
		change, since := r.EntityChange(e)
		out = append(out, s.findingEntity(r, e, r.EntityName(e), change, since))
	}
	if len(out) == 0 {
		e := r.Entities[0]
		change, since := r.EntityChange(e)
		out = append(out, s.findingEntity(r, e, r.EntityName(e), change, since))
	}
	return out
}

func (s *Snapshot) findingEntity(r Reading, e Entity, name string, change Change, since Since) FindingEntity {
	scope, basis := s.EntityScope(r, e.Labels)
	return FindingEntity{Signal: r.ID, Name: name, Entity: e, Change: change, Since: since, Scope: scope, ScopeBasis: basis}
}

// findingScope is in when any entity is the service's, out when every
// entity is outside its configured dependencies, else unknown; the basis
// is the deciding entity's.
func findingScope(entities []FindingEntity) (Scope, string) {
	for _, e := range entities {
		if e.Scope == ScopeIn {
			return ScopeIn, e.ScopeBasis
		}
	}
	if len(entities) > 0 && !slices.ContainsFunc(entities, func(e FindingEntity) bool { return e.Scope != ScopeOut }) {
		return ScopeOut, entities[0].ScopeBasis
	}
	if len(entities) > 0 {
		return ScopeUnknown, entities[0].ScopeBasis
	}
	return ScopeUnknown, ""
}

// chronicSummary says a condition is the same as before: which entity,
// its value now and then, and that it is not what changed.
func chronicSummary(s *Snapshot, entities []FindingEntity) string {
	var parts []string
	for _, e := range entities {
		if e.Change == ChangeUnchanged {
			parts = append(parts, s.EntitySentence(e))
		}
	}
	return "Chronic, not what changed: " + strings.Join(parts, "; ")
}

// EntitySentence states an entity's value now and earlier: "CPU utilization
// (busiest host) on batch-1:9100: 97% now, 97% the day before (unchanged)".
func (s *Snapshot) EntitySentence(e FindingEntity) string {
	r, _ := s.Get(e.Signal)
	value, before := e.Entity.Value, e.Entity.Baseline
	if e.Since == SinceWindowStart {
		before = e.Entity.WindowStart
	}
	subject := s.TitleOf(e.Signal)
	if e.Name != "" {
		subject += " on " + e.Name
	}
	line := fmt.Sprintf("%s: %s", subject, withStatistic(Format(value, r.Unit, false), r.Statistic))
	if v := s.VolumeText(e.Signal, e.Entity); v != "" && (e.Signal == SignalErrorRatio || e.Entity.Unjudged != "") {
		line += " (" + v + ")"
	}
	if e.Since != "" && before.Usable() {
		line += fmt.Sprintf(", %s %s", Format(before, r.Unit, false), e.Since.When())
	}
	if n := e.Entity.Normal; n != nil {
		// The day before's own range is what "unchanged" or "worse" was read
		// against; a flat one adds nothing to the number beside it.
		if low, high := FormatNumber(n.Low, r.Unit), FormatNumber(n.High, r.Unit); low != high {
			return line + fmt.Sprintf(" (%s, its range over %s: %s to %s)", e.Change, n.Over(), low, high)
		}
	}
	return line + " (" + string(e.Change) + ")"
}
