package prom

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// answering is a Querier whose instant queries all get one answer, and
// which keeps what was asked.
type answering struct {
	mu     sync.Mutex
	asked  []string
	answer Answer
}

func (a *answering) Instant(_ context.Context, query string, _ time.Time) (Answer, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, query)
	return a.answer, nil
}

func (a *answering) Range(_ context.Context, query string, _, _ time.Time, _ time.Duration) (Answer, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.asked = append(a.asked, query)
	return a.answer, nil
}

func (a *answering) LabelValues(context.Context, string, string, time.Time, time.Time) ([]string, error) {
	return nil, errors.New("not asked")
}

func (a *answering) Backend(context.Context) string { return "" }
func (a *answering) Slots() int                     { return 0 }

func (a *answering) Source() triage.Source { return triage.Source{} }

func series(v float64, kv ...string) Series {
	labels := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		labels[kv[i]] = kv[i+1]
	}
	return Series{Labels: labels, Points: []Sample{{T: testAt, V: v}}}
}

// transactions is db_transactions_per_second on two instances, db-1 moved
// (160 -> 690), db-2 flat.
func transactions() triage.Reading {
	d, _ := triage.DefaultCatalog().Def(triage.SignalDBTransactions)
	r := triage.Reading{ID: d.ID, Unit: d.Unit, Thresholds: d.Thresholds, Aggregate: d.Aggregate, Value: triage.Of(890), Status: triage.StatusOK,
		Exporter: "postgres_exporter", Query: "tx", EntityLabels: []string{"instance"}, EntityCount: 2}
	r.Entities = []triage.Entity{
		{Labels: map[string]string{"instance": "db-1:9187"}, Value: triage.Of(690), Baseline: triage.Of(160)},
		{Labels: map[string]string{"instance": "db-2:9187"}, Value: triage.Of(200), Baseline: triage.Of(200)},
	}
	return r
}

func TestDecomposeNamesWhoBroughtTheChange(t *testing.T) {
	// The top label sets come back as both their sides, the day before
	// negated as it was summed; the entity's total rise apart.
	side := func(v float64, name string, kv ...string) Series {
		return series(v, append(kv, partLabel, "top", sideLabel, name)...)
	}
	q := &answering{answer: Answer{Series: []Series{
		side(590, "now", "instance", "db-1:9187", "datname", "billing"),
		side(-60, "before", "instance", "db-1:9187", "datname", "billing"),
		side(10, "now", "instance", "db-1:9187", "datname", "reports"), // new: absent the day before
		side(60, "now", "instance", "db-1:9187", "datname", "orders"),
		side(-60, "before", "instance", "db-1:9187", "datname", "orders"),
		side(5, "now", "instance", "db-1:9187", "datname", "audit"),
		side(-25, "before", "instance", "db-1:9187", "datname", "audit"),
		side(-40, "before", "instance", "db-1:9187", "datname", "gone"), // gone since
		side(7, "now", "instance", "db-1:9187", "datname", "stats"),
		side(math.NaN(), "before", "instance", "db-1:9187", "datname", "stats"), // not a number is not 0
		series(540, "instance", "db-1:9187", partLabel, "total"),
	}}}
	c := &collector{q: q, o: Options{At: testAt, RateWindow: 5 * time.Minute}}
	r := transactions()
	i := slices.IndexFunc(triage.Decompositions, func(d triage.Decomposition) bool { return d.Signal == triage.SignalDBTransactions })
	d := triage.Decompositions[i]
	got := c.decompose(context.Background(), d, r.RisenEntities())
	if len(q.asked) != 1 {
		t.Fatalf("%d queries, want one", len(q.asked))
	}
	for _, want := range []string{`topk by (instance) (5, `, ` offset 24h)`, `instance=~"db-1:9187"`, `sum by (instance) (`} {
		if !strings.Contains(q.asked[0], want) {
			t.Errorf("query lacks %q:\n%s", want, q.asked[0])
		}
	}
	if strings.Contains(q.asked[0], "db-2") {
		t.Errorf("an entity that did not move is decomposed: %s", q.asked[0])
	}
	if len(got) != 3 {
		t.Fatalf("contributors %+v: want billing, reports and orders (seen, 0%%), never a fall nor a NaN", got)
	}
	billing, reports, orders := got[0], got[1], got[2]
	if billing.Labels["datname"] != "billing" || billing.Share != 530.0/540 || billing.Before != triage.Of(60) || billing.Now != triage.Of(590) {
		t.Errorf("billing %+v", billing)
	}
	if reports.Labels["datname"] != "reports" || reports.Before != triage.Of(0) || !strings.HasPrefix(reports.Phrase(), "new on datname=reports") {
		t.Errorf("reports %+v: %s", reports, reports.Phrase())
	}
	if orders.Share != 0 || orders.Entity["instance"] != "db-1:9187" {
		t.Errorf("orders %+v", orders)
	}
}

// history answers each range query with the answer for how long before
// the instant it ends, nothing otherwise, and keeps what was asked.
type history struct {
	answering
	answers map[time.Duration]Answer
	spans   []string
}

func (q *history) Range(_ context.Context, query string, start, end time.Time, step time.Duration) (Answer, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.spans = append(q.spans, fmt.Sprintf("%s from -%s to -%s every %s", query, testAt.Sub(start), testAt.Sub(end), step))
	return q.answers[testAt.Sub(end)], nil
}

func TestNormalIsTheEntitysOwnRange(t *testing.T) {
	points := func(instance string, vs ...float64) Series {
		s := Series{Labels: map[string]string{"instance": instance}}
		for i, v := range vs {
			s.Points = append(s.Points, Sample{T: testAt.Add(time.Duration(i) * time.Minute), V: v})
		}
		return s
	}
	dayBefore := Answer{Series: []Series{points("db-1:9187", 160, 150, math.NaN(), 170), points("db-2:9187", 190, 210)}}
	for _, tc := range []struct {
		name      string
		day, week Answer // an hour either side of this time, the day and the week before
		db1, db2  triage.Spread
	}{
		{name: "the window the day before alone (no history around it)",
			db1: triage.Spread{Low: 150, High: 170}, db2: triage.Spread{Low: 190, High: 210}},
		{name: "an hour either side of this time the day before",
			day: Answer{Series: []Series{points("db-1:9187", 120, 180, 130)}},
			db1: triage.Spread{Low: 120, High: 180, Reach: time.Hour}, db2: triage.Spread{Low: 190, High: 210}},
		{name: "widened by the week before where retained",
			day:  Answer{Series: []Series{points("db-1:9187", 120, 180)}},
			week: Answer{Series: []Series{points("db-1:9187", 140, 700)}},
			db1:  triage.Spread{Low: 120, High: 700, Reach: time.Hour, WeekBefore: true}, db2: triage.Spread{Low: 190, High: 210}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &history{answers: map[time.Duration]Answer{DayBefore: dayBefore, DayBefore - BandReach: tc.day, WeekBefore - BandReach: tc.week}}
			c := &collector{q: q, o: Options{At: testAt, Window: 15 * time.Minute, Points: 60}}
			r := transactions()
			r.Value = triage.Of(690) // as if db-1 were the value's entity (a max)
			r.Aggregate = triage.AggregateMax
			c.normal(context.Background(), &r)
			slices.Sort(q.spans)
			want := []string{"tx from -169h0m0s to -167h0m0s every 10m0s", "tx from -24h15m0s to -24h0m0s every 1m15s", "tx from -25h0m0s to -23h0m0s every 10m0s"}
			if !slices.Equal(q.spans, want) {
				t.Errorf("asked\n%s\nwant one range per span, %d points each:\n%s", strings.Join(q.spans, "\n"), bandPoints, strings.Join(want, "\n"))
			}
			if len(q.asked) != 0 {
				t.Errorf("instant queries %q: a band is read from ranges", q.asked)
			}
			if n := r.Entities[0].Normal; n == nil || *n != tc.db1 {
				t.Errorf("db-1 normal %+v, want %+v", n, tc.db1)
			}
			if n := r.Entities[1].Normal; n == nil || *n != tc.db2 {
				t.Errorf("db-2 normal %+v, want %+v", n, tc.db2)
			}
			if r.Normal != r.Entities[0].Normal {
				t.Errorf("the reading's normal is not its value entity's")
			}
		})
	}
}

func TestNothingMovedNothingSent(t *testing.T) {
	q := &answering{}
	c := &collector{q: q, o: Options{At: testAt, Window: 15 * time.Minute, Points: 60, RateWindow: 5 * time.Minute}}
	r := transactions()
	r.Entities[0].Value = triage.Of(165) // within the noise margin of 160
	c.secondRound(context.Background(), &r, nil)
	if len(q.asked) != 0 {
		t.Errorf("asked %q for a signal that did not move", q.asked)
	}
	r.Entities[0].Value = triage.Of(690)
	c.secondRound(context.Background(), &r, nil)
	if len(q.asked) != 4 {
		t.Errorf("asked %d queries for one moved signal, want its window the day before, the hours around it the day and the week before, and its decomposition", len(q.asked))
	}
}

// slowWindow is a server whose histogram window answers only once the
// signal's band the day before was asked: a second round that waited for
// the window would never get its answer (until the test's deadline).
type slowWindow struct {
	bandAsked chan struct{}
	once      sync.Once
}

func (q *slowWindow) LabelValues(_ context.Context, label, _ string, _, _ time.Time) ([]string, error) {
	switch label {
	case "__name__":
		return []string{"m"}, nil
	case "le":
		return []string{"0.5", "1", "+Inf"}, nil
	}
	return nil, nil
}

func (q *slowWindow) Instant(_ context.Context, _ string, at time.Time) (Answer, error) {
	v := 0.9
	if at.Before(testAt) {
		v = 0.1 // the day before
	}
	return Answer{Series: []Series{{Labels: map[string]string{}, Points: []Sample{{T: at, V: v}}}}}, nil
}

func (q *slowWindow) Range(ctx context.Context, _ string, start, end time.Time, step time.Duration) (Answer, error) {
	v := 0.9
	if end.Before(testAt) {
		q.once.Do(func() { close(q.bandAsked) })
		v = 0.1
	} else {
		select {
		case <-q.bandAsked:
		case <-ctx.Done():
			return Answer{}, ctx.Err()
		}
	}
	s := Series{Labels: map[string]string{}}
	for t := start; !t.After(end); t = t.Add(step) {
		s.Points = append(s.Points, Sample{T: t, V: v})
		v += 0.01
	}
	return Answer{Series: []Series{s}}, nil
}

func (q *slowWindow) Backend(context.Context) string { return "" }
func (q *slowWindow) Slots() int                     { return 0 }
func (q *slowWindow) Source() triage.Source          { return triage.Source{} }

// A histogram's P99 is read at the instant beside its window, so that its
// band the day before goes out before the window (the pass's slowest
// query) is in; the complete reading gets the band.
func TestAHistogramsBandGoesOutBesideItsWindow(t *testing.T) {
	def, _ := triage.DefaultCatalog().Def(triage.SignalLatencyP99)
	def.Candidates = []triage.Candidate{{Exporter: "h", Metrics: []string{"m"}, Query: "p99", Histogram: "h_bucket"}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	snap, err := Collect(ctx, &slowWindow{bandAsked: make(chan struct{})}, triage.Catalog{def}, Options{At: testAt, Window: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	r := snap.Readings[0]
	if len(r.Series) == 0 || len(r.Warnings) > 0 {
		t.Fatalf("no sparkline (warnings %q): the band waited for the window", r.Warnings)
	}
	if r.Value != triage.Of(0.9) || r.Baseline != triage.Of(0.1) {
		t.Errorf("value %v against %v, want 0.9 against 0.1", r.Value, r.Baseline)
	}
	if r.Normal == nil || r.Normal.Low != 0.1 || r.Normal.High < 0.2 {
		t.Errorf("band %+v, want the day before's 0.1 and up", r.Normal)
	}
}
