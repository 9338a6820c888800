package prom

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/triage"
)

// BenchmarkCollectReplay measures the collector's own cost (scheduling,
// conversion, judging) over the full catalog with an in-memory source, so
// the network is out of the picture.
func BenchmarkCollectReplay(b *testing.B) {
	cat := triage.DefaultCatalog()
	var names []string
	calls := []Call{}
	for _, d := range cat {
		for _, c := range d.Candidates {
			names = append(names, c.Metrics...)
		}
	}
	start, end := testAt.Add(-15*60e9), testAt
	calls = append(calls, Call{Kind: "label_values", Label: "__name__", Start: &start, End: &end, Values: names})
	rec := Recording{Format: SnapshotFormat, Version: SnapshotVersion, At: testAt, Window: "15m", Calls: calls}
	data, _ := json.Marshal(rec)
	rp, err := ParseRecording(data)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Collect(context.Background(), rp, cat, Options{At: testAt}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSanitizeHostileLabel(b *testing.B) {
	s := "pod-7f9c\x1b]52;c;" + strings.Repeat("QUFB", 12) + "\x07\u202e"
	b.ReportAllocs()
	for b.Loop() {
		triage.Sanitize(s)
	}
}
