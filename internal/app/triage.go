package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Triage resolves the request into a source and runs one triage pass,
// scoped to req.Alert when set. Interrupted, it returns what was collected
// (see WasRead) with the error; a scope that matches nothing is a
// warning on req.Warnings.
func Triage(ctx context.Context, req Request) (report.Result, error) {
	if req.Alert != "" {
		if err := alertsNeedLive(req); err != nil {
			return report.Result{}, err
		}
	}
	s, err := newSession(req)
	if err != nil {
		return report.Result{}, err
	}
	if req.Alert == "" {
		res, err := s.triage(ctx)
		if WasRead(res) {
			if why := res.Diagnosis.Snapshot.Scope.Unmatched(); why != "" {
				fmt.Fprintf(req.Warnings, "warning: --selector %s; `scaletriage services` ranks the services to pick from\n", triage.Sanitize(why))
			}
		}
		return res, err
	}
	a, err := s.scopeToAlert(ctx, req)
	if err != nil {
		return report.Result{}, err
	}
	res, err := s.triage(ctx)
	res.Alert = a
	if WasRead(res) && res.Diagnosis.Snapshot.Scope.MatchesNothing() {
		fmt.Fprintf(req.Warnings, "warning: the alert %s scopes to {%s}, which matches none of the series read: the findings are the fleet's%s; `scaletriage services` ranks the services to pick from\n",
			triage.Sanitize(a.Name), triage.Sanitize(a.Selector()), triage.Sanitize(res.Diagnosis.Snapshot.Scope.ExistingText()))
	}
	return res, err
}

// TriageIfConfigured is Triage for the prompt commands: with no source
// configured, they still work (with the config's context) and leave the
// live placeholders unfilled. From an alert, it needs a live server.
func TriageIfConfigured(ctx context.Context, req Request) (report.Result, error) {
	if req.Alert != "" {
		return Triage(ctx, req)
	}
	s, err := newSession(req)
	if err != nil {
		if s != nil && errors.Is(err, prom.ErrNoURL) {
			return s.result(triage.Diagnosis{}), nil
		}
		return report.Result{}, err
	}
	return s.triage(ctx)
}

// Record runs a triage through a recorder and returns the recording file
// (interrupted: of what was collected, with the error; nil when nothing
// was).
func Record(ctx context.Context, req Request) ([]byte, report.Result, error) {
	s, err := newSession(req)
	if err != nil {
		return nil, report.Result{}, err
	}
	rec := &prom.Recorder{Inner: s.querier}
	res, err := s.triageWith(ctx, rec)
	if !WasRead(res) {
		return nil, res, err
	}
	data, encErr := report.Recording(res, s.catalog, rec.Calls())
	if encErr != nil {
		return nil, res, encErr
	}
	return data, res, err
}
