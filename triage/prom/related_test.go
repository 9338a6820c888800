package prom

import (
	"context"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// A missing signal names the related metrics the server has (the first
// five, sanitized: the names come from the server) so that a family the
// catalog does not read is one config candidate away.
func TestMissingSignalNamesRelatedMetrics(t *testing.T) {
	names := []string{"m", "hikaricp_b", "hikaricp_c", "hikaricp_d", "hikaricp_e", "hikaricp_f", "hikaricp_g", "hikaricp_a\x1b[31m", "other"}
	f := scripted(t, names, map[string]fakeAnswer{"seven": {body: vectorBody("7", "")}})
	cat := triage.Catalog{
		{ID: "read", Candidates: []triage.Candidate{{Exporter: "e", Metrics: []string{"m"}, Query: "seven"}}},
		{ID: "pool", Enable: "export the pool's metrics", Related: []string{"hikaricp_*"},
			Candidates: []triage.Candidate{{Exporter: "hikaricp", Metrics: []string{"hikaricp_b", "hikaricp_max"}, Query: "pool"}}},
		{ID: "unrelated", Enable: "run the exporter", Related: []string{"absent_*"},
			Candidates: []triage.Candidate{{Exporter: "x", Metrics: []string{"absent_x"}, Query: "x"}}},
	}
	snap, err := Collect(context.Background(), newTestClient(t, f.URL, time.Second), cat, Options{At: testAt})
	if err != nil {
		t.Fatal(err)
	}
	const want = "not found: export the pool's metrics; related metrics present: hikaricp_a␛[31m, hikaricp_b, hikaricp_c, hikaricp_d, hikaricp_e and 2 more — no candidate of this signal can run on them: add one under signals: in the config"
	if r, _ := snap.Get("pool"); r.Status != triage.StatusMissing || r.Reason != want {
		t.Errorf("pool: %s %q\nwant %q", r.Status, r.Reason, want)
	}
	if r, _ := snap.Get("unrelated"); r.Reason != "not found: run the exporter" {
		t.Errorf("unrelated: %q", r.Reason)
	}
}
