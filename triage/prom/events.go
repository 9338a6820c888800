package prom

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// eventsLookback is how far before the window change events are read: a
// rollout an hour before can be the cause of what the window shows.
const eventsLookback = time.Hour

// eventStep is the resolution a rollout's instant is read at.
const eventStep = time.Minute

// events reads the changes made to the system in the window and the hour
// before it: new versions in *_build_info version labels (one range query)
// and successful config reloads (*_config_last_reload_success_timestamp_seconds,
// one instant query). Only metric names discovery found are asked for; a
// failed lookup is no event, never an error.
func (c *collector) events(ctx context.Context, present map[string]bool) []triage.Event {
	var builds, reloads []string
	for name := range present {
		switch {
		case strings.HasSuffix(name, "_build_info"):
			builds = append(builds, name)
		case strings.HasSuffix(name, "_config_last_reload_success_timestamp_seconds"):
			reloads = append(reloads, name)
		}
	}
	slices.Sort(builds)
	slices.Sort(reloads)
	start := c.o.At.Add(-c.o.Window - eventsLookback)
	var out []triage.Event
	if len(builds) > 0 {
		q := `count by (job, version) ({__name__=~"` + strings.Join(builds, "|") + `",version!=""})`
		if res, err := c.rangeQuery(ctx, q, start, c.o.At, eventStep); err == nil {
			out = append(out, versionEvents(res)...)
		}
	}
	if len(reloads) > 0 {
		q := `max by (job) ({__name__=~"` + strings.Join(reloads, "|") + `"})`
		if res, err := c.instant(ctx, q, c.o.At); err == nil {
			out = append(out, reloadEvents(res, start, c.o.At)...)
		}
	}
	for _, st := range stepLookups {
		if !present[st.metric] {
			continue
		}
		if res, err := c.rangeQuery(ctx, st.query, start, c.o.At, eventStep); err == nil {
			out = append(out, st.events(res)...)
		}
	}
	slices.SortStableFunc(out, func(a, b triage.Event) int { return a.At.Compare(b.At) })
	return out
}

// stepLookup is a kube-state-metrics gauge whose every step is an event:
// a new generation of a spec, an autoscaler's replicas, restarts.
type stepLookup struct {
	metric, query string
	kind          triage.EventKind
	// entity names the workload of a series.
	entity func(labels map[string]string) string
	what   func(from, to float64) string
}

var stepLookups = []stepLookup{
	generationLookup("Deployment"),
	generationLookup("StatefulSet"),
	{metric: "kube_horizontalpodautoscaler_status_current_replicas", query: "max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas)", kind: triage.EventScale,
		entity: func(l map[string]string) string { return l["horizontalpodautoscaler"] },
		what: func(from, to float64) string {
			return fmt.Sprintf("was scaled by its HorizontalPodAutoscaler from %s to %s replicas", num(from), num(to))
		}},
	// A process's start time moves when any of the job's processes
	// (re)starts: the latest start per job, outside Kubernetes too.
	{metric: "process_start_time_seconds", query: "max by (job) (process_start_time_seconds)", kind: triage.EventRestart,
		entity: func(l map[string]string) string { return l["job"] },
		what: func(_, to float64) string {
			return "restarted a process (started at " + time.Unix(int64(to), 0).UTC().Format("15:04:05Z") + ")"
		}},
	{metric: "kube_pod_container_status_restarts_total", query: "sum by (namespace, pod) (kube_pod_container_status_restarts_total)", kind: triage.EventRestart,
		entity: func(l map[string]string) string { return triage.WorkloadOf(l["pod"]) },
		what: func(from, to float64) string {
			return fmt.Sprintf("restarted a container (%s -> %s restarts of a pod)", num(from), num(to))
		}},
}

// generationLookup reads a workload kind's spec generations
// (kube_deployment_metadata_generation{namespace, deployment}): a new one
// is a rollout started.
func generationLookup(kind string) stepLookup {
	label := strings.ToLower(kind)
	metric := "kube_" + label + "_metadata_generation"
	return stepLookup{metric: metric, query: "max by (namespace, " + label + ") (" + metric + ")", kind: triage.EventSpec,
		entity: func(l map[string]string) string { return l[label] },
		what: func(from, to float64) string {
			return fmt.Sprintf("changed its %s spec (generation %s -> %s)", kind, num(from), num(to))
		}}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// events are the steps of each series of the lookup's range answer: where
// its value changed from the previous point's, one event per entity and
// instant.
func (st stepLookup) events(res Answer) []triage.Event {
	var out []triage.Event
	seen := map[string]bool{}
	for _, s := range res.Series {
		entity := triage.Sanitize(st.entity(s.Labels))
		for i := 1; i < len(s.Points); i++ {
			from, to := s.Points[i-1].V, s.Points[i].V
			if from == to || math.IsNaN(from) || math.IsNaN(to) || entity == "" {
				continue
			}
			key := entity + "\x00" + s.Points[i].T.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			labels := map[string]string{"namespace": triage.Sanitize(s.Labels["namespace"]), "workload": entity}
			out = append(out, triage.Event{Kind: st.kind, Entity: entity, Labels: labels, At: s.Points[i].T, What: st.what(from, to), From: from, To: to})
		}
	}
	return out
}

// versionEvents finds, per job, each version that first appears after the
// range's first step while another was running: a rollout, at the step it
// appeared.
func versionEvents(res Answer) []triage.Event {
	type seen struct {
		version string
		first   time.Time
	}
	byJob := map[string][]seen{}
	var rangeStart time.Time
	for _, s := range res.Series {
		if len(s.Points) == 0 {
			continue
		}
		job, version := triage.Sanitize(s.Labels["job"]), triage.Sanitize(s.Labels["version"])
		byJob[job] = append(byJob[job], seen{version, s.Points[0].T})
		if rangeStart.IsZero() || s.Points[0].T.Before(rangeStart) {
			rangeStart = s.Points[0].T
		}
	}
	var out []triage.Event
	for job, versions := range byJob {
		slices.SortFunc(versions, func(a, b seen) int { return a.first.Compare(b.first) })
		for i := 1; i < len(versions); i++ {
			if !versions[i].first.After(rangeStart) {
				continue
			}
			out = append(out, triage.Event{Kind: triage.EventVersion, Entity: job, Labels: map[string]string{"job": job, "version": versions[i].version},
				At: versions[i].first, What: "rolled out " + versions[i].version + " (was " + versions[i-1].version + ")", From: math.NaN(), To: math.NaN()})
		}
	}
	return out
}

// reloadEvents are the config reloads whose timestamp falls in [start, at].
func reloadEvents(res Answer, start, at time.Time) []triage.Event {
	var out []triage.Event
	for _, s := range res.Series {
		if len(s.Points) == 0 || math.IsNaN(s.Points[0].V) || math.IsInf(s.Points[0].V, 0) {
			continue
		}
		t := time.Unix(int64(s.Points[0].V), 0)
		if t.Before(start) || t.After(at) {
			continue
		}
		job := triage.Sanitize(s.Labels["job"])
		out = append(out, triage.Event{Kind: triage.EventConfigReload, Entity: job, Labels: map[string]string{"job": job},
			At: t, What: "reloaded its configuration", From: math.NaN(), To: math.NaN()})
	}
	return out
}
