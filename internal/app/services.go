package app

import (
	"context"
	"fmt"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

// Services reads the services the HTTP metrics name and their call graph:
// the snapshot to rank them from, and notes on what was bounded. More
// services or edges than one answer may hold cost one more pass, reading
// those that moved and the busiest edges, ranked server-side.
func Services(ctx context.Context, req Request) (*triage.Snapshot, []string, error) {
	s, err := newSession(req)
	if err != nil {
		return nil, nil, err
	}
	s.Catalog = s.Catalog.Only(report.ServiceSignals...).AllEntities(report.ServicesRead)
	s.Options.EntitySeries, s.Options.NoContributors = true, true
	res, err := s.triage(ctx)
	var notes []string
	if services, graph := tooMany(res, err); services || graph {
		k := report.ServicesRead / 3
		if services {
			s.Catalog = s.Catalog.BoundServices(k, s.Options.At)
			notes = append(notes, fmt.Sprintf("more than %d services: only those that moved against the day before were read, up to %d each whose P99 rose, whose error share rose, whose traffic fell (ranked server-side with topk); the others did not move",
				report.ServicesRead, k))
		}
		if graph {
			s.Catalog = s.Catalog.BoundCallGraph(report.ServicesRead, s.Options.At)
		}
		res, err = s.triage(ctx)
		if snap := res.Diagnosis.Snapshot; graph && snap != nil && graphCut(snap) {
			notes = append(notes, fmt.Sprintf("call graph too large (more than %d edges): the %d busiest were read (topk), paths through the others are not followed",
				report.ServicesRead, report.ServicesRead))
		}
	}
	if err != nil && res.Diagnosis.Snapshot == nil {
		if why := prom.Unmatched(ctx, s.Querier, s.Catalog, s.Options); why != "" {
			return nil, nil, fmt.Errorf("%w: --selector %s", err, triage.Sanitize(why))
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return res.Diagnosis.Snapshot, notes, nil
}

// graphCut reports a bounded call graph that read as many edges as the
// bound: there were more.
func graphCut(snap *triage.Snapshot) bool {
	calls, ok := snap.Get(triage.SignalServiceCalls)
	return ok && calls.EntityCount >= report.ServicesRead
}

// tooMany reports which part of a services pass was over the client's
// cap on one answer: the service signals, the call graph (err: when
// nothing could be read at all, both may be).
func tooMany(res report.Pass, err error) (services, graph bool) {
	snap := res.Diagnosis.Snapshot
	if snap == nil {
		over := err != nil && prom.TooMany(err.Error())
		return over, over
	}
	for _, r := range snap.Readings {
		if r.Status == triage.StatusError && prom.TooMany(r.Reason) {
			if r.ID == triage.SignalServiceCalls {
				graph = true
			} else {
				services = true
			}
		}
	}
	return services, graph
}
