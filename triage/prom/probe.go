package prom

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// probe is one candidate's answers: the window's range (whose last point is
// the current value), the day before, and the histogram's bucket bounds;
// an early probe asks for the value at the instant as well.
type probe struct {
	cand  triage.Candidate
	query string
	early bool

	window       Answer
	windowErr    error
	now          Answer // early probes only
	nowErr       error
	dayBefore    Answer
	dayBeforeErr error
	buckets      []string // the le values; nil when not a histogram
	bucketsErr   error
	valued       chan struct{} // closed when all but the window are in
}

// complete fills r from a probe's answer at the instant: its value and,
// from the probe's other lookups, its baselines, clamp and, when the
// window is in (not nil), its sparkline; then judges it.
func (c *collector) complete(r *triage.Reading, def triage.SignalDef, p *probe, now Answer, window *Answer) {
	r.MeasuredBy(p.cand, p.query, triage.PromDuration(c.o.RateWindow))
	r.Warnings, r.Infos = now.Warnings, now.Infos
	if err := value(r, def, now, c.dependency(r.Tier)); err != nil {
		r.Status, r.Reason = triage.StatusError, err.Error()
		return
	}
	groups := now
	if window != nil {
		groups = *window
	}
	p.details(r, def.Aggregate, c.o.EntitySeries, window, groups)
	if reason, impossible := r.DropImpossible(def.PossibleRange()); impossible {
		r.Status, r.Reason = triage.StatusError, reason
		return
	}
	r.Status, r.Reason = judge(*r)
}

// probe sends a candidate's lookups together.
func (c *collector) probe(ctx context.Context, p *probe) {
	var wg, valued sync.WaitGroup
	wg.Go(func() {
		// The sparkline's last point falls exactly on the instant, so the
		// range answers "now" too (the same evaluation as an instant query:
		// TestScenarios' range-is-instant proves it on every backend).
		step := max(c.o.Window/time.Duration(c.o.Points), time.Second)
		p.window, p.windowErr = c.rangeQuery(ctx, p.query, c.o.At.Add(-step*time.Duration(c.o.Points)), c.o.At, step)
	})
	valued.Go(func() { p.dayBefore, p.dayBeforeErr = c.instant(ctx, p.query, c.o.At.Add(-DayBefore)) })
	if p.early {
		valued.Go(func() { p.now, p.nowErr = c.instant(ctx, p.query, c.o.At) })
	}
	if p.cand.Histogram != "" {
		valued.Go(func() { p.buckets, p.bucketsErr = c.labelValues(ctx, "le", p.cand.Histogram+"{"+c.o.Selector+"}") })
	}
	valued.Wait()
	close(p.valued)
	wg.Wait()
}

// current is the candidate's answer at the instant: an early probe's own,
// else the range's points at exactly that time. A server that moved its
// steps (VictoriaMetrics aligns them to its cache and hides the last
// seconds before now) has no point there: then an instant query asks.
func (c *collector) current(ctx context.Context, p *probe) (Answer, error) {
	if p.early && p.nowErr == nil {
		now := p.now
		if p.windowErr != nil {
			now.Warnings = append(slices.Clip(now.Warnings), "sparkline: "+p.windowErr.Error())
		}
		return now, nil
	}
	if p.windowErr != nil {
		return c.withoutWindow(ctx, p)
	}
	now := Answer{Warnings: p.window.Warnings, Infos: p.window.Infos}
	aligned := len(p.window.Series) == 0
	for _, s := range p.window.Series {
		if n := len(s.Points); n > 0 {
			last := s.Points[n-1]
			onTime := last.T.UnixMilli() == c.o.At.UnixMilli()
			aligned = aligned || onTime
			if onTime {
				now.Series = append(now.Series, Series{Labels: s.Labels, Points: []Sample{last}})
			}
		}
	}
	if aligned {
		return now, nil
	}
	return c.instant(ctx, p.query, c.o.At)
}

// withoutWindow answers "now" when the window could not: the range is a
// probe's costliest lookup, and when it timed out or was over the server's
// or the client's limits (a P99 over half a million bucket series), the
// instant query alone may still answer. The value stands without its
// sparkline, which a warning says (the reading is partial); any other
// failure is the signal's error.
func (c *collector) withoutWindow(ctx context.Context, p *probe) (Answer, error) {
	var e *Error
	if ctx.Err() != nil || !errors.As(p.windowErr, &e) ||
		(e.Class != ClassTimeout && e.Class != ClassTooExpensive && e.Class != ClassTooLarge) {
		return Answer{}, p.windowErr
	}
	res, err := c.instant(ctx, p.query, c.o.At)
	if err != nil {
		return Answer{}, p.windowErr
	}
	res.Warnings = append(res.Warnings, "sparkline: "+p.windowErr.Error())
	return res, nil
}

// details fills the sparkline (from window, unless nil), the baselines
// (entities grouped as in groups) and the clamping flag from the probe. A
// lookup that failed is a warning, not an error: the current value stands.
func (p *probe) details(r *triage.Reading, agg triage.Aggregate, everySeries bool, window *Answer, groups Answer) {
	if window != nil {
		if len(r.EntityLabels) > 0 {
			r.Series = entitySeries(r, agg, *window, everySeries)
		} else if len(window.Series) == 1 {
			r.Series = points(window.Series[0].Points)
		}
		// The earliest finite point: a histogram that saw no requests yet
		// at the very start reads NaN there.
		for _, pt := range r.Series {
			if v := triage.Of(pt.V); v.Usable() {
				r.WindowStart = v
				break
			}
		}
	}
	if p.dayBeforeErr != nil {
		r.Warnings = append(r.Warnings, "baseline: "+p.dayBeforeErr.Error())
	} else if len(r.EntityLabels) > 0 {
		r.Baseline = entityBaselines(r, agg, p.dayBefore, entityGroups(r, groups))
	} else if v, n := p.dayBefore.single(); n == 1 {
		r.Baseline = v
	}
	top := math.Inf(1)   // the top finite bucket bound, in the signal's unit
	var bounds []float64 // the finite bucket bounds, in the signal's unit
	if p.bucketsErr != nil {
		r.Warnings = append(r.Warnings, "histogram buckets: "+p.bucketsErr.Error())
	} else if p.buckets != nil {
		scale := p.cand.HistogramScale
		if scale == 0 {
			scale = 1
		}
		bounds = finiteBounds(p.buckets, scale)
		if len(bounds) > 0 {
			top = bounds[len(bounds)-1]
		}
	}
	// histogram_quantile returns the top finite bound when the quantile
	// falls in the +Inf bucket: the truth is at least that, now or the day
	// before.
	r.PairWithValueEntity()
	clamped := func(v triage.Value) bool { return v.Usable() && v.V >= top*(1-1e-9) }
	r.AtLeast, r.BaselineAtLeast = clamped(r.Value), clamped(r.Baseline)
	if !r.AtLeast {
		r.Bucket = triage.BucketOf(r.Value, bounds)
	}
}

// finiteBounds are the finite bucket bounds (the le values), scaled to the
// signal's unit, ascending.
func finiteBounds(les []string, scale float64) []float64 {
	var out []float64
	for _, s := range les {
		f, err := strconv.ParseFloat(s, 64)
		if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			out = append(out, f*scale)
		}
	}
	slices.Sort(out)
	return out
}
