package main

import (
	"errors"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/tui"
)

// refreshFlag is the live TUI's auto-refresh period (a root flag).
const refreshFlag = "refresh"

// addTUIFlags registers the flags only the TUI reads on the root command.
func addTUIFlags(root *cobra.Command) {
	root.Flags().Duration(refreshFlag, tui.DefaultRefresh, "auto-refresh period of the live TUI (at least 1s)")
}

// runTUI opens the TUI on the configured Prometheus or, with --replay, on
// a snapshot.
func runTUI(cmd *cobra.Command, g *globalFlags) error {
	c, err := app.Open(g.request(""))
	if err != nil {
		return err
	}
	return startTUI(cmd, c)
}

func startTUI(cmd *cobra.Command, c app.Triager) error {
	refresh := tui.DefaultRefresh
	if f := cmd.Flags().Lookup(refreshFlag); f != nil {
		refresh, _ = cmd.Flags().GetDuration(refreshFlag)
		if refresh < time.Second {
			return usagef("--%s %s: use at least 1s", refreshFlag, f.Value)
		}
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return usagef("the TUI needs a terminal; for pipes and bots use `scaletriage report` or `scaletriage prompt`")
	}
	cfg := c.Config()
	cfg.Refresh = refresh
	cfg.NoColor = os.Getenv("NO_COLOR") != ""
	cfg.Clipboard = tui.NativeClipboard(os.Getenv)
	cfg.Browser = tui.NativeBrowser(os.Getenv)
	cfg.Hyperlinks = tui.HyperlinksSupported(os.Getenv)
	cfg.OSC52Limit = tui.OSC52LimitFor(os.Getenv)
	model := tui.New(cmd.Context(), cfg)
	defer model.Close()
	_, err := tea.NewProgram(model, tea.WithContext(cmd.Context())).Run()
	if errors.Is(err, tea.ErrInterrupted) || (errors.Is(err, tea.ErrProgramKilled) && cmd.Context().Err() != nil) {
		return nil // ctrl+c or a signal: a normal way to leave
	}
	return err
}
