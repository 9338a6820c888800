package prom

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

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

// ReadAlerts lists every alert pending or firing, sorted as
// triage.SortAlerts does (lists show the head: triage.ShownAlerts). live asks
// the server's alerts endpoint (annotations and exact activeAt included); a
// snapshot or a past instant is read from the ALERTS series, and so is a
// server whose endpoint fails, with a note that says so; the response size
// cap bounds how many there can be.
func ReadAlerts(ctx context.Context, q Querier, at time.Time, live bool) (alerts []triage.Alert, note string, err error) {
	if c, ok := q.(*Client); ok && live {
		if alerts, err = c.liveAlerts(ctx); err == nil {
			// The conditions are a courtesy: without the rules endpoint
			// the alerts stand as they are.
			if conditions, cerr := c.alertConditions(ctx); cerr == nil {
				for i := range alerts {
					alerts[i].Condition = conditions[alerts[i].Name]
				}
			}
			triage.SortAlerts(alerts)
			return alerts, "", nil
		}
		note = fallbackNote(err)
	}
	series, serr := alertSeries(ctx, q, at)
	if serr != nil {
		if err != nil {
			return nil, "", fmt.Errorf("reading alerts: %w", err) // the endpoint's failure, not the fallback's
		}
		return nil, "", serr
	}
	triage.SortAlerts(series)
	return series, note, nil
}

// fallbackNote says why the alerts come from the ALERTS series: a server
// without the endpoint is a fact, any other failure a warning.
func fallbackNote(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Class == ClassNotFound {
		return "note: the server has no alerts endpoint (HTTP 404): alerts read from the ALERTS series, without annotations"
	}
	return "warning: the alerts endpoint failed (" + triage.Sanitize(err.Error()) + "): alerts read from the ALERTS series instead, without annotations"
}

// liveAlerts reads /api/v1/alerts: the rules' alerts as they stand now.
func (c *Client) liveAlerts(ctx context.Context) ([]triage.Alert, error) {
	var res v1.AlertsResult
	err := c.do(ctx, func(ctx context.Context, _ time.Duration) error {
		var err error
		res, err = c.api.Alerts(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := []triage.Alert{}
	for _, a := range res.Alerts {
		if a.State != v1.AlertStateFiring && a.State != v1.AlertStatePending {
			continue
		}
		labels := labelMap(a.Labels)
		alert := triage.Alert{Name: labels["alertname"], State: string(a.State), Severity: labels["severity"],
			ActiveAt: a.ActiveAt.UTC(), Annotations: labelMap(a.Annotations)}
		delete(labels, "alertname")
		alert.Labels = labels
		out = append(out, alert)
	}
	return out, nil
}

func labelMap(set model.LabelSet) map[string]string {
	out := make(map[string]string, len(set))
	for k, v := range set {
		out[string(k)] = string(v)
	}
	return out
}

// alertSeries reads the ALERTS series at instant at.
func alertSeries(ctx context.Context, q Querier, at time.Time) ([]triage.Alert, error) {
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
	out := []triage.Alert{}
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
