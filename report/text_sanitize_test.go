package report

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

// The writers are safe on any writer: strings from the config and flags (a
// selector, an exporter name, a snapshot's file name) reach a report
// unsanitized, and come out visible, never as escape sequences.
func TestWritersNeverPassControlsThrough(t *testing.T) {
	const hostile = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202e\u009b31m"
	snap := &triage.Snapshot{
		Source:   triage.Source{URL: "http://prom", Replay: "snap" + hostile + ".json"},
		At:       time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC),
		Window:   15 * time.Minute,
		Selector: `job="` + hostile + `"`,
		Readings: []triage.Reading{{ID: triage.SignalMemoryTotal, Status: triage.StatusOK, Unit: triage.UnitBytes,
			Value: triage.Of(1), Exporter: "evil" + hostile, Query: "max(x{" + hostile + "})", Reason: "why" + hostile}},
	}
	res := Pass{Diagnosis: triage.Diagnose(snap, triage.DefaultRuleSettings())}
	for name, write := range map[string]func(io.Writer) error{
		"text":     func(w io.Writer) error { return WriteText(w, res) },
		"markdown": func(w io.Writer) error { return WriteMarkdown(w, res) },
		"signals":  func(w io.Writer) error { return WriteSignals(w, snap) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for i, r := range out {
			if (r < 0x20 && r != '\n') || r == 0x7f || triage.Invisible(r) {
				t.Errorf("%s: %U at byte %d: %q", name, r, i, out[max(0, i-30):min(len(out), i+30)])
				break
			}
		}
		visible := "␛]52;c;cHduZWQ=␇"
		if name == "markdown" {
			visible = `␛\]52;c;cHduZWQ=␇` // and the bracket escaped for Markdown
		}
		if !strings.Contains(out, visible) {
			t.Errorf("%s: the hostile text is not shown escaped:\n%s", name, out)
		}
	}
}
