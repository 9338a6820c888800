package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/report"
)

// promptOptions are the prompt command's argument and flags.
type promptOptions struct {
	g              *globalFlags
	id             string
	finding, alert string
	format         *formatFlag
	sets           []string
	redact         bool
}

func newPromptCommand(g *globalFlags) *cobra.Command {
	opts := &promptOptions{g: g}
	cmd := &cobra.Command{
		Use:               "prompt ID|NUMBER",
		Short:             "Print one prompt, populated with the live numbers (Markdown)",
		Args:              exactArgs(1, "one prompt id or number (see `scaletriage prompts`)"),
		ValidArgsFunction: completePrompt,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			return promptRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.finding, "finding", "", "use this rule's finding for the evidence (e.g. db-pool-exhaustion)")
	completeFlag(cmd, "finding", completeRule)
	cmd.Flags().StringArrayVar(&opts.sets, "set", nil, `fill a placeholder: --set system="checkout API" (repeatable)`)
	opts.format = addFormatFlag(cmd, "markdown", "markdown", "text")
	cmd.Flags().StringVar(&opts.alert, "alert", "", "triage from a pending or firing alert (as report --alert): the observed issue names it")
	cmd.Flags().BoolVar(&opts.redact, "redact", false, "replace host, IP, database and user names with tokens (the replacements are listed on stderr)")
	return cmd
}

func promptRun(cmd *cobra.Command, opts *promptOptions) error {
	p, ok := prompts.Lookup(opts.id)
	if !ok {
		return app.Usagef("no prompt %q: see `scaletriage prompts`", opts.id)
	}
	if err := opts.format.check(); err != nil {
		return err
	}
	extra, err := parseSets(opts.sets)
	if err != nil {
		return err
	}
	pop, err := app.Prompt(cmd.Context(), opts.g.request(opts.alert), p, opts.finding, extra, opts.redact)
	if err != nil {
		return err
	}
	out := pop.Markdown
	if opts.format.value == "text" {
		if out, err = report.PlainText(out); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(cmd.OutOrStdout(), out); err != nil {
		return err
	}
	if opts.redact {
		fmt.Fprintln(cmd.ErrOrStderr(), prompts.RedactionPreview(pop.Redactions))
	}
	if len(pop.Unfilled) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "%d of %d placeholders unfilled: %s (fill with --set KEY=VALUE)\n",
			len(pop.Unfilled), pop.Total, strings.Join(pop.Unfilled, ", "))
	}
	return nil
}

// promptsOptions are the prompts command's flags: the global ones.
type promptsOptions struct{ g *globalFlags }

func newPromptsCommand(g *globalFlags) *cobra.Command {
	opts := &promptsOptions{g: g}
	return &cobra.Command{
		Use:   "prompts",
		Short: "List the prompt library: id, number, title, placeholders filled now / total",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return promptsRun(cmd, opts) },
	}
}

func promptsRun(cmd *cobra.Command, opts *promptsOptions) error {
	res, err := app.TriageIfConfigured(cmd.Context(), opts.g.request(""))
	if err != nil {
		return err
	}
	return report.WritePrompts(cmd.OutOrStdout(), res)
}

// parseSets reads repeated --set KEY=VALUE.
func parseSets(sets []string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, app.Usagef("--set %q: use KEY=VALUE", kv)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}
