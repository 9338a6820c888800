package prom

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// MaxClockSkew is how far the server's clock may be from ours before it
// matters: queries are evaluated at our clock's time against samples the
// server's clock stamped, so a larger skew shifts every window (rate,
// sparkline, the day before) or leaves the latest one empty.
const MaxClockSkew = time.Minute

// observed is what the answers said about the server as a whole, for the
// report; the transport writes it, any goroutine reads it.
type observed struct {
	clockSkew    atomic.Pointer[time.Duration] // server Date minus our clock, latest answer
	redirectedTo atomic.Pointer[string]        // redacted, see RedirectedTo
}

// noteDate records the skew of the server's clock from an answer's Date
// header (whole seconds, so up to a second of noise).
func (o *observed) noteDate(h http.Header, now time.Time) {
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		skew := date.Sub(now)
		o.clockSkew.Store(&skew)
	}
}

// ClockSkew is how far the server's clock is ahead of ours (negative:
// behind), from the Date header of the latest answer; ok reports a skew
// beyond MaxClockSkew, one worth a warning in the report.
func (c *Client) ClockSkew() (skew time.Duration, ok bool) {
	p := c.seen.clockSkew.Load()
	if p == nil {
		return 0, false
	}
	return *p, *p > MaxClockSkew || *p < -MaxClockSkew
}

// Source implements Querier.
func (c *Client) Source() triage.Source {
	s := triage.Source{URL: c.target, Unreachable: c.StoreNotes()}
	s.RedirectedTo, _ = c.RedirectedTo()
	if skew, ok := c.ClockSkew(); ok {
		s.ClockSkew = skew
	}
	return s
}

// heard is what the transport saw of one attempt's answers that
// client_golang does not pass on; it travels in the attempt's context.
type heard struct {
	retryAfter    time.Duration // capped at maxRetryAfter
	retryAsked    float64       // seconds, as the server asked: for the message
	hasRetryAfter bool
}

type heardKey struct{}

func withHeard(ctx context.Context, h *heard) context.Context {
	return context.WithValue(ctx, heardKey{}, h)
}

// noteAnswer keeps the Retry-After of a 429 or 503, the two answers that
// carry one, for the attempt that asked.
func noteAnswer(ctx context.Context, resp *http.Response, now time.Time) {
	h, ok := ctx.Value(heardKey{}).(*heard)
	if !ok || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return
	}
	h.retryAsked, h.hasRetryAfter = retryAfter(resp.Header, now)
	h.retryAfter = time.Duration(min(h.retryAsked, maxRetryAfter.Seconds()) * float64(time.Second))
}

// maxRetryAfter caps the wait a Retry-After can cause, so the arithmetic
// cannot overflow; any wait that long exceeds every query's budget anyway.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads Retry-After as delay-seconds or an HTTP date, in seconds
// as asked (uncapped); a date is measured from the answer's own Date, so a
// skewed server clock does not stretch or cancel the wait.
func retryAfter(h http.Header, now time.Time) (float64, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		return float64(secs), true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	// Unix seconds: a date centuries away would saturate a Duration.
	return max(float64(at.Unix()-now.Unix()), 0), true
}

// retryBudget is how long a retry may still wait: until the context's
// deadline, or one query deadline when the caller set none.
func (c *Client) retryBudget(ctx context.Context) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		return time.Until(deadline)
	}
	return c.timeout
}

// waitRefused is the failure when the server asks for a longer wait than
// the query has left: its wait is the useful part of the message.
func waitRefused(e *Error, askedSeconds float64, budget time.Duration) *Error {
	lead := "rate-limited by the server"
	if e.Status != http.StatusTooManyRequests {
		lead = fmt.Sprintf("server unavailable (HTTP %d)", e.Status)
	}
	return &Error{Class: e.Class, Status: e.Status, Detail: e.Detail, Err: e.Err,
		Msg: fmt.Sprintf("%s: it asks to retry after %s, past this query's budget (%s left): not retried",
			lead, waitWords(askedSeconds), max(budget, 0).Round(time.Second))}
}

// waitWords says a wait of any length: "30s", "2h0m0s", "3650 days".
func waitWords(seconds float64) string {
	if seconds < maxRetryAfter.Seconds() {
		return (time.Duration(seconds) * time.Second).String()
	}
	return triage.Thousands(int(min(seconds/86400, 1e15))) + " days"
}
