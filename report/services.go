package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// ServiceSignals are the signals `services` reads: the service-tier ones,
// one entity per service, and the call graph between them.
var ServiceSignals = []triage.SignalID{triage.SignalThroughput, triage.SignalLatencyP99, triage.SignalErrorRatio, triage.SignalServiceCalls}

// ServicesRead is how many entities `services` keeps per signal: every
// service up to the client's cap on the series of one answer (1,000), so
// that ranking is over the fleet and only what is shown is cut.
const ServicesRead = 1000

// ServicesShown is how many services the text lists by default: the
// most changed, and every anomalous one.
const ServicesShown = 20

// ServicesV1 is the JSON of `services` (version 1, additive).
type ServicesV1 struct {
	Version  int         `json:"version"`
	Tool     ToolV1      `json:"tool"`
	Source   SourceV1    `json:"source"`
	At       string      `json:"at"`
	Window   string      `json:"window"`
	Graph    bool        `json:"call_graph"`
	Services []ServiceV1 `json:"services"`
	// Notes say what could not be read or ranked (a cut, a call graph too
	// large, a selector matching no service).
	Notes []string `json:"notes,omitempty"`
}

// ServiceV1 is one service and what changed in it.
type ServiceV1 struct {
	Name             string       `json:"name"`
	Label            string       `json:"label,omitempty"`
	Throughput       *float64     `json:"throughput_rps"`
	ThroughputBefore *float64     `json:"throughput_rps_before"`
	P99              *float64     `json:"latency_p99_seconds"`
	P99Before        *float64     `json:"latency_p99_seconds_before"`
	Errors           *float64     `json:"error_ratio"`
	ErrorsBefore     *float64     `json:"error_ratio_before"`
	Since            triage.Since `json:"since,omitempty"`
	Score            float64      `json:"score"`
	Anomalous        bool         `json:"anomalous"`
	Root             bool         `json:"root"`
	Path             []string     `json:"path,omitempty"`
	Reasons          []string     `json:"reasons"`
	// Onset is when an anomalous service left its normal, RFC 3339;
	// onset_before_window when it already had at the window's start.
	Onset             string `json:"onset,omitempty"`
	OnsetBeforeWindow bool   `json:"onset_before_window,omitempty"`
	OnsetOrder        string `json:"onset_order,omitempty"`
	// The normal bands the P99 and error share were judged against: their
	// own normal band (triage.Spread), when it was read.
	P99Normal    *BandV1 `json:"latency_p99_seconds_normal,omitempty"`
	ErrorsNormal *BandV1 `json:"error_ratio_normal,omitempty"`
}

// BandV1 is a normal band: the lowest and highest a value read.
type BandV1 struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

func band(sp *triage.Spread) *BandV1 {
	if sp == nil {
		return nil
	}
	return &BandV1{Low: sp.Low, High: sp.High}
}

// WriteServices prints the ranked services as text (a table of the first
// shown, every anomalous one among them, then the call path to each root)
// or JSON (every service). shown <= 0 lists every service; notes are the
// caller's, said before the ranking's own.
func WriteServices(w io.Writer, snap *triage.Snapshot, format string, shown int, notes ...string) error {
	ranked := triage.RankServices(snap)
	notes = append(notes, triage.ServiceNotes(snap, ranked)...)
	calls, ok := snap.Get(triage.SignalServiceCalls)
	graph := ok && calls.Usable()
	if format == "json" {
		doc := ServicesV1{Version: 1, Tool: toolJSON(), Source: sourceJSON(snap.Source),
			At: snap.At.UTC().Format(time.RFC3339), Window: triage.PromDuration(snap.Window), Graph: graph,
			Services: []ServiceV1{}, Notes: notes}
		for _, sc := range ranked {
			var onset triage.Onset
			if sc.Onset != nil {
				onset = *sc.Onset
			}
			doc.Services = append(doc.Services, ServiceV1{Name: sc.Name, Label: sc.Label, Onset: rfc3339(onset.At), OnsetBeforeWindow: onset.Before, OnsetOrder: sc.OnsetOrder,
				P99Normal: band(sc.P99Normal), ErrorsNormal: band(sc.ErrorsNormal), Throughput: number(sc.Throughput), ThroughputBefore: number(sc.ThroughputBefore),
				P99: number(sc.P99), P99Before: number(sc.P99Before), Errors: number(sc.Errors), ErrorsBefore: number(sc.ErrorsBefore),
				Since: sc.Since, Score: sc.Score, Anomalous: sc.Anomalous, Root: sc.Root, Path: sc.Path, Reasons: nonNil(sc.Reasons)})
		}
		return encodeJSON(w, doc)
	}
	var b strings.Builder
	fmt.Fprintln(&b, "scaletriage services:", Header(snap))
	if note := PartialNote(snap); note != "" {
		fmt.Fprintln(&b, note)
	}
	if !graph && calls.Status != triage.StatusError { // an error is a note below
		fmt.Fprintln(&b, "no call graph (traces_service_graph_request_total): ranked by how far each moved from its own normal, weighted by traffic")
	}
	for _, n := range notes {
		fmt.Fprintln(&b, "note:", n)
	}
	list := ranked
	if cut := cutServices(ranked, shown); len(cut) < len(ranked) {
		list = cut
		fmt.Fprintf(&b, "%d of %d services shown, ranked by change (--top 0 shows all)\n", len(list), len(ranked))
	}
	fmt.Fprintln(&b)
	if len(ranked) == 0 {
		fmt.Fprintln(&b, "no service found: instrument HTTP handlers (client_golang, OpenTelemetry, Micrometer) so that their metrics carry a job")
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tSERVICE\tREQUESTS/S\tP99\tERRORS\tSCORE\tWHAT CHANGED")
	for i, sc := range list {
		mark := ""
		switch {
		case sc.Root:
			mark = "root: "
		case sc.Anomalous:
			mark = "moved: "
		}
		p99 := triage.Format(sc.P99, triage.UnitSeconds, sc.P99AtLeast)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%.3g\t%s%s\n", i+1, sc.Name, triage.Format(sc.Throughput, "", false), p99,
			triage.Format(sc.Errors, triage.UnitRatio, false), sc.Score, mark, strings.Join(ServiceWords(sc, snap.At), "; "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, sc := range ranked {
		if sc.Root && len(sc.Path) > 1 {
			fmt.Fprintf(&b, "\npath to %s: %s (the callers above it are slow because it is)\n", sc.Name, strings.Join(sc.Path, " -> "))
			if sc.OnsetOrder != "" {
				fmt.Fprintf(&b, "onset: %s\n", sc.OnsetOrder)
			}
		}
	}
	return writeSafe(w, b.String())
}

// cutServices is the first shown of ranked, and every anomalous service
// beyond them: a cut never hides a service that moved.
func cutServices(ranked []triage.ServiceChange, shown int) []triage.ServiceChange {
	if shown <= 0 || len(ranked) <= shown {
		return ranked
	}
	out := slices.Clone(ranked[:shown])
	for _, sc := range ranked[shown:] {
		if sc.Anomalous {
			out = append(out, sc)
		}
	}
	return out
}

// ServiceWords are a service's reasons, its onset first when it has one
// ("since 13:31Z (29m ago)", at the pass's instant at).
func ServiceWords(sc triage.ServiceChange, at time.Time) []string {
	if sc.Onset == nil {
		return sc.Reasons
	}
	return append([]string{onsetWords(*sc.Onset, &triage.Snapshot{At: at})}, sc.Reasons...)
}
