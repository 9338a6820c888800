package prom

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// answerBody is a vector of n distinct series, or a matrix of n series of
// points samples each, built once: the server's own memory is then a
// constant.
func answerBody(n, points int, matrix bool) string {
	var b strings.Builder
	kind := "vector"
	if matrix {
		kind = "matrix"
	}
	fmt.Fprintf(&b, `{"status":"success","data":{"resultType":%q,"result":[`, kind)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"metric":{"__name__":"node_cpu_seconds_total","cpu":"%d","instance":"host-%d:9100","job":"node","mode":"idle"},`, i%64, i)
		if !matrix {
			b.WriteString(`"value":[1700000000,"0.5"]}`)
			continue
		}
		b.WriteString(`"values":[`)
		for j := range points {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `[%d,"0.5"]`, 1700000000+15*j)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}}`)
	return b.String()
}

// bigAnswersServer answers discovery with every metric of the catalog, so
// every signal queries, every instant query with a vector of series series
// and every range query with a matrix of series x points.
func bigAnswersServer(t testing.TB, cat triage.Catalog, series, points int) *fakeServer {
	var names []string
	for _, d := range cat {
		for _, c := range d.Candidates {
			names = append(names, c.Metrics...)
		}
	}
	discovery, _ := json.Marshal(map[string]any{"status": "success", "data": names})
	vector, matrix := answerBody(series, 1, false), answerBody(series, points, true)
	return newFake(t, func(r *http.Request) fakeAnswer {
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			return fakeAnswer{body: string(discovery)}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			return fakeAnswer{body: matrix}
		case strings.HasSuffix(r.URL.Path, "/query"):
			return fakeAnswer{body: vector}
		}
		return fakeAnswer{status: 404, contentType: "text/plain", body: "404 page not found"}
	})
}

// peakHeap runs f and returns the highest heap size seen while it ran, above
// the live heap before it: sampled every millisecond with
// runtime.ReadMemStats, so a lower bound of the true peak.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base && ms.HeapAlloc-base > peak.Load() {
				peak.Store(ms.HeapAlloc - base)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-stopped
	return peak.Load()
}

// collectPeakHeap runs a full collection of the default catalog against a
// server answering every instant query with series series and every range
// query with series x points, and returns the peak heap and the error.
func collectPeakHeap(t testing.TB, series, points int) (uint64, error) {
	cat := triage.DefaultCatalog()
	f := bigAnswersServer(t, cat, series, points)
	c := newTestClient(t, f.URL, 30*time.Second)
	var err error
	peak := peakHeap(func() {
		_, err = Collect(context.Background(), c, cat, Options{At: testAt})
	})
	t.Logf("peak heap above baseline: %.1f MB over %d requests", float64(peak)/1e6, f.requests.Load())
	return peak, err
}

// A full collection against a server answering every query with 50,000
// series peaked at 440-600 MB of heap; the client now refuses each answer
// after its first thousand series.
// Measure with: go test ./triage/prom -run HostileSeriesCount -v
func TestHostileSeriesCountKeepsMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50,000-series server")
	}
	peak, err := collectPeakHeap(t, 50_000, 2)
	if peak > 50e6 {
		t.Errorf("peak heap %.1f MB, want under 50 MB", float64(peak)/1e6)
	}
	if want := fmt.Sprintf("more than %d series", maxSeries); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want every signal refused with %q", err, want)
	}
}

// The largest answers the caps admit, to every query at once: the bound
// the caps give (60-70 MB of heap when measured). Too slow to run with
// every test run, and slower still under -race.
// Measure with: go test ./triage/prom -run '^$' -bench LargestAdmitted -benchtime 1x
func BenchmarkCollectLargestAdmittedAnswers(b *testing.B) {
	for b.Loop() {
		peak, _ := collectPeakHeap(b, maxSeries, maxSamples/maxSeries)
		b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	}
}
