package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeProm is a minimal Prometheus API for what the scenario servers cannot
// stage: discovery lists names, and every query answers one series of value
// 1, except those hang says to hold until the client gives up.
type fakeProm struct {
	URL string
	// hanging closes when the first held query arrives; read when some
	// query has been answered both as a range (its current value and
	// sparkline) and as an instant (its day before): a signal is then read.
	hanging, read         chan struct{}
	hangingOnce, readOnce sync.Once
	mu                    sync.Mutex
	answered              map[string]int // query -> bits: 1 range, 2 instant
}

// answer notes that query was answered as kind (1 range, 2 instant).
func (f *fakeProm) answer(query string, kind int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answered[query] |= kind
	if f.answered[query] == 3 {
		f.readOnce.Do(func() { close(f.read) })
	}
}

func startFakeProm(t *testing.T, names []string, hang func(query string) bool) *fakeProm {
	t.Helper()
	f := &fakeProm{hanging: make(chan struct{}), read: make(chan struct{}), answered: map[string]int{}}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		query := r.Form.Get("query")
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"):
			json.NewEncoder(w).Encode(map[string]any{"status": "success", "data": names})
		case strings.HasSuffix(r.URL.Path, "/status/buildinfo"):
			w.Write([]byte(`{"status":"success","data":{"version":"2.42.0"}}`))
		case hang != nil && hang(query):
			f.hangingOnce.Do(func() { close(f.hanging) })
			select {
			case <-r.Context().Done():
			case <-release:
			case <-time.After(time.Minute):
			}
		case strings.HasSuffix(r.URL.Path, "/query_range"):
			// One point, at the end: the current value, as a real server's
			// last step.
			w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[` + r.Form.Get("end") + `,"1"]]}]}}`))
			f.answer(query, 1)
		case strings.HasSuffix(r.URL.Path, "/query"):
			w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1772452800,"1"]}]}}`))
			f.answer(query, 2)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(func() {
		close(release)
		srv.Close()
	})
	f.URL = srv.URL
	return f
}

// waitFor fails the test unless every channel closes within a bound.
func waitFor(t *testing.T, what string, chans ...chan struct{}) {
	t.Helper()
	if !closeWithin(20*time.Second, chans...) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// interruptWhen cancels with cause once every channel has closed, from
// another goroutine (which must not stop the test: it reports and cancels
// anyway, so the run under test still ends).
func interruptWhen(t *testing.T, cancel context.CancelCauseFunc, cause error, chans ...chan struct{}) {
	go func() {
		if !closeWithin(20*time.Second, chans...) {
			t.Error("timed out waiting for the collection to be half done")
		}
		cancel(cause)
	}()
}

func closeWithin(bound time.Duration, chans ...chan struct{}) bool {
	deadline := time.After(bound)
	for _, c := range chans {
		select {
		case <-c:
		case <-deadline:
			return false
		}
	}
	return true
}
