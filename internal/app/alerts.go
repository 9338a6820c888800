package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// maxOnsetWindow bounds the window an old alert asks for: past a week the
// onset is history, not an incident.
const maxOnsetWindow = 7 * 24 * time.Hour

// Alerts lists the alerts pending or firing at the request's instant (now,
// or --at) and returns that instant: the server's alerts endpoint and the
// Alertmanager when live, the ALERTS series at a fixed instant.
func Alerts(ctx context.Context, req Request) ([]triage.Alert, time.Time, error) {
	if err := alertsNeedLive(req); err != nil {
		return nil, time.Time{}, err
	}
	s, err := newSession(req)
	if err != nil {
		return nil, time.Time{}, err
	}
	alerts, err := s.readAlerts(ctx, req.At == "", req.Warnings)
	return alerts, s.Options.At, err
}

// alertsNeedLive refuses a snapshot: it holds no alerts, only the
// questions it recorded.
func alertsNeedLive(req Request) error {
	if req.Replay != "" {
		return Usagef("alerts are read from a live server, not a recording (%s)", req.Replay)
	}
	return nil
}

// readAlerts lists the alerts at the session's instant, within its
// budget: the server's alerts endpoint and the Alertmanager when live, the
// ALERTS series at a fixed instant; notes and warnings go to warnings.
func (s *session) readAlerts(ctx context.Context, live bool, warnings io.Writer) ([]triage.Alert, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Options.Budget)
	defer cancel()
	alerts, note, err := prom.ReadAlerts(ctx, s.Querier, s.Options.At, live)
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

// scopeToAlert picks the alert the request names and points the session
// at it: its labels become the selector and, unless --window says
// otherwise, the window grows to hold its onset.
func (s *session) scopeToAlert(ctx context.Context, req Request) (*triage.Alert, error) {
	if req.Selector != "" {
		return nil, Usagef("--selector and --alert both set the scope: give one")
	}
	alerts, err := s.readAlerts(ctx, req.At == "", req.Warnings)
	if err != nil {
		return nil, err
	}
	a, err := triage.Pick(alerts, req.Alert)
	if err != nil {
		return nil, err
	}
	if s.Options.Selector, err = prom.ParseSelector(a.Selector()); err != nil {
		return nil, fmt.Errorf("alert %s: its labels give no usable scope: %w", a.Name, err)
	}
	if req.Window == "" {
		s.Options.Window = a.OnsetWindow(s.Options.At, s.Options.Window, maxOnsetWindow)
	}
	if a.Selector() == "" {
		fmt.Fprintf(req.Warnings, "warning: the alert %s carries no job, service, namespace, pod or instance label: the whole Prometheus is triaged (see `scaletriage services`)\n", triage.Sanitize(a.Name))
	}
	return &a, nil
}
