package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/backendtest"
	"github.com/scaletriage/scaletriage/report"
)

// fleetScenario is a generated fleet of n services (jobs) behind one
// Prometheus, not committed: svc-0007 at 2 requests/s (low traffic, but
// real) slowed down 10x; every tenth service is slower the day before as
// now (chronic); the others are healthy at 10 to 100 requests/s. The
// service graph chains them (n-1 edges).
func fleetScenario(n int) scenarioSpec {
	return scenarioSpec{name: fmt.Sprintf("fleet-%d", n), at: scenarioAt(0), latency: latencyHealthy,
		tune: func(bg *scBackground) { bg.noApp = true },
		incident: func(b *scenarioBuilder) {
			for i := range n {
				name := fmt.Sprintf("svc-%04d", i)
				rps, healthy, incident := float64(10+i%91), latencyHealthy, latencyHealthy
				switch {
				case i == 7:
					rps, incident = 2, latencySlowQueries
				case i%10 == 3:
					healthy, incident = latencySlower, latencySlower
				}
				b.histogram("http_request_duration_seconds", scFlat(rps), healthy, incident,
					"job", name, "instance", name+"-1:8080", "handler", "/", "method", "get", "code", "200")
			}
			// A call chain through the fleet: svc-0000 -> svc-0001 -> ...
			edges := make([]scEdge, 0, n)
			for i := 1; i < n; i++ {
				edges = append(edges, scEdge{fmt.Sprintf("svc-%04d", i-1), fmt.Sprintf("svc-%04d", i), 1})
			}
			serviceGraph(b, edges)
		}}
}

// startFleet backfills the fleet into a real Prometheus (Debian's) and
// returns its URL.
func startFleet(t *testing.T, sc scenarioSpec) string {
	t.Helper()
	srv := scenarioServers[0]
	if srv.name != backendPrometheus {
		t.Fatalf("scenarioServers[0] is %s", srv.name)
	}
	bins := locateBins(t, srv)
	file := filepath.Join(t.TempDir(), sc.name+".om")
	if err := os.WriteFile(file, sc.generate(), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv.start(t, bins, []string{file})
}

// samplesProxy sits in front of a Prometheus, asks every query for its
// statistics (stats=all) and adds up the samples each one read
// (totalQueryableSamples), so that a test can state a command's cost.
type samplesProxy struct {
	mu      sync.Mutex
	samples int64
	queries int
}

func (p *samplesProxy) start(t *testing.T, target string) string {
	t.Helper()
	u, err := neturl.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		if !strings.HasPrefix(r.Out.URL.Path, "/api/v1/query") {
			return
		}
		q := r.Out.URL.Query()
		q.Set("stats", "all")
		r.Out.URL.RawQuery = q.Encode()
	}}
	rp.ModifyResponse = func(resp *http.Response) error {
		if !strings.HasPrefix(resp.Request.URL.Path, "/api/v1/query") {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var reply backendtest.Reply
		_ = json.Unmarshal(body, &reply)
		p.mu.Lock()
		p.samples += reply.Samples()
		p.queries++
		p.mu.Unlock()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Del("Content-Length")
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return srv.URL
}

func (p *samplesProxy) take() (queries int, samples int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	queries, samples = p.queries, p.samples
	p.queries, p.samples = 0, 0
	return queries, samples
}

// TestServicesFleet ranks a generated fleet of several hundred services
// on a real Prometheus: the low-traffic service that slowed down ranks
// first and is the only anomalous one, every service is ranked (no
// per-signal cap of 50), the text says how many it shows, and the cost is
// logged (queries, samples the engine read). SCALETRIAGE_FLEET_SIZES
// (e.g. "40,400,2000") measures other sizes; 400 by default.
func TestServicesFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("backfills a generated fleet")
	}
	sizes := []int{400}
	if env := os.Getenv("SCALETRIAGE_FLEET_SIZES"); env != "" {
		sizes = nil
		for _, s := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			sc := fleetScenario(n)
			var proxy samplesProxy
			url := proxy.start(t, startFleet(t, sc))
			at := sc.at.Format(time.RFC3339)
			code, out, errOut := scenarioCLI(context.Background(), "services", "--format", "json", "--prometheus-url", url, "--at", at)
			queries, samples := proxy.take()
			if code != exitOK {
				t.Fatalf("services exit %d: %s", code, errOut)
			}
			var doc report.ServicesV1
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			code, text, _ := scenarioCLI(context.Background(), "services", "--prometheus-url", url, "--at", at)
			t.Logf("%d services: %d ranked, %d queries, %d samples read (stats=all); notes %q", n, len(doc.Services), queries, samples, doc.Notes)
			if n > report.ServicesRead {
				// Over the client's cap on one answer: ranked server-side
				// (the services that moved), and said.
				if len(doc.Notes) == 0 || !strings.Contains(doc.Notes[0], "ranked server-side with topk") {
					t.Errorf("%d services, over the cap of %d: notes %q", n, report.ServicesRead, doc.Notes)
				}
			} else if len(doc.Services) != n {
				t.Errorf("%d services ranked, want all %d", len(doc.Services), n)
			}
			if got := anomalousSet(doc); len(got) != 1 || got[0] != "svc-0007" || doc.Services[0].Name != "svc-0007" {
				t.Errorf("anomalous %v, first %s: want svc-0007 alone, first", got, doc.Services[0].Name)
			}
			// Its callers are read (all of them up to the cap; beyond it
			// the busiest edges need not be its own).
			if n <= report.ServicesRead && !doc.Services[0].Root {
				t.Errorf("svc-0007 is not the root: %+v", doc.Services[0])
			}
			if !doc.Graph {
				t.Errorf("no call graph read (notes %q)", doc.Notes)
			}
			if code != exitOK || n > report.ServicesShown && n <= report.ServicesRead && !strings.Contains(text, fmt.Sprintf("%d of %d services shown, ranked by change", report.ServicesShown, n)) {
				t.Errorf("text does not say the cut:\n%s", text)
			}
		})
	}
}
