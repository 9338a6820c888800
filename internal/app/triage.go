package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Triage resolves the request into a source and runs one triage pass,
// scoped to req.Alert when set. Interrupted, it returns what was collected
// (see report.Pass.Read) with the error; a scope that matches nothing is a
// warning on req.Warnings.
func Triage(ctx context.Context, req Request) (report.Pass, error) {
	if req.Alert != "" {
		if err := alertsNeedLive(req); err != nil {
			return report.Pass{}, err
		}
	}
	s, err := newSession(req)
	if err != nil {
		return report.Pass{}, err
	}
	if req.Alert == "" {
		res, err := s.triage(ctx)
		if res.Read() {
			if why := res.Diagnosis.Snapshot.Scope.Unmatched(); why != "" {
				fmt.Fprintf(req.Warnings, "warning: --selector %s; `scaletriage services` ranks the services to pick from\n", triage.Sanitize(why))
			}
		}
		return res, err
	}
	a, err := s.scopeToAlert(ctx, req)
	if err != nil {
		return report.Pass{}, err
	}
	res, err := s.triage(ctx)
	res.Alert = a
	if res.Read() && res.Diagnosis.Snapshot.Scope.MatchesNothing() {
		fmt.Fprintf(req.Warnings, "warning: the alert %s scopes to {%s}, which matches none of the series read: the findings are the fleet's%s; `scaletriage services` ranks the services to pick from\n",
			triage.Sanitize(a.Name), triage.Sanitize(a.Selector()), triage.Sanitize(res.Diagnosis.Snapshot.Scope.ExistingText()))
	}
	return res, err
}

// TriageIfConfigured is Triage for the prompt commands: with no source
// configured, they still work (with the config's context) and leave the
// live placeholders unfilled. From an alert, it needs a live server.
func TriageIfConfigured(ctx context.Context, req Request) (report.Pass, error) {
	if req.Alert != "" {
		return Triage(ctx, req)
	}
	s, err := newSession(req)
	if err != nil {
		if s != nil && errors.Is(err, prom.ErrNoURL) {
			return s.result(triage.Diagnosis{}), nil
		}
		return report.Pass{}, err
	}
	return s.triage(ctx)
}

// Record runs a triage through a recorder and writes the recording to
// path (mode 0600, in one step; over an existing file only with force,
// never through a symbolic link). Interrupted, it writes what was
// collected, marked partial, and returns the interruption; written says
// whether the file was written.
func Record(ctx context.Context, req Request, path string, force bool) (res report.Pass, written bool, err error) {
	// Before the triage, not after it: an existing file should not cost
	// the user a collection.
	if err := checkDestination(path, force); err != nil {
		return report.Pass{}, false, err
	}
	s, err := newSession(req)
	if err != nil {
		return report.Pass{}, false, err
	}
	rec := &prom.Recorder{Inner: s.Querier}
	res, err = s.triageWith(ctx, rec)
	if !res.Read() {
		return res, false, err
	}
	data, encErr := report.Recording(res, s.Catalog, rec)
	if encErr != nil {
		return res, false, encErr
	}
	if werr := writeFileAtomic(path, force, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); werr != nil {
		return res, false, werr
	}
	return res, true, err
}

// Prompt populates the prompt p with a pass's numbers (none when no source
// is configured, see TriageIfConfigured), the extra context the user set,
// and the evidence of finding (a rule id; "": the finding p is bound to).
func Prompt(ctx context.Context, req Request, p prompts.Prompt, finding string, extra map[string]string, redact bool) (prompts.Populated, error) {
	res, err := TriageIfConfigured(ctx, req)
	if err != nil {
		return prompts.Populated{}, err
	}
	res = res.WithContext(extra)
	in := res.PromptInput(nil)
	in.Redact = redact
	if f, ok, err := res.FindingFor(p, triage.RuleID(finding)); err != nil {
		return prompts.Populated{}, err
	} else if ok {
		in.Finding = &f
	}
	return prompts.Populate(p, in), nil
}
