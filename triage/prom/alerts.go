package prom

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// Alert queries: the ALERTS series Prometheus writes for every pending or
// firing alert, and ALERTS_FOR_STATE whose value is when it became active.
// Read at an instant, they serve a live page and a post-incident review
// (--at) alike, and a recording replays them as any query.
const (
	alertsQuery   = `ALERTS{alertstate=~"firing|pending"}`
	forStateQuery = `ALERTS_FOR_STATE`
)

// ReadAlerts lists the alerts pending or firing at instant at, firing
// first, then by name.
func ReadAlerts(ctx context.Context, q Querier, at time.Time) ([]triage.Alert, error) {
	res, err := q.Instant(ctx, alertsQuery, at)
	if err != nil {
		return nil, fmt.Errorf("reading alerts: %w", err)
	}
	since := map[string]time.Time{}
	if fs, err := q.Instant(ctx, forStateQuery, at); err == nil {
		for _, s := range fs.Series {
			if len(s.Points) > 0 && s.Points[0].V > 0 && !math.IsInf(s.Points[0].V, 0) {
				since[alertKey(s.Labels)] = time.Unix(int64(s.Points[0].V), 0).UTC()
			}
		}
	}
	var out []triage.Alert
	for _, s := range res.Series {
		labels := maps.Clone(s.Labels)
		a := triage.Alert{Name: labels["alertname"], State: labels["alertstate"], Severity: labels["severity"]}
		delete(labels, "alertstate")
		a.ActiveAt = since[alertKey(labels)]
		delete(labels, "alertname")
		delete(labels, "__name__")
		a.Labels = labels
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b triage.Alert) int {
		if (a.State == "firing") != (b.State == "firing") {
			if a.State == "firing" {
				return -1
			}
			return 1
		}
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		return a.ActiveAt.Compare(b.ActiveAt)
	})
	return out, nil
}

// alertKey identifies an alert across ALERTS and ALERTS_FOR_STATE: its
// labels without alertstate and the metric name.
func alertKey(labels map[string]string) string {
	var b []byte
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		if k == "alertstate" || k == "__name__" {
			continue
		}
		b = append(b, k+"\x00"+labels[k]+"\x00"...)
	}
	return string(b)
}
