package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scaletriage/scaletriage/triage"
)

// reportV1 is the JSON report, version 1 (a contract: change only with a
// version bump).
type reportV1 struct {
	Version    int         `json:"version"`
	Source     sourceV1    `json:"source"`
	Window     string      `json:"window"`
	RateWindow string      `json:"rate_window"`
	At         string      `json:"at"`
	Selector   string      `json:"selector"`
	Partial    bool        `json:"partial"`
	Queries    int         `json:"queries"`
	Exporters  []string    `json:"exporters"`
	Signals    []signalV1  `json:"signals"`
	Findings   []findingV1 `json:"findings"`
}

type sourceV1 struct {
	URL     string `json:"url"`
	Backend string `json:"backend"`
	Replay  string `json:"replay,omitempty"`
}

type signalV1 struct {
	ID       triage.SignalID `json:"id"`
	Title    string          `json:"title"`
	Value    *float64        `json:"value"` // null when missing, NaN or infinite
	AtLeast  bool            `json:"at_least,omitempty"`
	Display  string          `json:"display"`
	Unit     triage.Unit     `json:"unit"`
	Status   triage.Status   `json:"status"`
	Reason   string          `json:"reason,omitempty"`
	Baseline *float64        `json:"baseline"`
	// BaselineAtLeast marks a day-before quantile clamped at the top bucket.
	BaselineAtLeast bool              `json:"baseline_at_least,omitempty"`
	WindowStart     *float64          `json:"window_start"`
	Query           string            `json:"query,omitempty"`
	Exporter        string            `json:"exporter,omitempty"`
	Thresholds      triage.Thresholds `json:"thresholds"`
	Warnings        []string          `json:"warnings,omitempty"`
	Infos           []string          `json:"infos,omitempty"`
}

type findingV1 struct {
	ID       string              `json:"id"`
	Severity triage.Severity     `json:"severity"`
	Score    float64             `json:"score"`
	Title    string              `json:"title"`
	Summary  string              `json:"summary"`
	Evidence []string            `json:"evidence"`
	Against  []string            `json:"against"`
	Prompts  []string            `json:"prompts"`
	Signals  []triage.SignalID   `json:"signals"`
	Capacity *capacityV1         `json:"capacity,omitempty"`
	Unfilled map[string][]string `json:"unfilled"`
}

type capacityV1 struct {
	Throughput     *float64        `json:"throughput_rps"`
	Bottleneck     triage.SignalID `json:"bottleneck"`
	Utilization    float64         `json:"utilization"`
	MaxThroughput  *float64        `json:"max_throughput_rps"`
	Caveat         string          `json:"caveat,omitempty"`
	BaselineMax    *float64        `json:"baseline_max_throughput_rps,omitempty"`
	Headroom       float64         `json:"headroom"`
	SecondOrder    triage.SignalID `json:"second_order,omitempty"`
	SecondHeadroom float64         `json:"second_headroom,omitempty"`
	Projections    []projectionV1  `json:"projections"`
}

type projectionV1 struct {
	Multiple     float64                     `json:"multiple"`
	Utilizations map[triage.SignalID]float64 `json:"utilizations"`
	Saturated    []triage.SignalID           `json:"saturated"`
}

// number is a JSON number or null: "no data" is not 0, NaN is not 0.
func number(v triage.Value) *float64 {
	if f, ok := v.Float(); ok {
		return &f
	}
	return nil
}

func newReport(res result) reportV1 {
	s := res.snapshot
	r := reportV1{
		Version: 1, Source: sourceV1{URL: s.Source.URL, Backend: s.Source.Backend, Replay: s.Source.Replay},
		Window: triage.PromDuration(s.Window), RateWindow: triage.PromDuration(s.RateWindow),
		At: s.At.UTC().Format(time.RFC3339), Selector: s.Selector, Partial: s.Partial, Queries: s.Queries,
		Exporters: nonNil(s.Exporters), Signals: []signalV1{}, Findings: []findingV1{},
	}
	for _, rd := range s.Readings {
		r.Signals = append(r.Signals, signalV1{
			ID: rd.ID, Title: rd.Title, Value: number(rd.Value), AtLeast: rd.AtLeast, Display: rd.Formatted(),
			Unit: rd.Unit, Status: rd.Status, Reason: rd.Reason, Baseline: number(rd.Baseline), BaselineAtLeast: rd.BaselineAtLeast,
			WindowStart: number(rd.WindowStart), Query: rd.Query, Exporter: rd.Exporter,
			Thresholds: rd.Thresholds, Warnings: rd.Warnings, Infos: rd.Infos,
		})
	}
	for _, f := range res.findings {
		r.Findings = append(r.Findings, findingV1{
			ID: f.ID, Severity: f.Severity, Score: f.Score, Title: f.Title, Summary: f.Summary,
			Evidence: nonNil(f.Evidence), Against: nonNil(f.Against), Prompts: nonNil(f.Prompts),
			Signals: nonNil(f.Signals), Capacity: capacityJSON(f.Capacity), Unfilled: unfilledFor(f, res),
		})
	}
	return r
}

func capacityJSON(c *triage.Capacity) *capacityV1 {
	if c == nil {
		return nil
	}
	out := &capacityV1{
		Throughput: number(c.Throughput), Bottleneck: c.Bottleneck, Utilization: c.Utilization,
		MaxThroughput: number(c.MaxThroughput), Caveat: c.Caveat, BaselineMax: number(c.BaselineMaxThroughput), Headroom: finiteOr0(c.Headroom), SecondOrder: c.SecondOrder,
		SecondHeadroom: finiteOr0(c.SecondHeadroom), Projections: []projectionV1{},
	}
	for _, p := range c.Projections {
		out.Projections = append(out.Projections, projectionV1{Multiple: p.Multiple, Utilizations: p.Utilizations, Saturated: nonNil(p.Saturated)})
	}
	return out
}

func finiteOr0(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// writeReport prints the report in one of the three formats.
func writeReport(w io.Writer, format string, res result) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(newReport(res))
	case "markdown":
		_, err := io.WriteString(w, reportMarkdown(res))
		return err
	}
	_, err := io.WriteString(w, reportText(res))
	return err
}

// header is the one line that says what was read, where and when.
func header(snap *triage.Snapshot) string {
	var b strings.Builder
	src := snap.Source.URL
	if snap.Source.Replay != "" {
		src = "snapshot " + snap.Source.Replay + " (recorded from " + snap.Source.URL + ")"
	}
	fmt.Fprintf(&b, "%s", src)
	if snap.Source.Backend != "" {
		fmt.Fprintf(&b, " [%s]", snap.Source.Backend)
	}
	fmt.Fprintf(&b, " at %s, window %s", snap.At.UTC().Format(time.RFC3339), triage.PromDuration(snap.Window))
	if snap.Selector != "" {
		fmt.Fprintf(&b, ", selector {%s}", snap.Selector)
	}
	fmt.Fprintf(&b, ", %d queries", snap.Queries)
	return b.String()
}

// partialNote warns when the picture may be incomplete.
func partialNote(snap *triage.Snapshot) string {
	if !snap.Partial {
		return ""
	}
	n := 0
	for _, r := range snap.Readings {
		if r.Status == triage.StatusError || len(r.Warnings) > 0 {
			n++
		}
	}
	return fmt.Sprintf("PARTIAL: %d signal(s) failed or carried server warnings; the verdicts may miss something.", n)
}

// writeSignals is the doctor table: what was found where, and for what is
// missing, why and what would enable it. Details go on indented lines under
// each row, so long queries never widen the columns.
func writeSignals(w io.Writer, snap *triage.Snapshot) error {
	fmt.Fprintln(w, header(snap))
	if note := partialNote(snap); note != "" {
		fmt.Fprintln(w, note)
	}
	fmt.Fprintln(w)
	rows := [][]string{{"SIGNAL", "STATUS", "VALUE", "BASELINE 1d", "EXPORTER"}}
	for _, r := range snap.Readings {
		rows = append(rows, []string{string(r.ID), string(r.Status), r.Formatted(), baselineText(r), first(r.Exporter, "-")})
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for i, row := range rows {
		var line strings.Builder
		for j, cell := range row {
			if j < len(row)-1 {
				cell += strings.Repeat(" ", widths[j]-utf8.RuneCountInString(cell)+2)
			}
			line.WriteString(cell)
		}
		fmt.Fprintln(w, line.String())
		if i > 0 {
			writeSignalDetails(w, snap.Readings[i-1])
		}
	}
	return nil
}

func writeSignalDetails(w io.Writer, r triage.Reading) {
	if r.Query != "" {
		fmt.Fprintf(w, "    query: %s\n", r.Query)
	}
	if r.Reason != "" {
		label := "why"
		if r.Status == triage.StatusOK || r.Status == triage.StatusWarning || r.Status == triage.StatusCritical {
			label = "note"
		}
		fmt.Fprintf(w, "    %s: %s\n", label, r.Reason)
	}
	for _, note := range slices.Concat(r.Warnings, r.Infos) {
		fmt.Fprintf(w, "    server: %s\n", note)
	}
}

func baselineText(r triage.Reading) string {
	if !r.Baseline.Known {
		return "-"
	}
	s := triage.Format(r.Baseline, r.Unit, r.BaselineAtLeast)
	if ratio, ok := r.RatioText(); ok {
		s += " (" + ratio + ")"
	}
	return s
}
