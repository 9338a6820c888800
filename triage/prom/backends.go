package prom

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// backend is one kind of query server (docs/architecture.md#glossary: a
// backend; an engine is the software a signal measures) and everything the
// client does differently for it. What a backend needs from us is here and
// nowhere else: a new one (Mimir, a VictoriaMetrics cluster and its
// isPartial) is one entry in backends, one case in TestBackends and one row
// in the scenario matrix (internal/backendtest's Kinds).
type backend struct {
	// name is the backend as the report names it, before its version.
	name string
	// probe is a GET endpoint the backend serves and detects reads its
	// answer (a 200 JSON body): the backend is the first entry in table
	// order whose probe says yes, so a backend that also serves another's
	// endpoints (Thanos serves buildinfo) comes before it.
	probe   string
	detects func(body []byte) bool
	// unversioned is said after the name when the backend states no
	// version (a build from source): a version string is only shown, never
	// used to guess features.
	unversioned string
	// refusePartial are the parameters that make the backend fail a query
	// it cannot answer whole instead of answering part of it. They go on
	// every query to every backend: the others ignore them, and a query may
	// precede detection.
	refusePartial map[string]string
	// params go on every query once the backend is detected.
	params map[string]string
	// infoPrefix marks the backend's info annotations among its warnings:
	// such a warning is an info and does not make an answer partial. Read
	// whichever backend answered, for the same reasons as refusePartial.
	infoPrefix string
	// storeNotes reads the probe's answer for the stores the backend could
	// not reach, for the report; nil when it federates nothing.
	storeNotes func(body []byte) []string
}

// backends are the kinds the client tells apart, in detection order.
// Deduplication is not an entry's: Thanos merges an HA pair itself with
// dedup=true when its replica label is set, VictoriaMetrics only pairs
// whose labels are identical, and a pair that reaches us unmerged through
// any backend is reduced over replicaLabels by the collector (dedup.go).
var backends = []*backend{
	{
		name:    "thanos querier",
		probe:   "/api/v1/stores",
		detects: thanosDetects,
		// Thanos returns partial data with a warning unless told not to,
		// and deduplicates an HA pair only when asked: its default is on,
		// but a querier can be started otherwise.
		refusePartial: map[string]string{"partial_response": "false"},
		params:        map[string]string{"dedup": "true"},
		// It returns the PromQL engine's infos among its warnings ("PromQL info:
		// metric might not be a counter...").
		infoPrefix: "PromQL info:",
		storeNotes: thanosStoreNotes,
	},
	{
		name:    "victoriametrics",
		probe:   "/api/v1/status/top_queries",
		detects: victoriaMetricsDetects,
	},
	{
		name:        "prometheus",
		probe:       buildinfoPath,
		detects:     prometheusDetects,
		unversioned: " (version not stated)",
	},
}

// replicaLabels are the labels that tell the two members of an HA pair
// apart: the Thanos convention, prometheus-operator's default and Cortex's
// HA tracker's. Two series differing only in one of them are one series
// scraped twice; every sum over them counts it twice. They are looked for
// whatever the backend (beside detection, before it is known).
var replicaLabels = []string{"replica", "prometheus_replica", "__replica__"}

const (
	buildinfoPath   = "/api/v1/status/buildinfo"
	runtimeinfoPath = "/api/v1/status/runtimeinfo"
)

// buildinfo is what Prometheus and Thanos say of their build.
type buildinfo struct {
	Data struct {
		Version   string `json:"version"`
		GoVersion string `json:"goVersion"`
	} `json:"data"`
}

// prometheusDetects: a build states a version or at least a Go version.
func prometheusDetects(body []byte) bool {
	var bi buildinfo
	return json.Unmarshal(body, &bi) == nil && (bi.Data.Version != "" || bi.Data.GoVersion != "")
}

// victoriaMetricsDetects: its top queries, which no other backend serves.
func victoriaMetricsDetects(body []byte) bool {
	var reply struct {
		TopN json.RawMessage `json:"topN"`
	}
	return json.Unmarshal(body, &reply) == nil && len(reply.TopN) > 0
}

// thanosStores is a Thanos querier's /api/v1/stores answer: its store
// endpoints by type.
type thanosStores struct {
	Status string `json:"status"`
	Data   map[string][]struct {
		Name      string `json:"name"`
		LastError string `json:"lastError"`
	} `json:"data"`
}

func thanosDetects(body []byte) bool {
	var reply thanosStores
	return json.Unmarshal(body, &reply) == nil && reply.Status == "success"
}

// thanosStoreNotes are the store endpoints the querier failed to reach:
// its answers may then lack that store's data (or, with partial responses
// refused, fail).
func thanosStoreNotes(body []byte) []string {
	var reply thanosStores
	if json.Unmarshal(body, &reply) != nil {
		return nil
	}
	var notes []string
	for typ, list := range reply.Data {
		for _, s := range list {
			if s.LastError != "" {
				notes = append(notes, fmt.Sprintf("Thanos %s store %s is unreachable: %s", triage.Sanitize(typ), triage.Sanitize(s.Name), triage.Sanitize(s.LastError)))
			}
		}
	}
	slices.Sort(notes)
	return notes
}

// Backend implements Querier: the backend and its version as the server
// states them, e.g. "prometheus 2.42.0", "thanos querier",
// "victoriametrics"; "" when nothing tells (Mimir, proxies). The backend is
// kept for the queries that follow, and its store notes for Source.
func (c *Client) Backend(ctx context.Context) string {
	answers := c.probeBackends(ctx)
	var runtime struct {
		Data struct {
			GOMAXPROCS int `json:"GOMAXPROCS"`
		} `json:"data"`
	}
	var bi buildinfo
	_ = json.Unmarshal(answers[runtimeinfoPath], &runtime)
	_ = json.Unmarshal(answers[buildinfoPath], &bi)
	detected, notes := detect(answers)
	c.detected.Store(detected)
	c.storeNotes.Store(&notes)
	c.fitConcurrency(runtime.Data.GOMAXPROCS)
	return detected.named(triage.Sanitize(bi.Data.Version))
}

// probeBackends reads, together and once each, the probe of every entry of
// backends, buildinfo (the version) and Prometheus' runtimeinfo (its cores:
// fitConcurrency): the answers by path, nil where none was usable.
func (c *Client) probeBackends(ctx context.Context) map[string][]byte {
	paths := []string{runtimeinfoPath, buildinfoPath}
	for _, b := range backends {
		if !slices.Contains(paths, b.probe) {
			paths = append(paths, b.probe)
		}
	}
	bodies := make([][]byte, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Go(func() { bodies[i] = c.getJSON(ctx, path) })
	}
	wg.Wait()
	answers := make(map[string][]byte, len(paths))
	for i, path := range paths {
		answers[path] = bodies[i]
	}
	return answers
}

// detect is the first entry of backends whose probe says yes, with the
// stores it could not reach; nil when none does.
func detect(answers map[string][]byte) (*backend, []string) {
	for _, b := range backends {
		body := answers[b.probe]
		if body == nil || !b.detects(body) {
			continue
		}
		if b.storeNotes == nil {
			return b, nil
		}
		return b, b.storeNotes(body)
	}
	return nil, nil
}

// named is the backend's name with the version the server states; "" for
// none detected.
func (b *backend) named(version string) string {
	switch {
	case b == nil:
		return ""
	case version != "":
		return b.name + " " + version
	}
	return b.name + b.unversioned
}

// fitConcurrency keeps the requests in flight at or under the server's
// cores (Prometheus' runtimeinfo GOMAXPROCS) unless the user chose a
// concurrency: each PromQL query runs on one core, so on a small server more
// at once only slow the slowest, which the pass waits for
// (docs/facts.md#concurrency-against-the-servers-cores).
func (c *Client) fitConcurrency(cores int) {
	if c.concurrencySet || cores <= 0 || cores >= c.gate.size() {
		return
	}
	c.gate.resize(cores)
}

// Slots implements Querier: how many requests may be in flight now.
func (c *Client) Slots() int { return c.gate.size() }

// StoreNotes are the stores the backend found unreachable at the last
// Backend call; nil for backends that federate nothing.
func (c *Client) StoreNotes() []string {
	if p := c.storeNotes.Load(); p != nil {
		return *p
	}
	return nil
}

// getJSON reads a GET endpoint v1.API lacks: its body when it answers 200,
// nil on any failure (a backend that does not serve it answers 404).
func (c *Client) getJSON(ctx context.Context, path string) []byte {
	var out []byte
	_ = c.do(ctx, func(ctx context.Context, _ time.Duration) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.raw.URL(path, nil).String(), nil)
		if err != nil {
			return err
		}
		resp, body, err := c.raw.Do(ctx, req)
		if err != nil {
			return err
		}
		if resp.StatusCode == http.StatusOK && json.Valid(body) {
			out = body
		}
		return nil
	})
	return out
}

// queryParams are the parameters a query carries: every backend's
// refusePartial, then the detected backend's own (nil: none detected yet).
func queryParams(detected *backend) map[string]string {
	out := map[string]string{}
	for _, b := range backends {
		maps.Copy(out, b.refusePartial)
	}
	if detected != nil {
		maps.Copy(out, detected.params)
	}
	return out
}

// splitInfos moves the warnings that are some backend's info annotations
// (infoPrefix) to the infos.
func splitInfos(warns, infos []string) (warnings, allInfos []string) {
	for _, w := range warns {
		if slices.ContainsFunc(backends, func(b *backend) bool { return b.infoPrefix != "" && strings.HasPrefix(w, b.infoPrefix) }) {
			infos = append(infos, w)
		} else {
			warnings = append(warnings, w)
		}
	}
	return warnings, infos
}

// isQueryPath reports whether a request evaluates PromQL.
func isQueryPath(path string) bool {
	return strings.HasSuffix(path, "/api/v1/query") || strings.HasSuffix(path, "/api/v1/query_range")
}
