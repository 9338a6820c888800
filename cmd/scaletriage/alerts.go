package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// maxOnsetWindow bounds the window an old alert asks for: past a week the
// onset is history, not an incident.
const maxOnsetWindow = 7 * 24 * time.Hour

func newAlertsCommand(g *globalFlags) *cobra.Command {
	var format *formatFlag
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "List the alerts pending or firing (now, or at --at): severity, name, age, the scope they give",
		Long: `alerts reads the ALERTS series the Prometheus writes for its alerting rules, at now or at --at for a
post-incident review, firing first. Each line names the scope the alert gives a triage (its job, service,
namespace, pod and instance labels) and a fingerprint; triage one with report --alert NAME|FINGERPRINT.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := format.check(); err != nil {
				return err
			}
			if err := alertsNeedLive(g); err != nil {
				return err
			}
			s, err := newSession(cmd.Context(), g)
			if err != nil {
				return err
			}
			alerts, err := s.readAlerts(cmd.Context(), g.at == "", g.warnings)
			if err != nil {
				return err
			}
			return report.WriteAlerts(cmd.OutOrStdout(), alerts, s.opts.At, format.value)
		},
	}
	format = addFormatFlag(cmd, "text", "json", "text")
	return cmd
}

// alertsNeedLive refuses a snapshot: it holds no alerts, only the
// questions it recorded.
func alertsNeedLive(g *globalFlags) error {
	if g.replay != "" {
		return usagef("alerts are read from a live server, not a snapshot (%s)", g.replay)
	}
	return nil
}

// readAlerts lists the alerts at the session's instant, within its
// budget: the server's alerts endpoint and the Alertmanager when live, the
// ALERTS series at a fixed instant; notes and warnings go to warnings.
func (s *session) readAlerts(ctx context.Context, live bool, warnings io.Writer) ([]triage.Alert, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Budget)
	defer cancel()
	alerts, note, err := prom.ReadAlerts(ctx, s.querier, s.opts.At, live)
	if note != "" {
		fmt.Fprintln(warnings, note)
	}
	if err != nil || s.alertmanager == nil {
		return alerts, err
	}
	if !live {
		fmt.Fprintln(warnings, "note: Alertmanager keeps no history: at --at the alerts are the Prometheus's ALERTS series, without silences")
		return alerts, nil
	}
	// An Alertmanager down or misconfigured is reported on its own; the
	// Prometheus's alerts still answer.
	held, amErr := s.alertmanager.AlertmanagerAlerts(ctx)
	if amErr != nil {
		fmt.Fprintf(warnings, "warning: Alertmanager %s: %s; listing the Prometheus's alerts only\n", s.alertmanager.Target(), triage.Sanitize(amErr.Error()))
		return alerts, nil
	}
	return triage.MergeAlerts(alerts, held), nil
}

// scopeToAlert picks the alert a user named and points the session at it:
// its labels become the selector and, unless --window says otherwise, the
// window grows to hold its onset.
func (s *session) scopeToAlert(ctx context.Context, g *globalFlags, name string) (*triage.Alert, error) {
	if g.selector != "" {
		return nil, usagef("--selector and --alert both set the scope: give one")
	}
	alerts, err := s.readAlerts(ctx, g.at == "", g.warnings)
	if err != nil {
		return nil, err
	}
	a, err := triage.Pick(alerts, name)
	if err != nil {
		return nil, err
	}
	if s.opts.Selector, err = prom.ParseSelector(a.Selector()); err != nil {
		return nil, fmt.Errorf("alert %s: its labels give no usable scope: %w", a.Name, err)
	}
	if g.window == "" {
		s.opts.Window = a.OnsetWindow(s.opts.At, s.opts.Window, maxOnsetWindow)
	}
	if a.Selector() == "" {
		fmt.Fprintf(g.warnings, "warning: the alert %s carries no job, service, namespace, pod or instance label: the whole Prometheus is triaged (see `scaletriage services`)\n", triage.Sanitize(a.Name))
	}
	return &a, nil
}
