package prom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// backendKind is the query engine behind the URL, as far as its own
// endpoints tell: what it needs from us differs (Thanos: dedup=true).
type backendKind int32

const (
	kindUnknown backendKind = iota
	kindPrometheus
	kindThanos
	kindVictoriaMetrics
)

// Backend implements Querier: the engine and its version as the server
// states them, e.g. "prometheus 2.42.0", "thanos querier",
// "victoriametrics"; "" when nothing tells (Mimir, proxies). Four small
// reads run together: buildinfo (Prometheus, Thanos), Thanos' store list
// and VictoriaMetrics' top queries, which the others do not serve, and
// Prometheus' runtimeinfo (its cores: fitConcurrency). A
// version string is only shown, never used to guess features: builds from
// source state none. The kind is kept for the queries that follow.
func (c *Client) Backend(ctx context.Context) string {
	var (
		wg                 sync.WaitGroup
		version, goVersion string
		stores             map[string][]thanosStore
		storesOK, vm       bool
		runtime            struct {
			Data struct {
				GOMAXPROCS int `json:"GOMAXPROCS"`
			} `json:"data"`
		}
	)
	wg.Go(func() { c.getJSON(ctx, "/api/v1/status/runtimeinfo", &runtime) })
	wg.Go(func() {
		_ = c.do(ctx, func(ctx context.Context, _ time.Duration) error {
			bi, err := c.api.Buildinfo(ctx)
			version, goVersion = triage.Sanitize(bi.Version), bi.GoVersion
			return err
		})
	})
	wg.Go(func() {
		var reply struct {
			TopN json.RawMessage `json:"topN"`
		}
		vm = c.getJSON(ctx, "/api/v1/status/top_queries", &reply) && len(reply.TopN) > 0
	})
	wg.Go(func() {
		var reply struct {
			Status string                   `json:"status"`
			Data   map[string][]thanosStore `json:"data"`
		}
		storesOK = c.getJSON(ctx, "/api/v1/stores", &reply) && reply.Status == "success"
		stores = reply.Data
	})
	wg.Wait()

	kind, name := kindUnknown, ""
	switch {
	case storesOK:
		kind, name = kindThanos, "thanos querier"
	case vm:
		kind, name = kindVictoriaMetrics, "victoriametrics"
	case version != "" || goVersion != "":
		kind, name = kindPrometheus, "prometheus"
	}
	if version != "" {
		name += " " + version
	} else if kind == kindPrometheus {
		name += " (version not stated)"
	}
	c.kind.Store(int32(kind))
	c.setStoreNotes(stores)
	c.fitConcurrency(runtime.Data.GOMAXPROCS)
	return name
}

// fitConcurrency keeps the requests in flight at or under the server's
// cores (Prometheus' runtimeinfo GOMAXPROCS) unless the user chose a
// concurrency: each PromQL query runs on one core, so on a small server more
// at once only slow the slowest, which the pass waits for. Measured against
// a 2-core Prometheus (README "Performance"): 5 in flight made a report 1.38x
// its slowest query at 100k series and 1.43x at 500k; 2 made it 1.20x and
// 1.21x.
func (c *Client) fitConcurrency(cores int) {
	if c.concurrencySet || cores <= 0 || cores >= cap(*c.slots.Load()) {
		return
	}
	slots := make(chan struct{}, cores)
	c.slots.Store(&slots)
}

// Concurrency is how many requests may be in flight now.
func (c *Client) Concurrency() int { return cap(*c.slots.Load()) }

// thanosStore is one endpoint in a Thanos querier's /api/v1/stores answer.
type thanosStore struct {
	Name      string `json:"name"`
	LastError string `json:"lastError"`
}

// setStoreNotes keeps, for the report, every store endpoint the querier
// failed to reach: its answers may then lack that store's data (or, with
// partial responses refused, fail).
func (c *Client) setStoreNotes(stores map[string][]thanosStore) {
	var notes []string
	for typ, list := range stores {
		for _, s := range list {
			if s.LastError != "" {
				notes = append(notes, fmt.Sprintf("Thanos %s store %s is unreachable: %s", triage.Sanitize(typ), triage.Sanitize(s.Name), triage.Sanitize(s.LastError)))
			}
		}
	}
	slices.Sort(notes)
	c.storeNotes.Store(&notes)
}

// StoreNotes are the Thanos store endpoints found unreachable by the last
// Backend call; nil for other engines.
func (c *Client) StoreNotes() []string {
	if p := c.storeNotes.Load(); p != nil {
		return *p
	}
	return nil
}

// getJSON reads a GET endpoint v1.API lacks into out; false on any failure
// (an engine that does not serve it answers 404).
func (c *Client) getJSON(ctx context.Context, path string, out any) bool {
	ok := false
	_ = c.do(ctx, func(ctx context.Context, _ time.Duration) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.raw.URL(path, nil).String(), nil)
		if err != nil {
			return err
		}
		resp, body, err := c.raw.Do(ctx, req)
		if err != nil {
			return err
		}
		ok = resp.StatusCode == http.StatusOK && json.Unmarshal(body, out) == nil
		return nil
	})
	return ok
}

// queryParams are the parameters every query carries. Thanos returns
// partial data with a warning unless told not to (sent to every engine:
// the others ignore it, and a query may precede Backend), and
// deduplicates an HA pair only when asked: its default is on, but a
// querier can be started otherwise.
func queryParams(kind backendKind) map[string]string {
	if kind == kindThanos {
		return map[string]string{"partial_response": "false", "dedup": "true"}
	}
	return map[string]string{"partial_response": "false"}
}

// isQueryPath reports whether a request evaluates PromQL.
func isQueryPath(path string) bool {
	return strings.HasSuffix(path, "/api/v1/query") || strings.HasSuffix(path, "/api/v1/query_range")
}
