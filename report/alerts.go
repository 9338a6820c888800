package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// AlertV1 is one alert in JSON (the `alerts` command, and the alert a
// report started from).
type AlertV1 struct {
	Name        string            `json:"name"`
	State       string            `json:"state"`
	Severity    string            `json:"severity,omitempty"`
	Labels      map[string]string `json:"labels"`
	ActiveAt    string            `json:"active_at,omitempty"`
	AgeSeconds  float64           `json:"age_seconds,omitempty"`
	Selector    string            `json:"selector"`
	Fingerprint string            `json:"fingerprint"`
	// Annotations come from the live alerts endpoint only.
	Annotations map[string]string `json:"annotations,omitempty"`
	// Silenced and Inhibited are Alertmanager's marks; Source is
	// "alertmanager" when it listed the alert.
	Silenced  bool   `json:"silenced,omitempty"`
	Inhibited bool   `json:"inhibited,omitempty"`
	Source    string `json:"source,omitempty"`
	// Condition is the rule's threshold in words, when readable.
	Condition string `json:"condition,omitempty"`
}

func alertJSON(a triage.Alert, at time.Time) AlertV1 {
	out := AlertV1{Name: a.Name, State: a.State, Severity: a.Severity, Labels: a.Labels, Selector: a.Selector(), Fingerprint: a.Fingerprint(), Annotations: a.Annotations,
		Silenced: a.Silenced, Inhibited: a.Inhibited, Source: a.Source, Condition: a.Condition}
	if !a.ActiveAt.IsZero() {
		out.ActiveAt = a.ActiveAt.UTC().Format(time.RFC3339)
		out.AgeSeconds = a.Age(at).Seconds()
	}
	if out.Labels == nil {
		out.Labels = map[string]string{}
	}
	return out
}

// WriteAlerts lists the pending and firing alerts (the first
// triage.MaxAlertsShown of them, saying so when there are more) at instant at: state,
// severity, name, age, the scope they give and their fingerprint (text),
// or JSON.
func WriteAlerts(w io.Writer, all []triage.Alert, at time.Time, format string) error {
	alerts, cut := triage.ShownAlerts(all)
	if format == "json" {
		doc := struct {
			Version int       `json:"version"`
			At      string    `json:"at"`
			Alerts  []AlertV1 `json:"alerts"`
			// Total counts every alert read; alerts holds the first
			// triage.MaxAlertsShown of them.
			Total int `json:"total"`
		}{Version: 1, At: at.UTC().Format(time.RFC3339), Alerts: []AlertV1{}, Total: len(all)}
		for _, a := range alerts {
			doc.Alerts = append(doc.Alerts, alertJSON(a, at))
		}
		// As the report's JSON: the values exact for a program to match on,
		// every control and invisible rune escaped.
		return encodeJSON(w, doc)
	}
	var b strings.Builder
	if len(alerts) == 0 {
		fmt.Fprintf(&b, "no alert pending or firing at %s\n", at.UTC().Format(time.RFC3339))
		return writeSafe(w, b.String())
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATE\tSEVERITY\tALERT\tAGE\tSCOPE\tFINGERPRINT\tSUMMARY")
	for _, a := range alerts {
		scope := "-"
		if sel := a.Selector(); sel != "" {
			scope = "{" + sel + "}"
		}
		state := a.State
		if muted := a.Muted(); muted != "" {
			state += " (" + muted + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", triage.Sanitize(state), triage.Sanitize(orDash(a.Severity)), triage.Sanitize(a.Name),
			orDash(a.AgeText(at)), triage.Sanitize(scope), a.Fingerprint(), triage.Sanitize(orDash(a.Summary())))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if cut != "" {
		fmt.Fprintln(&b, cut)
	}
	fmt.Fprintln(&b, "\ntriage one: scaletriage report --alert NAME|FINGERPRINT")
	return writeSafe(w, b.String())
}

// AlertLines say which alert a triage started from, since when and the
// scope it gave (`from the alert X firing for 14 min on {job="checkout"}`),
// then its summary and runbook when the server gave them. The runbook is
// a link for the reader, never fetched.
func AlertLines(a triage.Alert, at time.Time) []string {
	lines := []string{"from the alert " + a.Headline(at)}
	if s := a.Summary(); s != "" {
		lines = append(lines, "summary: "+s)
	}
	if u := a.Annotations["runbook_url"]; u != "" {
		lines = append(lines, "runbook: "+u)
	}
	for i, l := range lines {
		lines[i] = triage.Sanitize(l)
	}
	return lines
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
