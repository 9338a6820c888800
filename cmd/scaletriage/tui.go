package main

import (
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/tui"
)

// tuiOptions are the root command's flags: the global ones and those only
// the live TUI reads.
type tuiOptions struct {
	g       *globalFlags
	refresh time.Duration
}

// tuiRun opens the TUI on the configured Prometheus or, with --replay, on
// a snapshot.
func tuiRun(cmd *cobra.Command, opts *tuiOptions) error {
	c, err := app.Open(opts.g.request(""))
	if err != nil {
		return err
	}
	return startTUI(cmd, c, opts.refresh)
}

// startTUI shows c in the TUI, a live source refreshed every refresh.
func startTUI(cmd *cobra.Command, c app.Triager, refresh time.Duration) error {
	if refresh < time.Second {
		return app.Usagef("--refresh %s: use at least 1s", refresh)
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return app.Usagef("the TUI needs a terminal; for pipes and bots use `scaletriage report` or `scaletriage prompt`")
	}
	cfg := c.Config()
	cfg.Refresh = refresh
	return tui.Run(cmd.Context(), cfg)
}
