package backendtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ServeImported starts an empty single-node VictoriaMetrics (bins maps
// "victoria-metrics" to its path), imports every OpenMetrics file through
// /api/v1/import/prometheus (its gotchas:
// docs/facts.md#g6-victoriametrics-import-and-config) and returns its URL
// once every sample is searchable; it stops when the test ends.
func ServeImported(tb TB, bins map[string]string, files []string) string {
	tb.Helper()
	began := time.Now()
	port := Port(tb)
	direct := "http://127.0.0.1:" + port
	StartDaemon(tb, bins["victoria-metrics"], []string{
		"-httpListenAddr=127.0.0.1:" + port,
		"-storageDataPath=" + tb.TempDir(),
		// The default is 1 month; the scenario instants are in 2026-03/04
		// and samples older than the retention are dropped at import.
		"-retentionPeriod=100y",
		// Old samples arrive after the server started: no response cache
		// may remember an answer from before the import.
		"-search.disableCache",
		// No -search.maxStalenessInterval / -search.maxLookback: VM derives
		// the lookback from the median sample interval (30 s here); every
		// scenario instant, the day-before instant and the sparkline's first
		// point fall on a sample, and the 15 s sparkline steps are within
		// one interval of the sample before them. -search.latencyOffset
		// (30 s) only hides the last 30 s before now, months after the data.
		"-loggerLevel=ERROR",
	}, direct, "/health")
	ready := time.Since(began)

	// Convert and import concurrently: each file is one POST.
	got := make([]Loaded, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() {
			om, err := os.ReadFile(f)
			if err != nil {
				errs[i] = err
				return
			}
			text, l, err := OpenMetricsToPromText(om)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %v", filepath.Base(f), err)
				return
			}
			got[i] = l
			resp, err := http.Post(direct+"/api/v1/import/prometheus", "text/plain", bytes.NewReader(text))
			if err != nil {
				errs[i] = fmt.Errorf("import %s: %v", filepath.Base(f), err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNoContent {
				errs[i] = fmt.Errorf("import %s: HTTP %d: %s", filepath.Base(f), resp.StatusCode, body)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	imported := time.Since(began) - ready

	// VM buffers fresh rows for about a second before they are searchable:
	// flush them, then wait until every file's samples are all there.
	client := &http.Client{Timeout: 2 * time.Second}
	if resp, err := client.Get(direct + "/internal/force_flush"); err == nil {
		resp.Body.Close()
	}
	WaitSearchable(tb, "VictoriaMetrics", direct, files, got, 10*time.Second)
	tb.Logf("VictoriaMetrics %s ready in %s, %d scenarios imported in %s, searchable %s later", direct, ready.Round(time.Millisecond), len(files), imported.Round(time.Millisecond), (time.Since(began) - ready - imported).Round(time.Millisecond))
	return direct
}

// Loaded is what one OpenMetrics file holds.
type Loaded struct {
	Samples  int
	From, To int64 // first and last timestamp, seconds
}

// WaitSearchable waits until a server counts every sample of every file (a
// sample count, not just "some data", catches the G6 collapse of timestamps
// as well as a slow flush or a store not yet listed by a querier). Each
// file's samples must lie in a time range no other file's overlaps.
func WaitSearchable(tb TB, what, direct string, files []string, got []Loaded, limit time.Duration) {
	tb.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for i, f := range files {
		// Scenarios are three days apart and each spans about 25 h, so
		// this window holds exactly one file's samples.
		q := fmt.Sprintf(`sum(count_over_time({__name__=~".+"}[%ds]))`, got[i].To-got[i].From+1)
		for {
			n, err := Scalar(client, direct, q, got[i].To)
			if err == nil && n == float64(got[i].Samples) {
				break
			}
			if time.Now().After(deadline) {
				tb.Fatalf("%s: %s: %s = %v (%v), want the %d samples loaded", what, filepath.Base(f), q, n, err, got[i].Samples)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// CountSamples reads what each OpenMetrics file holds.
func CountSamples(tb TB, files []string) []Loaded {
	tb.Helper()
	out := make([]Loaded, len(files))
	for i, f := range files {
		om, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		_, l, err := OpenMetricsToPromText(om)
		if err != nil {
			tb.Fatalf("%s: %v", filepath.Base(f), err)
		}
		out[i] = l
	}
	return out
}

// OpenMetricsToPromText turns an OpenMetrics file into what
// VictoriaMetrics' /api/v1/import/prometheus reads: the Prometheus text
// format with millisecond timestamps (OpenMetrics has seconds) and no
// `# EOF`. The timestamp is rewritten as an exact integer: G6's awk printed
// 1.79572e+12 and collapsed every sample onto one instant.
func OpenMetricsToPromText(om []byte) (text []byte, l Loaded, err error) {
	out := make([]byte, 0, len(om)+len(om)/20)
	for line := range strings.SplitSeq(string(om), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue // TYPE lines are optional in this format; # EOF is not allowed
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			return nil, Loaded{}, fmt.Errorf("no timestamp in %q", line)
		}
		ts, err := strconv.ParseInt(line[i+1:], 10, 64)
		if err != nil {
			return nil, Loaded{}, fmt.Errorf("timestamp in %q: %v", line, err)
		}
		if l.Samples == 0 || ts < l.From {
			l.From = ts
		}
		l.To = max(l.To, ts)
		l.Samples++
		out = append(out, line[:i+1]...)
		out = strconv.AppendInt(out, ts*1000, 10)
		out = append(out, '\n')
	}
	return out, l, nil
}

// Scalar runs an instant query at a unix time that returns one number.
func Scalar(client *http.Client, base, query string, at int64) (float64, error) {
	resp, err := client.PostForm(base+"/api/v1/query", url.Values{"query": {query}, "time": {strconv.FormatInt(at, 10)}})
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string
		Error  string
		Data   struct {
			Result []struct {
				Value [2]any
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	if body.Status != "success" {
		return 0, fmt.Errorf("%s", body.Error)
	}
	if len(body.Data.Result) != 1 {
		return 0, fmt.Errorf("%d series", len(body.Data.Result))
	}
	s, _ := body.Data.Result[0].Value[1].(string)
	return strconv.ParseFloat(s, 64)
}
