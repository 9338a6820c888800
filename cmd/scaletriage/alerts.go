package main

import (
	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/internal/app"
	"github.com/scaletriage/scaletriage/report"
)

// alertsOptions are the alerts command's flags.
type alertsOptions struct {
	g      *globalFlags
	format *formatFlag
}

func newAlertsCommand(g *globalFlags) *cobra.Command {
	opts := &alertsOptions{g: g}
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "List the alerts pending or firing (now, or at --at): severity, name, age, the scope they give",
		Long: `alerts reads the ALERTS series the Prometheus writes for its alerting rules, at now or at --at for a
post-incident review, firing first. Each line names the scope the alert gives a triage (its job, service,
namespace, pod and instance labels) and a fingerprint; triage one with report --alert NAME|FINGERPRINT.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return alertsRun(cmd, opts) },
	}
	opts.format = addFormatFlag(cmd, "text", "json", "text")
	return cmd
}

func alertsRun(cmd *cobra.Command, opts *alertsOptions) error {
	if err := opts.format.check(); err != nil {
		return err
	}
	alerts, at, err := app.Alerts(cmd.Context(), opts.g.request(""))
	if err != nil {
		return err
	}
	return report.WriteAlerts(cmd.OutOrStdout(), alerts, at, opts.format.value)
}
