package main

import (
	_ "embed"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/tui"
)

// demoIncident is an incident recorded from a real stack (see
// scenario_test.go), so the first run needs no server.
//
//go:embed demo/incident.json
var demoIncident []byte

// demoOptions are the demo command's flags: the global ones.
type demoOptions struct{ g *globalFlags }

func newDemoCommand(g *globalFlags) *cobra.Command {
	opts := &demoOptions{g: g}
	return &cobra.Command{
		Use:   "demo",
		Short: "Open the TUI on a bundled incident recorded from a real stack (no network)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return demoRun(cmd, opts) },
	}
}

func demoRun(cmd *cobra.Command, opts *demoOptions) error {
	if opts.g.Replay != "" {
		return app.Usagef("demo plays its bundled recording; for your own, run scaletriage --replay %s", opts.g.Replay)
	}
	c, err := app.OpenRecording(opts.g.request(""), demoIncident, "demo")
	if err != nil {
		return err
	}
	return startTUI(cmd, c, tui.DefaultRefresh)
}
