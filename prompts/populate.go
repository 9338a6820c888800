package prompts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// Input is what a prompt is populated from; every field may be empty.
type Input struct {
	// Diagnosis is the triage pass: its snapshot and the bottleneck law.
	Diagnosis triage.Diagnosis
	// Finding is the verdict that led to the prompt, if any.
	Finding *triage.Finding
	// Context holds user values: config context fields (system,
	// architecture, database, cloud, region, team, budget, timeframe,
	// growth, ...) and --set values keyed by a placeholder's short key or its
	// bracket text, with or without the brackets ("describe architecture").
	Context map[string]string
	// Redact replaces hosts, IPs, database and user names in label-derived
	// text with stable tokens (host-1, ip-1, db-1, user-1).
	Redact bool
	// Multiples are the load multiples the read-replica sizing projects (the
	// config's rules.projection_multiples); nil means the rules' defaults.
	Multiples []float64
	// Alert is the page the triage started from, if any: the observed
	// issue names it.
	Alert *triage.Alert
}

// Populated is a prompt with its placeholders bound.
type Populated struct {
	Prompt Prompt
	// Markdown is the filled prompt: bound values in bold, unfilled
	// placeholders left as their [bracket text], and a closing section with
	// the arithmetic done on the measured numbers.
	Markdown string
	// Filled and Total count placeholder occurrences.
	Filled, Total int
	// Unfilled lists each distinct unfilled placeholder once, in order.
	Unfilled []string
	// Redactions are the replacements Redact made, for a preview.
	Redactions []Redaction
}

// placeholder matches one [bracket span] on one line.
var placeholder = regexp.MustCompile(`\[[^\[\]\n]+\]`)

// Populate binds every placeholder of p it can and leaves the rest visibly
// unfilled. It never invents a value: a missing or NaN signal leaves its
// placeholder unfilled.
func Populate(p Prompt, in Input) Populated {
	e := newEnv(in)
	spec := specs[p.ID]
	out := Populated{Prompt: p}
	seen := map[string]bool{}
	var b strings.Builder
	last := 0
	for _, loc := range placeholder.FindAllStringIndex(p.Template, -1) {
		span := p.Template[loc[0]:loc[1]]
		b.WriteString(p.Template[last:loc[0]])
		last = loc[1]
		if spec.isLiteral(p.Template, loc[0]) {
			b.WriteString(span)
			continue
		}
		out.Total++
		if v, ok := e.resolve(spec.bindingAt(p.Template, loc[0]), span); ok {
			out.Filled++
			b.WriteString("**" + v + "**")
			continue
		}
		b.WriteString(span)
		if !seen[span] {
			seen[span] = true
			out.Unfilled = append(out.Unfilled, span)
		}
	}
	b.WriteString(p.Template[last:])
	md := strings.TrimRight(b.String(), "\n") + "\n"
	md += e.findingSection()
	if lines := e.facts(spec.facts); len(lines) > 0 {
		md += "\n## Measured on the live system\n\n" + e.provenance() + "\n\n" + bulletList(lines)
	}
	out.Markdown = md
	out.Redactions = e.redactions()
	return out
}

// findingSection carries the diagnosis into the prompt itself, so the text
// a user pastes holds the evidence with its numbers, not only the guidance.
func (e *env) findingSection() string {
	f := e.finding
	if f == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## What the metrics show\n\n**%s** (%s)", escapeInline(e.label(f.Title)), f.Severity)
	if f.Summary != "" {
		fmt.Fprintf(&b, ": %s", escapeInline(e.label(f.Summary)))
	}
	b.WriteString("\n")
	if lines := e.changeLines(f); len(lines) > 0 {
		b.WriteString("\n" + bulletList(lines))
	}
	if len(f.Evidence) > 0 {
		b.WriteString("\nEvidence for:\n\n" + bulletList(e.labels(f.Evidence)))
	}
	if len(f.Against) > 0 {
		b.WriteString("\nChecked and ruled out (or not measured):\n\n" + bulletList(e.labels(f.Against)))
	}
	return b.String()
}

// env is what bindings and facts read: the snapshot, the finding and the
// user's context, with sanitizing helpers.
type env struct {
	diagnosis triage.Diagnosis
	snap      *triage.Snapshot // the diagnosis's, never nil
	finding   *triage.Finding
	context   map[string]string // normalized keys, see contextKey
	redactor  *redactor         // nil unless redacting

	multiples []float64 // load multiples to project
	alert     *triage.Alert
}

func newEnv(in Input) *env {
	e := &env{diagnosis: in.Diagnosis, snap: in.Diagnosis.Snapshot, finding: in.Finding, context: map[string]string{}, multiples: in.Multiples, alert: in.Alert}
	if len(e.multiples) == 0 {
		e.multiples = loadMultiples
	}
	if e.snap == nil {
		e.snap = &triage.Snapshot{}
	}
	for k, v := range in.Context {
		if v = cleanText(v); v != "" {
			e.context[contextKey(k)] = v
		}
	}
	if in.Redact {
		e.redactor = newRedactor()
		for _, r := range e.snap.Readings {
			for _, ent := range r.Entities {
				e.redactor.learn(ent.Labels)
			}
		}
		if in.Finding != nil {
			for _, ent := range in.Finding.Entities {
				e.redactor.learn(ent.Entity.Labels)
			}
		}
	}
	return e
}

// contextKey normalizes a context or --set key: case, surrounding space and
// brackets do not matter, so "[describe architecture]" and
// "Describe architecture" are the same key.
func contextKey(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	if strings.HasPrefix(k, "[") && strings.HasSuffix(k, "]") {
		k = k[1 : len(k)-1]
	}
	return strings.TrimSpace(k)
}

// resolve returns the Markdown-safe value of one placeholder occurrence:
// explicit user values first (short key, then bracket text), then the
// binding's sources in order.
func (e *env) resolve(b binding, span string) (string, bool) {
	for _, key := range []string{b.key, span} {
		if v, ok := e.user(key); ok {
			return escapeInline(v), true
		}
	}
	for _, src := range b.from {
		if v, ok := src.value(e); ok {
			return escapeInline(cleanText(v)), true
		}
	}
	return "", false
}

// user returns the user's value for a key, already cleaned.
func (e *env) user(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	v, ok := e.context[contextKey(key)]
	return v, ok
}

// number returns a numeric user value; "10x", "1,000,000" and "3 " parse.
func (e *env) number(key string) (float64, bool) {
	v, ok := e.user(key)
	if !ok {
		return 0, false
	}
	v = strings.TrimSuffix(strings.ReplaceAll(strings.ToLower(v), ",", ""), "x")
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return f, err == nil && f >= 0 && f < 1e18
}

// reading returns a usable reading: present, not missing or errored, finite.
func (e *env) reading(id triage.SignalID) (triage.Reading, bool) {
	r, ok := e.snap.Get(id)
	return r, ok && r.Usable()
}

func (e *env) float(id triage.SignalID) (float64, bool) { return e.snap.Float(id) }

// label sanitizes server-derived text and, when redacting, replaces the
// identifying values in it.
func (e *env) label(s string) string {
	s = cleanText(s)
	if e.redactor != nil {
		s = e.redactor.redact(s)
	}
	return s
}

func (e *env) redactions() []Redaction {
	if e.redactor == nil {
		return nil
	}
	return e.redactor.list
}

// measured prints a usable reading with its unit and how it was measured:
// "≥ 995 ms (P99 over 15m)", "35% (busiest host; 15m average)".
func (e *env) measured(id triage.SignalID) (string, bool) {
	r, ok := e.reading(id)
	if !ok {
		return "", false
	}
	return r.Formatted() + " (" + e.qualifier(r) + ")", true
}

// qualifier says which entity and what statistic a reading is, both
// declared by the catalog: "busiest host; 5m average".
func (e *env) qualifier(r triage.Reading) string {
	var parts []string
	if r.Bucket != nil {
		parts = append(parts, r.Bucket.Phrase(r.Unit))
	}
	if r.Aggregation != "" {
		parts = append(parts, e.label(r.Aggregation))
	}
	if r.Statistic != "" {
		parts = append(parts, r.Statistic)
	}
	return strings.Join(parts, "; ")
}

// rateWindow is the range rates and quantiles are computed over.
func (e *env) rateWindow() string {
	if e.snap.RateWindow > 0 {
		return triage.PromDuration(e.snap.RateWindow)
	}
	if e.snap.Window > 0 {
		return triage.PromDuration(e.snap.Window)
	}
	return ""
}

// title is the display name of a signal, as triage names it in findings.
func (e *env) title(id triage.SignalID) string { return e.label(e.snap.TitleOf(id)) }

// provenance states where the numbers come from: instant, window, partial.
func (e *env) provenance() string {
	var parts []string
	if !e.snap.At.IsZero() {
		parts = append(parts, "at "+e.snap.At.UTC().Format(time.RFC3339))
	}
	if w := e.rateWindow(); w != "" {
		parts = append(parts, "rates and quantiles over "+w)
	}
	s := "Numbers read from Prometheus by scaletriage"
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	s += "; the arithmetic is shown so it can be checked."
	if e.snap.Partial {
		s += " The snapshot is PARTIAL: some queries failed or warned."
	}
	return s
}

// facts evaluates the arithmetic lines that apply, each cleaned and escaped.
func (e *env) facts(fs []fact) []string {
	var lines []string
	for _, f := range fs {
		if line, ok := f.work(e); ok {
			lines = append(lines, escapeInline(cleanText(line)))
		}
	}
	return lines
}

func bulletList(lines []string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
	return b.String()
}

// changeLines say what changed and on which entities: "What changed: new
// against the day before", then each entity with its numbers.
func (e *env) changeLines(f *triage.Finding) []string {
	if f.Change == "" {
		return nil
	}
	head := "What changed: " + string(f.Change)
	if f.Since != "" {
		head += " against " + string(f.Since)
	}
	if f.Change == triage.ChangeUnchanged {
		head += " (chronic: the same state before, so not what changed in this window)"
	}
	lines := []string{escapeInline(head)}
	for _, ent := range f.Entities {
		lines = append(lines, escapeInline(e.label(e.snap.EntitySentence(ent))))
	}
	return lines
}
