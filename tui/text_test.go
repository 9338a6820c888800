package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
)

// hostileText is server text a Source might pass through unsanitized.
var hostileText = []string{
	"plain ascii",
	"evil\x1b[2J\x1b]52;c;aGFjaw==\x07\rover",
	"bidi \u202egnp.exe zero\u200bwidth \ufeffbom",
	"c1 \u009b31m del \x7f tab\tnew\nline",
	"invalid \xff\xfe utf-8",
	"≥ 995 ms ×41 …",
	strings.Repeat("long ", 300),
}

// TestCleanIsTriageSanitize: the TUI's defensive pass is the ingress
// sanitizer, not a second rule set, and a second pass changes nothing.
func TestCleanIsTriageSanitize(t *testing.T) {
	for _, s := range hostileText {
		got := clean(s)
		if want := triage.Sanitize(s); got != want {
			t.Errorf("clean(%q) = %q, triage.Sanitize = %q: the definitions drifted", s, got, want)
		}
		if again := clean(got); again != got {
			t.Errorf("clean is not idempotent on %q: %q then %q", s, got, again)
		}
		if w := 40; fit(got, w) != fit(s, w) || strings.Join(wrap(got, w), "\n") != strings.Join(wrap(s, w), "\n") {
			t.Errorf("fit or wrap of sanitized text differs from the raw text's: %q", s)
		}
	}
}

// TestCleanIsCheap: plain text, most of what is drawn, costs nothing.
func TestCleanIsCheap(t *testing.T) {
	s := "PgBouncer clients waiting for a server connection"
	if n := testing.AllocsPerRun(100, func() { _ = clean(s) }); n != 0 {
		t.Fatalf("clean allocates %v times on plain ASCII", n)
	}
}

// No wrapped line is wider than asked, whatever breakpoints it holds.
func TestWrapNeverExceedsTheWidth(t *testing.T) {
	text := "CPU utilization (busiest host) on batch-1:9100: 97%, 5m average (day before: 97%, 1x), database=app, user=app, pool=checkout,x,y,z"
	for width := 5; width <= 60; width++ {
		for _, line := range wrap(text, width) {
			if w := ansi.StringWidth(line); w > width {
				t.Fatalf("width %d: line %q is %d cells", width, line, w)
			}
		}
	}
}
