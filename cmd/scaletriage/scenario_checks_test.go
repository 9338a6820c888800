package main

// The scenario suite's expectations, as types, and the checks that hold a
// report to them; the rows themselves are the scenarioWants table.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// signalWant is what one signal must read. Tolerances are absolute and
// apply to the value and to the day-before baseline; they cover the rounding
// of integer request counts in the generator, nothing more (rate() over 30 s
// samples aligned to the window is exact otherwise).
//
// The same tolerances hold on every server: at the asserted instants (the
// scenario's, the day before, the window's start) every rate window starts
// and ends on a sample and lies inside one regime. Prometheus' [at-5m, at]
// then needs no extrapolation and VictoriaMetrics' (at-5m, at] takes the
// at-5m sample as its base (the sample before the window), so both compute
// (v(at) - v(at-5m)) / 300 s; the reports agree to 1e-15. Off the 30 s grid,
// during a regime change, they differ by up to 0.075 in a hit ratio
// (lab/README.md, "VictoriaMetrics differences"), which the suite does not
// assert.
type signalWant struct {
	id       triage.SignalID
	exporter string        // "" = not checked
	status   triage.Status // "" = not checked
	value    float64
	base     float64 // the day before
	tol      float64
	baseTol  float64 // when the baseline needs another tolerance than the value
	atLeast  bool    // P99 clamped at the top finite bucket
	// changedBefore marks a change older than the window (a rollout 25
	// minutes ago): its start is already the incident's value.
	changedBefore bool
}

// missingWant is a signal that must be missing, with why.
type missingWant struct {
	id     triage.SignalID
	reason string // substring of the reason
}

// scenarioWant is one row of the suite.
type scenarioWant struct {
	name    string
	signals []signalWant
	missing []missingWant
	// exporters must be detected, notExporters must not (families whose
	// metric names overlap).
	exporters, notExporters []string
	// finding and prompt are the expected findings[0].id and its primary
	// prompt; "" means no warning or critical finding at all (healthy).
	finding, prompt string
	// An incident row states all of its top finding: severity, change,
	// scope, and entities as "signal: name (change)" in the report's
	// order; alarms is the set of every warning or critical finding as
	// "id severity", so an extra alarm fails the row.
	severity triage.Severity
	change   triage.Change
	scope    triage.Scope
	entities []string
	alarms   []string
	// promptKeys are the signals whose numbers the populated primary prompt
	// must state: the number as the report displays it ("59" of "59
	// clients", "5%", "45" of "45 s"), as a whole token ("5%" is not in
	// "95%"), so the check follows the product's formatting.
	promptKeys []triage.SignalID
	// chronic are findings about an unchanged condition: at most a
	// warning, ranked below the top finding, naming their entity and never
	// worded as a change.
	chronic []chronicWant
	// says are sentences (or parts) some finding's summary, evidence or
	// against lines must hold: which entity, which role, which rates;
	// promptSays the same for the populated primary prompt.
	says, promptSays []string
}

// chronicWant is a finding that must come out chronic on one entity.
type chronicWant struct {
	finding, entity string
}

// checkScenarioTable fails a row that names a rule triage.Rules() lacks, or
// an incident row that leaves part of its top finding unstated: both would
// let a wrong report pass.
func checkScenarioTable(t *testing.T) {
	for _, w := range scenarioWants {
		if w.finding == "" {
			continue
		}
		if !slices.ContainsFunc(triage.Rules(), func(r triage.Rule) bool { return string(r.ID) == w.finding }) {
			t.Errorf("%s: rule %q is not in triage.Rules()", w.name, w.finding)
		}
		if w.prompt == "" || w.severity == "" || w.change == "" || w.scope == "" || len(w.entities) == 0 || len(w.alarms) == 0 {
			t.Errorf("%s: an incident row states its prompt, severity, change, scope, entities and alarms: %+v", w.name, w)
		}
	}
}

func near(got *float64, want, tol float64) bool {
	return got != nil && math.Abs(*got-want) <= tol
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "null"
	}
	return strconv.FormatFloat(*p, 'g', 8, 64)
}

// checkScenarioReport checks one report against its row of the table:
// the signals, exporters and missing ones, then the top finding, the
// alarms, the chronic findings and what they say, and the populated
// primary prompt.
func checkScenarioReport(t *testing.T, b *scenarioBackend, sc scenarioSpec, w scenarioWant, r report.V1) {
	t.Helper()
	if r.At != sc.at.Format(time.RFC3339) {
		t.Errorf("at = %s, want %s", r.At, sc.at.Format(time.RFC3339))
	}
	if !b.server.backend(r.Source.Backend) {
		t.Errorf("source.backend = %q: wrong for %s", r.Source.Backend, b.server.name)
	}
	if r.Partial {
		var bad []string
		for _, s := range r.Signals {
			if s.Status == triage.StatusError || len(s.Warnings) > 0 {
				bad = append(bad, fmt.Sprintf("%s: %s %v", s.ID, s.Reason, s.Warnings))
			}
		}
		t.Errorf("report is partial:\n%s", strings.Join(bad, "\n"))
	}
	for _, sw := range w.signals {
		s, ok := signalOf(r, sw.id)
		if !ok {
			t.Errorf("%s: not in the report", sw.id)
			continue
		}
		if !near(s.Value, sw.value, sw.tol) {
			t.Errorf("%s = %s, want %g ± %g (%s: %s)", sw.id, fmtPtr(s.Value), sw.value, sw.tol, s.Status, s.Reason)
		}
		baseTol := sw.tol
		if sw.baseTol != 0 {
			baseTol = sw.baseTol
		}
		if !near(s.Baseline, sw.base, baseTol) {
			t.Errorf("%s baseline (day before) = %s, want %g ± %g", sw.id, fmtPtr(s.Baseline), sw.base, baseTol)
		}
		// The incident starts at the window's start: its first point is
		// still the healthy value, the same as the day before.
		if !sw.changedBefore && !near(s.WindowStart, sw.base, baseTol) {
			t.Errorf("%s window_start = %s, want the pre-incident %g ± %g", sw.id, fmtPtr(s.WindowStart), sw.base, baseTol)
		}
		if sw.exporter != "" && s.Exporter != sw.exporter {
			t.Errorf("%s exporter = %q, want %q", sw.id, s.Exporter, sw.exporter)
		}
		if sw.status != "" && s.Status != sw.status {
			t.Errorf("%s status = %s, want %s (value %s, reason %q)", sw.id, s.Status, sw.status, fmtPtr(s.Value), s.Reason)
		}
		if s.AtLeast != sw.atLeast {
			t.Errorf("%s at_least = %v, want %v (display %q)", sw.id, s.AtLeast, sw.atLeast, s.Display)
		}
	}
	for _, e := range w.exporters {
		if !slices.Contains(r.Exporters, e) {
			t.Errorf("exporters %q lack %q", r.Exporters, e)
		}
	}
	for _, e := range w.notExporters {
		if slices.Contains(r.Exporters, e) {
			t.Errorf("exporters %q include %q, which this scenario does not run", r.Exporters, e)
		}
	}
	for _, mw := range w.missing {
		s, ok := signalOf(r, mw.id)
		if !ok || s.Status != triage.StatusMissing || !strings.Contains(s.Reason, mw.reason) {
			t.Errorf("%s: status %s reason %q, want missing with %q", mw.id, s.Status, s.Reason, mw.reason)
		}
	}

	if w.finding == "" {
		// Healthy: nothing is hot and nothing is wrong (info findings such
		// as capacity headroom are context, not alarms).
		for _, s := range r.Signals {
			if s.Status == triage.StatusCritical || s.Status == triage.StatusWarning {
				t.Errorf("healthy: %s is %s (%s): %s", s.ID, s.Status, fmtPtr(s.Value), s.Reason)
			}
		}
		for _, f := range r.Findings {
			if f.Severity != triage.SeverityInfo {
				t.Errorf("healthy: finding %s is %s: %s", f.ID, f.Severity, f.Summary)
			}
		}
		return
	}
	if len(r.Findings) == 0 {
		t.Fatalf("no findings, want %s first", w.finding)
	}
	top := r.Findings[0]
	if string(top.ID) != w.finding {
		t.Errorf("findings = %v, want %s first", findingIDs(r), w.finding)
	}
	if top.Severity != w.severity || top.Change != w.change || top.Scope != w.scope {
		t.Errorf("top finding %s: severity %s change %s scope %s, want %s %s %s", top.ID, top.Severity, top.Change, top.Scope, w.severity, w.change, w.scope)
	}
	if got := entityKeys(top.Entities); !slices.Equal(got, w.entities) {
		t.Errorf("top finding %s entities:\n got  %q\n want %q", top.ID, got, w.entities)
	}
	if got, want := alarmKeys(r.Findings), slices.Sorted(slices.Values(w.alarms)); !slices.Equal(got, want) {
		t.Errorf("warning and critical findings:\n got  %q\n want %q", got, want)
	}
	if len(top.Prompts) == 0 || string(top.Prompts[0]) != w.prompt {
		t.Errorf("top finding prompts = %v, want %s first", top.Prompts, w.prompt)
	}
	if len(top.Evidence) == 0 {
		t.Errorf("top finding %s has no evidence", top.ID)
	}
	checkChronic(t, r, w.chronic)
	checkSays(t, r, w.says)

	// The populated primary prompt carries the key numbers.
	code, out, errOut := scenarioCLI(context.Background(), "prompt", w.prompt, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
	if code != exitOK {
		t.Fatalf("prompt %s exit %d: %s", w.prompt, code, errOut)
	}
	if dir := os.Getenv("SCENARIO_DUMP"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, b.server.name+"-"+w.name+".prompt.md"), []byte(out), 0o644); err != nil {
			t.Error(err)
		}
	}
	var absent []string
	for _, id := range w.promptKeys {
		s, _ := signalOf(r, id)
		if num := keyNumber(s.Display); num == "" || !statesNumber(out, num) {
			absent = append(absent, fmt.Sprintf("%s = %q", id, num))
		}
	}
	if len(absent) > 0 {
		t.Errorf("prompt %s does not state %s:\n%s", w.prompt, strings.Join(absent, ", "), out)
	}
	for _, want := range w.promptSays {
		if !strings.Contains(out, want) {
			t.Errorf("prompt %s does not say %q:\n%s", w.prompt, want, out)
		}
	}
}

// checkSays checks that some finding's summary, evidence or against line
// holds each of wants.
func checkSays(t *testing.T, r report.V1, wants []string) {
	t.Helper()
	var lines []string
	for _, f := range r.Findings {
		lines = append(append(append(lines, f.Summary), f.Evidence...), f.Against...)
	}
	for _, want := range wants {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, want) }) {
			t.Errorf("no finding says %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

// checkChronic checks findings about an unchanged condition: unchanged,
// at most a warning, below the top finding, naming their entity, and never
// worded as a change.
func checkChronic(t *testing.T, r report.V1, wants []chronicWant) {
	t.Helper()
	for _, cw := range wants {
		i := slices.IndexFunc(r.Findings, func(f report.FindingV1) bool { return string(f.ID) == cw.finding })
		if i < 0 {
			t.Errorf("no %s finding: %v", cw.finding, findingIDs(r))
			continue
		}
		f := r.Findings[i]
		if f.Change != triage.ChangeUnchanged || f.Severity == triage.SeverityCritical || i == 0 {
			t.Errorf("%s: change %q severity %s rank %d, want unchanged, at most warning, below the top", f.ID, f.Change, f.Severity, i+1)
		}
		named := slices.ContainsFunc(f.Entities, func(e report.EntityV1) bool { return e.Name == cw.entity && e.Change == triage.ChangeUnchanged })
		if !named || !strings.Contains(f.Summary, cw.entity) || !strings.HasPrefix(f.Summary, "Chronic") {
			t.Errorf("%s does not name %s as chronic: %s %+v", f.ID, cw.entity, f.Summary, f.Entities)
		}
		for _, word := range []string{"fell", "rose", "grew"} {
			if strings.Contains(f.Summary, word) {
				t.Errorf("%s: a chronic condition worded as a change (%q): %s", f.ID, word, f.Summary)
			}
		}
	}
}

// entityKeys are a finding's entities as "signal: name (change)".
func entityKeys(es []report.EntityV1) []string {
	keys := make([]string, len(es))
	for i, e := range es {
		keys[i] = fmt.Sprintf("%s: %s (%s)", e.Signal, e.Name, e.Change)
	}
	return keys
}

// alarmKeys are the warning and critical findings as "id severity", sorted.
func alarmKeys(fs []report.FindingV1) []string {
	var keys []string
	for _, f := range fs {
		if f.Severity != triage.SeverityInfo {
			keys = append(keys, string(f.ID)+" "+string(f.Severity))
		}
	}
	slices.Sort(keys)
	return keys
}

// statesNumber reports whether text holds num as a whole token: no digit,
// point or comma of a longer number on either side ("5%" is not in "95%",
// "10" not in "10.5"), while a full stop after it still ends a sentence.
func statesNumber(text, num string) bool {
	return regexp.MustCompile(`(?:^|[^\d.,])` + regexp.QuoteMeta(num) + `(?:$|[^\d.,]|[.,](?:$|\D))`).MatchString(text)
}

// keyNumber is the number in a displayed value: "≥ 10 s" -> "10".
func keyNumber(display string) string {
	f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(display), "≥"))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// doctorBlock is a signal's line in `signals` output plus its indented
// detail lines (query, why).
func doctorBlock(out string, id triage.SignalID) string {
	var block []string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, string(id)+" "):
			in = true
		case in && !strings.HasPrefix(line, "  "):
			in = false
		}
		if in {
			block = append(block, line)
		}
	}
	return strings.Join(block, "\n")
}

func findingIDs(r report.V1) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, fmt.Sprintf("%s(%s %.2f)", f.ID, f.Severity, f.Score))
	}
	return ids
}

func mustJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

func TestStatesNumberMatchesWholeTokens(t *testing.T) {
	tests := []struct {
		text, num string
		want      bool
	}{
		{"at 5% of the day before", "5%", true},
		{"at 95% of the day before", "5%", false},
		{"59 clients wait", "59", true},
		{"159 clients wait", "59", false},
		{"590 clients wait", "59", false},
		{"a P99 of 10.5 s", "10", false},
		{"a P99 of 0.10 s", "10", false},
		{"waiting: 59.", "59", true},
		{"59, then 60", "59", true},
		{"1,100 operations/s", "100", false},
		{"lag of 45 s", "45", true},
	}
	for _, tt := range tests {
		if got := statesNumber(tt.text, tt.num); got != tt.want {
			t.Errorf("statesNumber(%q, %q) = %v, want %v", tt.text, tt.num, got, tt.want)
		}
	}
}
