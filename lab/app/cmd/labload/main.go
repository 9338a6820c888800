// Command labload sends GET requests at a fixed rate for a fixed time and
// prints the latency it measured. Unlike wrk (closed loop: as fast as the
// server answers) it keeps the offered load constant, so a "healthy" run does
// not turn into a CPU-saturation incident on a 2-core box, and an incident
// shows up as latency rather than as a drop in requests sent.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:18080/work", "URL to GET")
	rps := flag.Float64("rps", 20, "requests per second offered")
	conc := flag.Int("c", 32, "maximum requests in flight; a tick finding all busy is counted as dropped")
	dur := flag.Duration("d", 30*time.Second, "how long to send")
	flag.Parse()
	if *rps <= 0 || *conc <= 0 || *dur <= 0 {
		fmt.Fprintln(os.Stderr, "labload: -rps, -c and -d must be positive")
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	client := &http.Client{Timeout: 15 * time.Second}
	slots := make(chan struct{}, *conc)
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		dropped   int
		wg        sync.WaitGroup
	)
	tick := time.NewTicker(time.Duration(float64(time.Second) / *rps))
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
		}
		select {
		case slots <- struct{}{}:
		default:
			dropped++
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			start := time.Now()
			resp, err := client.Get(*url)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			if err != nil {
				errs.Add(1)
				return
			}
			mu.Lock()
			latencies = append(latencies, time.Since(start))
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(latencies)
	q := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	fmt.Printf("labload: %d ok, %d errors, %d dropped in %s (%.1f ok/s); p50 %s p99 %s max %s\n",
		len(latencies), errs.Load(), dropped, *dur, float64(len(latencies))/dur.Seconds(),
		q(0.50).Round(time.Millisecond), q(0.99).Round(time.Millisecond), q(1).Round(time.Millisecond))
}
