package main

import (
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// isCompletionRequest reports whether args call cobra's hidden __complete
// command, as every completion script does on each tab. Its output is read
// by the shell, not shown: the tab between a candidate and its description
// is the protocol, and everything it prints comes from the binary itself.
func isCompletionRequest(args []string) bool {
	return len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// completePrompt completes prompt's one argument: every id, described by
// its title, and every number, described by its id.
func completePrompt(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, p := range prompts.Library() {
		if p.Number > 0 {
			out = append(out, cobra.CompletionWithDesc(strconv.Itoa(p.Number), string(p.ID)))
		}
		out = append(out, cobra.CompletionWithDesc(string(p.ID), p.Title))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeRule completes --finding with the rules' ids, described by their
// titles.
func completeRule(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, r := range triage.Rules() {
		out = append(out, cobra.CompletionWithDesc(string(r.ID), r.Title))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeFlag registers how a flag's value completes. It fails only for a
// flag the command does not have, or one registered twice: a programming
// error.
func completeFlag(cmd *cobra.Command, flag string, complete cobra.CompletionFunc) {
	if err := cmd.RegisterFlagCompletionFunc(flag, complete); err != nil {
		panic(err)
	}
}

// formatFlag is a command's --format: one list of allowed values gives its
// help, its completion and its check.
type formatFlag struct {
	value   string
	allowed []string
}

func addFormatFlag(cmd *cobra.Command, def string, allowed ...string) *formatFlag {
	f := &formatFlag{allowed: allowed}
	cmd.Flags().StringVar(&f.value, "format", def, oneOf(allowed))
	completeFlag(cmd, "format", cobra.FixedCompletions(allowed, cobra.ShellCompDirectiveNoFileComp))
	return f
}

// check is a usage error for a value not allowed.
func (f *formatFlag) check() error {
	if slices.Contains(f.allowed, f.value) {
		return nil
	}
	return app.Usagef("--format must be %s, not %q", oneOf(f.allowed), f.value)
}

// oneOf lists values as a sentence does: "json, markdown or text".
func oneOf(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}
