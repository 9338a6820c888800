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
	// hanging closes when the first held query arrives; ranged when the
	// first range query does (its signal's value is then known).
	hanging, ranged         chan struct{}
	hangingOnce, rangedOnce sync.Once
}

func startFakeProm(t *testing.T, names []string, hang func(query string) bool) *fakeProm {
	t.Helper()
	f := &fakeProm{hanging: make(chan struct{}), ranged: make(chan struct{})}
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
			w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1772452800,"1"]]}]}}`))
			f.rangedOnce.Do(func() { close(f.ranged) })
		case strings.HasSuffix(r.URL.Path, "/query"):
			w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1772452800,"1"]}]}}`))
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
