package triage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"api-1", "api-1"},
		{"\x1b[2J\x1b]0;pwned\x07", "␛[2J␛]0;pwned␇"},
		{"ok\rOVERWRITE", "ok␍OVERWRITE"},
		{"a\u202eb", "a<U+202E>b"},
		{"zero\u200bwidth", "zero<U+200B>width"},
		{"c1\u009b31m", "c1<U+009B>31m"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"tab\there", "tab  here"},
		{"line\nbreak", "line␊break"},
		{"del\x7f", "del␡"},
		{"unterminated\x1b]52;c;QUFB rest", "unterminated␛]52;c;QUFB rest"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSanitizeTextKeepsNewlines(t *testing.T) {
	if got := SanitizeText("a\nb\x1b", 100); got != "a\nb␛" {
		t.Errorf("got %q", got)
	}
}

func TestSanitizeCapsLength(t *testing.T) {
	got := Sanitize(strings.Repeat("x", 10000))
	if n := utf8.RuneCountInString(got); n != MaxField+1 || !strings.HasSuffix(got, "…") {
		t.Errorf("capped to %d runes (%q...)", n, got[:10])
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"\x1b[2J", "\u009b", "\u202e", "\xff", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || Invisible(r) {
				t.Fatalf("control rune %U survives in %q", r, out)
			}
		}
		if utf8.RuneCountInString(out) > MaxField+1 {
			t.Fatalf("not capped")
		}
	})
}

// The cap counts what is written: 600 bidi overrides print as <U+202E>
// each, and the result still holds at most the cap (plus "…").
func TestSanitizeCapCountsWhatIsWritten(t *testing.T) {
	got := Sanitize(strings.Repeat("\u202e", 600))
	if n := utf8.RuneCountInString(got); n > 513 {
		t.Errorf("%d runes, want at most 513", n)
	}
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, "<U+202E>") {
		t.Errorf("%.40q", got)
	}
}
