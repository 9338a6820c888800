// Package prom is the only package that talks to a Prometheus-compatible
// HTTP API. It turns the catalog into queries, bounds every wait, classifies
// every failure, sanitizes every string where it enters, and can record and
// replay all it asked and heard.
package prom

import (
	"context"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// Querier is a source of query answers: a live server (Client) or a
// recorded snapshot (Replay). The collector only sees this interface.
type Querier interface {
	// LabelValues lists the values of a label (index only, no samples);
	// match is an optional series selector.
	LabelValues(ctx context.Context, label, match string, start, end time.Time) ([]string, error)
	Instant(ctx context.Context, query string, at time.Time) (Answer, error)
	Range(ctx context.Context, query string, start, end time.Time, step time.Duration) (Answer, error)
	// Backend names the server and its version, e.g. "prometheus 2.42.0";
	// "" when the server does not say.
	Backend(ctx context.Context) string
	// Slots is how many requests it answers at once (0: no bound, a
	// replay), once Backend has fitted them to the server.
	Slots() int
	// Source is what the calls so far said about the server as a whole:
	// its redacted URL, the stores it could not reach, where a redirect
	// moved it, its clock's skew. Collect completes it into the snapshot's.
	Source() triage.Source
}

// Answer is a sanitized query answer: an instant vector has one point per
// series, a range matrix many.
type Answer struct {
	Series   []Series `json:"series"`
	Warnings []string `json:"warnings,omitempty"`
	Infos    []string `json:"infos,omitempty"`
}

// Series is one labelled series.
type Series struct {
	Labels map[string]string `json:"labels"`
	Points []Sample          `json:"points"`
}

// Sample is one value at one instant.
type Sample struct {
	T time.Time
	V float64
}
