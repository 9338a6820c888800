package prom

import (
	"context"
	"errors"
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

func (a *answering) Range(context.Context, string, time.Time, time.Time, time.Duration) (Answer, error) {
	return Answer{}, errors.New("not asked")
}

func (a *answering) LabelValues(context.Context, string, string, time.Time, time.Time) ([]string, error) {
	return nil, errors.New("not asked")
}

func (a *answering) Backend(context.Context) string { return "" }

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
	part := func(v float64, name string, kv ...string) Series { return series(v, append(kv, partLabel, name)...) }
	q := &answering{answer: Answer{Series: []Series{
		part(530, "delta", "instance", "db-1:9187", "datname", "billing"),
		part(590, "now", "instance", "db-1:9187", "datname", "billing"),
		part(10, "delta", "instance", "db-1:9187", "datname", "reports"), // new: absent the day before
		part(10, "now", "instance", "db-1:9187", "datname", "reports"),
		part(0, "delta", "instance", "db-1:9187", "datname", "orders"),
		part(60, "now", "instance", "db-1:9187", "datname", "orders"),
		part(-20, "delta", "instance", "db-1:9187", "datname", "audit"),
		part(5, "now", "instance", "db-1:9187", "datname", "audit"),
		part(540, "total", "instance", "db-1:9187"),
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
		t.Fatalf("contributors %+v: want billing, reports and orders (seen, 0%%), never a fall", got)
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

// byOffset answers each instant query with the answer of the first offset
// it contains, nothing otherwise, and keeps what was asked.
type byOffset struct {
	answering
	answers map[string]Answer
}

func (q *byOffset) Instant(_ context.Context, query string, _ time.Time) (Answer, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.asked = append(q.asked, query)
	for offset, res := range q.answers {
		if strings.Contains(query, "offset "+offset+")") {
			return res, nil
		}
	}
	return Answer{}, nil
}

func TestNormalIsTheEntitysOwnRange(t *testing.T) {
	part := func(v float64, name, instance string) Series { return series(v, "instance", instance, partLabel, name) }
	for _, tc := range []struct {
		name     string
		wide     Answer // the answer an hour either side, the day and the week before
		db1, db2 triage.Spread
	}{
		{name: "the window the day before alone (a recording made before the band)",
			db1: triage.Spread{Low: 150, High: 170}, db2: triage.Spread{Low: 190, High: 210}},
		{name: "an hour either side of this time the day before",
			wide: Answer{Series: []Series{part(120, "low", "db-1:9187"), part(180, "high", "db-1:9187")}},
			db1:  triage.Spread{Low: 120, High: 180, Reach: time.Hour}, db2: triage.Spread{Low: 190, High: 210}},
		{name: "widened by the week before where retained",
			wide: Answer{Series: []Series{part(120, "low", "db-1:9187"), part(180, "high", "db-1:9187"),
				part(140, "low1", "db-1:9187"), part(700, "high1", "db-1:9187")}},
			db1: triage.Spread{Low: 120, High: 700, Reach: time.Hour, WeekBefore: true}, db2: triage.Spread{Low: 190, High: 210}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &byOffset{answers: map[string]Answer{
				"24h": {Series: []Series{
					part(150, "low", "db-1:9187"), part(170, "high", "db-1:9187"),
					part(190, "low", "db-2:9187"), part(210, "high", "db-2:9187"),
				}},
				"23h": tc.wide,
			}}
			c := &collector{q: q, o: Options{At: testAt, Window: 15 * time.Minute, Points: 60}}
			r := transactions()
			r.Value = triage.Of(690) // as if db-1 were the value's entity (a max)
			r.Aggregate = triage.AggregateMax
			c.normal(context.Background(), &r)
			asked := strings.Join(q.asked, "\n")
			for _, want := range []string{"max_over_time((tx)[15m:15s] offset 24h)", "min_over_time((tx)[15m:15s] offset 24h)",
				"max_over_time((tx)[2h:2m] offset 23h)", "min_over_time((tx)[2h:2m] offset 167h)"} {
				if !strings.Contains(asked, want) {
					t.Errorf("no %s in %s", want, asked)
				}
			}
			if len(q.asked) != 2 {
				t.Errorf("%d queries, want 2: the window the day before, the hours around it", len(q.asked))
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
	if len(q.asked) != 3 {
		t.Errorf("asked %d queries for one moved signal, want its range the day before, its band around that time and its decomposition", len(q.asked))
	}
}
