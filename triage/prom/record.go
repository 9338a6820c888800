package prom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// RecordingFormat and RecordingVersion identify a recording (its format
// string keeps the name "snapshot" it had: a contract of the file).
const (
	RecordingFormat  = "scaletriage-snapshot"
	RecordingVersion = 1
)

// Recording is the recording file: every call the collector made with its
// answer or error, plus what is needed to ask the same questions again. It
// holds no secrets: the URL is redacted and no header or config is kept.
type Recording struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	RecordedAt time.Time      `json:"recorded_at"`
	Source     RecordedSource `json:"source"`
	At         time.Time      `json:"at"`
	Window     string         `json:"window"`
	RateWindow string         `json:"rate_window"`
	Selector   string         `json:"selector"`
	Exporters  []string       `json:"exporters"`
	// Catalog is the catalog the calls were made with, so that a replay asks
	// exactly the recorded questions even after the built-in catalog changed.
	Catalog triage.Catalog `json:"catalog,omitempty"`
	// Slots is how many requests the server took at once: the replay
	// answers as many, so that it asks what the recording heard (0: not
	// recorded, any number).
	Slots int    `json:"slots,omitempty"`
	Calls []Call `json:"calls"`
	// Report is the JSON report (signals and verdicts) at record time.
	Report json.RawMessage `json:"report,omitempty"`
}

// RecordedSource is what the server said of itself while recorded, so that
// a replay carries the same notes (a moved API, a skewed clock, stores a
// federating querier could not reach) as the live report.
type RecordedSource struct {
	URL              string   `json:"url"`
	Backend          string   `json:"backend"`
	RedirectedTo     string   `json:"redirected_to,omitempty"`
	ClockSkewSeconds float64  `json:"clock_skew_seconds,omitempty"`
	Unreachable      []string `json:"unreachable,omitempty"`
}

// RecordSource is the part of a pass's source a recording keeps (not the
// replica label, which the replay finds again in the calls).
func RecordSource(s triage.Source) RecordedSource {
	return RecordedSource{URL: s.URL, Backend: s.Backend, RedirectedTo: s.RedirectedTo,
		ClockSkewSeconds: s.ClockSkew.Seconds(), Unreachable: s.Unreachable}
}

// source is the recorded source as read back; a skew that is no number
// of seconds a clock can be off (hostile, or beyond a year) is none.
func (r RecordedSource) source() triage.Source {
	s := triage.Source{URL: r.URL, Backend: r.Backend, RedirectedTo: r.RedirectedTo, Unreachable: r.Unreachable}
	if skew := r.ClockSkewSeconds; math.Abs(skew) <= maxRecordedSkew.Seconds() {
		s.ClockSkew = time.Duration(skew * float64(time.Second))
	}
	return s
}

const maxRecordedSkew = 365 * 24 * time.Hour

// Call is one recorded question and its answer.
type Call struct {
	Kind   string       `json:"kind"` // label_values, instant, range, backend
	Query  string       `json:"query,omitempty"`
	Label  string       `json:"label,omitempty"`
	Match  string       `json:"match,omitempty"`
	Time   *time.Time   `json:"time,omitempty"`
	Start  *time.Time   `json:"start,omitempty"`
	End    *time.Time   `json:"end,omitempty"`
	Step   string       `json:"step,omitempty"`
	Values []string     `json:"values,omitempty"`
	Answer *Answer      `json:"result,omitempty"`
	Error  *RecordedErr `json:"error,omitempty"`
	Text   string       `json:"text,omitempty"` // backend name
}

// RecordedErr is a classified error as recorded.
type RecordedErr struct {
	Class  Class  `json:"class"`
	Status int    `json:"status,omitempty"`
	Msg    string `json:"msg"`
}

func (c Call) key() string {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return strconv.FormatInt(t.UnixMilli(), 10)
	}
	return c.Kind + "\x00" + c.Query + "\x00" + c.Label + "\x00" + c.Match + "\x00" + ts(c.Time) + "\x00" + ts(c.Start) + "\x00" + ts(c.End) + "\x00" + c.Step
}

// Recorder is a Querier that passes calls to another and keeps them.
type Recorder struct {
	Inner Querier
	mu    sync.Mutex
	calls []Call
}

// Calls returns what was recorded so far, ordered by call rather than by
// arrival: a pass sends its calls concurrently, and the same answers
// recorded twice should make the same file.
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	calls := slices.Clone(r.calls)
	r.mu.Unlock()
	slices.SortStableFunc(calls, func(a, b Call) int { return strings.Compare(a.key(), b.key()) })
	return calls
}

func (r *Recorder) keep(c Call, err error) {
	if err != nil {
		e := classify(err, "")
		c.Error = &RecordedErr{Class: e.Class, Status: e.Status, Msg: e.Msg}
		c.Answer, c.Values = nil, nil
	}
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
}

// LabelValues implements Querier.
func (r *Recorder) LabelValues(ctx context.Context, label, match string, start, end time.Time) ([]string, error) {
	v, err := r.Inner.LabelValues(ctx, label, match, start, end)
	r.keep(Call{Kind: "label_values", Label: label, Match: match, Start: &start, End: &end, Values: v}, err)
	return v, err
}

// Instant implements Querier.
func (r *Recorder) Instant(ctx context.Context, query string, at time.Time) (Answer, error) {
	res, err := r.Inner.Instant(ctx, query, at)
	r.keep(Call{Kind: "instant", Query: query, Time: &at, Answer: &res}, err)
	return res, err
}

// Range implements Querier.
func (r *Recorder) Range(ctx context.Context, query string, start, end time.Time, step time.Duration) (Answer, error) {
	res, err := r.Inner.Range(ctx, query, start, end, step)
	r.keep(Call{Kind: "range", Query: query, Start: &start, End: &end, Step: step.String(), Answer: &res}, err)
	return res, err
}

// Backend implements Querier.
func (r *Recorder) Backend(ctx context.Context) string {
	b := r.Inner.Backend(ctx)
	r.keep(Call{Kind: "backend", Text: b}, nil)
	return b
}

// Source implements Querier.
func (r *Recorder) Source() triage.Source { return r.Inner.Source() }

// Slots implements Querier.
func (r *Recorder) Slots() int { return r.Inner.Slots() }

// Replay is a Querier answering from a recording, offline. A question the
// recording does not hold is an error naming it.
type Replay struct {
	rec   *Recording
	calls map[string]Call
}

// ParseRecording decodes and checks a recording. Everything in it is
// untrusted, so strings are sanitized again on the way in.
func ParseRecording(data []byte) (*Replay, error) {
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a scaletriage snapshot (invalid JSON: %s)", jsonErr(err))
	}
	if head.Format != RecordingFormat {
		return nil, fmt.Errorf("not a scaletriage snapshot (format %q)", triage.Sanitize(head.Format))
	}
	if head.Version > RecordingVersion {
		return nil, fmt.Errorf("recording version %d is newer than this scaletriage reads (%d): upgrade scaletriage", head.Version, RecordingVersion)
	}
	if head.Version < 1 {
		return nil, fmt.Errorf("recording has no valid version")
	}
	var rec Recording
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("corrupt snapshot: %s", jsonErr(err))
	}
	if rec.At.IsZero() {
		return nil, errors.New("corrupt snapshot: no evaluation time (at)")
	}
	if _, err := time.ParseDuration(rec.Window); err != nil {
		return nil, fmt.Errorf("corrupt snapshot: window %q", triage.Sanitize(rec.Window))
	}
	rp := &Replay{rec: &rec, calls: make(map[string]Call, len(rec.Calls))}
	for _, c := range rec.Calls {
		sanitizeCall(&c)
		rp.calls[c.key()] = c
	}
	rec.Source.URL = triage.Sanitize(rec.Source.URL)
	rec.Source.Backend = triage.Sanitize(rec.Source.Backend)
	rec.Source.RedirectedTo = triage.Sanitize(rec.Source.RedirectedTo)
	for i, u := range rec.Source.Unreachable {
		rec.Source.Unreachable[i] = triage.Sanitize(u)
	}
	rec.Selector = triage.Sanitize(rec.Selector)
	for i, e := range rec.Exporters {
		rec.Exporters[i] = triage.Sanitize(e)
	}
	// A recording made before candidates declared their statistic, engine and
	// tier gets them from the built-in catalog.
	rec.Catalog = rec.Catalog.Sanitized().WithFactsFrom(triage.DefaultCatalog())
	return rp, nil
}

func jsonErr(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	}
	return triage.Sanitize(err.Error())
}

func sanitizeCall(c *Call) {
	for i, v := range c.Values {
		c.Values[i] = triage.Sanitize(v)
	}
	c.Text = triage.Sanitize(c.Text)
	if c.Error != nil {
		c.Error.Msg = triage.Sanitize(c.Error.Msg)
	}
	if c.Answer != nil {
		c.Answer.Warnings = sanitizeAll(c.Answer.Warnings)
		c.Answer.Infos = sanitizeAll(c.Answer.Infos)
		for i, s := range c.Answer.Series {
			clean := make(map[string]string, len(s.Labels))
			for k, v := range s.Labels {
				clean[triage.Capped(k)] = triage.Capped(v)
			}
			c.Answer.Series[i].Labels = clean
		}
	}
}

// Recording returns the parsed file (at, window, selector to ask again with).
func (rp *Replay) Recording() *Recording { return rp.rec }

// Collect collects a snapshot from the recording with the catalog and
// options it was made with.
func (rp *Replay) Collect(ctx context.Context) (*triage.Snapshot, error) {
	return Collect(ctx, rp, rp.rec.Catalog, rp.Options())
}

// Options are the collection options the recording was made with: a replay
// can only answer the questions it recorded.
func (rp *Replay) Options() Options {
	window, _ := time.ParseDuration(rp.rec.Window)   // checked by ParseRecording
	rate, _ := time.ParseDuration(rp.rec.RateWindow) // absent in a hand-made file: the default applies
	return Options{At: rp.rec.At, Window: window, RateWindow: rate, Selector: rp.rec.Selector}
}

func (rp *Replay) find(c Call) (Call, error) {
	got, ok := rp.calls[c.key()]
	if !ok {
		what := c.Query
		if c.Kind == "label_values" {
			what = "label values of " + c.Label
		}
		return Call{}, &Error{Class: ClassBadResponse, Msg: fmt.Sprintf("not in the recording: %s (a recording answers only what was recorded: same window, time and selector)", triage.Sanitize(what))}
	}
	if got.Error != nil {
		return got, &Error{Class: got.Error.Class, Status: got.Error.Status, Msg: got.Error.Msg}
	}
	return got, nil
}

// LabelValues implements Querier.
func (rp *Replay) LabelValues(_ context.Context, label, match string, start, end time.Time) ([]string, error) {
	c, err := rp.find(Call{Kind: "label_values", Label: label, Match: match, Start: &start, End: &end})
	return c.Values, err
}

// Instant implements Querier.
func (rp *Replay) Instant(_ context.Context, query string, at time.Time) (Answer, error) {
	return rp.result(Call{Kind: "instant", Query: query, Time: &at})
}

// Range implements Querier.
func (rp *Replay) Range(_ context.Context, query string, start, end time.Time, step time.Duration) (Answer, error) {
	return rp.result(Call{Kind: "range", Query: query, Start: &start, End: &end, Step: step.String()})
}

func (rp *Replay) result(c Call) (Answer, error) {
	got, err := rp.find(c)
	if err != nil || got.Answer == nil {
		return Answer{}, err
	}
	return *got.Answer, nil
}

// Backend implements Querier.
func (rp *Replay) Backend(context.Context) string {
	if c, ok := rp.calls[Call{Kind: "backend"}.key()]; ok {
		return c.Text
	}
	return rp.rec.Source.Backend
}

// Slots implements Querier: as many as the recorded server took.
func (rp *Replay) Slots() int { return max(rp.rec.Slots, 0) }

// Source implements Querier: the recorded server, as it described itself.
func (rp *Replay) Source() triage.Source { return rp.rec.Source.source() }

// MarshalJSON writes a sample as Prometheus does, [unix seconds, "value"], so
// that NaN and ±Inf survive the round trip.
func (s Sample) MarshalJSON() ([]byte, error) {
	ts := float64(s.T.UnixMilli()) / 1000
	return json.Marshal([]any{ts, strconv.FormatFloat(s.V, 'g', -1, 64)})
}

// UnmarshalJSON reads [unix seconds, "value"].
func (s *Sample) UnmarshalJSON(b []byte) error {
	var raw [2]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var ts float64
	var v string
	if err := json.Unmarshal(raw[0], &ts); err != nil {
		return fmt.Errorf("sample time: %w", err)
	}
	if err := json.Unmarshal(raw[1], &v); err != nil {
		return fmt.Errorf("sample value: %w", err)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil && !math.IsInf(f, 0) {
		return fmt.Errorf("sample value %q is not a number", triage.Sanitize(v))
	}
	s.T = time.UnixMilli(int64(math.Round(ts * 1000))).UTC()
	s.V = f
	return nil
}
