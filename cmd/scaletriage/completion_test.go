package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// complete asks for candidates as a completion script does on a tab
// (`scaletriage __complete ARGS...`, the word being typed last) and returns
// them with descriptions and the directive cobra ends its answer with.
func complete(t *testing.T, args ...string) (candidates []string, directive string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{cobra.ShellCompRequestCmd}, args...)...)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != exitOK || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("__complete %q: exit %d\n%s%s", args, code, stdout, stderr)
	}
	return lines[:len(lines)-1], lines[len(lines)-1]
}

// noFiles is cobra's answer for "these candidates and no file names".
var noFiles = fmt.Sprintf(":%d", cobra.ShellCompDirectiveNoFileComp)

func TestCompletePromptIDsAndNumbers(t *testing.T) {
	got, directive := complete(t, "prompt", "")
	var want []string
	for _, p := range prompts.Library() {
		if p.Number > 0 {
			want = append(want, fmt.Sprintf("%d\t%s", p.Number, p.ID))
		}
		want = append(want, string(p.ID)+"\t"+p.Title)
	}
	if !slices.Equal(got, want) || directive != noFiles {
		t.Errorf("prompt: %q %s\nwant %q %s", got, directive, want, noFiles)
	}
	if !slices.Contains(got, "6\tconnection-pool-optimization") {
		t.Errorf("prompt 6 is not offered as connection-pool-optimization: %q", got)
	}
	// prompt takes one argument: after it nothing, not even file names.
	if got, directive := complete(t, "prompt", "6", ""); len(got) > 0 || directive != noFiles {
		t.Errorf("after the prompt id: %q %s", got, directive)
	}
	// Without descriptions (`__completeNoDesc`, a shell set not to show
	// them), the bare values.
	code, stdout, _ := runCLI(t, cobra.ShellCompNoDescRequestCmd, "prompt", "conn")
	if code != exitOK || !strings.Contains(stdout, "\nconnection-pool-optimization\n") || strings.Contains(stdout, "\t") {
		t.Errorf("__completeNoDesc prompt conn: exit %d\n%s", code, stdout)
	}
}

func TestCompleteFormats(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		want []string
	}{
		{"report", []string{"json", "markdown", "text"}},
		{"prompt", []string{"markdown", "text"}},
		{"services", []string{"json", "text"}},
		{"alerts", []string{"json", "text"}},
	} {
		if got, directive := complete(t, c.cmd, "--format", ""); !slices.Equal(got, c.want) || directive != noFiles {
			t.Errorf("%s --format: %q %s, want %q", c.cmd, got, directive, c.want)
		}
	}
	// The list completed is the list checked.
	code, _, stderr := runCLI(t, "report", "--format", "yaml")
	if want := `--format must be json, markdown or text, not "yaml"`; code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("report --format yaml: exit %d, %q", code, stderr)
	}
}

func TestCompleteCommandsFlagsAndRules(t *testing.T) {
	got, _ := complete(t, "")
	for _, name := range []string{"alerts", "completion", "demo", "prompt", "prompts", "record", "report", "services", "signals", "version"} {
		if !slices.ContainsFunc(got, func(c string) bool { return strings.HasPrefix(c, name+"\t") }) {
			t.Errorf("subcommand %s not offered: %q", name, got)
		}
	}
	got, _ = complete(t, "report", "--")
	for _, flag := range []string{"--format", "--alert", "--prometheus-url", "--selector", "--window"} {
		if !slices.ContainsFunc(got, func(c string) bool { return strings.HasPrefix(c, flag+"\t") }) {
			t.Errorf("report flag %s not offered: %q", flag, got)
		}
	}
	got, directive := complete(t, "prompt", "6", "--finding", "")
	var rules []string
	for _, r := range triage.Rules() {
		rules = append(rules, string(r.ID)+"\t"+r.Title)
	}
	if !slices.Equal(got, rules) || directive != noFiles {
		t.Errorf("--finding: %q %s, want %q", got, directive, rules)
	}
	// A command without arguments offers no file names.
	if got, directive := complete(t, "report", ""); len(got) > 0 || directive != noFiles {
		t.Errorf("report's arguments: %q %s", got, directive)
	}
}

// The scripts are cobra's, one per shell, and call __complete back.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, stdout, stderr := runCLI(t, "completion", shell)
		if code != exitOK || !strings.Contains(stdout, "__complete") || !strings.Contains(stdout, "scaletriage") {
			t.Errorf("completion %s: exit %d, %d bytes, %s", shell, code, len(stdout), stderr)
		}
	}
}
