package backendtest

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// maxBlockDuration keeps a test Prometheus from compacting the backfilled
// 2h blocks into blocks that span scenarios (a hidden flag of 2.x and 3.x).
const maxBlockDuration = "--storage.tsdb.max-block-duration=2h"

// Prometheus is how to run one Prometheus server on a free loopback port.
type Prometheus struct {
	Bin    string // the prometheus binary
	Config string // its configuration file; "" is /dev/null (no scrapes, no rules)
	Data   string // its TSDB directory
	// Backfilled serves backfilled blocks as they are: a retention far
	// longer than their age, and no compaction beyond their 2h blocks.
	Backfilled bool
	Flags      []string      // more flags, e.g. --rules.alert.resend-delay=1s
	Ready      time.Duration // how long it may take to be ready; 0 is 15 s
}

// Start runs the server and returns once /-/ready answers.
func (p Prometheus) Start() (*Process, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	config := p.Config
	if config == "" {
		config = "/dev/null"
	}
	args := []string{"--config.file=" + config, "--storage.tsdb.path=" + p.Data}
	if p.Backfilled {
		args = append(args,
			// Far longer than the scenarios' age, so retention never
			// deletes the backfilled blocks while the suite runs.
			"--storage.tsdb.retention.time=100y",
			// No compaction beyond the backfilled 2h blocks: a compacted
			// block spanning days would hold several scenarios, and metric
			// discovery (label values over the window) reads names per
			// block, not per sample, so one scenario would see another's
			// exporters. It happened whenever compaction ran before a
			// subtest (a slow run).
			maxBlockDuration)
	}
	args = append(args, p.Flags...)
	args = append(args, "--web.listen-address=127.0.0.1:"+port, "--log.level=warn")
	limit := p.Ready
	if limit == 0 {
		limit = readyLimit
	}
	return start(p.Bin, args, "http://127.0.0.1:"+port, "/-/ready", limit)
}

// StartPrometheus runs the server until the test ends; it fails the test if
// the server does not start.
func StartPrometheus(tb TB, p Prometheus) *Process {
	tb.Helper()
	proc, err := p.Start()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(proc.Stop)
	return proc
}

// Backfill converts every OpenMetrics file into TSDB blocks in dir with
// promtool, concurrently: each promtool run is single-file and mostly waits
// on its own I/O.
func Backfill(promtool string, files []string, dir string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	for i, f := range files {
		wg.Go(func() {
			out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", f, dir).CombinedOutput()
			if err != nil {
				errs[i] = fmt.Errorf("promtool %s: %v\n%s", filepath.Base(f), err, out)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ServeBackfilled backfills every file with promtool into one TSDB and
// serves it with Prometheus until the test ends; bins maps "prometheus"
// and "promtool" to their paths. It returns the server's URL.
func ServeBackfilled(tb TB, bins map[string]string, files []string) string {
	tb.Helper()
	dir := tb.TempDir()
	began := time.Now()
	if err := Backfill(bins["promtool"], files, dir); err != nil {
		tb.Fatal(err)
	}
	backfilled := time.Since(began)
	p := StartPrometheus(tb, Prometheus{Bin: bins["prometheus"], Data: dir, Backfilled: true})
	tb.Logf("%d scenarios backfilled in %s, Prometheus %s ready %s later", len(files), backfilled.Round(time.Millisecond), p.URL, (time.Since(began) - backfilled).Round(time.Millisecond))
	return p.URL
}
