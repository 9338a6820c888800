package backendtest

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ThanosPair is a Thanos querier over an HA pair: two Prometheus replicas
// holding the same data (external label replica="a" and "b"), each with its
// sidecar.
type ThanosPair struct {
	Querier      string // base URL
	StopSidecars []func()
	Sidecars     []string // their gRPC addresses, as the querier lists them
	Replicas     []string // the Prometheus replicas' URLs
}

// StartThanosPair backfills the files once, copies the blocks to the second
// replica, and starts both replicas, their sidecars and a querier (bins
// maps "prometheus", "promtool" and "thanos" to their paths); with dedup,
// the querier merges on the replica label (--query.replica-label), else it
// is started without one, as a misconfigured querier is. It returns once
// the querier counts every sample once.
func StartThanosPair(tb TB, bins map[string]string, files []string, dedup bool) *ThanosPair {
	tb.Helper()
	began := time.Now()
	dir := tb.TempDir()
	first := filepath.Join(dir, "a")
	if err := Backfill(bins["promtool"], files, first); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", first, filepath.Join(dir, "b")).CombinedOutput(); err != nil {
		tb.Fatalf("copy the blocks: %v\n%s", err, out)
	}
	pair := &ThanosPair{}
	for _, replica := range []string{"a", "b"} {
		data := filepath.Join(dir, replica)
		config := filepath.Join(dir, replica+".yml")
		// The sidecar refuses a Prometheus without external labels.
		if err := os.WriteFile(config, []byte("global:\n  external_labels:\n    replica: "+replica+"\n"), 0o600); err != nil {
			tb.Fatal(err)
		}
		prom := StartPrometheus(tb, Prometheus{Bin: bins["prometheus"], Config: config, Data: data, Backfilled: true})
		grpc, http := "127.0.0.1:"+Port(tb), "127.0.0.1:"+Port(tb)
		stop := StartDaemon(tb, bins["thanos"], []string{"sidecar",
			"--tsdb.path=" + data, "--prometheus.url=" + prom.URL,
			"--grpc-address=" + grpc, "--http-address=" + http, "--log.level=warn",
		}, "http://"+http, "/-/ready")
		pair.StopSidecars = append(pair.StopSidecars, stop)
		pair.Replicas = append(pair.Replicas, prom.URL)
		pair.Sidecars = append(pair.Sidecars, grpc)
	}
	pair.Querier = StartQuerier(tb, bins["thanos"], pair.Sidecars, dedup)
	ready := time.Since(began)
	waitSameSeries(tb, pair.Querier, pair.Replicas[0], CountSamples(tb, files), 60*time.Second)
	tb.Logf("Thanos HA pair (dedup %v) over %d scenarios: started in %s, every sample visible %s later", dedup, len(files), ready.Round(time.Millisecond), (time.Since(began) - ready).Round(time.Millisecond))
	return pair
}

// StartQuerier starts a Thanos querier over the store endpoints, merging
// on the replica label when dedup, and returns its URL once it lists every
// endpoint as reachable.
func StartQuerier(tb TB, thanos string, endpoints []string, dedup bool) string {
	tb.Helper()
	port := Port(tb)
	querier := "http://127.0.0.1:" + port
	args := []string{"query", "--http-address=127.0.0.1:" + port, "--grpc-address=127.0.0.1:" + Port(tb), "--log.level=warn"}
	for _, e := range endpoints {
		args = append(args, "--endpoint="+e)
	}
	if dedup {
		args = append(args, "--query.replica-label=replica")
	}
	StartDaemon(tb, thanos, args, querier, "/-/ready")
	WaitStores(tb, querier, func(stores map[string]string) bool {
		for _, e := range endpoints {
			if failed, listed := stores[e]; !listed || failed != "" {
				return false
			}
		}
		return true
	})
	return querier
}

// WaitStores polls the querier's store list (endpoint -> last error) until
// ok says it is as wanted, for at most 60 s.
func WaitStores(tb TB, querier string, ok func(map[string]string) bool) {
	tb.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	var last map[string]string
	for time.Now().Before(deadline) {
		if resp, err := client.Get(querier + "/api/v1/stores"); err == nil {
			var reply struct {
				Data map[string][]struct {
					Name      string `json:"name"`
					LastError string `json:"lastError"`
				} `json:"data"`
			}
			err := json.NewDecoder(resp.Body).Decode(&reply)
			resp.Body.Close()
			if err == nil {
				last = map[string]string{}
				for _, list := range reply.Data {
					for _, st := range list {
						last[st.Name] = st.LastError
					}
				}
				if ok(last) {
					return
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("the querier's stores did not settle as wanted within 60 s: %v", last)
}

// waitSameSeries waits until a querier counts, at the last instant of each
// file, as many series as a replica holding the data: every store is
// listed and its whole time range served, each series once. (A sample count
// as in WaitSearchable cannot run there: count_over_time drops the metric
// name, and series of different metrics with the same labels collide.)
func waitSameSeries(tb TB, querier, replica string, got []Loaded, limit time.Duration) {
	tb.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	const q = `count({__name__=~".+"})`
	for _, l := range got {
		want, err := Scalar(client, replica, q, l.To)
		if err != nil || want == 0 {
			tb.Fatalf("replica %s: %s at %d = %v (%v)", replica, q, l.To, want, err)
		}
		for {
			n, err := Scalar(client, querier, q, l.To)
			if err == nil && n == want {
				break
			}
			if time.Now().After(deadline) {
				tb.Fatalf("Thanos querier: %s at %d = %v (%v), the replica has %v", q, l.To, n, err, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
