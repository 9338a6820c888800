package prom

import (
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// TestVersionEvents: a version that appears after the range's start while
// another ran is a rollout at its first step; versions there from the
// start, or alone, are not.
func TestVersionEvents(t *testing.T) {
	t0 := time.Date(2026, 5, 22, 10, 45, 0, 0, time.UTC)
	pts := func(from, n int) []Sample {
		var out []Sample
		for i := from; i < from+n; i++ {
			out = append(out, Sample{T: t0.Add(time.Duration(i) * time.Minute), V: 2})
		}
		return out
	}
	res := Answer{Series: []Series{
		{Labels: map[string]string{"job": "search-api", "version": "2.14.0"}, Points: pts(0, 50)},
		{Labels: map[string]string{"job": "search-api", "version": "2.15.0"}, Points: pts(50, 25)},
		{Labels: map[string]string{"job": "checkout", "version": "1.0.0"}, Points: pts(0, 75)},
		{Labels: map[string]string{"job": "new-svc", "version": "0.1.0"}, Points: pts(30, 45)},
	}}
	got := versionEvents(res)
	if len(got) != 1 || got[0].Entity != "search-api" || !got[0].At.Equal(t0.Add(50*time.Minute)) || got[0].What != "rolled out 2.15.0 (was 2.14.0)" {
		t.Fatalf("events %+v, want search-api's rollout at 11:35", got)
	}
	reloads := reloadEvents(Answer{Series: []Series{
		{Labels: map[string]string{"job": "search-api"}, Points: []Sample{{T: t0, V: float64(t0.Add(70 * time.Minute).Unix())}}},
		{Labels: map[string]string{"job": "old"}, Points: []Sample{{T: t0, V: float64(t0.Add(-time.Hour).Unix())}}},
	}}, t0, t0.Add(75*time.Minute))
	if len(reloads) != 1 || reloads[0].Entity != "search-api" {
		t.Fatalf("reloads %+v, want search-api's only", reloads)
	}
}

// TestStepEvents: each change of a kube-state-metrics gauge is one event
// with the numbers it went between; a flat series is none.
func TestStepEvents(t *testing.T) {
	t0 := time.Date(2026, 5, 22, 10, 45, 0, 0, time.UTC)
	series := func(labels map[string]string, vs ...float64) Series {
		s := Series{Labels: labels}
		for i, v := range vs {
			s.Points = append(s.Points, Sample{T: t0.Add(time.Duration(i) * time.Minute), V: v})
		}
		return s
	}
	hpa := stepLookupOf(t, "kube_horizontalpodautoscaler_status_current_replicas")
	got := hpa.events(Answer{Series: []Series{
		series(map[string]string{"namespace": "shop", "horizontalpodautoscaler": "checkout"}, 2, 2, 4, 4, 6),
		series(map[string]string{"namespace": "shop", "horizontalpodautoscaler": "cart"}, 3, 3, 3),
	}})
	if len(got) != 2 || got[0].What != "was scaled by its HorizontalPodAutoscaler from 2 to 4 replicas" || !got[0].At.Equal(t0.Add(2*time.Minute)) ||
		got[1].From != 4 || got[1].To != 6 || got[1].Entity != "checkout" {
		t.Fatalf("events %+v", got)
	}
	restarts := stepLookupOf(t, "kube_pod_container_status_restarts_total").events(Answer{Series: []Series{
		series(map[string]string{"namespace": "shop", "pod": "checkout-5d8f7c9b4-x2k4p"}, 0, 1),
		series(map[string]string{"namespace": "shop", "pod": "checkout-5d8f7c9b4-q7wzn"}, 0, 1),
	}})
	if len(restarts) != 1 || restarts[0].Entity != "checkout" {
		t.Fatalf("two pods of one workload restarting at once are one event: %+v", restarts)
	}
}

// TestGroupBaselines: a host new since the day before takes its group's
// day-before value (the signal's aggregate over the group then); a host
// with its own keeps it; a host in no group gets none.
func TestGroupBaselines(t *testing.T) {
	r := &triage.Reading{EntityLabels: []string{"instance"}, Group: []string{"node_pool"}, Entities: []triage.Entity{
		{Labels: map[string]string{"instance": "new-1"}, Value: triage.Of(0.9)},
		{Labels: map[string]string{"instance": "old-1"}, Value: triage.Of(0.5)},
		{Labels: map[string]string{"instance": "loner"}, Value: triage.Of(0.7)},
	}}
	now := Answer{Series: []Series{
		{Labels: map[string]string{"instance": "new-1", "node_pool": "web"}, Points: []Sample{{V: 0.9}}},
		{Labels: map[string]string{"instance": "old-1", "node_pool": "web"}, Points: []Sample{{V: 0.5}}},
		{Labels: map[string]string{"instance": "loner"}, Points: []Sample{{V: 0.7}}},
	}}
	dayBefore := Answer{Series: []Series{
		{Labels: map[string]string{"instance": "old-1", "node_pool": "web"}, Points: []Sample{{V: 0.45}}},
		{Labels: map[string]string{"instance": "gone-1", "node_pool": "web"}, Points: []Sample{{V: 0.4}}},
		{Labels: map[string]string{"instance": "gone-2", "node_pool": "batch"}, Points: []Sample{{V: 0.99}}},
	}}
	entityBaselines(r, triage.AggregateMax, dayBefore, entityGroups(r, now))
	if b := r.Entities[0].Baseline; !b.Known || b.V != 0.45 || r.Entities[0].Identity == "" {
		t.Errorf("new-1: baseline %v (%q), want its pool's highest then, 0.45", b, r.Entities[0].Identity)
	}
	if b := r.Entities[1].Baseline; b.V != 0.45 || r.Entities[1].Identity != "" {
		t.Errorf("old-1 keeps its own: %v %q", b, r.Entities[1].Identity)
	}
	if r.Entities[2].Baseline.Known {
		t.Errorf("a host in no group has no baseline: %v", r.Entities[2].Baseline)
	}
}

func stepLookupOf(t *testing.T, metric string) stepLookup {
	for _, st := range stepLookups {
		if st.metric == metric {
			return st
		}
	}
	t.Fatalf("no step lookup for %s", metric)
	return stepLookup{}
}

// A job's latest process start moving is a restart, at the step it moved.
func TestProcessRestartEvents(t *testing.T) {
	t0 := time.Date(2026, 5, 22, 11, 30, 0, 0, time.UTC)
	started := float64(t0.Add(5 * time.Minute).Unix())
	got := stepLookupOf(t, "process_start_time_seconds").events(Answer{Series: []Series{{Labels: map[string]string{"job": "search-api"},
		Points: []Sample{{T: t0, V: 1e9}, {T: t0.Add(5 * time.Minute), V: 1e9}, {T: t0.Add(6 * time.Minute), V: started}}}}})
	if len(got) != 1 || got[0].Entity != "search-api" || got[0].What != "restarted a process (started at 11:35:00Z)" {
		t.Fatalf("events %+v", got)
	}
}
