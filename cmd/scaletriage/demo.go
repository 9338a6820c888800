package main

import (
	_ "embed"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
)

// demoIncident is an incident recorded from a real stack (see
// scenario_test.go), so the first run needs no server.
//
//go:embed demo/incident.json
var demoIncident []byte

func newDemoCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Open the TUI on a bundled incident recorded from a real stack (no network)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.Replay != "" {
				return usagef("demo plays its bundled recording; for your own, run scaletriage --replay %s", g.Replay)
			}
			c, err := app.OpenRecording(g.request(""), demoIncident, "demo")
			if err != nil {
				return err
			}
			return startTUI(cmd, c)
		},
	}
}
