package prom

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// TestBackends holds one case per entry of backends, and the cases of no
// engine at all: what its probes answer, the name the report shows, the
// parameters a query then carries, how its warnings and infos are read
// and the stores it could not reach. An entry without a case fails.
func TestBackends(t *testing.T) {
	const (
		thanosStoresBody = `{"status":"success","data":{"sidecar":[{"name":"127.0.0.1:19911","lastError":"rpc error: connection refused\u001b[2J"},{"name":"127.0.0.1:19901","lastError":null}]}}`
		thanosInfo       = "PromQL info: metric might not be a counter"
		storeDown        = "fetch series for {replica=\"b\"}: connection error"
	)
	type answer struct {
		warnings, infos []string
	}
	tests := []struct {
		entry  string // the backends entry; "" for no engine detected
		probes map[string]string
		want   string
		notes  []string
		params string // what a query then carries
		// heard is what a query answers (warnings, infos), read is how
		// the client files it.
		heard, read answer
	}{
		{entry: "prometheus", probes: map[string]string{buildinfoPath: `{"status":"success","data":{"version":"2.42.0+ds"}}`},
			want: "prometheus 2.42.0+ds", params: "partial_response=false",
			heard: answer{warnings: []string{"w"}, infos: []string{"PromQL info: i"}}, read: answer{warnings: []string{"w"}, infos: []string{"PromQL info: i"}}},
		// Built from source (go install): no version, but a Go version.
		{entry: "prometheus", probes: map[string]string{buildinfoPath: `{"status":"success","data":{"version":"","goVersion":"go1.26.8"}}`},
			want: "prometheus (version not stated)", params: "partial_response=false"},
		{entry: "victoriametrics", probes: map[string]string{buildinfoPath: `{"status":"success","data":{}}`, "/api/v1/status/top_queries": `{"topN":"20","topByCount":[]}`},
			want: "victoriametrics", params: "partial_response=false"},
		{entry: "thanos querier", probes: map[string]string{buildinfoPath: `{"status":"success","data":{"version":"0.41.0"}}`, "/api/v1/stores": thanosStoresBody},
			want:   "thanos querier 0.41.0",
			notes:  []string{"Thanos sidecar store 127.0.0.1:19911 is unreachable: rpc error: connection refused␛[2J"},
			params: "dedup=true&partial_response=false",
			heard:  answer{warnings: []string{thanosInfo, storeDown}}, read: answer{warnings: []string{storeDown}, infos: []string{thanosInfo}}},
		// Nothing tells (Mimir, a proxy): every engine's refusal of partial
		// answers still goes, and Thanos' infos are still infos.
		{probes: map[string]string{buildinfoPath: `{"status":"success","data":{}}`}, params: "partial_response=false",
			heard: answer{warnings: []string{thanosInfo}}, read: answer{infos: []string{thanosInfo}}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.entry] = true
		var sent string
		f := newFake(t, func(r *http.Request) fakeAnswer {
			for path, body := range tt.probes {
				if strings.HasSuffix(r.URL.Path, path) {
					return fakeAnswer{body: body}
				}
			}
			if strings.HasSuffix(r.URL.Path, "/query") {
				sent = r.URL.RawQuery
				return fakeAnswer{body: resultBody(tt.heard.warnings, tt.heard.infos)}
			}
			return fakeAnswer{status: 404, contentType: "text/plain", body: "404 page not found"}
		})
		c := newTestClient(t, f.URL, time.Second)
		if got := c.Backend(context.Background()); got != tt.want {
			t.Errorf("backend %q, want %q", got, tt.want)
		}
		if got := c.Source().Unreachable; !slices.Equal(got, tt.notes) {
			t.Errorf("%s: store notes %q, want %q", tt.want, got, tt.notes)
		}
		res, err := c.Instant(context.Background(), "up", time.Unix(1, 0))
		if err != nil {
			t.Fatal(err)
		}
		if sent != tt.params {
			t.Errorf("%s: a query carried %q, want %q", tt.want, sent, tt.params)
		}
		if !slices.Equal(res.Warnings, tt.read.warnings) || !slices.Equal(res.Infos, tt.read.infos) {
			t.Errorf("%s: warnings %q infos %q, want %q and %q", tt.want, res.Warnings, res.Infos, tt.read.warnings, tt.read.infos)
		}
	}
	for _, b := range backends {
		if !covered[b.name] {
			t.Errorf("backend %q has no case in TestBackends", b.name)
		}
	}
}

// resultBody is a one-sample vector answer with the given annotations.
func resultBody(warnings, infos []string) string {
	quoted := func(list []string) string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
		}
		return "[" + strings.Join(out, ",") + "]"
	}
	return `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]},"warnings":` +
		quoted(warnings) + `,"infos":` + quoted(infos) + `}`
}

// Collect's snapshot carries the querier's whole description of the server
// with the backend it named; when nothing could be read, the error names
// the unreachable stores (the likely reason).
func TestCollectDescribesTheSource(t *testing.T) {
	cat := triage.DefaultCatalog()
	described := triage.Source{URL: "http://prom:9090", RedirectedTo: "http://prom:9090/new", ClockSkew: time.Hour,
		Unreachable: []string{"Thanos sidecar store b:10901 is unreachable: connection refused"}}
	snap, err := Collect(context.Background(), constQuerier{names: catalogMetricNames(cat), source: described}, cat, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	want := described
	want.Backend = "prometheus test"
	if !reflect.DeepEqual(snap.Source, want) {
		t.Errorf("source %+v, want %+v", snap.Source, want)
	}
	_, err = Collect(context.Background(), constQuerier{source: described}, cat, Options{At: testAt})
	if err == nil || !strings.HasSuffix(err.Error(), "; "+described.Unreachable[0]) {
		t.Errorf("nothing read: %v, want the unreachable store named", err)
	}
}
