package prom

import (
	"fmt"
	"io"
)

// A triage query answers one series (more is "ambiguous"), or one per
// entity (host, container, pool) when its candidate declares entity labels;
// a sparkline adds 61 points a series. The caps admit the sparklines of
// 1,000 entities and stop a forgotten aggregation over a fleet after its
// first kilobytes, and bound the client's memory
// (docs/facts.md#response-caps-and-memory).
const (
	maxSeries  = 1_000
	maxSamples = 100_000 // [time, value] pairs over all series of a range answer
)

// errTooMany fails the read of an answer holding more series or samples
// than a triage query needs.
type errTooMany struct {
	what  string // "series" or "samples"
	limit int
}

func (e errTooMany) Error() string { return fmt.Sprintf("answer over %d %s", e.limit, e.what) }

// seriesLimiter is a query answer's body on its way to the decoder. It
// follows the JSON nesting and fails the read as soon as the answer holds
// more than maxSeries series or maxSamples samples, so neither the body nor
// its decoded form is ever held in full (the API cannot count first).
//
// It goes by depth, not by key names (which an answer could escape): in
// {"data":{"result":[{"values":[[t,v],…]},…]}} the series are the elements
// at depth 3 and the samples the [t,v] arrays at depth 5. A vector's
// "value":[t,v] is at depth 5 too, but its elements are not arrays.
type seriesLimiter struct {
	io.ReadCloser
	series, samples int
	depth           int
	isArray         [6]bool // the kind of the container open at each depth up to 5
	elementNext     bool    // the next value starts an element of the innermost array
	inString        bool
	escaped         bool
}

func (l *seriesLimiter) Read(p []byte) (int, error) {
	n, err := l.ReadCloser.Read(p)
	if tooMany := l.scan(p[:n]); tooMany != nil {
		return 0, tooMany
	}
	return n, err
}

func (l *seriesLimiter) scan(b []byte) error {
	for _, c := range b {
		if l.inString {
			switch {
			case l.escaped:
				l.escaped = false
			case c == '\\':
				l.escaped = true
			case c == '"':
				l.inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r', ':':
			continue
		case ',':
			l.elementNext = l.depth < len(l.isArray) && l.isArray[l.depth]
			continue
		case '}', ']':
			l.depth = max(l.depth-1, 0) // a stray close is the decoder's to refuse
			l.elementNext = false
			continue
		}
		if l.elementNext {
			l.elementNext = false
			switch {
			case l.depth == 3:
				l.series++
			case l.depth == 5 && c == '[':
				l.samples++
			}
			if l.series > maxSeries {
				return errTooMany{what: "series", limit: maxSeries}
			}
			if l.samples > maxSamples {
				return errTooMany{what: "samples", limit: maxSamples}
			}
		}
		switch c {
		case '"':
			l.inString = true
		case '{', '[':
			l.depth++
			if l.depth < len(l.isArray) {
				l.isArray[l.depth] = c == '['
			}
			l.elementNext = c == '['
		}
	}
	return nil
}
