package triage

import (
	"strings"
	"testing"
	"time"
)

// TestSuspectEvent: an event on a linked entity shortly before a new
// finding's onset is named first in its evidence; one on another entity,
// long before, or under a chronic finding is not.
func TestSuspectEvent(t *testing.T) {
	at := time.Date(2026, 5, 22, 12, 0, 0, 0, time.UTC)
	base := Entity{Labels: map[string]string{"workload": "search-api"}, Value: Of(0.35), Baseline: Of(0.02)}
	for _, p := range []float64{0.02, 0.02, 0.35, 0.35} {
		base.Series = append(base.Series, Point{T: at.Add(time.Duration(len(base.Series)-3) * 5 * time.Minute), V: p})
	}
	r := read(SignalCPUThrottling, 0.35, baseline(0.02), func(r *Reading) { r.Entities, r.EntityCount = []Entity{base}, 1 })
	onset, ok := r.EntityOnset(base)
	if !ok {
		t.Fatal("no onset")
	}
	event := func(entity string, before time.Duration) Event {
		return Event{Kind: EventVersion, Entity: entity, At: onset.At.Add(-before), What: "rolled out 2.15.0 (was 2.14.0)"}
	}
	for _, tc := range []struct {
		name   string
		events []Event
		change Change
		want   string
	}{
		{"linked, 4 min before", []Event{event("search-api", 4*time.Minute)}, ChangeNew, "First suspect, a change shortly before the onset: search-api rolled out 2.15.0 (was 2.14.0) at 11:51Z, 4 min before the onset"},
		{"the latest of two", []Event{event("search-api", 20*time.Minute), event("search-api", 2*time.Minute)}, ChangeNew, "at 11:53Z, 2 min before the onset"},
		{"one rollout seen as a spec change a minute after its version", []Event{event("search-api", 4*time.Minute),
			{Kind: EventSpec, Entity: "search-api", At: onset.At.Add(-3 * time.Minute), What: "changed its Deployment spec (generation 7 -> 8)"}}, ChangeNew, "search-api rolled out 2.15.0 (was 2.14.0)"},
		{"just after the onset read from rates", []Event{event("search-api", -2*time.Minute)}, ChangeNew, "at 11:57Z, 2 min after the onset read from smoothed rates"},
		{"another entity", []Event{event("checkout", 4*time.Minute)}, ChangeNew, ""},
		{"too long before", []Event{event("search-api", 2*time.Hour)}, ChangeNew, ""},
		{"a chronic finding", []Event{event("search-api", 4*time.Minute)}, ChangeUnchanged, ""},
		{"no events", nil, ChangeNew, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := snapshot(r)
			s.Events = tc.events
			f := Finding{Change: tc.change, Evidence: []string{"x"}, Entities: []FindingEntity{{Signal: SignalCPUThrottling, Name: "search-api", Entity: base}}}
			attachEvents(s, &f)
			switch {
			case tc.want == "" && len(f.Evidence) != 1:
				t.Errorf("unexpected suspect: %q", f.Evidence)
			case tc.want != "" && !strings.Contains(f.Evidence[0], tc.want):
				t.Errorf("first evidence %q, want %q", f.Evidence[0], tc.want)
			}
		})
	}
}

// TestPerRequest: the service's CPU per request is its CPU's multiple over
// its own traffic's; without a CPU of its own, its P99's multiple.
func TestPerRequest(t *testing.T) {
	svc := func(v, b float64) readingOption { return entity(v, b, "job", "search-api") }
	cpu := read(SignalContainerCPU, 0.85, entity(0.85, 0.4, "namespace", "search", "workload", "search-api", "container", "app"))
	tp := read(SignalThroughput, 150, svc(150, 300))
	p99 := read(SignalLatencyP99, 0.2, svc(0.2, 0.05))
	for _, tc := range []struct {
		name string
		s    *Snapshot
		want string
	}{
		{"CPU over traffic", snapshot(cpu, tp, p99), "CPU against container limits (busiest container) on namespace=search, workload=search-api, container=app went 4.25x per request (40% -> 85% at 300 requests/s -> 150 requests/s)"},
		{"latency without a CPU", snapshot(tp, p99), "Latency P99 of search-api went 4x (50 ms -> 200 ms)"},
		{"nothing of its own", snapshot(read(SignalThroughput, 150, entity(150, 300, "job", "checkout"))), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := tc.s.perRequest("search-api")
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
