// Command pgbouncer-exporter exports PgBouncer's admin-console tables under
// the metric names of prometheus-community/pgbouncer_exporter (collector.go).
// The community exporter is not obtainable from the Go module proxy
// (docs/facts.md#g3-community-exporter-unobtainable) and Debian's Python
// exporter has no server-active or maxwait metrics
// (docs/facts.md#g2-debian-pgbouncer-exporter), which are the two numbers that tell "PgBouncer pool full"
// from "database overloaded". Every scrape reads the console afresh, so a
// PgBouncer restart does not break the exporter.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// column maps one admin-console column to one metric.
type column struct {
	name, metric, help string
	kind               prometheus.ValueType
	scale              float64 // multiplies the value: 1e-6 turns microseconds into seconds
}

// table is one SHOW command: its label columns and its metric columns.
type table struct {
	show   string
	labels []string
	cols   []column
}

const g, c = prometheus.GaugeValue, prometheus.CounterValue

var tables = []table{
	{"POOLS", []string{"database", "user"}, []column{
		{"cl_active", "pgbouncer_pools_client_active_connections", "Client connections linked to a server connection and able to process queries.", g, 1},
		{"cl_waiting", "pgbouncer_pools_client_waiting_connections", "Client connections waiting on a server connection.", g, 1},
		{"cl_active_cancel_req", "pgbouncer_pools_client_active_cancel_connections", "Client connections that forwarded a query cancellation to the server.", g, 1},
		{"cl_waiting_cancel_req", "pgbouncer_pools_client_waiting_cancel_connections", "Client connections waiting to forward a cancellation.", g, 1},
		{"sv_active", "pgbouncer_pools_server_active_connections", "Server connections linked to a client connection.", g, 1},
		{"sv_active_cancel", "pgbouncer_pools_server_active_cancel_connections", "Server connections forwarding a cancellation.", g, 1},
		{"sv_being_canceled", "pgbouncer_pools_server_being_canceled_connections", "Server connections being cancelled.", g, 1},
		{"sv_idle", "pgbouncer_pools_server_idle_connections", "Server connections idle and ready for a client query.", g, 1},
		{"sv_used", "pgbouncer_pools_server_used_connections", "Server connections idle longer than server_check_delay.", g, 1},
		{"sv_tested", "pgbouncer_pools_server_testing_connections", "Server connections running server_reset_query or server_check_query.", g, 1},
		{"sv_login", "pgbouncer_pools_server_login_connections", "Server connections logging in.", g, 1},
		// The community exporter exports maxwait only; maxwait_us is added
		// here so that sub-second waits are not read as 0.
		{"maxwait", "pgbouncer_pools_client_maxwait_seconds", "Age of the oldest unserved client connection.", g, 1},
	}},
	{"DATABASES", []string{"name", "host", "port", "database", "force_user", "pool_mode"}, []column{
		{"pool_size", "pgbouncer_databases_pool_size", "Maximum number of server connections.", g, 1},
		{"reserve_pool", "pgbouncer_databases_reserve_pool", "Maximum number of additional connections.", g, 1},
		{"max_connections", "pgbouncer_databases_max_connections", "Maximum number of allowed connections.", g, 1},
		{"current_connections", "pgbouncer_databases_current_connections", "Current number of connections.", g, 1},
		{"paused", "pgbouncer_databases_paused", "1 if this database is paused.", g, 1},
		{"disabled", "pgbouncer_databases_disabled", "1 if this database is disabled.", g, 1},
	}},
	{"STATS_TOTALS", []string{"database"}, []column{
		{"query_count", "pgbouncer_stats_totals_queries_pooled_total", "Total SQL queries pooled.", c, 1},
		{"query_time", "pgbouncer_stats_totals_queries_duration_seconds_total", "Total time spent running queries.", c, 1e-6},
		{"wait_time", "pgbouncer_stats_totals_client_wait_seconds_total", "Time spent by clients waiting for a server.", c, 1e-6},
		{"xact_count", "pgbouncer_stats_totals_sql_transactions_pooled_total", "Total SQL transactions pooled.", c, 1},
		{"xact_time", "pgbouncer_stats_totals_server_in_transaction_seconds_total", "Time spent by servers in a transaction.", c, 1e-6},
		{"bytes_received", "pgbouncer_stats_totals_received_bytes_total", "Total bytes received from clients.", c, 1},
		{"bytes_sent", "pgbouncer_stats_totals_sent_bytes_total", "Total bytes sent to clients.", c, 1},
	}},
}

// lists maps SHOW LISTS rows to the community's pgbouncer_<list> gauges.
var lists = map[string]string{
	"databases": "pgbouncer_databases", "users": "pgbouncer_users", "pools": "pgbouncer_pools",
	"free_clients": "pgbouncer_free_clients", "used_clients": "pgbouncer_used_clients", "login_clients": "pgbouncer_login_clients",
	"free_servers": "pgbouncer_free_servers", "used_servers": "pgbouncer_used_servers",
}

type exporter struct{ dsn string }

func (e exporter) Describe(ch chan<- *prometheus.Desc) {} // unchecked collector: the metric set follows the console

func (e exporter) Collect(ch chan<- prometheus.Metric) {
	up := 0.0
	if err := e.scrape(ch); err != nil {
		log.Printf("scrape: %v", err)
	} else {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc("pgbouncer_up", "1 if PgBouncer answered the last scrape.", nil, nil), g, up)
}

func (e exporter) scrape(ch chan<- prometheus.Metric) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, e.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, t := range tables {
		rows, err := query(ctx, conn, "SHOW "+t.show)
		if err != nil {
			return err
		}
		for _, row := range rows {
			labels := make([]string, len(t.labels))
			for i, l := range t.labels {
				labels[i] = row[l]
			}
			for _, col := range t.cols {
				v, ok := number(row, col.name)
				if !ok {
					continue // a column this PgBouncer version does not have
				}
				if col.name == "maxwait" {
					us, _ := number(row, "maxwait_us")
					v += us / 1e6
				}
				desc := prometheus.NewDesc(col.metric, col.help, t.labels, nil)
				ch <- prometheus.MustNewConstMetric(desc, col.kind, v*col.scale, labels...)
			}
		}
	}
	rows, err := query(ctx, conn, "SHOW LISTS")
	if err != nil {
		return err
	}
	for _, row := range rows {
		if metric, ok := lists[row["list"]]; ok {
			v, _ := number(row, "items")
			ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(metric, "PgBouncer SHOW LISTS: "+row["list"]+".", nil, nil), g, v)
		}
	}
	return nil
}

// query returns every row as column name -> text: the admin console speaks
// only the simple protocol and its column types vary by version.
func query(ctx context.Context, conn *pgx.Conn, sql string) ([]map[string]string, error) {
	rows, err := conn.Query(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []map[string]string
	for rows.Next() {
		m := map[string]string{}
		for i, f := range rows.FieldDescriptions() {
			m[f.Name] = string(rows.RawValues()[i])
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func number(row map[string]string, col string) (float64, bool) {
	s, ok := row[col]
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:19127", "HTTP listen address")
	dsn := flag.String("dsn", "postgres://stats:statspw@127.0.0.1:16432/pgbouncer?sslmode=disable", "PgBouncer admin console DSN (a stats_users user)")
	flag.Parse()
	reg := prometheus.NewRegistry()
	reg.MustRegister(exporter{dsn: *dsn})
	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: log.Default()}))
	srv := &http.Server{Addr: *listen, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("pgbouncer-exporter listening on %s", *listen)
	log.Fatal(srv.ListenAndServe())
}
