package report

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/golden"
	"github.com/scaletriage/scaletriage/internal/replaytest"
	"github.com/scaletriage/scaletriage/triage"
)

// demo is the bundled demo incident (recorded from the lab's real stack),
// replayed and diagnosed as `scaletriage demo` does.
func demo(t *testing.T) Pass {
	d := replaytest.Diagnose(t, filepath.Join("..", "cmd", "scaletriage", "demo", "incident.json"))
	d.Snapshot.Source.Replay = "demo"
	return Pass{Diagnosis: d, Multiples: triage.DefaultRuleSettings().ProjectionMultiples}
}

// checkGolden compares got with testdata/name (internal/golden; -update
// rewrites it).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// The JSON report is a contract: the bytes of the demo's report are
// committed, so a renamed or dropped field fails here even when a struct on
// the reading side would still unmarshal.
func TestJSONContractGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, demo(t)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "demo-report.json", b.Bytes())
}

// The prompts command's table, with what the demo's numbers fill.
func TestPromptsTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WritePrompts(&b, demo(t)); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "demo-prompts.txt", b.Bytes())
}

// The fields design.md promises version 1 readers, read generically.
func TestJSONContractFields(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, demo(t)); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "tool", "source", "window", "at", "signals", "findings"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	if doc["version"] != 1.0 {
		t.Errorf("version %v", doc["version"])
	}
	if src := doc["source"].(map[string]any); src["url"] == nil || src["backend"] == nil {
		t.Errorf("source %v", src)
	}
	statuses := []string{"ok", "warning", "critical", "missing", "error"}
	for _, s := range doc["signals"].([]any) {
		sig := s.(map[string]any)
		for _, k := range []string{"id", "value", "unit", "status", "baseline", "query", "exporter"} {
			if _, ok := sig[k]; !ok && k != "query" && k != "exporter" {
				t.Errorf("signal %v has no %q", sig["id"], k)
			}
		}
		if !slices.Contains(statuses, sig["status"].(string)) {
			t.Errorf("signal %v status %v", sig["id"], sig["status"])
		}
		if sig["status"] == "missing" && sig["value"] != nil {
			t.Errorf("missing signal %v has value %v: not measured is not 0", sig["id"], sig["value"])
		}
	}
	findings := doc["findings"].([]any)
	if len(findings) == 0 {
		t.Fatal("the demo has findings")
	}
	for _, f := range findings {
		fd := f.(map[string]any)
		for _, k := range []string{"id", "severity", "title", "evidence", "against", "prompts"} {
			if _, ok := fd[k]; !ok {
				t.Errorf("finding %v has no %q", fd["id"], k)
			}
		}
	}
}

func TestTextAndMarkdownReports(t *testing.T) {
	res := demo(t)
	var text, md bytes.Buffer
	if err := WriteText(&text, res); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, res); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "demo-report.txt", text.Bytes())
	checkGolden(t, "demo-report.md", md.Bytes())
	top, _ := res.Diagnosis.Top()
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String()} {
		if !strings.Contains(out, string(top.ID)) || !strings.Contains(out, "## Prompt: ") {
			t.Errorf("%s report lacks the top finding %s or its prompt", name, top.ID)
		}
	}
}

// A moved API and a server clock off ours are said where the report says
// where its numbers come from, in every format.
func TestSourceNotes(t *testing.T) {
	res := demo(t)
	res.Diagnosis.Snapshot.Source.RedirectedTo = "http://prom:9090/new-prefix"
	res.Diagnosis.Snapshot.Source.ClockSkew = -3 * time.Minute
	var text, md, js bytes.Buffer
	for w, write := range map[*bytes.Buffer]func(io.Writer, Pass) error{&text: WriteText, &md: WriteMarkdown, &js: WriteJSON} {
		if err := write(w, res); err != nil {
			t.Fatal(err)
		}
	}
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "json": js.String()} {
		if !strings.Contains(out, "redirected the API to http://prom:9090/new-prefix") || !strings.Contains(out, "3 min behind ours") {
			t.Errorf("%s lacks the source notes", name)
		}
	}
	var doc V1
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source.ClockSkewSeconds == nil || *doc.Source.ClockSkewSeconds != -180 || doc.Source.RedirectedTo == "" {
		t.Errorf("source %+v", doc.Source)
	}
}

// services opens with the report's source block: the moved API and the
// clock skew too, not only the URL and the notes.
func TestServicesJSONSourceIsTheReports(t *testing.T) {
	snap := demo(t).Diagnosis.Snapshot
	snap.Source.RedirectedTo = "http://prom:9090/new-prefix"
	snap.Source.ClockSkew = -3 * time.Minute
	var b bytes.Buffer
	if err := WriteServices(&b, snap, "json", 0); err != nil {
		t.Fatal(err)
	}
	var doc ServicesV1
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source.RedirectedTo != "http://prom:9090/new-prefix" || doc.Source.ClockSkewSeconds == nil || *doc.Source.ClockSkewSeconds != -180 {
		t.Errorf("services source %+v", doc.Source)
	}
}
