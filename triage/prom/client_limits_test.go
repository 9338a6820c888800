package prom

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

func TestSeriesLimiterCountsByNesting(t *testing.T) {
	tests := []struct {
		name            string
		body            string
		series, samples int
	}{
		{"vector, label values that look like JSON", `{"status":"success","data":{"resultType":"vector","result":[` +
			`{"metric":{"a":"[{\"]},"},"value":[1,"1"]},{"metric":{"b":"\\"},"value":[1,"2"]},{"metric":{},"value":[1,"3"]}]}}`, 3, 0},
		{"matrix", answerBody(2, 3, true), 2, 6},
		{"native histograms", `{"data":{"result":[{"metric":{},"histograms":[[1,{"count":"1","buckets":[[0,"0","1","1"]]}],[2,{"count":"2"}]]}]}}`, 1, 2},
		{"an escaped key is the same depth", `{"d\u0061ta":{"r\u0065sult":[{},{}]}}`, 2, 0},
		{"scalar: its two elements count as series, harmlessly", `{"data":{"resultType":"scalar","result":[1,"1"]}}`, 2, 0},
		{"label values: no series", `{"status":"success","data":["a","b","c"]}`, 0, 0},
		{"stray closes", `]]]}}}{"data":{"result":[1]}}`, 1, 0},
	}
	for _, tt := range tests {
		l := &seriesLimiter{ReadCloser: io.NopCloser(strings.NewReader(tt.body))}
		if _, err := io.Copy(io.Discard, l); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if l.series != tt.series || l.samples != tt.samples {
			t.Errorf("%s: %d series, %d samples; want %d, %d", tt.name, l.series, l.samples, tt.series, tt.samples)
		}
	}
}

func TestClientRefusesMoreSeriesOrSamplesThanATriageQueryNeeds(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		matrix  bool
		refusal string // "" when the answer is admitted
		series  int    // when admitted
	}{
		{"as many series as admitted", answerBody(maxSeries, 1, false), false, "", maxSeries},
		{"one series too many", answerBody(maxSeries+1, 1, false), false, fmt.Sprintf("more than %d series", maxSeries), 0},
		{"as many samples as admitted", answerBody(10, maxSamples/10, true), true, "", 10},
		{"one sample too many", answerBody(1, maxSamples+1, true), true, fmt.Sprintf("more than %d samples", maxSamples), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, fixed(fakeAnswer{body: tt.body}))
			c := newTestClient(t, f.URL, 5*time.Second)
			var res Answer
			var err error
			if tt.matrix {
				res, err = c.Range(context.Background(), "up", time.Unix(1700000000, 0), time.Unix(1700003600, 0), time.Minute)
			} else {
				res, err = c.Instant(context.Background(), "up", time.Unix(1700000000, 0))
			}
			if tt.refusal == "" {
				if err != nil || len(res.Series) != tt.series {
					t.Fatalf("%d series, %v; want %d admitted", len(res.Series), err, tt.series)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Class != ClassTooLarge || !strings.Contains(e.Msg, tt.refusal) || e.Retryable() || e.Fatal() {
				t.Fatalf("got %#v, want a too-large answer with %q", err, tt.refusal)
			}
		})
	}
}
