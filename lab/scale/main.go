// Command scale measures scaletriage against a real Prometheus holding a
// fleet-sized number of active series, generated here: it serves a realistic
// /metrics page (hosts x CPUs x modes, services x routes x instances x
// buckets, PgBouncer pools, Redis caches, unrelated filler), starts a
// Prometheus on 127.0.0.1 scraping it (with the same fleet backfilled 24 h
// earlier at 70 % of its levels, so that signals moved and the report's
// second round runs), waits until the report's window is full of data, then
// measures, in one run with paired measurements:
//
//   - the whole `scaletriage report` process (wall time, peak RSS), median
//     of -runs;
//   - the slowest single query the report sends, timed alone right after
//     each report run (the pair), and the ratio of the two;
//   - every query of the report timed alone, one after another (the
//     sequential sum, the second round's part of it), with the samples
//     each one touched (stats=all), and the floor that sum sets over the
//     server's slots;
//   - queries per report.
//
// It is a benchmark, not a test: CI does not run it. lab/scale/run.sh runs
// it at 100k and 500k series and the README's Performance section quotes it.
//
//	go run ./lab/scale -series 100000
//	go run ./lab/scale -series 100000 -binary /tmp/old-scaletriage,/tmp/new-scaletriage
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/scaletriage/scaletriage/internal/backendtest"
	"github.com/scaletriage/scaletriage/triage/prom"
)

type sizes struct {
	hosts, cpus, jobs, routes, instances, buckets, pools, caches, filler int
	// slowerToday makes the day before answer faster, so that the P99
	// moved and its band (the costliest second round) is read.
	slowerToday bool
}

// derive fills the sizes left at 0 from the wanted total, in the
// proportions of a typical estate: 1 host per 500 series, 8 CPUs, 10
// services of 10 routes, 1 instance per 5,000 series, 12 buckets, 20
// pools, 10 caches; filler makes up the rest.
func (s sizes) derive(total int) sizes {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = max(d, 1)
		}
	}
	def(&s.hosts, total/500)
	def(&s.cpus, 8)
	def(&s.jobs, 10)
	def(&s.routes, 10)
	def(&s.instances, total/5000)
	def(&s.buckets, 12)
	def(&s.pools, 20)
	def(&s.caches, 10)
	if s.filler == 0 {
		s.filler = max(total-s.fixed(), 0)
	}
	return s
}

// cpuModes are node_exporter's modes.
var cpuModes = []string{"idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"}

var codes = []string{"200", "429", "500"}

// fixed is the number of series besides the filler.
func (s sizes) fixed() int {
	node := s.hosts * (s.cpus*len(cpuModes) + 5)
	http := s.jobs * s.routes * s.instances * len(codes) * (s.buckets + 3)
	return node + http + s.pools*6 + s.caches*10
}

func (s sizes) total() int { return s.fixed() + s.filler }

// page writes the /metrics page at t (seconds since start): counters grow
// at steady rates, gauges sit at fixed levels, so every query has data.
func (s sizes) page(w *bytes.Buffer, t float64) { s.pageAt(w, t, 1) }

// pageAt writes the page with every value times level: the day before's
// fleet at level 0.7 ran 30 % less traffic, CPU and pool use than now (and
// with slowerToday answered faster), so that its signals moved and the
// report's second round runs.
func (s sizes) pageAt(w *bytes.Buffer, t, level float64) {
	num := func(v float64) { w.Write(strconv.AppendFloat(w.AvailableBuffer(), v*level, 'g', -1, 64)) }
	line := func(name, labels string, v float64) {
		w.WriteString(name)
		w.WriteByte('{')
		w.WriteString(labels)
		w.WriteString("} ")
		num(v)
		w.WriteByte('\n')
	}
	for h := range s.hosts {
		inst := fmt.Sprintf(`instance="host-%d:9100",job="node"`, h)
		for c := range s.cpus {
			for i, mode := range cpuModes {
				share := 0.02
				if mode == "idle" {
					share = 0.6
				}
				line("node_cpu_seconds_total", fmt.Sprintf(`%s,cpu="%d",mode="%s"`, inst, c, mode), t*share*(1+float64(i)/100))
			}
		}
		line("node_load1", inst, 2.5)
		line("node_memory_MemTotal_bytes", inst, 64<<30)
		line("node_memory_MemAvailable_bytes", inst, 20<<30)
		line("node_pressure_cpu_waiting_seconds_total", inst, t*0.01)
		line("node_vmstat_oom_kill", inst, 0)
	}
	fill := 0.08 // per bucket: the P99 falls in the ninth
	if s.slowerToday {
		fill /= level // the day before (level < 1) fills sooner
	}
	bounds := make([]string, s.buckets)
	for b := range s.buckets {
		bounds[b] = strconv.FormatFloat(0.005*math.Pow(2, float64(b)), 'g', -1, 64)
	}
	for j := range s.jobs {
		for r := range s.routes {
			for i := range s.instances {
				for ci, code := range codes {
					rate := 10.0 / float64(1+ci*20)
					base := fmt.Sprintf(`job="svc-%d",instance="svc-%d-%d:8080",route="/r%d",code="%s"`, j, j, i, r, code)
					count := t * rate
					for b, le := range bounds {
						line("http_request_duration_seconds_bucket", base+`,le="`+le+`"`, count*math.Min(1, 0.3+float64(b)*fill))
					}
					line("http_request_duration_seconds_bucket", base+`,le="+Inf"`, count)
					line("http_request_duration_seconds_count", base, count)
					line("http_request_duration_seconds_sum", base, count*0.05)
				}
			}
		}
	}
	for p := range s.pools {
		l := fmt.Sprintf(`instance="pgbouncer:9127",job="pgbouncer",database="db%d",user="app"`, p)
		line("pgbouncer_pools_server_active_connections", l, 12)
		line("pgbouncer_pools_client_waiting_connections", l, 0)
		line("pgbouncer_pools_client_maxwait_seconds", l, 0)
		line("pgbouncer_databases_pool_size", fmt.Sprintf(`instance="pgbouncer:9127",job="pgbouncer",database="db%d"`, p), 20)
		line("pgbouncer_stats_totals_queries_duration_seconds_total", l, t*0.4)
		line("pgbouncer_stats_totals_queries_pooled_total", l, t*100)
	}
	for c := range s.caches {
		l := fmt.Sprintf(`instance="redis-%d:9121",job="redis"`, c)
		line("redis_keyspace_hits_total", l, t*900)
		line("redis_keyspace_misses_total", l, t*100)
		line("redis_evicted_keys_total", l, 0)
		line("redis_commands_processed_total", l, t*1000)
		line("redis_memory_used_bytes", l, 1<<30)
		line("redis_memory_max_bytes", l, 4<<30)
		line("redis_cpu_user_seconds_total", l, t*0.2)
		line("redis_cpu_sys_seconds_total", l, t*0.1)
		line("redis_db_keys", l+`,db="db0"`, 100000)
		line("redis_db_keys_expiring", l+`,db="db0"`, 50000)
	}
	for f := range s.filler {
		line(fmt.Sprintf("unrelated_metric_%d", f%500), fmt.Sprintf(`job="filler",shard="%d"`, f/500), float64(f))
	}
}

func main() {
	var s sizes
	total := flag.Int("series", 100000, "active series wanted (the sizes below default to proportions of it)")
	flag.IntVar(&s.hosts, "hosts", 0, "hosts (node_exporter)")
	flag.IntVar(&s.cpus, "cpus", 0, "CPUs per host")
	flag.IntVar(&s.jobs, "jobs", 0, "services")
	flag.IntVar(&s.routes, "routes", 0, "routes per service")
	flag.IntVar(&s.instances, "instances", 0, "instances per service")
	flag.IntVar(&s.buckets, "buckets", 0, "histogram buckets (besides +Inf)")
	flag.IntVar(&s.pools, "pools", 0, "PgBouncer pools")
	flag.IntVar(&s.caches, "caches", 0, "Redis instances")
	flag.IntVar(&s.filler, "filler", 0, "unrelated series")
	flag.BoolVar(&s.slowerToday, "slower-today", true, "the day before answered faster: the P99 moved, and its band over the day before is read")
	prometheus := flag.String("prometheus", "prometheus", "the Prometheus binary")
	promtool := flag.String("promtool", "promtool", "the promtool binary (backfills the day before)")
	dayBefore := flag.Bool("day-before", true, "backfill the same fleet 24 h earlier at 70 % of its levels, so that signals move and the report's second round runs")
	binaries := flag.String("binary", "", "scaletriage binaries to measure, comma-separated (default: build ./cmd/scaletriage)")
	window := flag.Duration("window", 5*time.Minute, "the report's --window; the run waits until it is full of data")
	scrape := flag.Duration("scrape", 15*time.Second, "scrape interval")
	runs := flag.Int("runs", 9, "report runs (each paired with the slowest query alone)")
	timeout := flag.Duration("timeout", 0, "the report's --timeout per query (0: its default, 10s); raise it when the slowest query takes longer")
	top := flag.Int("top", 10, "list this many of the report's slowest queries, each timed alone")
	hold := flag.Bool("hold", false, "after measuring, keep Prometheus serving (until interrupted) for reports by hand at the printed --at")
	flag.Parse()
	s = s.derive(*total)
	if err := run(s, *prometheus, *promtool, *binaries, *window, *scrape, *runs, *timeout, *dayBefore, *top, *hold); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

func run(s sizes, prometheus, promtool, binaries string, window, scrape time.Duration, runs int, timeout time.Duration, dayBefore bool, top int, hold bool) error {
	dir, err := os.MkdirTemp("", "scaletriage-scale-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bins := strings.Split(binaries, ",")
	if binaries == "" {
		bins = []string{filepath.Join(dir, "scaletriage")}
		if out, err := exec.Command("go", "build", "-o", bins[0], "./cmd/scaletriage").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}

	// The generator: one page per scrape, built on demand.
	began := time.Now()
	gen, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var pageBytes int
	var mu sync.Mutex
	go http.Serve(gen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.Grow(pageBytes + pageBytes/8)
		s.page(&b, time.Since(began).Seconds()+1e6)
		mu.Lock()
		pageBytes = b.Len()
		mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		w.Write(b.Bytes())
	}))

	if dayBefore {
		start := time.Now()
		samples, err := s.backfillDayBefore(promtool, filepath.Join(dir, "data"), began, window, 30*time.Second)
		if err != nil {
			return err
		}
		fmt.Printf("day before: %d samples backfilled in %s\n", samples, time.Since(start).Round(time.Second))
	}

	config := filepath.Join(dir, "prometheus.yml")
	conf := fmt.Sprintf("global:\n  scrape_interval: %s\n  scrape_timeout: %s\nscrape_configs:\n  - job_name: scale\n    honor_labels: true\n    static_configs:\n      - targets: ['%s']\n",
		scrape, scrape-time.Second, gen.Addr())
	if err := os.WriteFile(config, []byte(conf), 0o600); err != nil {
		return err
	}
	// Ready once the backfilled day before is open: minutes at 500k series.
	server, err := backendtest.Prometheus{Bin: prometheus, Config: config, Data: filepath.Join(dir, "data"), Ready: 5 * time.Minute}.Start()
	if err != nil {
		return err
	}
	defer func() {
		server.Stop()
		if logs := server.Logs(); logs != "" {
			fmt.Fprint(os.Stderr, logs)
		}
	}()
	base := server.URL
	fmt.Printf("series: %d (hosts %d x %d CPUs x %d modes; %d services x %d routes x %d instances x %d codes x %d buckets; %d pools; %d caches; %d filler)\n",
		s.total(), s.hosts, s.cpus, len(cpuModes), s.jobs, s.routes, s.instances, len(codes), s.buckets+1, s.pools, s.caches, s.filler)

	// Full of data: the window and a rate window of scrapes behind the
	// instant, every series in the head.
	warm := window + 30*time.Second
	fmt.Printf("waiting %s for the window to fill (Prometheus %s, scrape every %s)\n", warm.Round(time.Second), base, scrape)
	time.Sleep(warm)
	heads, err := scalar(base, "prometheus_tsdb_head_series", time.Now())
	if err != nil {
		// Not scraping itself: count what it holds instead.
		heads, err = scalar(base, `count({__name__=~".+"})`, time.Now())
	}
	if err != nil {
		return fmt.Errorf("counting series: %w", err)
	}
	mu.Lock()
	fmt.Printf("Prometheus holds %.0f active series; page %.1f MB\n", heads, float64(pageBytes)/1e6)
	mu.Unlock()

	at := time.Now().Add(-scrape).Truncate(time.Second)
	atArg := strconv.FormatInt(at.Unix(), 10)
	for _, bin := range bins {
		if err := measure(bin, base, atArg, window, timeout, runs, top, dir); err != nil {
			return err
		}
	}
	if hold {
		fmt.Printf("\nholding: --prometheus-url %s --at %s --window %s (interrupt to stop)\n", base, atArg, window)
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
		<-stop
	}
	return nil
}

// measure runs one binary: its queries, then the paired runs.
func measure(bin, base, atArg string, window, timeout time.Duration, runs, top int, dir string) error {
	args := []string{"--prometheus-url", base, "--at", atArg, "--window", window.String()}
	if timeout > 0 {
		args = append(args, "--timeout", timeout.String())
	}
	rec := filepath.Join(dir, "rec.json")
	os.Remove(rec)
	if out, err := exec.Command(bin, append([]string{"record", "-o", rec}, args...)...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s record: %v\n%s", bin, err, out)
	}
	calls, slots, err := readCalls(rec)
	if err != nil {
		return err
	}
	// Each query alone, one after another: the sequential sum, the slowest,
	// and the samples each touched.
	var seq, second time.Duration
	var samples int64
	var spreads, decompositions int
	slowest := -1
	took := make([]time.Duration, len(calls))
	for i, c := range calls {
		_, n, err := c.time(base, true)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Query, err)
		}
		d, _, err := c.time(base, false)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Query, err)
		}
		took[i], seq, samples = d, seq+d, samples+n
		switch band, decomposition := secondRound(c); {
		case band:
			spreads, second = spreads+1, second+d
		case decomposition:
			decompositions, second = decompositions+1, second+d
		}
		if c.Kind != "label_values" && (slowest < 0 || d > took[slowest]) {
			slowest = i
		}
	}
	var reports, alone []time.Duration
	var ratios []float64
	var rss int64
	for range runs {
		start := time.Now()
		cmd := exec.Command(bin, append([]string{"report", "--format", "json"}, args...)...)
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s report: %w", bin, err)
		}
		r := time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = max(rss, ru.Maxrss*1024)
		}
		q, _, err := calls[slowest].time(base, false)
		if err != nil {
			return err
		}
		reports, alone, ratios = append(reports, r), append(alone, q), append(ratios, float64(r)/float64(q))
	}
	name := filepath.Base(bin)
	if v, err := exec.Command(bin, "--version").Output(); err == nil {
		name += " (" + strings.TrimSpace(string(v)) + ")"
	}
	fmt.Printf("\n%s\n", name)
	fmt.Printf("  queries per report:          %d (%d HTTP calls recorded)\n", countQueries(calls), len(calls))
	fmt.Printf("  of which the second round:   %d spreads, %d decompositions\n", spreads, decompositions)
	fmt.Printf("  samples per report:          %d (stats=all, each query alone)\n", samples)
	fmt.Printf("  report, whole process:       %s median of %d\n", median(reports).Round(time.Millisecond), runs)
	fmt.Printf("  slowest query alone:         %s median (%s: %.80s)\n", median(alone).Round(time.Millisecond), calls[slowest].Kind, calls[slowest].Query)
	fmt.Printf("  report / slowest query:      %.2fx median of the paired ratios\n", medianF(ratios))
	fmt.Printf("  sequential sum of queries:   %s (%.2fx the report; second round %s)\n", seq.Round(time.Millisecond), float64(seq)/float64(median(reports)), second.Round(time.Millisecond))
	// Each PromQL query runs on one core: with slots requests in flight a
	// pass lasts at least its summed work over the slots, and at least its
	// slowest query.
	floor := func(work time.Duration) float64 {
		return max(float64(work)/float64(slots), float64(took[slowest])) / float64(took[slowest])
	}
	fmt.Printf("  floor over %d slots:          %.2fx the slowest query (first round alone: %.2fx)\n", slots, floor(seq), floor(seq-second))
	fmt.Printf("  peak RSS of the report:      %.0f MB\n", float64(rss)/1e6)
	order := make([]int, len(calls))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(took[b], took[a]) })
	for _, i := range order[:min(top, len(order))] {
		fmt.Printf("  %8s  %s %.160s\n", took[i].Round(time.Millisecond), calls[i].Kind, calls[i].Query)
	}
	return nil
}

// call is one recorded request.
type call struct{ prom.Call }

// readCalls reads a recording's queries and how many requests at once
// its server took.
func readCalls(path string) ([]call, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	var rec prom.Recording
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, 0, err
	}
	var out []call
	for _, c := range rec.Calls {
		if c.Kind != "backend" {
			out = append(out, call{c})
		}
	}
	return out, max(rec.Slots, 1), nil
}

// secondRound tells the second round's queries: a signal's band (a range
// over the day or the week before), a decomposition of its rise (its
// answer's parts are labelled).
func secondRound(c call) (band, decomposition bool) {
	band = c.Kind == "range" && c.End != nil && time.Since(*c.End) > prom.DayBefore/2 // the first round's end is now
	return band, strings.Contains(c.Query, `"scaletriage_part"`)
}

func countQueries(calls []call) int {
	n := 0
	for _, c := range calls {
		if c.Kind == "instant" || c.Kind == "range" {
			n++
		}
	}
	return n
}

func unix(t time.Time) string { return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64) }

// time sends the call alone and returns its wall time and, with stats, the
// samples it touched (0 for index lookups). Statistics cost the server
// time: a call timed for comparison goes without.
func (c call) time(base string, stats bool) (time.Duration, int64, error) {
	v := url.Values{}
	var path string
	switch c.Kind {
	case "instant":
		path = "/api/v1/query"
		v.Set("query", c.Query)
		v.Set("time", unix(*c.Time))
		if stats {
			v.Set("stats", "all")
		}
	case "range":
		path = "/api/v1/query_range"
		step, err := time.ParseDuration(c.Step)
		if err != nil {
			return 0, 0, err
		}
		v.Set("query", c.Query)
		v.Set("start", unix(*c.Start))
		v.Set("end", unix(*c.End))
		v.Set("step", strconv.FormatFloat(step.Seconds(), 'f', -1, 64))
		if stats {
			v.Set("stats", "all")
		}
	case "label_values":
		path = "/api/v1/label/" + url.PathEscape(c.Label) + "/values"
		if c.Match != "" {
			v.Set("match[]", c.Match)
		}
		if c.Start != nil {
			v.Set("start", unix(*c.Start))
			v.Set("end", unix(*c.End))
		}
	default:
		return 0, 0, fmt.Errorf("unknown call kind %q", c.Kind)
	}
	start := time.Now()
	resp, err := http.Get(base + path + "?" + v.Encode()) // label values take GET only
	if err != nil {
		return 0, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return 0, 0, err
	}
	var reply backendtest.Reply
	if err := json.Unmarshal(body, &reply); err != nil && c.Kind != "label_values" {
		return 0, 0, err
	}
	if reply.Status != "success" {
		return 0, 0, fmt.Errorf("%s %s: HTTP %d %s %.200s", c.Kind, path, resp.StatusCode, reply.Error, body)
	}
	return took, reply.Samples(), nil
}

func scalar(base, query string, at time.Time) (float64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/query?"+url.Values{"query": {query}, "time": {unix(at)}}.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var reply struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		return 0, err
	}
	if len(reply.Data.Result) != 1 {
		return 0, fmt.Errorf("%s: %d series", query, len(reply.Data.Result))
	}
	str, _ := reply.Data.Result[0].Value[1].(string)
	return strconv.ParseFloat(str, 64)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianF(fs []float64) float64 {
	s := slices.Clone(fs)
	slices.Sort(s)
	return s[len(s)/2]
}

// backfillDayBefore writes the fleet 24 h before began, from an hour and 6
// minutes before the window to an hour after it (a moved signal's band
// reads an hour either side), one page per step at level 0.7,
// regrouped so that each metric family is contiguous (promtool wants it),
// and backfills it into the TSDB directory before Prometheus starts.
func (s sizes) backfillDayBefore(promtool, data string, began time.Time, window, step time.Duration) (int, error) {
	// Each family goes to its own file as it is written and the files are
	// joined at the end: memory stays one page, not the day's samples (this
	// process's peak RSS would count in the reports' it spawns).
	parts, err := os.MkdirTemp(filepath.Dir(data), "day-before-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(parts)
	type family struct {
		file *os.File
		w    *bufio.Writer
	}
	families := map[string]*family{}
	var names []string
	samples := 0
	var page bytes.Buffer
	from := began.Add(-24*time.Hour - prom.BandReach - 6*time.Minute)
	to := began.Add(-24*time.Hour + window + prom.BandReach)
	for at := from; !at.After(to); at = at.Add(step) {
		page.Reset()
		s.pageAt(&page, at.Sub(began).Seconds()+1e6, 0.7)
		stamp := " " + strconv.FormatInt(at.Unix(), 10) + "\n"
		for line := range bytes.Lines(page.Bytes()) {
			name := string(line[:bytes.IndexByte(line, '{')])
			f := families[name]
			if f == nil {
				file, err := os.Create(filepath.Join(parts, strconv.Itoa(len(names))))
				if err != nil {
					return 0, err
				}
				defer file.Close()
				f = &family{file: file, w: bufio.NewWriter(file)}
				families[name] = f
				names = append(names, name)
			}
			f.w.Write(bytes.TrimSuffix(line, []byte("\n")))
			f.w.WriteString(stamp)
			samples++
		}
	}
	file := filepath.Join(filepath.Dir(data), "day-before.om")
	out, err := os.Create(file)
	if err != nil {
		return 0, err
	}
	defer os.Remove(file)
	for _, name := range names {
		f := families[name]
		if err := f.w.Flush(); err != nil {
			out.Close()
			return 0, err
		}
		if _, err := f.file.Seek(0, io.SeekStart); err != nil {
			out.Close()
			return 0, err
		}
		if _, err := io.Copy(out, f.file); err != nil {
			out.Close()
			return 0, err
		}
	}
	if _, err := out.WriteString("# EOF\n"); err != nil {
		out.Close()
		return 0, err
	}
	if err := out.Close(); err != nil {
		return 0, err
	}
	if err := backendtest.Backfill(promtool, []string{file}, data); err != nil {
		return 0, err
	}
	return samples, nil
}
