package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// WriteMarkdown is the incident ticket people paste (GitHub, GitLab, Jira's
// Markdown): a one-line summary, the timeline of what changed when, why
// (the top finding and how it was decided), every finding with its evidence
// and graph links, the numbers with their arithmetic, the populated prompt
// folded in a <details> block, its guidance, and what was not measured.
// Every line of server or config text goes through mdEscape.
func WriteMarkdown(w io.Writer, res Pass) error {
	var b strings.Builder
	snap := res.Diagnosis.Snapshot
	top, hasTop := res.Diagnosis.Top()
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(ticketTitle(top, hasTop)))
	fmt.Fprintf(&b, "**Summary:** %s\n\n", mdEscape(summaryLine(res, top, hasTop)))
	fmt.Fprintf(&b, "Read from %s\n\n", mdEscape(Header(snap)))
	if a := res.Alert; a != nil {
		fmt.Fprintf(&b, "%s  \n", mdEscape("from the alert "+a.Headline(snap.At)))
		if s := a.Summary(); s != "" {
			fmt.Fprintf(&b, "summary: %s  \n", mdEscape(s))
		}
		if u := a.Annotations["runbook_url"]; u != "" {
			fmt.Fprintf(&b, "runbook: %s  \n", prompts.RunbookLink(u))
		}
		b.WriteString("\n")
	}
	if note := PartialNote(snap); note != "" {
		for _, line := range strings.Split(note, "\n") {
			fmt.Fprintf(&b, "> **%s**\n>\n", mdEscape(line))
		}
		b.WriteString("\n")
	}
	writeWhy(&b, snap, top, hasTop)
	writeTimeline(&b, res)
	writeFindings(&b, res)
	writeNumbers(&b, snap, top, hasTop)
	if top := res.TopPrompt(); top != "" {
		fmt.Fprintf(&b, "%s\n\n", ticketTopPrompt(top))
	}
	writeNotMeasured(&b, snap)
	fmt.Fprintf(&b, "## Signals\n\n| signal | status | value | baseline 1d | entity | exporter |\n|---|---|---|---|---|---|\n")
	for _, r := range snap.Readings {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdEscape(string(r.ID)), r.Status, mdEscape(r.Formatted()), mdEscape(r.BaselineText()),
			mdEscape(EntityCell(r)), mdEscape(r.Exporter))
	}
	return writeSafe(w, b.String())
}

func ticketTitle(top triage.Finding, ok bool) string {
	if !ok {
		return "scaletriage: no finding"
	}
	return fmt.Sprintf("%s: %s", strings.ToUpper(string(top.Severity)), top.Title)
}

// summaryLine is the ticket in one line: the top finding, what changed and
// since when, and how many findings more.
func summaryLine(res Pass, top triage.Finding, ok bool) string {
	if !ok {
		return "no rule fired on the signals that were found (" + fmt.Sprint(res.CountFound()) + " signals read)."
	}
	line := strings.ToUpper(string(top.Severity)) + " " + top.Title
	if len(top.Entities) > 0 && top.Entities[0].Name != "" {
		line += " on " + top.Entities[0].Name
	}
	if change := ChangeLine(top); change != "" {
		line += "; " + change
	}
	if on, ok := res.Diagnosis.Snapshot.FindingOnset(top); ok {
		line += "; " + onsetWords(on, res.Diagnosis.Snapshot)
	}
	if n := len(res.Diagnosis.Findings) - 1; n > 0 {
		line += fmt.Sprintf(" (%d more finding%s below)", n, map[bool]string{true: "", false: "s"}[n == 1])
	}
	return line
}

// writeWhy is the top finding's verdict with what it rests on: how a victim
// was linked to its cause, and who brought the change (its contributors).
func writeWhy(b *strings.Builder, snap *triage.Snapshot, top triage.Finding, ok bool) {
	if !ok || top.Summary == "" {
		return
	}
	fmt.Fprintf(b, "## Why\n\n%s\n\n", mdEscape(top.Summary))
	if top.Link != "" {
		fmt.Fprintf(b, "- linked by: %s\n", mdEscape(top.Link))
	}
	for _, c := range top.Contributors {
		if c.Share > 0 {
			// "<entity>'s <title>", as in the findings: "<title> on <entity>: "
			// is where an entity's own value is printed.
			fmt.Fprintf(b, "- who brought the change: %s\n", mdEscape(triage.Entity{Labels: c.Entity}.Name(nil)+"'s "+snap.TitleOf(c.Signal)+": "+c.Phrase()))
		}
	}
	if top.Link != "" || len(top.Contributors) > 0 {
		b.WriteString("\n")
	}
}

// timelineEvent is one line of the timeline.
type timelineEvent struct {
	at   time.Time
	text string
}

// writeTimeline lists, oldest first, when each new or worse finding's
// entities left their normal (triage.Reading.EntityOnset), and when the
// alert became active; the pass's instant closes it.
func writeTimeline(b *strings.Builder, res Pass) {
	snap := res.Diagnosis.Snapshot
	var events []timelineEvent
	var unread []string
	if a := res.Alert; a != nil && !a.ActiveAt.IsZero() {
		events = append(events, timelineEvent{a.ActiveAt, "the alert " + a.Name + " became active"})
	}
	// The changes made to the system: rollouts, reloads, scaling.
	for _, ev := range snap.Events {
		events = append(events, timelineEvent{ev.At, ev.Entity + " " + ev.What + " (" + string(ev.Kind) + " event)"})
	}
	// One line per entity, naming every finding that rests on it.
	var sentences []string
	cited := map[string][]triage.RuleID{}
	onsets := map[string]triage.FindingEntity{}
	for _, f := range res.Diagnosis.Findings {
		if f.Change != triage.ChangeNew && f.Change != triage.ChangeWorse {
			continue
		}
		for _, e := range f.Entities {
			if e.Change != triage.ChangeNew && e.Change != triage.ChangeWorse {
				continue
			}
			sentence := snap.EntitySentence(e)
			if _, seen := cited[sentence]; !seen {
				sentences = append(sentences, sentence)
				onsets[sentence] = e
			}
			cited[sentence] = append(cited[sentence], f.ID)
		}
	}
	for _, sentence := range sentences {
		text := joinIDs(cited[sentence], ", ") + ": " + sentence
		on, ok := snap.FindingEntityOnset(onsets[sentence])
		switch {
		case !ok:
			unread = append(unread, text)
		case on.Before:
			events = append(events, timelineEvent{on.At, text + " — already past its normal at the window's start: older than the window"})
		default:
			events = append(events, timelineEvent{on.At, text})
		}
	}
	if len(events) == 0 && len(unread) == 0 {
		return
	}
	slices.SortStableFunc(events, func(x, y timelineEvent) int { return x.at.Compare(y.at) })
	events = append(events, timelineEvent{snap.At, "this report"})
	b.WriteString("## Timeline\n\nWhen each change left its normal: the first step of the window from which it stayed past halfway between its day-before value and now (UTC).\n\n| when | what changed |\n|---|---|\n")
	for _, ev := range events {
		fmt.Fprintf(b, "| %s (%s) | %s |\n", ev.at.UTC().Format("15:04Z"), agoText(snap.At.Sub(ev.at)), mdEscape(ev.text))
	}
	for _, s := range unread {
		fmt.Fprintf(b, "| onset not read | %s (no day-before value, or no series kept for this entity) |\n", mdEscape(s))
	}
	b.WriteString("\n")
}

func agoText(d time.Duration) string {
	if d <= 0 {
		return "now"
	}
	return triage.PromDuration(d.Round(time.Minute)) + " ago"
}

func onsetWords(on triage.Onset, snap *triage.Snapshot) string {
	if on.Before {
		return "since before " + on.At.UTC().Format("15:04Z") + " (older than the window)"
	}
	return "since " + on.At.UTC().Format("15:04Z") + " (" + agoText(snap.At.Sub(on.At)) + ")"
}

// writeFindings is every finding: its summary, what changed, how its scope
// was decided, its entities, the evidence for and against, and its graph.
func writeFindings(b *strings.Builder, res Pass) {
	snap := res.Diagnosis.Snapshot
	links := res.Links()
	b.WriteString("## Findings\n\n")
	if len(res.Diagnosis.Findings) == 0 {
		b.WriteString("None: no rule fired on the signals that were found.\n\n")
	}
	for i, f := range res.Diagnosis.Findings {
		fmt.Fprintf(b, "### %d. %s — %s (`%s`)\n\n", i+1, strings.ToUpper(string(f.Severity)), mdEscape(f.Title), f.ID)
		for _, line := range []string{f.Summary, ChangeLine(f), ScopeLine(snap, f)} {
			if line != "" {
				fmt.Fprintf(b, "%s\n\n", mdEscape(line))
			}
		}
		for _, e := range f.Entities {
			fmt.Fprintf(b, "- @ %s\n", mdEscape(snap.EntitySentence(e)))
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(b, "- ✔ %s\n", mdEscape(e))
		}
		for _, a := range f.Against {
			fmt.Fprintf(b, "- ✘ %s\n", mdEscape(a))
		}
		if len(f.Prompts) > 0 {
			fmt.Fprintf(b, "\nPrompts: `%s`\n", joinIDs(f.Prompts, "`, `"))
		}
		if l := links.FindingLinks(snap, f); l != (Links{}) {
			fmt.Fprintf(b, "\n%s\n", markdownLinks(l))
		}
		b.WriteString("\n")
	}
}

// writeNumbers is the bottleneck law with its arithmetic, when the top
// finding carries it or the pass computed it.
func writeNumbers(b *strings.Builder, snap *triage.Snapshot, top triage.Finding, ok bool) {
	c := top.Capacity
	if !ok || c == nil {
		return
	}
	b.WriteString("## The numbers\n\n")
	fmt.Fprintf(b, "%s\n\n", mdEscape(c.Statement(snap)))
	for _, line := range c.ProjectionLines(snap) {
		fmt.Fprintf(b, "- %s\n", mdEscape(line))
	}
	b.WriteString("\n")
}

// guidanceHeading separates the populated prompt from its guidance in
// Result.TopPrompt.
const guidanceHeading = "\n\n## Guidance\n\n"

// ticketTopPrompt is Result.TopPrompt for the ticket: its headings nest
// under its "## Prompt: ..." and "## Guidance" (the populated prompt is a
// document of its own, "# 6. Connection Pool Optimization", and goes two
// levels down, the guidance one), and the prompt is folded into a <details>
// block (GitHub, GitLab and Jira's Markdown render it; the prompt is long
// and the ticket is read top down) under its visible wrapper heading.
func ticketTopPrompt(top string) string {
	wrapper, rest, _ := strings.Cut(top, "\n")
	prompt, guidance, _ := strings.Cut(rest, guidanceHeading)
	return wrapper + "\n\n<details>\n<summary>The populated prompt, ready to paste into an LLM</summary>\n\n" +
		strings.TrimSpace(demoteHeadings(prompt, 2)) + "\n\n</details>" + guidanceHeading + demoteHeadings(guidance, 1)
}

// demoteHeadings adds levels to every ATX heading of md, outside fenced code
// (a PromQL comment is no heading).
func demoteHeadings(md string, levels int) string {
	lines := strings.Split(md, "\n")
	fence := ""
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
			}
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, trimmed[:1]))]
		case isHeading(trimmed):
			lines[i] = strings.Repeat("#", levels) + trimmed
		}
	}
	return strings.Join(lines, "\n")
}

// isHeading reports whether a line is an ATX heading: 1 to 6 #, then a space
// or the end of the line.
func isHeading(line string) bool {
	n := len(line) - len(strings.TrimLeft(line, "#"))
	return n >= 1 && n <= 6 && (len(line) == n || line[n] == ' ')
}

// writeNotMeasured lists the signals with no value and why, folded: what
// the verdict could not see.
func writeNotMeasured(b *strings.Builder, snap *triage.Snapshot) {
	var lines []string
	for _, r := range snap.Readings {
		if r.Status == triage.StatusMissing || r.Status == triage.StatusError {
			lines = append(lines, fmt.Sprintf("- %s (%s): %s", mdEscape(string(r.ID)), mdEscape(r.Title), mdEscape(cmp.Or(r.Reason, string(r.Status)))))
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "## Not measured\n\n<details>\n<summary>%d of %d signals have no value: not measured is not zero, and not ruled out</summary>\n\n%s\n\n</details>\n\n",
		len(lines), len(snap.Readings), strings.Join(lines, "\n"))
}
