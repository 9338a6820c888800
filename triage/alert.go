package triage

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Alert is a firing or pending alert: the page an incident starts from.
type Alert struct {
	Name     string
	State    string // firing or pending
	Severity string
	// Labels are the alert's labels without alertname and alertstate.
	Labels map[string]string
	// ActiveAt is when it became active; zero when not known.
	ActiveAt time.Time
	// Annotations are the rule's (summary, description, runbook_url):
	// only the live alerts endpoint has them, not the ALERTS series.
	Annotations map[string]string
	// Silenced and Inhibited are Alertmanager's marks: someone muted it,
	// or a wider alert covers it.
	Silenced, Inhibited bool
	// Source is where it was read: "alertmanager", else the Prometheus.
	Source string
	// Condition is its rule's threshold in words ("P99 > 500 ms") when the
	// rules endpoint gave a readable expression; "" otherwise.
	Condition string
}

// Muted says why Alertmanager holds the alert back, "" when it does not.
func (a Alert) Muted() string {
	switch {
	case a.Silenced && a.Inhibited:
		return "silenced, inhibited"
	case a.Silenced:
		return "silenced"
	case a.Inhibited:
		return "inhibited"
	}
	return ""
}

// Summary is the alert's summary annotation, or its description when it
// has none.
func (a Alert) Summary() string {
	if s := a.Annotations["summary"]; s != "" {
		return s
	}
	return a.Annotations["description"]
}

// alertScopeLabels are the alert labels that name the service in trouble,
// most specific last: they become the triage's selector.
var alertScopeLabels = []string{"job", "service", "service_name", "namespace", "pod", "instance"}

// Selector is the triage scope the alert gives: its labels that name a
// service, as PromQL matchers (values quoted); "" when it has none.
func (a Alert) Selector() string {
	var parts []string
	for _, l := range alertScopeLabels {
		if v, ok := a.Labels[l]; ok && v != "" {
			parts = append(parts, l+"="+strconv.Quote(v))
		}
	}
	return strings.Join(parts, ",")
}

// Fingerprint names the alert among several of the same name: a hash of
// its name and labels, stable across runs.
func (a Alert) Fingerprint() string {
	// Length-prefixed, so that no value can imitate a label boundary.
	h := fnv.New64a()
	fmt.Fprintf(h, "%d:%s", len(a.Name), a.Name)
	for _, k := range slices.Sorted(maps.Keys(a.Labels)) {
		fmt.Fprintf(h, "%d:%s%d:%s", len(k), k, len(a.Labels[k]), a.Labels[k])
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// Age is how long the alert has been active at instant at (0 when unknown).
func (a Alert) Age(at time.Time) time.Duration {
	if a.ActiveAt.IsZero() || at.Before(a.ActiveAt) {
		return 0
	}
	return at.Sub(a.ActiveAt)
}

// AgeText is the alert's age at instant at ("14 min"), "" when unknown.
func (a Alert) AgeText(at time.Time) string {
	if a.ActiveAt.IsZero() {
		return ""
	}
	return FormatNumber(a.Age(at).Seconds(), UnitSeconds)
}

// Since says the alert's state and for how long at instant at: "firing
// for 14 min", "pending for an unknown time".
func (a Alert) Since(at time.Time) string {
	age := a.AgeText(at)
	if age == "" {
		age = "an unknown time"
	}
	return a.State + " for " + age
}

// Headline names the alert, its state and age, its condition when known,
// and the scope it gives:
// `HighLatency firing for 14 min (P99 > 500 ms) on {job="checkout"}`.
func (a Alert) Headline(at time.Time) string {
	where := "with no label that names a service"
	if sel := a.Selector(); sel != "" {
		where = "on {" + sel + "}"
	}
	condition := ""
	if a.Condition != "" {
		condition = " (" + a.Condition + ")"
	}
	return a.Name + " " + a.Since(at) + condition + " " + where
}

// OnsetWindow is a window that holds the alert's onset with room before
// it (a quarter of its age, at least 5 minutes) to see the state it left:
// at least least, at most most.
func (a Alert) OnsetWindow(at time.Time, least, most time.Duration) time.Duration {
	age := a.Age(at)
	if age == 0 {
		return least
	}
	w := age + max(age/4, 5*time.Minute)
	return max(least, min(w, most)).Round(time.Minute)
}

// Pick finds the alert a user named, by name or fingerprint; several of
// one name are ambiguous unless exactly one fires.
func Pick(alerts []Alert, nameOrFingerprint string) (Alert, error) {
	var named []Alert
	for _, a := range alerts {
		if a.Fingerprint() == nameOrFingerprint {
			return a, nil
		}
		if a.Name == nameOrFingerprint {
			named = append(named, a)
		}
	}
	if len(named) > 1 {
		firing := slices.DeleteFunc(slices.Clone(named), func(a Alert) bool { return a.State != "firing" })
		if len(firing) == 1 {
			return firing[0], nil
		}
		fps := make([]string, len(named))
		for i, a := range named {
			fps[i] = a.Fingerprint() + " {" + a.Selector() + "}"
		}
		return Alert{}, fmt.Errorf("%d alerts named %s: pick one by fingerprint: %s", len(named), nameOrFingerprint, strings.Join(fps, ", "))
	}
	if len(named) == 0 {
		return Alert{}, fmt.Errorf("no firing or pending alert %q (see `scaletriage alerts`)", nameOrFingerprint)
	}
	return named[0], nil
}

// SortAlerts puts what pages first: firing before pending, unmuted before
// muted, then by severity (critical, page and high; error; warning; info
// and none; any other word after the known ones), then the oldest first,
// then by name.
func SortAlerts(alerts []Alert) {
	state := func(a Alert) int {
		if a.State == "firing" {
			return 0
		}
		return 1
	}
	muted := func(a Alert) int {
		if a.Muted() != "" {
			return 1
		}
		return 0
	}
	// An unknown onset sorts after every known one.
	onset := func(a Alert) time.Time {
		if a.ActiveAt.IsZero() {
			return time.Unix(1<<62, 0)
		}
		return a.ActiveAt
	}
	slices.SortStableFunc(alerts, func(a, b Alert) int {
		return cmp.Or(
			cmp.Compare(state(a), state(b)),
			cmp.Compare(muted(a), muted(b)),
			cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)),
			onset(a).Compare(onset(b)),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.Fingerprint(), b.Fingerprint()),
		)
	})
}

// severityRank orders the severity words alerting rules use, in any case.
func severityRank(severity string) int {
	switch strings.ToLower(strings.TrimSpace(severity)) {
	case "critical", "page", "high", "fatal", "emergency":
		return 0
	case "error", "major":
		return 1
	case "warning", "warn", "minor", "medium":
		return 2
	case "info", "informational", "low", "none", "":
		return 3
	}
	return 4
}

// MaxAlertsShown caps the alerts a list shows. The cut comes after
// SortAlerts, so that a firing page is never hidden behind a thousand
// pending infos; picking one by name searches them all.
const MaxAlertsShown = 1000

// ShownAlerts is the head of sorted alerts a list shows, and the line
// that says it was cut ("" when it was not).
func ShownAlerts(alerts []Alert) ([]Alert, string) {
	if len(alerts) <= MaxAlertsShown {
		return alerts, ""
	}
	return alerts[:MaxAlertsShown], fmt.Sprintf("%s of %s alerts shown: firing, unmuted and most severe first",
		Thousands(MaxAlertsShown), Thousands(len(alerts)))
}

// MergeAlerts joins the Prometheus's alerts with an Alertmanager's: an
// alert both hold is listed once, with Alertmanager's marks (silenced,
// inhibited) and the Prometheus's onset (activeAt, when it became
// pending; Alertmanager's startsAt is when it began firing). Alertmanager
// adds the external labels, so a match is the same name and every label
// of the Prometheus's alert.
func MergeAlerts(fromPrometheus, fromAlertmanager []Alert) []Alert {
	out := slices.Clone(fromAlertmanager)
	for _, p := range fromPrometheus {
		i := slices.IndexFunc(out, func(a Alert) bool {
			return a.Source == "alertmanager" && a.Name == p.Name && hasLabels(a.Labels, p.Labels)
		})
		if i < 0 {
			out = append(out, p)
			continue
		}
		if !p.ActiveAt.IsZero() && (out[i].ActiveAt.IsZero() || p.ActiveAt.Before(out[i].ActiveAt)) {
			out[i].ActiveAt = p.ActiveAt
		}
		if out[i].Condition == "" {
			out[i].Condition = p.Condition
		}
	}
	SortAlerts(out)
	return out
}

func hasLabels(all, some map[string]string) bool {
	for k, v := range some {
		if w, ok := all[k]; !ok || w != v {
			return false
		}
	}
	return true
}
