package triage

import (
	"fmt"
	"strings"
)

// ServiceNotes say what `services` could not read or rank, so that a cut or
// an empty list is never silent: a service signal cut at its entity cap, a
// call graph too large to read, a selector that matched no service.
func ServiceNotes(s *Snapshot, ranked []ServiceChange) []string {
	var notes []string
	for _, id := range []SignalID{SignalThroughput, SignalLatencyP99, SignalErrorRatio} {
		r, ok := s.Get(id)
		if !ok {
			continue
		}
		if r.Status == StatusError {
			notes = append(notes, fmt.Sprintf("%s not read (%s): services are ranked without it", r.Title, r.Reason))
		} else if r.EntityCount > len(r.Entities) {
			notes = append(notes, fmt.Sprintf("%s read for %d of %d services (the highest first): narrow with --selector", r.Title, len(r.Entities), r.EntityCount))
		}
	}
	if r, ok := s.Get(SignalServiceCalls); ok {
		switch {
		case r.Status == StatusError:
			notes = append(notes, fmt.Sprintf("call graph too large or unreadable (%s): ranked without it; narrow the servicegraph connector's dimensions or read it with --selector on one service", r.Reason))
		case r.EntityCount > len(r.Entities):
			notes = append(notes, fmt.Sprintf("call graph cut: %d of %d edges read (the busiest)", len(r.Entities), r.EntityCount))
		}
	}
	if why := s.Scope.Unmatched(); why != "" {
		notes = append(notes, "--selector "+why)
	} else if len(ranked) == 0 && s.Selector != "" {
		notes = append(notes, fmt.Sprintf("--selector %s matches none of the series read for services (named by %s)", s.Selector, strings.Join(ServiceLabels, ", ")))
	}
	return notes
}
