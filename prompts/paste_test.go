package prompts

import (
	"regexp"
	"strings"
	"testing"
)

// Bad input 33: values typed into a prompt (config context, --set, the
// TUI's form) that hold newlines and the end of a bracketed paste
// (ESC[201~) cannot end the paste early or start lines of their own: the
// populated prompt holds no control byte, and each value stays on its line.
func TestPastedValuesCannotEndThePaste(t *testing.T) {
	const evil = "checkout\n\x1b[201~\nrm -rf ~\r\n\x1b[200~"
	span := regexp.MustCompile(`\[[^\[\]\n]+\]`)
	startsALine := regexp.MustCompile(`(?m)^\s*rm -rf`)
	bound := 0
	d, f := diagnosed(poolExhaustion()), poolFinding() // once: each parses the catalog
	for _, p := range Library() {
		// Every [span] of the template gets the value, as --set would.
		ctx := map[string]string{}
		for _, s := range span.FindAllString(p.Template, -1) {
			ctx[s] = evil
		}
		got := Populate(p, Input{Diagnosis: d, Finding: f, Context: ctx})
		assertSafe(t, string(p.ID), got.Markdown)
		if startsALine.MatchString(got.Markdown) {
			t.Errorf("%s: a value's newline started a line of its own:\n%s", p.ID, got.Markdown)
		}
		bound += strings.Count(got.Markdown, "rm -rf ~")
	}
	if bound == 0 {
		t.Fatal("no placeholder took a value: the test exercised nothing")
	}
}
