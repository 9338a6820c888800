#!/usr/bin/env bash
# lab.sh — the scaletriage incident lab: PostgreSQL, PgBouncer, Redis, their
# exporters, an instrumented Go service and Prometheus, all from Debian
# packages, on 127.0.0.1 and non-default ports, without systemd; plus bounded
# loads that provoke the incidents scaletriage must name.
#
#   lab.sh up                      start everything (installs packages as root on Debian)
#   lab.sh incident NAME SECONDS   run one bounded incident; prints the instant to evaluate
#   lab.sh status                  what runs, what answers
#   lab.sh down                    stop what `up` started (recorded PIDs only)
#   lab.sh check                   exit 0 when `up` can run here, 3 (with the reason) when not
#   lab.sh packages                the Debian packages the lab needs (scripts/test.sh installs them)
#   lab.sh day-before START END AT copy the samples of (START, END] (a healthy run) to the day
#                                  before AT and backfill them into Prometheus (restarts it)
#   lab.sh record-demo FILE        healthy minutes, pool exhaustion, the healthy minutes as the
#                                  day before, recorded with scaletriage
#   lab.sh reset                   down, then delete the run directory (data, logs, TSDB)
#
# Incidents: healthy, pool-exhaustion, cache-miss-storm, cpu-saturation, slow-queries.
# Environment: LAB_RUN (run directory, default $TMPDIR/scaletriage-lab),
# LAB_QUIET_WAIT (record-demo: seconds to wait for a quiet CPU, default 300).
set -euo pipefail

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_SRC/.." && pwd)
RUN=${LAB_RUN:-${TMPDIR:-/tmp}/scaletriage-lab}
export PATH="$PATH:/usr/local/go/bin:/usr/sbin:/sbin"

PG_PORT=15432
PGB_PORT=16432
REDIS_PORT=16379
APP_PORT=18080
PROM_PORT=19090
PROM_URL="http://127.0.0.1:$PROM_PORT"
AM_PORT=19093
APP_URL="http://127.0.0.1:$APP_PORT/work"
PGB_POOL_SIZE=5 # small on purpose: the pool-exhaustion incident fills it

# Debian packages the lab runs (postgresql brings pgbench and psql,
# redis-tools redis-cli and redis-benchmark, prometheus promtool; jq turns
# Prometheus' answers into OpenMetrics for the day-before backfill).
PACKAGES=(postgresql pgbouncer redis-server redis-tools prometheus prometheus-node-exporter
	prometheus-postgres-exporter prometheus-redis-exporter prometheus-alertmanager curl procps jq)

# The components, in start order. phase: components of one phase start
# together and must all be ready before the next phase starts (PgBouncer and
# the app need PostgreSQL and Redis; Prometheus last, so that its first
# scrapes find every target up). user: each daemon runs as its package's user
# (pgbouncer refuses root: docs/facts.md#g4-pgbouncer-refuses-root). probe:
# how readiness is checked.
#   name          phase user        port   probe
COMPONENTS="
postgres        1     postgres    $PG_PORT    pg
redis           2     redis       $REDIS_PORT redis
pgbouncer       2     postgres    $PGB_PORT   pgbouncer
node            3     prometheus  19100       metrics
postgres_exp    3     prometheus  19187       metrics
redis_exp       3     prometheus  19121       metrics
pgbouncer_exp   3     prometheus  19127       metrics
app             3     nobody      $APP_PORT   metrics
alertmanager    3     prometheus  $AM_PORT    ready
prometheus      4     prometheus  $PROM_PORT  ready
"

# Metric names that must have data before the lab counts as up: one per
# signal family scaletriage reads.
KEY_METRICS=(pg_up pg_stat_activity_count pg_settings_max_connections
	pgbouncer_pools_client_waiting_connections pgbouncer_pools_server_active_connections
	pgbouncer_pools_client_maxwait_seconds pgbouncer_databases_pool_size
	pgbouncer_stats_totals_queries_pooled_total redis_keyspace_hits_total redis_keyspace_misses_total
	node_cpu_seconds_total node_load1 http_request_duration_seconds_bucket go_sql_open_connections)

log() { printf '%s\n' "$*" >&2; }
die() {
	log "lab: $*"
	exit 1
}
now_ms() { date +%s%3N; }

# field NAME COLUMN prints one column (2=phase 3=user 4=port 5=probe) of a component.
field() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' <<<"$COMPONENTS"; }
names() { awk 'NF { print $1 }' <<<"$COMPONENTS"; }
names_in_phase() { awk -v p="$1" 'NF && $2 == p { print $1 }' <<<"$COMPONENTS"; }

pgbin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
	[ -n "$d" ] || return 1
	echo "$d"
}

# argv NAME sets CMD to the command line of a component. Every listener is
# 127.0.0.1; every port is the default plus 10000 so the lab never collides
# with a real service on this host.
argv() {
	local port
	port=$(field "$1" 4)
	case $1 in
	postgres)
		CMD=("$(pgbin)/postgres" -D "$RUN/data/pg" -c "port=$port" -c listen_addresses=127.0.0.1
			-c unix_socket_directories= -c max_connections=100 -c shared_buffers=64MB
			-c fsync=off -c synchronous_commit=off -c full_page_writes=off) ;;
	redis)
		CMD=(redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --logfile ''
			--dir "$RUN/data/redis" --maxmemory 256mb --daemonize no) ;;
	pgbouncer) CMD=(pgbouncer "$RUN/conf/pgbouncer.ini") ;; # foreground: no -d
	node)
		# The systemd collector fails every scrape without dbus
		# (docs/facts.md#g7-systemd-collector).
		CMD=(prometheus-node-exporter "--web.listen-address=127.0.0.1:$port" --no-collector.systemd) ;;
	postgres_exp)
		CMD=(env "DATA_SOURCE_NAME=postgresql://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
			prometheus-postgres-exporter "--web.listen-address=127.0.0.1:$port") ;;
	redis_exp)
		CMD=(prometheus-redis-exporter "--redis.addr=redis://127.0.0.1:$REDIS_PORT" "--web.listen-address=127.0.0.1:$port") ;;
	pgbouncer_exp)
		CMD=("$RUN/bin/pgbouncer-exporter" -listen "127.0.0.1:$port"
			-dsn "postgres://stats:statspw@127.0.0.1:$PGB_PORT/pgbouncer?sslmode=disable") ;;
	app)
		CMD=("$RUN/bin/labapp" -listen "127.0.0.1:$port" -redis "127.0.0.1:$REDIS_PORT"
			-db "postgres://app:apppw@127.0.0.1:$PGB_PORT/app?sslmode=disable&default_query_exec_mode=simple_protocol") ;;
	alertmanager)
		# HA off (no cluster port); a receiver that sends nothing.
		CMD=(prometheus-alertmanager "--config.file=$RUN/conf/alertmanager.yml" "--storage.path=$RUN/data/am"
			"--web.listen-address=127.0.0.1:$port" --cluster.listen-address=) ;;
	prometheus)
		CMD=(prometheus "--config.file=$RUN/conf/prometheus.yml" "--storage.tsdb.path=$RUN/data/prom"
			"--web.listen-address=127.0.0.1:$port" --storage.tsdb.retention.time=2d) ;;
	*) die "unknown component $1" ;;
	esac
}

# probe NAME succeeds when the component answers.
probe() {
	local port
	port=$(field "$1" 4)
	case $(field "$1" 5) in
	pg) pg_isready -q -h 127.0.0.1 -p "$port" ;;
	pgbouncer) PGPASSWORD=apppw psql -h 127.0.0.1 -p "$port" -U app -d app -Atqc 'select 1' >/dev/null 2>&1 ;;
	redis) [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] ;;
	metrics) curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/metrics" ;;
	ready) curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/-/ready" ;;
	esac
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# running NAME prints the PID of a component this lab started and that still
# runs. Its port or the run directory must appear on its command line, so
# that a recycled PID is never mistaken for ours.
running() {
	local f="$RUN/pids/$1.pid" pid
	[ -f "$f" ] || return 1
	pid=$(<"$f")
	grep -qa -e "$(field "$1" 4)" -e "$RUN" "/proc/$pid/cmdline" 2>/dev/null || return 1
	echo "$pid"
}

# runas USER sets RUNAS to the prefix that runs a command as USER when we are
# root (empty otherwise). setpriv execs, so `$!` of "${RUNAS[@]}" CMD & is
# the daemon's own PID (runuser, su or a shell function would leave a wrapper
# process in between).
runas() {
	RUNAS=()
	if [ "$(id -u)" = 0 ]; then
		RUNAS=(setpriv --reuid="$(id -u "$1")" --regid="$(id -g "$1")" --init-groups --)
	fi
}

# owned DIR USER creates DIR owned by USER (when root).
owned() {
	mkdir -p "$1"
	if [ "$(id -u)" = 0 ]; then chown "$2:" "$1"; fi
}

# ---- prerequisites ---------------------------------------------------------

missing_tools() {
	local t missing=()
	pgbin >/dev/null || missing+=(postgres)
	for t in pgbouncer redis-server redis-cli redis-benchmark prometheus promtool prometheus-node-exporter \
		prometheus-postgres-exporter prometheus-redis-exporter prometheus-alertmanager curl psql pgbench pg_isready jq; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	echo "${missing[*]}"
}

can_install() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

cmd_check() {
	local missing
	missing=$(missing_tools)
	if [ -n "$missing" ] && ! can_install; then
		log "lab: missing: $missing; run as root on Debian (lab.sh up installs them) or: sudo apt-get install -y ${PACKAGES[*]}"
		exit 3
	fi
	command -v go >/dev/null || {
		log "lab: go is not on PATH (needed to build lab/app)"
		exit 3
	}
}

ensure_packages() {
	local missing
	missing=$(missing_tools)
	[ -z "$missing" ] && return 0
	can_install || die "missing: $missing; run as root on Debian, or: sudo apt-get install -y ${PACKAGES[*]}"
	log "installing packages (missing: $missing)"
	local t0
	t0=$(now_ms)
	# The packages' services do not start here (no systemd, policy-rc.d:
	# docs/facts.md#g1-no-services-start): the lab starts its own instances
	# below.
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >"$RUN/log/apt.log" 2>&1 ||
		die "apt-get install failed, see $RUN/log/apt.log"
	log "installed in $(($(now_ms) - t0)) ms"
}

# ---- configuration ---------------------------------------------------------

write_configs() {
	mkdir -p "$RUN/conf"
	# Plain-text passwords are what PgBouncer's md5 auth reads from auth_file.
	cat >"$RUN/conf/userlist.txt" <<-EOF
		"app" "apppw"
		"stats" "statspw"
	EOF
	cat >"$RUN/conf/pgbouncer.ini" <<-EOF
		[databases]
		app = host=127.0.0.1 port=$PG_PORT dbname=app user=app
		[pgbouncer]
		listen_addr = 127.0.0.1
		listen_port = $PGB_PORT
		; no unix socket: nothing to own, nothing outside the run directory
		unix_socket_dir =
		auth_type = md5
		auth_file = $RUN/conf/userlist.txt
		; the exporter reads the admin console as a stats user
		stats_users = stats
		pool_mode = transaction
		default_pool_size = $PGB_POOL_SIZE
		reserve_pool_size = 0
		max_client_conn = 500
		; pgx and psql send it; PgBouncer would refuse the login otherwise
		ignore_startup_parameters = extra_float_digits
		stats_period = 5
	EOF
	# 2 s scrapes: a 30 s rate window still holds 15 samples, and on 2 cores
	# the exporters' synchronized work every second alone pushed CPU pressure
	# (PSI) past 10 % on an otherwise idle lab (the catalog now warns at 25 %
	# for this reason: docs/facts.md#lab-cpu-saturation).
	# The pages the incidents raise: the app's P99 over its 30 s window (the
	# lab config's rate window) above 200 ms, and Redis missing more than
	# half its lookups; read back by `alerts` and `report --alert` at the
	# incident's instant from the ALERTS series.
	cat >"$RUN/conf/rules.yml" <<-EOF
		groups:
		  - name: lab
		    interval: 5s
		    rules:
		      - alert: LabHighLatency
		        expr: histogram_quantile(0.99, sum by (le, job, instance) (rate(http_request_duration_seconds_bucket{job="app"}[30s]))) > 0.2
		        # Still firing for a while after the load, so that the e2e test
		        # finds it in Alertmanager once the incident is over.
		        keep_firing_for: 2m
		        labels: {severity: page}
		        annotations: {summary: "app P99 above 200 ms", runbook_url: "https://runbooks.example/lab-high-latency"}
		      - alert: LabCacheMissStorm
		        expr: sum by (job, instance) (rate(redis_keyspace_misses_total[30s])) / (sum by (job, instance) (rate(redis_keyspace_hits_total[30s])) + sum by (job, instance) (rate(redis_keyspace_misses_total[30s]))) > 0.5
		        keep_firing_for: 2m
		        labels: {severity: ticket}
		        annotations: {summary: "Redis misses more than half the lookups"}
	EOF
	cat >"$RUN/conf/alertmanager.yml" <<-EOF
		route: {receiver: "null"}
		receivers: [{name: "null"}]
	EOF
	cat >"$RUN/conf/prometheus.yml" <<-EOF
		global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 10s}
		rule_files: ['$RUN/conf/rules.yml']
		alerting: {alertmanagers: [{static_configs: [{targets: ['127.0.0.1:$AM_PORT']}]}]}
		scrape_configs:
		  - {job_name: node,       static_configs: [{targets: ['127.0.0.1:$(field node 4)']}]}
		  - {job_name: postgres,   static_configs: [{targets: ['127.0.0.1:$(field postgres_exp 4)']}]}
		  - {job_name: pgbouncer,  static_configs: [{targets: ['127.0.0.1:$(field pgbouncer_exp 4)']}]}
		  - {job_name: redis,      static_configs: [{targets: ['127.0.0.1:$(field redis_exp 4)']}]}
		  - {job_name: app,        static_configs: [{targets: ['127.0.0.1:$APP_PORT']}]}
		  - {job_name: prometheus, scrape_interval: 5s, static_configs: [{targets: ['127.0.0.1:$PROM_PORT']}]}
	EOF
	chmod 644 "$RUN"/conf/*
}

build_app() {
	local t0
	t0=$(now_ms)
	mkdir -p "$RUN/bin"
	(cd "$LAB_SRC/app" && go build -o "$RUN/bin/" ./cmd/...) || die "building lab/app failed"
	chmod 755 "$RUN/bin" "$RUN"/bin/*
	log "built lab/app in $(($(now_ms) - t0)) ms"
}

# init_postgres creates the lab's own cluster (never Debian's 15/main in
# /var/lib/postgresql) the first time.
init_postgres() {
	[ -f "$RUN/data/pg/PG_VERSION" ] && return 0
	owned "$RUN/data/pg" postgres
	chmod 700 "$RUN/data/pg"
	runas postgres
	"${RUNAS[@]}" "$(pgbin)/initdb" -D "$RUN/data/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$RUN/log/initdb.log" 2>&1 || die "initdb failed, see $RUN/log/initdb.log"
}

# bootstrap_postgres creates the app's role and database (idempotent).
bootstrap_postgres() {
	local psql=(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atq -v ON_ERROR_STOP=1)
	if [ -z "$("${psql[@]}" -c "select 1 from pg_roles where rolname = 'app'")" ]; then
		"${psql[@]}" -c "create role app login password 'apppw'" -c "create database app owner app" >/dev/null
	fi
}

# ---- start, stop -----------------------------------------------------------

# start NAME launches one component in the background and records its PID.
start() {
	local name=$1 port pid
	port=$(field "$name" 4)
	if pid=$(running "$name"); then
		log "  $name: already running (pid $pid)"
		return 0
	fi
	port_busy "$port" && die "$name: port $port is taken by a process this lab did not start"
	argv "$name"
	runas "$(field "$name" 3)"
	"${RUNAS[@]}" "${CMD[@]}" >"$RUN/log/$name.log" 2>&1 </dev/null &
	echo $! >"$RUN/pids/$name.pid"
	STARTED[$name]=$(now_ms)
}

# wait_ready NAME waits (at most 30 s) for the component to answer.
wait_ready() {
	local name=$1 pid deadline=$((SECONDS + 30))
	until probe "$name"; do
		if ! pid=$(running "$name"); then
			tail -n 20 "$RUN/log/$name.log" >&2 || true
			die "$name exited; log: $RUN/log/$name.log"
		fi
		((SECONDS < deadline)) || die "$name not ready after 30 s; log: $RUN/log/$name.log"
		sleep 0.05
	done
	pid=$(running "$name") || true
	if [ -n "${STARTED[$name]:-}" ]; then
		log "  $name: ready in $(($(now_ms) - STARTED[$name])) ms (pid $pid, 127.0.0.1:$(field "$name" 4))"
	fi
}

# prom_query QUERY [TIME] asks Prometheus for an instant vector (at TIME,
# unix seconds, default now).
prom_query() {
	curl -fsS --max-time 5 --get "$PROM_URL/api/v1/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"}
}

# wait_scraped SINCE waits until every target is up and every key metric has
# a sample scraped after SINCE (unix seconds): the TSDB keeps the samples of
# an earlier run, which must not count. Prometheus is ready in ~0.3 s but its
# first scrapes land 5-7 s later (docs/facts.md#g8-first-scrape-delay).
wait_scraped() {
	local since=$1 t0 deadline=$((SECONDS + 45)) targets m pending out
	t0=$(now_ms)
	targets=$(grep -c job_name "$RUN/conf/prometheus.yml")
	while :; do
		pending=()
		out=$(prom_query "count(up == 1 and timestamp(up) > $since)" 2>/dev/null) || true
		[[ $out == *",\"$targets\"]"* ]] || pending+=("targets")
		for m in "${KEY_METRICS[@]}"; do
			out=$(prom_query "count(timestamp($m) > $since)" 2>/dev/null) || true
			[[ $out == *'"result":[{'* ]] || pending+=("$m")
		done
		((${#pending[@]} == 0)) && break
		if ((SECONDS >= deadline)); then
			curl -fsS "$PROM_URL/api/v1/targets?state=active" | grep -o '"lastError":"[^"]\+"' >&2 || true
			die "not scraped after 45 s: ${pending[*]}"
		fi
		sleep 0.5
	done
	log "  scraped: $targets targets up, ${#KEY_METRICS[@]} key metrics present ($(($(now_ms) - t0)) ms after Prometheus was ready)"
}

cmd_up() {
	local t0 phase name
	t0=$(now_ms)
	local since=$((t0 / 1000))
	mkdir -p "$RUN"/{log,pids,data}
	chmod 755 "$RUN" "$RUN/data"
	ensure_packages
	command -v go >/dev/null || die "go is not on PATH (needed to build lab/app)"
	write_configs
	build_app
	init_postgres
	owned "$RUN/data/redis" redis
	owned "$RUN/data/prom" prometheus
	owned "$RUN/data/am" prometheus
	declare -gA STARTED=()
	for phase in 1 2 3 4; do
		for name in $(names_in_phase "$phase"); do start "$name"; done
		for name in $(names_in_phase "$phase"); do wait_ready "$name"; done
		if [ "$phase" = 1 ]; then bootstrap_postgres; fi
		# One request, so that the latency histogram has series to scrape.
		if [ "$phase" = 3 ]; then curl -fsS -o /dev/null --max-time 5 "$APP_URL"; fi
	done
	wait_scraped "$since"
	log "lab up in $(($(now_ms) - t0)) ms: PROMETHEUS_URL=$PROM_URL (run dir $RUN)"
}

# stop NAME ends a component this lab started: SIGINT is PostgreSQL's fast
# shutdown (SIGTERM would wait for clients), SIGTERM for the others; SIGKILL
# after 10 s.
stop() {
	local name=$1 pid sig=TERM i
	pid=$(running "$name") || {
		rm -f "$RUN/pids/$name.pid"
		return 0
	}
	[ "$name" = postgres ] && sig=INT
	kill "-$sig" "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		running "$name" >/dev/null || break
		sleep 0.1
	done
	if running "$name" >/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
	rm -f "$RUN/pids/$name.pid"
	log "  $name: stopped (pid $pid)"
}

cmd_down() {
	local name
	[ -d "$RUN/pids" ] || return 0
	for name in $(names | tac); do stop "$name"; done
}

cmd_status() {
	local name pid state rc=0
	for name in $(names); do
		if pid=$(running "$name"); then
			if probe "$name"; then state="up (pid $pid)"; else
				state="running but not answering (pid $pid)"
				rc=1
			fi
		else
			state=down
			rc=1
		fi
		printf '%-14s 127.0.0.1:%-6s %s\n' "$name" "$(field "$name" 4)" "$state"
	done
	if running prometheus >/dev/null; then
		prom_query 'up' | grep -o '"job":"[^"]*"[^]]*"value":\[[^,]*,"[01]"' |
			sed -E 's/"job":"([^"]*)".*,"([01])"/  target \1: up=\2/' || true
	fi
	return "$rc"
}

# ---- incidents -------------------------------------------------------------

# app_load SECONDS [RPS]: the service's normal traffic, at a fixed rate.
app_load() { timeout $(($1 + 20)) "$RUN/bin/labload" -url "$APP_URL" -rps "${2:-20}" -c 64 -d "${1}s"; }

# pgbench_through_pgbouncer SECONDS CLIENTS SQL [PGBENCH FLAGS...] runs a
# custom script as the app user through PgBouncer.
pgbench_through_pgbouncer() {
	local secs=$1 clients=$2 sql=$3 f
	shift 3
	f=$(mktemp "$RUN/log/pgbench.XXXXXX.sql")
	echo "$sql" >"$f"
	PGPASSWORD=apppw timeout $((secs + 15)) pgbench -h 127.0.0.1 -p "$PGB_PORT" -U app -n -c "$clients" -j 2 \
		-T "$secs" "$@" -f "$f" app
	rm -f "$f"
}

# Each incident_NAME SECONDS runs its loads in the background; cmd_incident
# waits for them. Each load carries its own timeout.
incident_healthy() { app_load "$1" >"$LOGP-app.log" 2>&1 & }

incident_pool-exhaustion() {
	# 60 clients each holding a server connection 50 ms per query, against a
	# pool of 5: at most 100 queries/s pass, the rest queue in PgBouncer.
	pgbench_through_pgbouncer "$1" 60 'SELECT pg_sleep(0.05);' >"$LOGP-pgbench.log" 2>&1 &
	app_load "$1" >"$LOGP-app.log" 2>&1 &
}

incident_pool-queue() {
	# A queue, not an exhaustion: transactions arriving at random (pgbench
	# --rate schedules them as a Poisson process) at 40/s, each holding a
	# server connection 50 ms, against the pool of 5: with the app's own
	# queries about 2.5 busy on average, some clients wait. Erlang C predicts
	# the wait at this size; PgBouncer measures it (SHOW STATS' client wait
	# time).
	pgbench_through_pgbouncer "$1" 20 'SELECT pg_sleep(0.05);' --rate 40 >"$LOGP-pgbench.log" 2>&1 &
	app_load "$1" >"$LOGP-app.log" 2>&1 &
}

incident_cache-miss-storm() {
	# GETs of keys that were never set. redis-benchmark has no rate or
	# duration flag (docs/facts.md#g11-redis-benchmark): short batches with
	# pauses keep it near 2k GET/s, 100x the app's hits, so that the storm is
	# a cache event and not a CPU one (CPU pressure on 2 cores would outrank
	# it).
	timeout "$1" bash -c "while :; do
		redis-benchmark -h 127.0.0.1 -p $REDIS_PORT -q -c 2 -n 500 -r 100000000 GET miss:__rand_int__ >/dev/null
		sleep 0.2
	done" >"$LOGP-redis.log" 2>&1 &
	app_load "$1" >"$LOGP-app.log" 2>&1 &
}

incident_cpu-saturation() {
	local i
	for ((i = 0; i < $(nproc); i++)); do timeout "$1" sh -c 'while :; do :; done' & done
	app_load "$1" >"$LOGP-app.log" 2>&1 &
}

incident_slow-queries() {
	# Queries 40x slower than the app's, on 3 connections (under the pool
	# size, so nothing waits in PgBouncer), and one transaction left open for
	# the whole incident straight on PostgreSQL: with no day-before data the
	# query time is only compared with the window start, so the open
	# transaction (>= 60 s) is the sure sign: run it for at least 65 s.
	pgbench_through_pgbouncer "$1" 3 'SELECT pg_sleep(0.2);' >"$LOGP-pgbench.log" 2>&1 &
	timeout $(($1 + 5)) psql -h 127.0.0.1 -p "$PG_PORT" -U app -d app -Atq \
		-c "begin; select pg_sleep($1); commit;" >"$LOGP-longtx.log" 2>&1 &
	app_load "$1" >"$LOGP-app.log" 2>&1 &
}

INCIDENTS="healthy pool-exhaustion pool-queue cache-miss-storm cpu-saturation slow-queries"

cmd_incident() {
	local name=${1:-} secs=${2:-} start end at
	[[ " $INCIDENTS " == *" $name "* ]] || die "incident NAME SECONDS: NAME is one of: $INCIDENTS"
	[[ "$secs" =~ ^[0-9]+$ ]] && ((secs >= 5 && secs <= 600)) || die "incident: SECONDS must be 5..600"
	running app >/dev/null || die "the lab is not up (lab.sh up)"
	start=$(date +%s)
	LOGP="$RUN/log/incident-$name-$start"
	log "incident $name: ${secs}s from $(date -u -d "@$start" +%FT%TZ)"
	# A subshell, so that `wait` waits for this incident's loads only, never
	# for the daemons `up` started from the same shell.
	(
		"incident_$name" "$secs"
		wait
	)
	end=$(date +%s)
	echo "$name $start $end" >>"$RUN/incidents.log"
	grep -h -e '^labload' -e '^tps' -e 'latency average' "$LOGP"-*.log 2>/dev/null | sed 's/^/  /' >&2 || true
	# Evaluate 2 s before the end: the last 2 s scrapes are then inside the
	# load, and the 30 s rate window is all incident.
	at=$((end - 2))
	log "evaluate: go run ./cmd/scaletriage report --config lab/scaletriage.yaml --at $at"
	echo "incident=$name start=$start end=$end at=$at"
}

# ---- the day before --------------------------------------------------------

DAY=86400

# OM is a jq program that turns a Prometheus matrix answer into OpenMetrics
# lines, every timestamp moved by $off milliseconds. promtool wants each
# metric family contiguous (hence the sort by name) and seconds; the
# milliseconds are moved as integers and printed as text, so that no
# timestamp is rounded. Without # TYPE lines every family is "unknown",
# which promtool accepts; a counter stays a counter because its samples are
# copied as they were scraped. Gauges whose value is a unix time
# (*_timestamp_seconds, *_time_seconds above 1e9: process start, last GC,
# Redis' last save) move with their timestamps, so that an age such as
# time() - redis_rdb_last_save_timestamp_seconds reads in the copy what it
# read in the run (0, "never", and durations such as
# redis_exporter_last_scrape_connect_time_seconds stay as they are).
# shellcheck disable=SC2016 # jq variables, not shell ones
OM='def ts: (. * 1000 | round) + $off | tostring | .[:-3] + "." + .[-3:];
def epoch: (tonumber? // 0) > 1e9;
.data.result
| sort_by(.metric.__name__)[]
| .metric.__name__ as $name
| ($name | test("_(timestamp|time)_seconds$")) as $moves
| (.metric | del(.__name__) | to_entries | map("\(.key)=\(.value | tojson)") | join(",")) as $labels
| (if $labels == "" then $name else "\($name){\($labels)}" end) as $series
| .values[]
| (if $moves and (.[1] | epoch) then (.[1] | tonumber) + $off / 1000 | tostring else .[1] end) as $value
| "\($series) \($value) \(.[0] | ts)"'

# day_before_free FROM TO dies when the lab's TSDB already holds samples in
# [FROM, TO] (unix seconds): a lab that ran 24 h ago would interleave its
# counters with the copy's, and rate() would read the mix as resets.
day_before_free() {
	local from=$1 to=$2 out
	out=$(prom_query "count(count_over_time(up[$((to - from + 1))s]))" "$to") ||
		die "day-before: Prometheus did not answer"
	[[ $out == *'"result":[]'* ]] && return 0
	die "day-before: the TSDB already has samples between $(date -u -d "@$from" +%FT%TZ) and" \
		"$(date -u -d "@$to" +%FT%TZ) (the lab ran then, or an earlier copy is there): start from an empty TSDB" \
		"(lab.sh reset) or use another LAB_RUN"
}

# cmd_day_before START END AT gives the lab's Prometheus a day before AT:
# the samples every lab job scraped in (START, END] (a healthy run, its
# incidents.log line), copied so that the run's own evaluation instant
# END - 2 s lands on AT - 24 h (every timestamp moves 24 h minus AT - END + 2
# s back; the copy covers AT - 24 h and the rate and lookback windows before
# it), written as OpenMetrics, turned into TSDB blocks by promtool and moved
# into Prometheus' storage; Prometheus restarts to load them (its WAL keeps
# the live samples).
cmd_day_before() {
	local from=${1:-} to=${2:-} at=${3:-} off dir out n t0
	[[ $from =~ ^[0-9]+$ && $to =~ ^[0-9]+$ && $at =~ ^[0-9]+$ ]] && ((from + 35 <= to && to <= at && at - to < DAY / 2)) ||
		die "day-before START END AT: unix seconds, a run of at least 35 s that ended before AT"
	running prometheus >/dev/null || die "the lab is not up (lab.sh up)"
	t0=$(now_ms)
	off=$((at - DAY - (to - 2)))
	day_before_free $((from + off)) $((to + off))
	dir="$RUN/day-before"
	rm -rf "$dir"
	mkdir -p "$dir"
	# Every series of every job, as scraped: a range selector answers the
	# raw samples with their own timestamps.
	curl -fsS --max-time 60 --get "$PROM_URL/api/v1/query" --data-urlencode "query={job=~\".+\"}[$((to - from))s]" \
		--data-urlencode "time=$to" -o "$dir/export.json" || die "day-before: exporting $from..$to failed"
	{
		jq -r --argjson off $((off * 1000)) "$OM" "$dir/export.json"
		echo '# EOF'
	} >"$dir/day-before.om" || die "day-before: converting the export failed"
	rm -f "$dir/export.json"
	n=$(($(wc -l <"$dir/day-before.om") - 1))
	((n > 0)) || die "day-before: no samples between $from and $to"
	promtool tsdb create-blocks-from openmetrics "$dir/day-before.om" "$dir/blocks" >"$dir/promtool.log" 2>&1 ||
		die "day-before: promtool failed, see $dir/promtool.log"
	stop prometheus
	if [ "$(id -u)" = 0 ]; then chown -R prometheus: "$dir/blocks"; fi
	mv "$dir"/blocks/* "$RUN/data/prom/"
	declare -gA STARTED=()
	start prometheus
	wait_ready prometheus
	# The copy must answer at AT - 24 h as the live run did at END - 2.
	out=$(prom_query 'count(up == 1)' $((at - DAY)))
	[[ $out == *",\"$(grep -c job_name "$RUN/conf/prometheus.yml")\"]"* ]] ||
		die "day-before: Prometheus does not answer the copy at $((at - DAY)): $out"
	out=$(prom_query 'sum(rate(http_request_duration_seconds_count[30s]))' $((at - DAY)) |
		jq -r '.data.result[0].value[1] // "no"' || true)
	log "day before: $n samples of $(date -u -d "@$from" +%T)..$(date -u -d "@$to" +%T) moved $((-off)) s back," \
		"now $(date -u -d "@$((from + off))" +%FT%T)..$(date -u -d "@$((to + off))" +%TZ); app traffic $out req/s at AT - 24 h" \
		"($(($(now_ms) - t0)) ms, Prometheus restarted)"
}

# wait_quiet waits (at most LAB_QUIET_WAIT s, default 300) for the host's
# CPU pressure (PSI "some" avg10) to fall under 5 %: neighbours' CPU is
# recorded too, and CPU pressure is a saturation finding that outranks the
# rest (docs/facts.md#g14-shared-host).
wait_quiet() {
	local deadline=$((SECONDS + ${LAB_QUIET_WAIT:-300})) p
	[ -r /proc/pressure/cpu ] || return 0
	while :; do
		p=$(awk -F'[= ]' '/^some/ { print $3 }' /proc/pressure/cpu)
		awk -v p="$p" 'BEGIN { exit !(p < 5) }' && break
		if ((SECONDS >= deadline)); then
			log "lab: CPU pressure still ${p} % after ${LAB_QUIET_WAIT:-300} s: recording anyway (neighbours' CPU will show)"
			return 0
		fi
		sleep 5
	done
	log "host CPU pressure avg10 ${p} %"
}

# cmd_record_demo FILE records the bundled demo: healthy traffic, then pool
# exhaustion, recorded over a 5 m window so that the sparklines show both;
# the healthy run is also copied to the day before, so that every signal is
# compared with a healthy day.
DEMO_HEALTHY=300 # s: the 5 m window is 210 s of it, then the incident
DEMO_INCIDENT=90 # s

cmd_record_demo() {
	local out=${1:-} line hstart hend at now
	[ -n "$out" ] || die "record-demo FILE"
	out=$(realpath -m "$out")
	cmd_up
	now=$(date +%s)
	# Early, so that no run is wasted: the copy will land between 24 h before
	# now and 24 h before the end of the incident.
	day_before_free $((now - DAY)) $((now - DAY + ${LAB_QUIET_WAIT:-300} + DEMO_HEALTHY + DEMO_INCIDENT + 120))
	# Built before the loads (a broken tree fails now, and the compiler's
	# CPU is gone when the healthy run starts).
	(cd "$REPO" && go build -o "$RUN/bin/scaletriage" ./cmd/scaletriage) || die "building scaletriage failed"
	wait_quiet
	line=$(cmd_incident healthy "$DEMO_HEALTHY")
	[[ $line =~ start=([0-9]+)\ end=([0-9]+) ]] || die "healthy run: $line"
	hstart=${BASH_REMATCH[1]} hend=${BASH_REMATCH[2]}
	line=$(cmd_incident pool-exhaustion "$DEMO_INCIDENT")
	at=${line##*at=}
	cmd_day_before "$hstart" "$hend" "$at"
	(cd "$REPO" && "$RUN/bin/scaletriage" record --force -o "$out" --config lab/scaletriage.yaml --window 5m --at "$at")
	log "recorded $out at $at ($(date -u -d "@$at" +%FT%TZ)); host CPU pressure: $(head -n1 /proc/pressure/cpu 2>/dev/null)"
	"$RUN/bin/scaletriage" report --replay "$out" --format text |
		sed -n '/^FINDINGS/,/^SIGNALS/{/^ *[0-9]\+\. \|change:/p}' >&2 || true
}

main() {
	local cmd=${1:-}
	shift || true
	case $cmd in
	up) cmd_up ;;
	down) cmd_down ;;
	status) cmd_status ;;
	check) cmd_check ;;
	packages) echo "${PACKAGES[*]}" ;; # for scripts/test.sh: one apt-get run for everything
	incident) cmd_incident "$@" ;;
	day-before) cmd_day_before "$@" ;;
	record-demo) cmd_record_demo "$@" ;;
	reset)
		cmd_down
		rm -rf "$RUN"
		;;
	*)
		awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}" >&2
		exit 2
		;;
	esac
}

main "$@"
