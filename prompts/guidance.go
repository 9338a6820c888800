package prompts

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

// Guidance is the Markdown shown beside the prompt a finding leads to:
// why this prompt, the evidence table, the evidence against, the arithmetic,
// the PromQL used and what to check next. It reads the same Input as
// Populate (snapshot, user context, redaction), so that the guidance and the
// prompt agree; in.Finding is replaced by f.
func Guidance(f triage.Finding, in Input) string {
	in.Finding = &f
	e := newEnv(in)
	g := guide{e: e, in: in}
	p, found := primaryPrompt(f)
	g.page()
	g.heading("Why this prompt")
	why := fmt.Sprintf("**%s** (%s)", escapeInline(e.label(f.Title)), escapeInline(e.label(string(f.Severity))))
	if f.Summary != "" {
		why += ": " + escapeInline(e.label(f.Summary))
	}
	g.para(why)
	if found {
		g.para("It leads to " + promptList(f.Prompts) + ".")
	}
	signals := f.Signals
	if len(signals) == 0 && found {
		signals = specs[p.ID].needs()
	}
	g.evidence(signals)
	if len(f.Evidence) > 0 {
		g.para("Evidence for:")
		g.bullets(e.labels(f.Evidence))
	}
	g.heading("Evidence against")
	if len(f.Against) > 0 {
		g.bullets(e.labels(f.Against))
	} else {
		g.para("None recorded: no rule found a competing explanation. Check the other findings before acting.")
	}
	facts := []fact{factBottleneckLaw, factProjections}
	if found {
		facts = append(facts, specs[p.ID].facts...)
	}
	g.arithmetic(facts)
	g.promQL(signals)
	g.next(signals, p, found)
	return g.markdown()
}

// LibraryGuidance is the guidance for a prompt opened from the library,
// with no finding behind it (in.Finding is ignored): the measurements the
// prompt uses, their PromQL, the arithmetic and what is left to fill in,
// with the user's context and redaction as Populate applies them.
func LibraryGuidance(p Prompt, in Input) string {
	in.Finding = nil
	e := newEnv(in)
	g := guide{e: e, in: in}
	g.page()
	g.heading("Why this prompt")
	g.para(fmt.Sprintf("Opened from the library: **%s** (%s). No finding points here; "+
		"below are the measurements this prompt uses and the arithmetic on them.", escapeInline(promptName(p)), escapeInline(p.Category)))
	sp := specs[p.ID]
	signals := sp.needs()
	if len(signals) > 0 {
		g.evidence(signals)
	} else {
		g.para("This prompt is about design choices that no signal measures: fill in its placeholders yourself.")
	}
	g.arithmetic(sp.facts)
	g.promQL(signals)
	g.next(signals, p, true)
	return g.markdown()
}

// guide builds one guidance document.
type guide struct {
	e  *env
	in Input // what the prompt itself is populated from
	strings.Builder
}

// markdown is the document with exactly one trailing newline.
func (g *guide) markdown() string { return strings.TrimRight(g.String(), "\n") + "\n" }

func (g *guide) heading(title string) { g.WriteString("## " + title + "\n\n") }
func (g *guide) para(text string)     { g.WriteString(text + "\n\n") }
func (g *guide) bullets(lines []string) {
	g.WriteString(bulletList(lines) + "\n")
}

// page is the alert the triage started from: its headline, summary,
// description and runbook. The runbook is a link for the reader (never
// fetched), and only an http(s) address becomes one.
func (g *guide) page() {
	a := g.e.alert
	if a == nil {
		return
	}
	g.heading("The page")
	g.para("**" + escapeInline(g.e.label(a.Headline(g.e.snap.At))) + "**")
	for _, key := range []string{"summary", "description"} {
		if v := a.Annotations[key]; v != "" {
			g.para(escapeInline(g.e.label(v)))
		}
	}
	if u := a.Annotations["runbook_url"]; u != "" {
		g.para("Runbook: " + RunbookLink(g.e.label(u)))
	}
}

// RunbookLink is an http(s) URL as a Markdown link (its text and target
// escaped), anything else as inert text.
func RunbookLink(u string) string {
	parsed, err := url.Parse(u)
	switch {
	case err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "":
		return MarkdownInline(u) + " (not a web address, not linked)"
	case len(u) > maxLinkBytes:
		return MarkdownInline(u) + fmt.Sprintf(" (a %d-byte address, not linked)", len(u))
	}
	return MarkdownLink(MarkdownInline(u), parsed.String())
}

// MarkdownLink is [text](target) with the characters that would end or
// break a link's target percent-encoded; text must already be escaped.
func MarkdownLink(text, target string) string {
	return "[" + text + "](" + linkTarget.Replace(target) + ")"
}

var linkTarget = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E")

// maxLinkBytes bounds a link's address: browsers and ticket systems cut
// near 2,000 bytes, and a runbook URL is never longer.
const maxLinkBytes = 2048

// evidence writes the table of readings the verdict or prompt rests on.
func (g *guide) evidence(ids []triage.SignalID) {
	g.heading("Evidence")
	if g.e.snap.Partial {
		g.para("**PARTIAL snapshot:** some queries failed or returned warnings; missing rows may be errors, not absence.")
	}
	g.WriteString("| Signal | Value | Day before | Ratio | Status | Exporter |\n|---|---|---|---|---|---|\n")
	for _, id := range ids {
		r, ok := g.e.snap.Get(id)
		if !ok {
			g.WriteString(fmt.Sprintf("| %s | not queried | — | — | missing | — |\n", escapeInline(string(id))))
			continue
		}
		ratio := "—"
		if x, ok := r.RatioText(); ok {
			ratio = x
		}
		cells := []string{g.e.title(id), r.Formatted(), triage.Format(r.Baseline, r.Unit, false), ratio,
			string(r.Status), orDash(g.e.label(r.Exporter))}
		for i := range cells {
			cells[i] = escapeInline(cleanText(cells[i]))
		}
		g.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	g.WriteString("\n")
}

// arithmetic writes the facts that evaluate, without repeating one.
func (g *guide) arithmetic(facts []fact) {
	var lines []string
	seen := map[string]bool{}
	for _, line := range g.e.facts(facts) {
		if !seen[line] {
			seen[line] = true
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return
	}
	g.heading("Arithmetic")
	g.bullets(lines)
}

// promQL writes the query behind each reading, in a fence no query can close.
func (g *guide) promQL(ids []triage.SignalID) {
	var blocks []string
	for _, id := range ids {
		r, ok := g.e.snap.Get(id)
		if !ok || strings.TrimSpace(r.Query) == "" {
			continue
		}
		query := g.e.label(r.Query)
		fence := strings.Repeat("`", max(3, longestRun(query, '`')+1))
		blocks = append(blocks, fmt.Sprintf("%s (%s):\n\n%spromql\n%s\n%s\n",
			escapeInline(g.e.title(id)), escapeInline(orDash(g.e.label(r.Exporter))), fence, query, fence))
	}
	if len(blocks) == 0 {
		return
	}
	g.heading("PromQL used")
	g.WriteString(strings.Join(blocks, "\n") + "\n")
}

// next lists what would sharpen the picture: signals to enable, and the
// placeholders the user still has to fill in.
func (g *guide) next(ids []triage.SignalID, p Prompt, hasPrompt bool) {
	var lines []string
	for _, id := range ids {
		r, ok := g.e.snap.Get(id)
		switch {
		case !ok:
			lines = append(lines, fmt.Sprintf("%s was not queried: add it to the catalog or config.", id))
		case !r.Usable():
			reason := orDash(g.e.label(r.Reason))
			lines = append(lines, fmt.Sprintf("%s is %s: %s", g.e.title(id), r.Formatted(), reason))
		}
	}
	if hasPrompt {
		populated := Populate(p, g.in)
		for _, span := range populated.Unfilled {
			lines = append(lines, fmt.Sprintf("Fill in %s: %s", span, setHint(p, span)))
		}
	}
	if len(lines) == 0 {
		return
	}
	for i := range lines {
		lines[i] = escapeInline(cleanText(lines[i]))
	}
	g.heading("What to check next")
	g.bullets(lines)
}

// setHint shows the --set keys that fill a placeholder.
func setHint(p Prompt, span string) string {
	keys := []string{strings.Trim(span, "[]")}
	for _, b := range append(specs[p.ID].bind, everyPrompt...) {
		if b.key != "" && strings.Contains(b.match, span) && !slices.Contains(keys, b.key) {
			keys = append([]string{b.key}, keys...)
		}
	}
	var forms []string
	for _, k := range keys {
		forms = append(forms, fmt.Sprintf("--set %q", k+"=..."))
	}
	return strings.Join(forms, " or ")
}

// primaryPrompt is the first prompt of the finding that exists.
func primaryPrompt(f triage.Finding) (Prompt, bool) {
	for _, id := range f.Prompts {
		if p, ok := ByID(id); ok {
			return p, true
		}
	}
	return Prompt{}, false
}

// promptList names the prompts a finding leads to, primary first.
func promptList(ids []triage.PromptID) string {
	var names []string
	for i, id := range ids {
		p, ok := ByID(id)
		if !ok {
			continue
		}
		name := "**" + escapeInline(promptName(p)) + "**"
		if i == 0 {
			name += " (primary)"
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

func promptName(p Prompt) string {
	if p.Number > 0 {
		return fmt.Sprintf("%d. %s", p.Number, p.Title)
	}
	return p.Title
}

// labels sanitizes (and, when redacting, redacts) a list of server text.
func (e *env) labels(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = escapeInline(e.label(s))
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func longestRun(s string, c rune) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
