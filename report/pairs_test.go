package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/internal/replaytest"
	"github.com/scaletriage/scaletriage/prompts"
)

// TestEveryPrintedPairIsOneEntitys walks what every writer prints for each
// recorded incident (the text and Markdown reports, every prompt a finding
// leads to and its guidance): wherever an entity's value is printed, the
// day-before or window-start number beside it is that entity's own.
func TestEveryPrintedPairIsOneEntitys(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "recordings", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recordings: %v", err)
	}
	paths = append(paths, filepath.Join("..", "cmd", "scaletriage", "demo", "incident.json"))
	total := 0
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res := Pass{Diagnosis: replaytest.Diagnose(t, path)}
			var text, md bytes.Buffer
			if err := WriteText(&text, res); err != nil {
				t.Fatal(err)
			}
			if err := WriteMarkdown(&md, res); err != nil {
				t.Fatal(err)
			}
			printed := []string{text.String(), md.String()}
			for _, f := range res.Diagnosis.Findings {
				for _, id := range f.Prompts {
					if p, ok := prompts.ByID(id); ok {
						printed = append(printed, prompts.Populate(p, res.PromptInput(&f)).Markdown)
					}
				}
				printed = append(printed, prompts.Guidance(f, res.PromptInput(&f)))
			}
			bad, checked := replaytest.PairMismatches(strings.Join(printed, "\n"), replaytest.Printed(res.Diagnosis.Snapshot))
			for _, b := range bad {
				t.Error(b)
			}
			total += checked
		})
	}
	if total == 0 {
		t.Error("no value was printed beside an earlier one: the walk read nothing")
	}
}
