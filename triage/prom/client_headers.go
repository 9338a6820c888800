package prom

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
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

// heard is what the transport saw of one attempt's answers that
// client_golang does not pass on; it travels in the attempt's context.
type heard struct {
	retryAfter    time.Duration
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
	h.retryAfter, h.hasRetryAfter = retryAfter(resp.Header, now)
}

// maxRetryAfter caps what a Retry-After can ask, so the arithmetic cannot
// overflow; any wait that long exceeds every query's budget anyway.
const maxRetryAfter = 24 * time.Hour

// retryAfter reads Retry-After as delay-seconds or an HTTP date; a date is
// measured from the answer's own Date, so a skewed server clock does not
// stretch or cancel the wait.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		now = date
	}
	return min(max(at.Sub(now), 0), maxRetryAfter), true
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
func waitRefused(e *Error, wait time.Duration) *Error {
	lead := "rate-limited by the server"
	if e.Status != http.StatusTooManyRequests {
		lead = fmt.Sprintf("server unavailable (HTTP %d)", e.Status)
	}
	return &Error{Class: e.Class, Status: e.Status, Detail: e.Detail,
		Msg: fmt.Sprintf("%s: retry after %s", lead, wait.Round(time.Second))}
}
