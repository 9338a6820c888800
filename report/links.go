package report

import (
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scaletriage/scaletriage/prompts"
	"github.com/scaletriage/scaletriage/triage"
)

// Grafana names a Grafana whose Explore view links should open, with the
// uid of its datasource for this Prometheus (config `grafana:`).
type Grafana struct {
	URL           string `yaml:"url"`
	DatasourceUID string `yaml:"datasource_uid"`
	OrgID         int    `yaml:"org_id"`
}

// Links are where to see the series behind a number, at the pass's instant
// and over its window: the Prometheus expression browser and, when one is
// configured, Grafana Explore.
type Links struct {
	Prometheus string `json:"prometheus,omitempty"`
	Grafana    string `json:"grafana,omitempty"`
}

// First is the link to open: Grafana's when there is one (where people
// look), else the Prometheus UI's; "" when there is none.
func (l Links) First() string {
	if l.Grafana != "" {
		return l.Grafana
	}
	return l.Prometheus
}

// orNil is nil for no link at all, so JSON leaves the field out.
func (l Links) orNil() *Links {
	if l == (Links{}) {
		return nil
	}
	return &l
}

// Linker builds Links for one pass. Its URLs carry no credentials: the
// Prometheus URL is the redacted one the report prints.
type Linker struct {
	Prometheus string // base URL, path prefix included
	Grafana    Grafana
	At         time.Time
	Window     time.Duration
}

// LinkerFor links a pass's numbers; a Prometheus reached through Grafana's
// datasource proxy links to Grafana's Explore on that datasource.
func LinkerFor(snap *triage.Snapshot, g Grafana) Linker {
	l := Linker{Prometheus: withoutCredentials(snap.Source.URL), Grafana: g, At: snap.At, Window: snap.Window}
	if base, uid, ok := grafanaProxy(snap.Source.URL); ok {
		l.Prometheus = "" // the proxy serves the API, not the UI
		if l.Grafana.URL == "" {
			l.Grafana = Grafana{URL: base, DatasourceUID: uid}
		}
	}
	return l
}

// withoutCredentials is a URL with no userinfo and no query: the source URL
// is stored redacted, and a link must never be the place a secret leaks.
func withoutCredentials(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// grafanaProxy recognises a Prometheus URL that is Grafana's datasource
// proxy (.../api/datasources/proxy/uid/<uid>): Grafana's base URL and the
// datasource uid. The numeric-id form links nowhere (Explore takes a uid).
func grafanaProxy(raw string) (base, uid string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", false
	}
	prefix, rest, found := strings.Cut(u.Path, "/api/datasources/proxy/")
	if !found {
		return "", "", false
	}
	u.Path = prefix
	uid, _, _ = strings.Cut(strings.TrimPrefix(rest, "uid/"), "/")
	if !strings.HasPrefix(rest, "uid/") || uid == "" {
		return u.String(), "", true
	}
	return u.String(), uid, true
}

// For links expr over the pass's window ending at its instant.
func (l Linker) For(expr string) Links {
	if expr == "" {
		return Links{}
	}
	var out Links
	if l.Prometheus != "" {
		out.Prometheus = l.prometheusLink(expr)
	}
	if l.Grafana.URL != "" && l.Grafana.DatasourceUID != "" {
		out.Grafana = l.grafanaLink(expr)
	}
	return out
}

// prometheusLink is the expression browser's graph tab. g0.expr goes first:
// the 2.x UI reads the other g0 parameters only after it (url.Values
// would sort it after g0.end_input). Prometheus 3 redirects /graph to
// /query keeping them, VictoriaMetrics to its vmui.
func (l Linker) prometheusLink(expr string) string {
	end := l.At.UTC().Format(time.DateTime)
	params := []string{
		"g0.expr=" + url.QueryEscape(expr),
		"g0.tab=0",
		"g0.range_input=" + url.QueryEscape(triage.PromDuration(l.Window)),
		"g0.end_input=" + url.QueryEscape(end),
		"g0.moment_input=" + url.QueryEscape(end),
	}
	return strings.TrimRight(l.Prometheus, "/") + "/graph?" + strings.Join(params, "&")
}

// grafanaLink is Explore with the expression on the datasource over the
// absolute time range (epoch milliseconds, as strings: Explore's URL state).
func (l Linker) grafanaLink(expr string) string {
	type datasource struct {
		Type string `json:"type"`
		UID  string `json:"uid"`
	}
	type query struct {
		RefID      string     `json:"refId"`
		Expr       string     `json:"expr"`
		Range      bool       `json:"range"`
		Datasource datasource `json:"datasource"`
	}
	type pane struct {
		Datasource string            `json:"datasource"`
		Queries    []query           `json:"queries"`
		Range      map[string]string `json:"range"`
	}
	ds := datasource{Type: "prometheus", UID: l.Grafana.DatasourceUID}
	panes, _ := json.Marshal(map[string]pane{"a": {
		Datasource: ds.UID,
		Queries:    []query{{RefID: "A", Expr: expr, Range: true, Datasource: ds}},
		Range: map[string]string{
			"from": strconv.FormatInt(l.At.Add(-l.Window).UnixMilli(), 10),
			"to":   strconv.FormatInt(l.At.UnixMilli(), 10),
		},
	}})
	org := max(l.Grafana.OrgID, 1)
	return strings.TrimRight(l.Grafana.URL, "/") + "/explore?schemaVersion=1&orgId=" + strconv.Itoa(org) + "&panes=" + url.QueryEscape(string(panes))
}

// EntityQuery is the query a reading ran, narrowed to one entity's series:
// the entity's labels as an `and on` filter, which holds whatever the
// query computed them from (a label_replace included).
func EntityQuery(query string, labels map[string]string) string {
	if query == "" || len(labels) == 0 {
		return query
	}
	keys := slices.Sorted(maps.Keys(labels))
	filter := "vector(1)"
	for _, k := range keys {
		filter = "label_replace(" + filter + ", " + strconv.Quote(k) + ", " + promString(labels[k]) + `, "", "")`
	}
	return "(" + query + ") and on (" + strings.Join(keys, ", ") + ") " + filter
}

// promString quotes a label value as a PromQL string literal: the value
// as a regexp replacement, so $ is doubled.
func promString(v string) string { return strconv.Quote(strings.ReplaceAll(v, "$", "$$")) }

// markdownLinks are the links as Markdown: "Graph: [Prometheus](…) · [Grafana](…)".
func markdownLinks(l Links) string {
	var parts []string
	if l.Prometheus != "" {
		parts = append(parts, prompts.MarkdownLink("Prometheus", l.Prometheus))
	}
	if l.Grafana != "" {
		parts = append(parts, prompts.MarkdownLink("Grafana Explore", l.Grafana))
	}
	return "Graph: " + strings.Join(parts, " · ")
}

// ReadingLinks link a reading's query, and each of its entities' series.
func (l Linker) ReadingLinks(r triage.Reading) (Links, []Links) {
	entities := make([]Links, len(r.Entities))
	for i, e := range r.Entities {
		entities[i] = l.For(EntityQuery(r.Query, e.Labels))
	}
	return l.For(r.Query), entities
}

// FindingLinks link the series a finding rests on: its first entity's
// series, else its first signal's query.
func (l Linker) FindingLinks(s *triage.Snapshot, f triage.Finding) Links {
	for _, e := range f.Entities {
		if r, ok := s.Get(e.Signal); ok {
			return l.For(EntityQuery(r.Query, e.Entity.Labels))
		}
	}
	for _, id := range f.Signals {
		if r, ok := s.Get(id); ok && r.Query != "" {
			return l.For(r.Query)
		}
	}
	return Links{}
}
