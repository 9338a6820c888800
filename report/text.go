package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// Header is the one line that says what was read, where and when.
func Header(snap *triage.Snapshot) string {
	var b strings.Builder
	b.WriteString(Origin(snap))
	if snap.Source.Backend != "" {
		fmt.Fprintf(&b, " [%s]", snap.Source.Backend)
	}
	fmt.Fprintf(&b, " at %s, window %s", snap.At.UTC().Format(time.RFC3339), triage.PromDuration(snap.Window))
	if snap.Selector != "" {
		fmt.Fprintf(&b, ", selector {%s}", snap.Selector)
	}
	fmt.Fprintf(&b, ", %d queries", snap.Queries)
	return b.String()
}

// Origin names where the numbers came from: the redacted URL, or the
// recording file and the URL it was recorded from.
func Origin(snap *triage.Snapshot) string {
	if snap.Source.Replay != "" {
		return "recording " + snap.Source.Replay + " (recorded from " + snap.Source.URL + ")"
	}
	return snap.Source.URL
}

// PartialNote warns when the picture may be incomplete or shifted: a
// partial snapshot, a moved API, a server clock off ours ("" when none).
func PartialNote(snap *triage.Snapshot) string {
	notes := snap.Source.Notes()
	for i, n := range notes {
		notes[i] = "NOTE: " + n + "."
	}
	if snap.Partial {
		notes = append([]string{partialNote(snap)}, notes...)
	}
	return strings.Join(notes, "\n")
}

func partialNote(snap *triage.Snapshot) string {
	n := 0
	for _, r := range snap.Readings {
		if r.Status == triage.StatusError || len(r.Warnings) > 0 {
			n++
		}
	}
	return fmt.Sprintf("PARTIAL: %d signal(s) failed or carried server warnings; the verdicts may miss something.", n)
}

// Write writes the report in format: json, markdown, or text (any other).
func Write(w io.Writer, res Pass, format string) error {
	switch format {
	case "json":
		return WriteJSON(w, res)
	case "markdown":
		return WriteMarkdown(w, res)
	}
	return WriteText(w, res)
}

// WriteText is the plain report: findings ranked, then the signals, then
// the top finding's prompt.
func WriteText(w io.Writer, res Pass) error {
	var b strings.Builder
	snap := res.Diagnosis.Snapshot
	fmt.Fprintln(&b, "scaletriage report:", Header(snap))
	if res.Alert != nil {
		for _, line := range AlertLines(*res.Alert, snap.At) {
			fmt.Fprintln(&b, line)
		}
	}
	if note := PartialNote(snap); note != "" {
		fmt.Fprintln(&b, note)
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "FINDINGS")
	if len(res.Diagnosis.Findings) == 0 {
		fmt.Fprintln(&b, "  none: no rule fired on the signals that were found")
	}
	links := res.Links()
	for i, f := range res.Diagnosis.Findings {
		fmt.Fprintf(&b, "%2d. %-8s %s: %s\n", i+1, strings.ToUpper(string(f.Severity)), f.ID, f.Title)
		if f.Summary != "" {
			fmt.Fprintf(&b, "    %s\n", f.Summary)
		}
		if line := ChangeLine(f); line != "" {
			fmt.Fprintf(&b, "    %s\n", line)
		}
		if line := ScopeLine(snap, f); line != "" {
			fmt.Fprintf(&b, "    %s\n", line)
		}
		for _, e := range f.Entities {
			fmt.Fprintf(&b, "    @ %s\n", snap.EntitySentence(e))
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "    + %s\n", e)
		}
		for _, a := range f.Against {
			fmt.Fprintf(&b, "    - %s\n", a)
		}
		if len(f.Prompts) > 0 {
			fmt.Fprintf(&b, "    prompts: %s\n", joinIDs(f.Prompts, ", "))
		}
		if link := links.FindingLinks(snap, f).First(); link != "" {
			fmt.Fprintf(&b, "    graph: %s\n", link)
		}
	}
	if len(snap.Events) > 0 {
		fmt.Fprintln(&b)
		fmt.Fprintln(&b, "CHANGES (the window and the hour before)")
		for _, ev := range snap.Events {
			fmt.Fprintf(&b, "  %s %-13s %s %s\n", ev.At.UTC().Format("15:04Z"), ev.Kind, ev.Entity, ev.What)
		}
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "SIGNALS")
	for _, r := range snap.Readings {
		fmt.Fprintf(&b, "  %-9s %-31s %-24s baseline 1d %-16s %s\n", r.Status, r.ID, r.Formatted(), r.BaselineText(), EntityCell(r))
	}
	if top := res.TopPrompt(); top != "" {
		fmt.Fprintln(&b)
		fmt.Fprintln(&b, top)
	}
	return writeSafe(w, b.String())
}

// ChangeLine says what changed in a finding: "change: new against the day
// before", "change: chronic (unchanged against the day before)".
func ChangeLine(f triage.Finding) string {
	if f.Change == "" {
		return ""
	}
	line := "change: " + string(f.Change)
	if f.Change == triage.ChangeUnchanged {
		line = "change: chronic (unchanged"
	}
	if f.Since != "" {
		line += " against " + string(f.Since)
	}
	if f.Change == triage.ChangeUnchanged {
		line += ")"
	}
	return line
}

// ScopeLine says whether a finding is about the selected service and how
// that was decided; "" when no service is selected.
func ScopeLine(snap *triage.Snapshot, f triage.Finding) string {
	if snap.Scope == nil || f.Scope == "" {
		return ""
	}
	return "scope: " + string(f.Scope) + " (" + f.ScopeBasis + ")"
}

// EntityCell says which entity a value comes from and out of how many:
// "on batch-1:9100 (of 41 hosts)", "across 3 pools"; "" for one series.
func EntityCell(r triage.Reading) string {
	where := strings.TrimSpace(r.Where())
	if where != "" && r.Aggregate != triage.AggregateSum && r.EntityCount > 1 {
		where += " (of " + triage.EntityNoun(r.Tier, r.EntityCount) + ")"
	}
	return where
}

// writeSafe writes a finished report through the one sanitizer: strings
// from the config and flags (a selector, an exporter name, a file name)
// reach a report unsanitized, and must not drive the terminal.
func writeSafe(w io.Writer, text string) error {
	// No cap: the text is ours and finite; a made-visible character may
	// take more runes than it had bytes.
	_, err := io.WriteString(w, triage.SanitizeText(text, math.MaxInt))
	return err
}

// mdEscape makes a line of the report inert Markdown text: its words are
// ours, but label values, alert annotations, config and flag strings are
// woven into them (an image or a javascript: link in a label must not reach
// a ticket as one).
func mdEscape(s string) string { return prompts.MarkdownInline(s) }

// WriteSignals is the doctor table: what was found where, and for what is
// missing, why and what would enable it. Details go on indented lines under
// each row, so long queries never widen the columns.
func WriteSignals(w io.Writer, snap *triage.Snapshot) error {
	var b strings.Builder
	fmt.Fprintln(&b, Header(snap))
	if note := PartialNote(snap); note != "" {
		fmt.Fprintln(&b, note)
	}
	fmt.Fprintln(&b)
	rows := [][]string{{"SIGNAL", "STATUS", "VALUE", "BASELINE 1d", "EXPORTER"}}
	for _, r := range snap.Readings {
		exporter := r.Exporter
		if exporter == "" {
			exporter = "-"
		}
		rows = append(rows, []string{string(r.ID), string(r.Status), r.Formatted(), r.BaselineText(), exporter})
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			// Sanitized before measuring, so a made-visible control in a
			// config's exporter name keeps the columns aligned.
			row[i] = triage.Sanitize(cell)
			widths[i] = max(widths[i], utf8.RuneCountInString(row[i]))
		}
	}
	for i, row := range rows {
		for j, cell := range row {
			if j < len(row)-1 {
				cell += strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell)+2)
			}
			b.WriteString(cell)
		}
		b.WriteString("\n")
		if i > 0 {
			signalDetails(&b, snap.Readings[i-1])
		}
	}
	return writeSafe(w, b.String())
}

func signalDetails(b *strings.Builder, r triage.Reading) {
	if r.Query != "" {
		fmt.Fprintf(b, "    query: %s\n", r.Query)
	}
	if r.Reason != "" {
		label := "why"
		if r.Status == triage.StatusOK || r.Status == triage.StatusWarning || r.Status == triage.StatusCritical {
			label = "note"
		}
		fmt.Fprintf(b, "    %s: %s\n", label, r.Reason)
	}
	for _, note := range slices.Concat(r.Warnings, r.Infos) {
		fmt.Fprintf(b, "    server: %s\n", note)
	}
}

// joinIDs joins rule or prompt ids as strings.Join joins strings.
func joinIDs[ID ~string](ids []ID, sep string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return strings.Join(out, sep)
}

// WritePrompts is the prompt library as a table: each prompt's number,
// id, title, and how many of its placeholders the pass fills.
func WritePrompts(w io.Writer, res Pass) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NO\tID\tTITLE\tFILLED")
	for _, p := range prompts.Library() {
		pop := res.Populate(p)
		no := "-"
		if p.Number > 0 {
			no = fmt.Sprint(p.Number)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\n", no, p.ID, p.Title, pop.Filled, pop.Total)
	}
	return tw.Flush()
}
