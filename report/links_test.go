package report

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

func linkSnap(source string) *triage.Snapshot {
	return &triage.Snapshot{Source: triage.Source{URL: source}, At: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), Window: 15 * time.Minute}
}

// The Prometheus link is the expression browser on the configured URL, its
// path prefix kept, g0.expr first (the 2.x UI reads the rest after it).
func TestPrometheusLinkKeepsThePrefixAndTheWindow(t *testing.T) {
	const expr = `sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))`
	for _, base := range []string{
		"http://prom:9090",
		"http://thanos-query:10902/thanos",
		"http://vmselect:8481/select/0/prometheus",
		"https://mimir.example/prometheus/",
		"http://alice:s3cret@prom:9090",
	} {
		got := LinkerFor(linkSnap(base), Grafana{}).For(expr).Prometheus
		want := strings.TrimRight(strings.Replace(base, "alice:s3cret@", "", 1), "/") + "/graph?g0.expr="
		if !strings.HasPrefix(got, want) || strings.Contains(got, "s3cret") {
			t.Errorf("%s: %s, want it to start %s", base, got, want)
			continue
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if q.Get("g0.expr") != expr || q.Get("g0.tab") != "0" || q.Get("g0.range_input") != "15m" ||
			q.Get("g0.end_input") != "2026-03-02 12:00:00" || q.Get("g0.moment_input") != "2026-03-02 12:00:00" {
			t.Errorf("%s: parameters %v", base, q)
		}
	}
}

// Grafana Explore gets the expression on the datasource over the absolute
// range; a Prometheus reached through Grafana's datasource proxy links there
// (its prefix included) and not to a /graph the proxy does not serve.
func TestGrafanaExploreLinks(t *testing.T) {
	const expr = "up"
	for _, tt := range []struct {
		name, source string
		grafana      Grafana
		wantBase     string
		wantUID      string
		wantOrg      string
		prometheus   bool
	}{
		{"configured", "http://prom:9090", Grafana{URL: "https://grafana.example/", DatasourceUID: "P1809F7CD0C75ACF3", OrgID: 2},
			"https://grafana.example/explore?", "P1809F7CD0C75ACF3", "2", true},
		{"datasource proxy", "https://grafana.example/g/api/datasources/proxy/uid/abc123", Grafana{},
			"https://grafana.example/g/explore?", "abc123", "1", false},
		{"datasource proxy by numeric id: no uid, no link", "https://grafana.example/api/datasources/proxy/7", Grafana{}, "", "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := LinkerFor(linkSnap(tt.source), tt.grafana).For(expr)
			if (l.Prometheus != "") != tt.prometheus {
				t.Errorf("Prometheus link %q, want one: %v", l.Prometheus, tt.prometheus)
			}
			if tt.wantBase == "" {
				if l.Grafana != "" {
					t.Errorf("Grafana link %q, want none", l.Grafana)
				}
				return
			}
			if !strings.HasPrefix(l.Grafana, tt.wantBase) {
				t.Fatalf("Grafana link %q, want it to start %s", l.Grafana, tt.wantBase)
			}
			u, _ := url.Parse(l.Grafana)
			var panes map[string]struct {
				Datasource string
				Queries    []struct {
					RefID, Expr string
					Datasource  struct{ Type, UID string }
				}
				Range struct{ From, To string }
			}
			if err := json.Unmarshal([]byte(u.Query().Get("panes")), &panes); err != nil {
				t.Fatalf("panes: %v", err)
			}
			p := panes["a"]
			if u.Query().Get("orgId") != tt.wantOrg || u.Query().Get("schemaVersion") != "1" || p.Datasource != tt.wantUID || len(p.Queries) != 1 ||
				p.Queries[0].Expr != expr || p.Queries[0].Datasource.UID != tt.wantUID || p.Queries[0].Datasource.Type != "prometheus" ||
				p.Range.From != "1772451900000" || p.Range.To != "1772452800000" {
				t.Errorf("Explore state %+v (orgId %s)", p, u.Query().Get("orgId"))
			}
		})
	}
}

// An entity's link narrows the query it came from to that entity's series,
// whatever the query computed its labels from; values are PromQL strings.
func TestEntityQueryNarrowsToTheEntity(t *testing.T) {
	for _, tt := range []struct {
		query  string
		labels map[string]string
		want   string
	}{
		{"max by (instance) (x)", nil, "max by (instance) (x)"},
		{"max by (instance) (x)", map[string]string{"instance": "db-a:9100"},
			`(max by (instance) (x)) and on (instance) label_replace(vector(1), "instance", "db-a:9100", "", "")`},
		{"q", map[string]string{"role": "replica", "instance": `we"ird$1`},
			`(q) and on (instance, role) label_replace(label_replace(vector(1), "instance", "we\"ird$$1", "", ""), "role", "replica", "", "")`},
	} {
		if got := EntityQuery(tt.query, tt.labels); got != tt.want {
			t.Errorf("%v:\n got %s\nwant %s", tt.labels, got, tt.want)
		}
	}
}
