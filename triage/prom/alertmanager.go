package prom

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// amAlert is one alert of Alertmanager's API v2 (GET /api/v2/alerts), the
// fields read: 0.25 to 0.35 answer them alike (mutedBy, added in 0.28, is
// not needed: silencedBy and inhibitedBy say the same).
type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	Status      struct {
		State       string   `json:"state"` // unprocessed, active or suppressed
		SilencedBy  []string `json:"silencedBy"`
		InhibitedBy []string `json:"inhibitedBy"`
	} `json:"status"`
}

// AlertmanagerAlerts reads the alerts an Alertmanager holds now, silenced
// and inhibited ones included and marked. c is a Client built on the
// Alertmanager's URL (the same auth settings as the Prometheus's).
func (c *Client) AlertmanagerAlerts(ctx context.Context) ([]triage.Alert, error) {
	var raw []amAlert
	err := c.do(ctx, func(ctx context.Context, _ time.Duration) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.raw.URL("/api/v2/alerts", nil).String(), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		resp, body, err := c.raw.Do(ctx, req)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return &Error{Class: ClassBadResponse, Msg: fmt.Sprintf("Alertmanager answered %s to /api/v2/alerts", triage.Sanitize(resp.Status))}
		}
		if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != "application/json" {
			return &Error{Class: ClassBadResponse, Msg: fmt.Sprintf("Alertmanager answered %q to /api/v2/alerts, not the API v2 JSON: is this an Alertmanager URL?", triage.Sanitize(ct))}
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return &Error{Class: ClassBadResponse, Msg: "Alertmanager's /api/v2/alerts is not the API v2 JSON: " + triage.Sanitize(err.Error())}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]triage.Alert, 0, len(raw))
	for _, a := range raw {
		labels := a.Labels
		if labels == nil {
			labels = map[string]string{}
		}
		alert := triage.Alert{Name: labels["alertname"], State: "firing", Severity: labels["severity"], ActiveAt: a.StartsAt.UTC(),
			Annotations: a.Annotations, Silenced: len(a.Status.SilencedBy) > 0, Inhibited: len(a.Status.InhibitedBy) > 0, Source: "alertmanager"}
		if a.Status.State == "unprocessed" {
			alert.State = "unprocessed"
		}
		delete(labels, "alertname")
		alert.Labels = labels
		out = append(out, alert)
	}
	return out, nil
}
