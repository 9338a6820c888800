package main

import (
	"fmt"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

// reportText is the plain report: findings ranked, then the signals.
func reportText(res result) string {
	var b strings.Builder
	snap := res.snapshot
	fmt.Fprintln(&b, "scaletriage report:", header(snap))
	if note := partialNote(snap); note != "" {
		fmt.Fprintln(&b, note)
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "FINDINGS")
	if len(res.findings) == 0 {
		fmt.Fprintln(&b, "  none: no rule fired on the signals that were found")
	}
	for i, f := range res.findings {
		fmt.Fprintf(&b, "%2d. %-8s %s: %s\n", i+1, strings.ToUpper(string(f.Severity)), f.ID, f.Title)
		if f.Summary != "" {
			fmt.Fprintf(&b, "    %s\n", f.Summary)
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "    + %s\n", e)
		}
		for _, a := range f.Against {
			fmt.Fprintf(&b, "    - %s\n", a)
		}
		if len(f.Prompts) > 0 {
			fmt.Fprintf(&b, "    prompts: %s\n", strings.Join(f.Prompts, ", "))
		}
	}
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "SIGNALS")
	for _, r := range snap.Readings {
		fmt.Fprintf(&b, "  %-9s %-31s %-24s baseline 1d %s\n", r.Status, r.ID, r.Formatted(), baselineText(r))
	}
	if top := topPrompt(res); top != "" {
		fmt.Fprintln(&b)
		fmt.Fprintln(&b, top)
	}
	return b.String()
}

// reportMarkdown is the report for tickets: findings with evidence, the
// signal table, and the top finding's populated prompt and guidance.
func reportMarkdown(res result) string {
	var b strings.Builder
	snap := res.snapshot
	fmt.Fprintf(&b, "# scaletriage report\n\n%s\n\n", mdEscape(header(snap)))
	if note := partialNote(snap); note != "" {
		fmt.Fprintf(&b, "> **%s**\n\n", note)
	}
	fmt.Fprintf(&b, "## Findings\n\n")
	if len(res.findings) == 0 {
		fmt.Fprintf(&b, "None: no rule fired on the signals that were found.\n\n")
	}
	for i, f := range res.findings {
		fmt.Fprintf(&b, "### %d. %s — %s (`%s`)\n\n", i+1, strings.ToUpper(string(f.Severity)), mdEscape(f.Title), f.ID)
		if f.Summary != "" {
			fmt.Fprintf(&b, "%s\n\n", mdEscape(f.Summary))
		}
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "- ✔ %s\n", mdEscape(e))
		}
		for _, a := range f.Against {
			fmt.Fprintf(&b, "- ✘ %s\n", mdEscape(a))
		}
		if len(f.Prompts) > 0 {
			fmt.Fprintf(&b, "\nPrompts: `%s`\n", strings.Join(f.Prompts, "`, `"))
		}
		fmt.Fprintln(&b)
	}
	fmt.Fprintf(&b, "## Signals\n\n| signal | status | value | baseline 1d | exporter |\n|---|---|---|---|---|\n")
	for _, r := range snap.Readings {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.ID, r.Status, mdEscape(r.Formatted()), mdEscape(baselineText(r)), mdEscape(r.Exporter))
	}
	if top := topPrompt(res); top != "" {
		fmt.Fprintf(&b, "\n%s\n", top)
	}
	return b.String()
}

// mdEscape keeps table cells and prose from breaking Markdown structure.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// topFinding is the highest ranked warning or critical finding.
func topFinding(findings []triage.Finding) (triage.Finding, bool) {
	for _, f := range findings {
		if f.Severity != triage.SeverityInfo && len(f.Prompts) > 0 {
			return f, true
		}
	}
	return triage.Finding{}, false
}
