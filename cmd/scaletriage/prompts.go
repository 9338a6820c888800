package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"
	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

func newPromptCommand(g *globalFlags) *cobra.Command {
	var finding, format string
	var sets []string
	var redact bool
	cmd := &cobra.Command{
		Use:   "prompt ID|NUMBER",
		Short: "Print one prompt, populated with the live numbers (Markdown)",
		Args:  exactArgs(1, "one prompt id or number (see `scaletriage prompts`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, ok := prompts.Lookup(args[0])
			if !ok {
				return usagef("no prompt %q: see `scaletriage prompts`", args[0])
			}
			if format != "markdown" && format != "text" {
				return usagef("--format must be markdown or text, not %q", format)
			}
			extra, err := parseSets(sets)
			if err != nil {
				return err
			}
			res, err := optionalTriage(cmd.Context(), g)
			if err != nil {
				return err
			}
			res.context = mergeContext(res.context, extra)
			in := res.promptInput(nil)
			in.Redact = redact
			if f, ok, err := pickFinding(res, p, finding); err != nil {
				return err
			} else if ok {
				in.Finding = &f
			}
			pop := prompts.Populate(p, in)
			out := pop.Markdown
			if format == "text" {
				if out, err = plainText(out); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(cmd.OutOrStdout(), out); err != nil {
				return err
			}
			if redact {
				fmt.Fprintln(cmd.ErrOrStderr(), prompts.RedactionPreview(pop.Redactions))
			}
			if len(pop.Unfilled) > 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d placeholders unfilled: %s (fill with --set KEY=VALUE)\n",
					len(pop.Unfilled), pop.Total, strings.Join(pop.Unfilled, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&finding, "finding", "", "use this rule's finding for the evidence (e.g. db-pool-exhaustion)")
	cmd.Flags().StringArrayVar(&sets, "set", nil, `fill a placeholder: --set system="checkout API" (repeatable)`)
	cmd.Flags().StringVar(&format, "format", "markdown", "markdown or text")
	cmd.Flags().BoolVar(&redact, "redact", false, "replace host, IP, database and user names with tokens (the replacements are listed on stderr)")
	return cmd
}

func newPromptsCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "prompts",
		Short: "List the prompt library: id, number, title, placeholders filled now / total",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := optionalTriage(cmd.Context(), g)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NO\tID\tTITLE\tFILLED")
			for _, p := range prompts.Library() {
				in := res.promptInput(nil)
				if f, ok, _ := pickFinding(res, p, ""); ok {
					in.Finding = &f // the counts match what `prompt N` prints
				}
				pop := prompts.Populate(p, in)
				no := "-"
				if p.Number > 0 {
					no = fmt.Sprint(p.Number)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\n", no, p.ID, p.Title, pop.Filled, pop.Total)
			}
			return tw.Flush()
		},
	}
}

// optionalTriage runs a triage when a source is configured; with none, the
// prompt commands still work (with the config's context) and leave the live
// placeholders unfilled.
func optionalTriage(ctx context.Context, g *globalFlags) (result, error) {
	s, err := newSession(ctx, g)
	if err != nil {
		if s != nil && errors.Is(err, prom.ErrNoURL) {
			return result{context: s.context, rules: s.rules}, nil
		}
		return result{}, err
	}
	return s.triage(ctx)
}

// pickFinding chooses the finding whose evidence goes with the prompt: the
// named rule's, else the top finding that leads to this prompt.
func pickFinding(res result, p prompts.Prompt, rule string) (triage.Finding, bool, error) {
	for _, f := range res.findings {
		if rule != "" && f.ID == rule {
			return f, true, nil
		}
	}
	if rule != "" {
		return triage.Finding{}, false, fmt.Errorf("rule %q did not fire on this snapshot (see `scaletriage report`)", rule)
	}
	for _, f := range res.findings {
		for _, id := range f.Prompts {
			if id == p.ID {
				return f, true, nil
			}
		}
	}
	return triage.Finding{}, false, nil
}

// parseSets reads repeated --set KEY=VALUE.
func parseSets(sets []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usagef("--set %q: use KEY=VALUE", kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}

func mergeContext(base, extra map[string]string) map[string]string {
	out := make(map[string]string, len(base)+len(extra))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// plainText renders Markdown without colours for terminals and pipes: no
// emphasis markers (glamour splits them around "_" in names) and no padding
// at line ends.
func plainText(md string) (string, error) {
	style := styles.NoTTYStyleConfig
	style.Strong.BlockPrefix, style.Strong.BlockSuffix = "", ""
	style.Emph.BlockPrefix, style.Emph.BlockSuffix = "", ""
	r, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(100))
	if err != nil {
		return "", err
	}
	out, err := r.Render(md)
	if err != nil {
		return "", err
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n"), nil
}

// topPrompt is the top finding's populated prompt and its guidance, for the
// headless reports.
func topPrompt(res result) string {
	f, ok := topFinding(res.findings)
	if !ok {
		return ""
	}
	p, ok := prompts.Lookup(f.Prompts[0])
	if !ok {
		return ""
	}
	in := res.promptInput(&f)
	pop := prompts.Populate(p, in)
	return fmt.Sprintf("## Prompt: %s\n\n%s\n\n## Guidance\n\n%s", p.Title, pop.Markdown, prompts.Guidance(f, in))
}

// unfilledFor lists, per prompt a finding leads to, the placeholders the
// numbers could not fill.
func unfilledFor(f triage.Finding, res result) map[string][]string {
	out := map[string][]string{}
	for _, id := range f.Prompts {
		if p, ok := prompts.Lookup(id); ok {
			out[id] = nonNil(prompts.Populate(p, res.promptInput(&f)).Unfilled)
		}
	}
	return out
}
