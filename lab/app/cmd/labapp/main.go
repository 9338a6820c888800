// Command labapp is the lab's instrumented service: GET /work runs one query
// through PgBouncer and one cache read on Redis, so that every incident the
// lab provokes (a full PgBouncer pool, a cold cache, a busy CPU) shows in the
// request latency histogram the way it would in a real service.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

// buckets are client_golang's defaults plus .075 .15 .35 .75 1.5: P99 from
// histogram_quantile is interpolated inside one bucket, and with the default
// 0.5-1 s bucket a real 0.73 s P99 reads as 0.995 s (docs/facts.md#g9-bucket-limited-p99).
var buckets = []float64{.001, .0025, .005, .01, .025, .05, .075, .1, .15, .25, .35, .5, .75, 1, 1.5, 2.5, 5, 10}

func main() {
	listen := flag.String("listen", "127.0.0.1:18080", "HTTP listen address")
	// simple_protocol: pgx's cached prepared statements do not survive
	// PgBouncer in transaction mode (docs/facts.md#g5-pgx-through-pgbouncer).
	dsn := flag.String("db", "postgres://app:apppw@127.0.0.1:16432/app?sslmode=disable&default_query_exec_mode=simple_protocol", "Postgres DSN (through PgBouncer)")
	redisAddr := flag.String("redis", "127.0.0.1:16379", "Redis address")
	keys := flag.Int("keys", 1000, "cache keys key:0..N-1, seeded at start so that normal reads hit")
	// Larger than PgBouncer's pool on purpose: the lab's bottleneck is
	// PgBouncer, and the app pool stays healthy (docs/facts.md#g10-app-pool-hides-the-wait).
	maxOpen := flag.Int("max-open", 50, "database/sql MaxOpenConns")
	flag.Parse()

	db, err := sql.Open("pgx", *dsn)
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(*maxOpen)
	db.SetMaxIdleConns(*maxOpen)
	rdb := redis.NewClient(&redis.Options{Addr: *redisAddr})
	if err := seed(rdb, *keys); err != nil {
		log.Fatalf("seeding redis: %v", err)
	}

	reg := prometheus.NewRegistry()
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "http_request_duration_seconds",
		Help:    "HTTP request latency.",
		Buckets: buckets,
	}, []string{"handler", "method", "code"})
	inFlight := prometheus.NewGauge(prometheus.GaugeOpts{Name: "http_requests_in_flight", Help: "Requests being served."})
	cache := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "app_cache_requests_total", Help: "Cache reads by result."}, []string{"result"})
	reg.MustRegister(duration, inFlight, cache,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db, "app"))

	w := &worker{db: db, rdb: rdb, keys: *keys, cache: cache}
	mux := http.NewServeMux()
	mux.Handle("/work", promhttp.InstrumentHandlerInFlight(inFlight,
		promhttp.InstrumentHandlerDuration(duration.MustCurryWith(prometheus.Labels{"handler": "/work"}), w)))
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("labapp listening on %s", *listen)
	log.Fatal(srv.ListenAndServe())
}

func seed(rdb *redis.Client, n int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pipe := rdb.Pipeline()
	for i := range n {
		pipe.Set(ctx, "key:"+strconv.Itoa(i), "v", 0)
	}
	_, err := pipe.Exec(ctx)
	return err
}

type worker struct {
	db    *sql.DB
	rdb   *redis.Client
	keys  int
	cache *prometheus.CounterVec
}

// ServeHTTP runs the request's query (?sleep=SECONDS of pg_sleep, default
// 5 ms, standing in for real work) and reads one cached key; a miss is
// filled from the database like a read-through cache would.
func (w *worker) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	sleep := 0.005
	if s := r.URL.Query().Get("sleep"); s != "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f <= 5 {
			sleep = f
		}
	}
	if _, err := w.db.ExecContext(ctx, "SELECT pg_sleep($1)", sleep); err != nil {
		http.Error(rw, "db: "+err.Error(), http.StatusInternalServerError)
		return
	}
	key := "key:" + strconv.Itoa(rand.IntN(w.keys))
	switch err := w.rdb.Get(ctx, key).Err(); {
	case err == nil:
		w.cache.WithLabelValues("hit").Inc()
	case errors.Is(err, redis.Nil):
		w.cache.WithLabelValues("miss").Inc()
		w.rdb.Set(ctx, key, "v", time.Minute)
	default:
		http.Error(rw, "cache: "+err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(rw, "ok")
}
