package prom

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// Options say what to collect.
type Options struct {
	At         time.Time     // evaluation instant
	Window     time.Duration // sparkline window; its start is a baseline
	Selector   string        // label matchers for application signals, e.g. job="api" (ParseSelector checks them)
	RateWindow time.Duration // the [range] of rate(); default min(5m, window)
	Points     int           // sparkline points; default 60
	// Progress, if set, receives each reading as soon as it is complete
	// (calls are serialized), so a UI can fill in signal by signal.
	Progress func(triage.Reading)
	// Budget bounds the whole collection (0: none). When it runs out, the
	// signals still waiting get status error and the snapshot is partial:
	// a slow server yields a partial picture, never a hang.
	Budget time.Duration
	// Dependencies are the config's matchers per tier for what the service
	// depends on (its database, its cache); their entities are kept beside
	// the worst ones and read as in scope.
	Dependencies map[triage.Tier][]triage.Matchers
	// EntitySeries keeps every kept entity's own series, not only the
	// series of the entity the value comes from: `services` reads each
	// service's onset from them.
	EntitySeries bool
	// NoContributors skips the decompositions of the second round (who
	// brought a change): `services` prints none, and over a fleet their
	// regex of risen services is long.
	NoContributors bool
}

// DayBefore is how far back the baseline looks.
const DayBefore = 24 * time.Hour

func (o Options) withDefaults() (Options, error) {
	if o.Window <= 0 {
		o.Window = 15 * time.Minute
	}
	if o.RateWindow <= 0 {
		o.RateWindow = min(5*time.Minute, o.Window)
	}
	if o.Points <= 0 {
		o.Points = 60
	}
	// Servers keep milliseconds (Prometheus rounds its time parameters to
	// them): on a whole millisecond, the range's last point is the instant.
	o.At = o.At.Truncate(time.Millisecond)
	var err error
	o.Selector, err = ParseSelector(o.Selector)
	return o, err
}

// Collect reads every signal of the catalog concurrently (the Querier bounds
// how many requests are in flight). It fails only when the source itself is
// unusable (unreachable, auth, not Prometheus); a failing signal gets status
// error and the others still report. Cancelled by the caller, it returns
// what was read, marked partial, with the context's error. The snapshot's
// Source is complete: the querier's description of the server, the backend
// it named and the replica label every query reduced over.
func Collect(ctx context.Context, q Querier, cat triage.Catalog, o Options) (*triage.Snapshot, error) {
	snap, err := collect(ctx, q, cat, o)
	described := q.Source()
	if snap == nil {
		// A querier whose stores are down answers nothing: say which.
		if len(described.Unreachable) > 0 {
			err = fmt.Errorf("%w; %s", err, strings.Join(described.Unreachable, "; "))
		}
		return nil, err
	}
	if snap.Source.Backend != "" {
		described.Backend = snap.Source.Backend
	}
	described.Deduplicated = snap.Source.Deduplicated
	snap.Source = described
	return snap, err
}

func collect(ctx context.Context, q Querier, cat triage.Catalog, o Options) (*triage.Snapshot, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	parent := ctx
	if o.Budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Budget)
		defer cancel()
	}
	c := &collector{q: q, o: o}
	// Discovery, the engine and an HA pair's replica label are read
	// together; the signals wait for all three (the engine decides query
	// parameters, the replica label the queries themselves).
	backend := make(chan string, 1)
	go func() { backend <- q.Backend(ctx) }()
	replica := make(chan string, 1)
	go func() { replica <- c.replicaLabelWithValues(ctx) }()

	names, err := c.labelValues(ctx, "__name__", "")
	source := triage.Source{Backend: <-backend}
	// A second round started early runs beside its signal's window: worth
	// one more query where the server takes three at once (the window, the
	// value and the day before), not on two cores, where it only adds work.
	c.early = q.Slots() == 0 || q.Slots() >= 3
	candidate := <-replica
	var present map[string]bool
	if err != nil {
		// A discovery that times out (index only, the cheapest call) means
		// every query would: stop here rather than report 31 timeouts.
		var e *Error
		if !errors.As(err, &e) || e.Fatal() || e.Class == ClassTimeout {
			return nil, err
		}
		// Discovery failed for a reason of its own (limits): try every
		// candidate instead of giving up, and say so where a signal is
		// missing, since nothing is then known to exist.
		c.discoveryErr = err
	} else {
		present = make(map[string]bool, len(names))
		for _, n := range names {
			present[n] = true
		}
	}

	if candidate != "" && c.unmerged(ctx, candidate, cat, present) {
		c.replica = candidate
		source.Deduplicated = candidate
	}
	snap := &triage.Snapshot{
		Source: source, Window: o.Window, RateWindow: o.RateWindow, At: o.At, Selector: o.Selector,
		Readings:  make([]triage.Reading, len(cat)),
		Exporters: detectExporters(cat, present),
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	// Until a queue forms the gate admits whoever comes first: the routine
	// signals start once every long chain has sent its first request (or
	// found it had none to send), so that the slowest query is not the
	// one that waits.
	var sent sync.WaitGroup
	for _, i := range longChainsFirst(cat) {
		def := cat[i]
		signalCtx := ctx
		var first func()
		if firstRound(def) == longChain {
			sent.Add(1)
			first = sync.OnceFunc(sent.Done)
			signalCtx = context.WithValue(ctx, firstSentKey{}, first)
		} else {
			sent.Wait()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if first != nil {
				defer first()
			}
			r := c.read(signalCtx, parent, def, present)
			snap.Readings[i] = r
			if o.Progress != nil {
				mu.Lock()
				o.Progress(r)
				mu.Unlock()
			}
		}()
	}
	// The cheap index lookups queue behind the signals' first queries.
	wg.Go(func() { snap.Scope = c.serviceScope(ctx, cat, present) })
	wg.Go(func() { snap.Warnings = c.rateWindowCheck(ctx, present) })
	wg.Go(func() { snap.Events = c.events(ctx, present) })
	wg.Wait()
	snap.Queries = int(c.calls.Load())
	// Cancelled by the caller (interrupt, quit): what was read is returned
	// with the error, for the caller to show or save as partial. The budget
	// running out is not that: the signals it cut are errors.
	if err := parent.Err(); err != nil {
		markCancelled(snap)
		return snap, err
	}
	if err := nothingRead(snap); err != nil {
		return nil, err
	}
	for _, r := range snap.Readings {
		if r.Status == triage.StatusError || len(r.Warnings) > 0 {
			snap.Partial = true
		}
	}
	return snap, nil
}

// firstRound is how urgent a signal's first round is. A histogram's
// quantile over the window reads every bucket series of every route and is
// the slowest query of a pass (its band the day before is as slow); a
// signal that a decomposition splits has one more query after it. Both
// chains start first, so that they run beside the short ones, and the pass
// takes about the longest chain's time instead of it plus the queue.
func firstRound(def triage.SignalDef) urgency {
	histogram := slices.ContainsFunc(def.Candidates, func(c triage.Candidate) bool { return c.Histogram != "" })
	decomposed := slices.ContainsFunc(triage.Decompositions, func(d triage.Decomposition) bool { return d.Signal == def.ID })
	if histogram || decomposed {
		return longChain
	}
	return routine
}

// longChainsFirst orders the signals for launch: the long chains first,
// catalog order kept among equals.
func longChainsFirst(cat triage.Catalog) []int {
	order := make([]int, len(cat))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(firstRound(cat[b]), firstRound(cat[a])) })
	return order
}

// markCancelled marks a snapshot cut short by its caller: partial, and the
// signals the cancellation stopped say so.
func markCancelled(snap *triage.Snapshot) {
	snap.Partial = true
	for i, r := range snap.Readings {
		if r.Cancelled {
			snap.Readings[i].Reason = "cancelled before this signal was read"
		}
	}
}

// nothingRead is an error when no signal has a value (none, NaN, failed):
// the server answers nothing useful, and "no finding" would read as healthy.
func nothingRead(snap *triage.Snapshot) error {
	var failed []triage.Reading
	nan := 0
	for _, r := range snap.Readings {
		switch {
		case r.Value.Known && math.IsNaN(r.Value.V):
			nan++
		case r.Value.Known: // judged, or reported as suspicious: read
			return nil
		case r.Status == triage.StatusError:
			failed = append(failed, r)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("no signal could be read: %d of %d signals failed, the first: %s", len(failed), len(snap.Readings), failed[0].Reason)
	}
	// Nothing answered and nothing failed: no data is not "no finding".
	why := []string{"an evaluation time (--at) with no data yet", "a server that stores none of the metrics the catalog reads"}
	if nan > 0 {
		why = []string{fmt.Sprintf("%d of %d signals answered NaN: no observations in the window (idle histograms, 0/0)", nan, len(snap.Readings))}
	}
	why = append(why, snap.Warnings...)
	if len(snap.Readings) == 0 {
		return ErrNothingRead
	}
	return fmt.Errorf("%w at %s: no signal has a value (%s)", ErrNothingRead, snap.At.UTC().Format(time.RFC3339), strings.Join(why, "; "))
}

// ErrNothingRead is a source that answers but holds no value for any
// signal: reported as an error (exit 1), never as a healthy system.
var ErrNothingRead = errors.New("nothing to triage")

// detectExporters lists, in catalog order, the exporter families whose
// candidate metrics all exist.
func detectExporters(cat triage.Catalog, present map[string]bool) []string {
	var out []string
	for _, def := range cat {
		for _, cand := range def.Candidates {
			if present != nil && hasAll(present, cand.Metrics) && !slices.Contains(out, cand.Exporter) {
				out = append(out, cand.Exporter)
			}
		}
	}
	return out
}

func hasAll(present map[string]bool, metrics []string) bool {
	for _, m := range metrics {
		if !present[m] {
			return false
		}
	}
	return true
}

type collector struct {
	q            Querier
	o            Options
	calls        atomic.Int64
	discoveryErr error  // why metric discovery failed, if it did
	replica      string // the HA pair's replica label, when one was found
	early        bool   // histograms start their second round beside their window
}

// firstSentKey holds a long chain's func to call as its first request
// goes out.
type firstSentKey struct{}

// sending counts a request and tells its long chain, if any, that one went.
func (c *collector) sending(ctx context.Context) {
	c.calls.Add(1)
	if first, ok := ctx.Value(firstSentKey{}).(func()); ok {
		first()
	}
}

func (c *collector) labelValues(ctx context.Context, label, match string) ([]string, error) {
	c.sending(ctx)
	return c.q.LabelValues(ctx, label, match, c.o.At.Add(-c.o.Window), c.o.At)
}

func (c *collector) instant(ctx context.Context, query string, at time.Time) (Answer, error) {
	c.sending(ctx)
	return c.q.Instant(ctx, c.dedup(query), at)
}

func (c *collector) rangeQuery(ctx context.Context, query string, start, end time.Time, step time.Duration) (Answer, error) {
	c.sending(ctx)
	return c.q.Range(ctx, c.dedup(query), start, end, step)
}

// dedup reduces a query over the HA pair's replica label when one was
// found (replicaLabels); a query the parser cannot read goes as it is.
func (c *collector) dedup(query string) string {
	if c.replica == "" {
		return query
	}
	q, _ := withoutReplica(query, c.replica)
	return q
}

// signal reads one signal. Every present candidate is probed at once, and
// each probe's lookups run together (probe): the critical path is one round
// trip after discovery. The first candidate in catalog order with a value at
// the instant wins; its sparkline, baselines and bucket bounds come from
// the same probe. A lone histogram probe asks for its value at the instant
// too: once that and the day before are in, early gets the reading without
// its window.
func (c *collector) signal(ctx context.Context, def triage.SignalDef, present map[string]bool, early func(triage.Reading)) triage.Reading {
	r := triage.Reading{ID: def.ID, Title: def.Title, Unit: def.Unit, Aggregation: def.Aggregation, Aggregate: def.Aggregate,
		Thresholds: def.Thresholds, Status: triage.StatusMissing}
	rate := triage.PromDuration(c.o.RateWindow)
	var probes []*probe
	scoped := false
	for _, cand := range def.Candidates {
		if present != nil && !hasAll(present, cand.Metrics) {
			continue
		}
		scoped = scoped || cand.Scoped()
		probes = append(probes, &probe{cand: cand, query: cand.Expand(c.o.Selector, rate)})
	}
	var wg sync.WaitGroup
	for _, p := range probes {
		p.early = c.early && len(probes) == 1 && p.cand.Histogram != ""
		p.valued = make(chan struct{})
		wg.Go(func() { c.probe(ctx, p) })
	}
	if len(probes) == 1 && probes[0].early {
		p := probes[0]
		<-p.valued
		if p.nowErr == nil && p.dayBeforeErr == nil && len(p.now.Series) > 0 {
			pre := r
			c.complete(&pre, def, p, p.now, nil)
			if pre.Usable() {
				early(pre)
			}
		}
	}
	wg.Wait()
	var firstErr error
	for _, p := range probes {
		now, err := c.current(ctx, p)
		if err != nil {
			if firstErr == nil {
				firstErr = err
				r.MeasuredBy(p.cand, p.query, rate)
			}
			continue
		}
		if len(now.Series) == 0 {
			continue
		}
		var window *Answer
		if p.windowErr == nil {
			window = &p.window
		}
		c.complete(&r, def, p, now, window)
		return r
	}
	switch {
	case firstErr != nil:
		r.Status, r.Reason = triage.StatusError, firstErr.Error()
		// Cancelled by the caller, not out of budget (DeadlineExceeded).
		r.Cancelled = errors.Is(ctx.Err(), context.Canceled)
	case len(probes) > 0 && c.discoveryErr == nil:
		r.Reason = "no data: the exporter's metrics exist but the query returned nothing at this instant"
		if def.NoData != "" {
			r.Reason = def.NoData
		}
		if c.o.Selector != "" && scoped {
			r.Reason += fmt.Sprintf(" (does the selector {%s} match?)", c.o.Selector)
		}
	default:
		r.Reason = missingReason(def, present, c.discoveryErr)
	}
	return r
}

// single is the one sample of an instant answer and the number of series;
// a series without a sample (a hostile snapshot) gives no value.
func (res Answer) single() (triage.Value, int) {
	if len(res.Series) != 1 || len(res.Series[0].Points) == 0 {
		return triage.None, len(res.Series)
	}
	return triage.Of(res.Series[0].Points[0].V), 1
}

// judge decides the status of a reading that has a value: NaN and infinities
// are reported, never judged as numbers.
func judge(r triage.Reading) (triage.Status, string) {
	switch {
	case math.IsNaN(r.Value.V):
		return triage.StatusMissing, "NaN: no observations in the window (an idle histogram, or 0/0)"
	case math.IsInf(r.Value.V, 0):
		return triage.StatusError, fmt.Sprintf("suspicious value %s: check the query", triage.Format(r.Value, r.Unit, false))
	}
	status, reason := r.Thresholds.Judge(r)
	if r.AtLeast {
		clamp := "the quantile is at the top finite histogram bucket: the true value is at least " + triage.Format(r.Value, r.Unit, false)
		if reason == "" {
			reason = clamp
		} else {
			reason += "; " + clamp
		}
	}
	return status, reason
}

// missingReason says what would enable a signal, precisely when a related
// exporter is present. After a failed discovery every candidate was tried
// and nothing is known to exist: the reason says so. Metrics that match the
// signal's related patterns are named (the first few, sanitized: they come
// from the server), so that a family the catalog does not read is one
// config candidate away.
func missingReason(def triage.SignalDef, present map[string]bool, discoveryErr error) string {
	if discoveryErr != nil {
		reason := fmt.Sprintf("not found: metric discovery failed (%s), so every candidate was tried and none returned data", discoveryErr)
		if def.Enable != "" {
			reason += "; " + def.Enable
		}
		return reason
	}
	for _, h := range def.Hints {
		if present[h.If] {
			return h.Say
		}
	}
	reason := "not found: " + def.Enable
	related := def.RelatedPresent(present)
	if len(related) == 0 {
		return reason
	}
	const shown = 5
	names := make([]string, 0, shown)
	for _, name := range related[:min(len(related), shown)] {
		names = append(names, triage.Sanitize(name))
	}
	list := strings.Join(names, ", ")
	if more := len(related) - len(names); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return reason + "; related metrics present: " + list + " — no candidate of this signal can run on them: add one under signals: in the config"
}

// dependency matches the entities of a tier that the config names as the
// service's dependencies; nil when it names none of that tier.
func (c *collector) dependency(tier triage.Tier) func(map[string]string) bool {
	deps := c.o.Dependencies[tier]
	if len(deps) == 0 {
		return nil
	}
	return func(labels map[string]string) bool {
		return slices.ContainsFunc(deps, func(d triage.Matchers) bool { return d.Matches(labels) })
	}
}

// replicaLabelWithValues returns the first of replicaLabels with two or
// more values in the window: maybe an HA pair. One index-only lookup per
// name, beside discovery.
func (c *collector) replicaLabelWithValues(ctx context.Context) string {
	found := make([]bool, len(replicaLabels))
	var wg sync.WaitGroup
	for i, label := range replicaLabels {
		wg.Go(func() {
			values, err := c.labelValues(ctx, label, "")
			found[i] = err == nil && len(values) >= 2
		})
	}
	wg.Wait()
	if i := slices.Index(found, true); i >= 0 {
		return replicaLabels[i]
	}
	return ""
}

// unmerged reports whether queries see the pair's copies apart: a
// deduplicating querier (Thanos with its replica label set) still lists
// the label's values but merges the series before evaluating, so a count by
// the label over one metric the catalog reads says which. Only HA setups
// pay this query.
func (c *collector) unmerged(ctx context.Context, label string, cat triage.Catalog, present map[string]bool) bool {
	var metric string
	for _, def := range cat {
		for _, cand := range def.Candidates {
			for _, m := range cand.Metrics {
				if metric == "" && present[m] {
					metric = m
				}
			}
		}
	}
	if metric == "" {
		return false
	}
	res, err := c.instant(ctx, fmt.Sprintf("count by (%s) ({__name__=%q})", label, metric), c.o.At)
	if err != nil {
		return false
	}
	copies := 0
	for _, s := range res.Series {
		if s.Labels[label] != "" {
			copies++
		}
	}
	return copies >= 2
}

// shortRateWindow is the rate window under which the scrape interval is
// checked: at a few minutes every scrape interval in use fits twice.
const shortRateWindow = 2 * time.Minute

// rateWindowCheck warns when the rate window holds fewer than two samples
// of some target, so that every rate() over it is empty: it measures the
// scrape interval from the `up` series over ten minutes. Only short rate
// windows are checked (one cheap query).
func (c *collector) rateWindowCheck(ctx context.Context, present map[string]bool) []string {
	if c.o.RateWindow >= shortRateWindow || (present != nil && !present["up"]) {
		return nil
	}
	const span = 10 * time.Minute
	res, err := c.instant(ctx, "min(count_over_time(up["+triage.PromDuration(span)+"]))", c.o.At)
	if err != nil {
		return nil
	}
	n, count := res.single()
	if count != 1 || !n.Usable() || n.V < 1 {
		return nil
	}
	interval := span / time.Duration(n.V)
	if c.o.RateWindow >= 2*interval {
		return nil
	}
	return []string{fmt.Sprintf("the rate window %s is shorter than two scrapes (the slowest target is scraped about every %s): rates over it come out empty; use --rate-window %s or more",
		triage.PromDuration(c.o.RateWindow), triage.PromDuration(interval.Round(time.Second)), triage.PromDuration((2 * interval).Round(time.Second)))}
}
