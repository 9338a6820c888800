package replaytest

import (
	"github.com/scaletriage/scaletriage/triage"

	"fmt"
	"regexp"
	"strings"
)

// PrintedEntity is one entity's own numbers as every writer prints them:
// Subject is "<signal title> on <entity name>", the others Format'ed
// ("94.7%", "no data").
type PrintedEntity struct {
	Subject                      string
	Value, Baseline, WindowStart string
}

// earlier matches what a sentence sets beside a value: "(day before: 42%",
// ", 42% the day before", ", 42% at the window start".
var earlier = regexp.MustCompile(`\(day before: ([^,)]+)|, ([^,(]+?) (the day before|at the window start)\b`)

// PairMismatches walks text for every "<subject>: <value>" of the given
// entities and returns each one whose value, or whose day-before or window
// start number printed beside it, is not that entity's own. Checked says
// how many pairs were read, so that a test can tell it looked at something.
func PairMismatches(text string, entities []PrintedEntity) (bad []string, checked int) {
	for _, e := range entities {
		marker := e.Subject + ": "
		for rest := text; ; {
			i := strings.Index(rest, marker)
			if i < 0 {
				break
			}
			rest = rest[i+len(marker):]
			// One sentence: up to the end of the line, the next clause or
			// the reason after the dash.
			sentence, _, _ := strings.Cut(rest, "\n")
			sentence, _, _ = strings.Cut(sentence, "; ")
			sentence, _, _ = strings.Cut(sentence, " — ")
			// A clamped quantile prints as a lower bound.
			sentence = strings.TrimPrefix(sentence, "≥ ")
			if !strings.HasPrefix(sentence, e.Value) {
				bad = append(bad, fmt.Sprintf("%s: printed %q, its own value is %s", e.Subject, clip(sentence), e.Value))
				continue
			}
			m := earlier.FindStringSubmatch(sentence[len(e.Value):])
			if m == nil {
				continue
			}
			checked++
			got, want := m[1], e.Baseline
			if m[1] == "" {
				got = m[2]
				if m[3] == "at the window start" {
					want = e.WindowStart
				}
			}
			if got != want {
				bad = append(bad, fmt.Sprintf("%s: printed %q beside %s, its own is %s", e.Subject, got, e.Value, want))
			}
		}
	}
	return bad, checked
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// Printed lists the kept entities of every reading of a snapshot as the
// writers print them.
func Printed(snap *triage.Snapshot) []PrintedEntity {
	var out []PrintedEntity
	for _, r := range snap.Readings {
		for _, e := range r.Entities {
			out = append(out, PrintedEntity{
				Subject: snap.TitleOf(r.ID) + " on " + r.EntityName(e),
				Value:   triage.Format(e.Value, r.Unit, false), Baseline: triage.Format(e.Baseline, r.Unit, false),
				WindowStart: triage.Format(e.WindowStart, r.Unit, false),
			})
		}
	}
	return out
}
