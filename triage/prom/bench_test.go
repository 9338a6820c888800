package prom

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// constQuerier answers every query with one sample, from memory, and
// describes the server as source.
type constQuerier struct {
	names  []string
	source triage.Source
}

func (q constQuerier) LabelValues(context.Context, string, string, time.Time, time.Time) ([]string, error) {
	return q.names, nil
}

func (constQuerier) Instant(_ context.Context, _ string, at time.Time) (Answer, error) {
	return Answer{Series: []Series{{Labels: map[string]string{}, Points: []Sample{{T: at, V: 0.5}}}}}, nil
}

func (constQuerier) Range(_ context.Context, _ string, start, end time.Time, step time.Duration) (Answer, error) {
	var pts []Sample
	for t := start; !t.After(end); t = t.Add(step) {
		pts = append(pts, Sample{T: t, V: 0.5})
	}
	return Answer{Series: []Series{{Labels: map[string]string{}, Points: pts}}}, nil
}

func (constQuerier) Backend(context.Context) string { return "prometheus test" }
func (constQuerier) Slots() int                     { return 0 }

func (q constQuerier) Source() triage.Source { return q.source }

// BenchmarkCollect measures the collector's own cost (scheduling, judging,
// sparkline copies) over the full catalog with every signal found, the
// network out of the picture.
func BenchmarkCollect(b *testing.B) {
	cat := triage.DefaultCatalog()
	names := catalogMetricNames(cat)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Collect(context.Background(), constQuerier{names: names}, cat, Options{At: testAt}); err != nil {
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
