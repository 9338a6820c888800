package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

func newPromptCommand(g *globalFlags) *cobra.Command {
	var finding, alert string
	var format *formatFlag
	var sets []string
	var redact bool
	cmd := &cobra.Command{
		Use:               "prompt ID|NUMBER",
		Short:             "Print one prompt, populated with the live numbers (Markdown)",
		Args:              exactArgs(1, "one prompt id or number (see `scaletriage prompts`)"),
		ValidArgsFunction: completePrompt,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, ok := prompts.Lookup(args[0])
			if !ok {
				return usagef("no prompt %q: see `scaletriage prompts`", args[0])
			}
			if err := format.check(); err != nil {
				return err
			}
			extra, err := parseSets(sets)
			if err != nil {
				return err
			}
			res, err := optionalTriage(cmd.Context(), g, alert)
			if err != nil {
				return err
			}
			res = res.WithContext(extra)
			in := res.PromptInput(nil)
			in.Redact = redact
			if f, ok, err := res.FindingFor(p, triage.RuleID(finding)); err != nil {
				return err
			} else if ok {
				in.Finding = &f
			}
			pop := prompts.Populate(p, in)
			out := pop.Markdown
			if format.value == "text" {
				if out, err = report.PlainText(out); err != nil {
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
	completeFlag(cmd, "finding", completeRule)
	cmd.Flags().StringArrayVar(&sets, "set", nil, `fill a placeholder: --set system="checkout API" (repeatable)`)
	format = addFormatFlag(cmd, "markdown", "markdown", "text")
	cmd.Flags().StringVar(&alert, "alert", "", "triage from a pending or firing alert (as report --alert): the observed issue names it")
	cmd.Flags().BoolVar(&redact, "redact", false, "replace host, IP, database and user names with tokens (the replacements are listed on stderr)")
	return cmd
}

func newPromptsCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "prompts",
		Short: "List the prompt library: id, number, title, placeholders filled now / total",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := optionalTriage(cmd.Context(), g, "")
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
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
		},
	}
}

// optionalTriage runs a triage when a source is configured; with none, the
// prompt commands still work (with the config's context) and leave the live
// placeholders unfilled. From an alert (alert != ""), it needs a live server.
func optionalTriage(ctx context.Context, g *globalFlags, alert string) (report.Result, error) {
	if alert != "" {
		return runTriageFrom(ctx, g, alert)
	}
	s, err := newSession(ctx, g)
	if err != nil {
		if s != nil && errors.Is(err, prom.ErrNoURL) {
			return s.result(triage.Diagnosis{}), nil
		}
		return report.Result{}, err
	}
	return s.triage(ctx)
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
