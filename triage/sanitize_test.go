package triage

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
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
		{"word\u2060joiner", "word<U+2060>joiner"},
		{"soft\u00adhyphen", "soft<U+00AD>hyphen"},
		{"mongolian\u180eseparator", "mongolian<U+180E>separator"},
		{"variation\ufe0fselector", "variation<U+FE0F>selector"},
		{"hangul\u3164filler", "hangul<U+3164>filler"},
		// "hi" spelled in tag characters: invisible on screen, read by an LLM.
		{"tags\U000E0001\U000E0068\U000E0069\U000E007F", "tags<U+E0001><U+E0068><U+E0069><U+E007F>"},
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

// defaultIgnorable is Default_Ignorable_Code_Point as Unicode 15's
// DerivedCoreProperties.txt lists it, written out here so that the tests
// judge Sanitize by Unicode's definition rather than by the production
// predicate.
var defaultIgnorable = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x00ad, Hi: 0x00ad, Stride: 1},
		{Lo: 0x034f, Hi: 0x034f, Stride: 1},
		{Lo: 0x061c, Hi: 0x061c, Stride: 1},
		{Lo: 0x115f, Hi: 0x1160, Stride: 1},
		{Lo: 0x17b4, Hi: 0x17b5, Stride: 1},
		{Lo: 0x180b, Hi: 0x180f, Stride: 1},
		{Lo: 0x200b, Hi: 0x200f, Stride: 1},
		{Lo: 0x202a, Hi: 0x202e, Stride: 1},
		{Lo: 0x2060, Hi: 0x206f, Stride: 1},
		{Lo: 0x3164, Hi: 0x3164, Stride: 1},
		{Lo: 0xfe00, Hi: 0xfe0f, Stride: 1},
		{Lo: 0xfeff, Hi: 0xfeff, Stride: 1},
		{Lo: 0xffa0, Hi: 0xffa0, Stride: 1},
		{Lo: 0xfff0, Hi: 0xfff8, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x1bca0, Hi: 0x1bca3, Stride: 1},
		{Lo: 0x1d173, Hi: 0x1d17a, Stride: 1},
		{Lo: 0xe0000, Hi: 0xe0fff, Stride: 1},
	},
}

// mustNotSurvive is the tests' own oracle of what Sanitize may never output:
// controls, C1, line/paragraph separators, and Unicode's default-ignorable
// and format code points with the tag block spelled out.
func mustNotSurvive(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, defaultIgnorable)
}

// TestSanitizeShowsEveryInvisibleRune tries every code point: none that the
// oracle forbids comes out of Sanitize.
func TestSanitizeShowsEveryInvisibleRune(t *testing.T) {
	var survivors []string
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if utf8.ValidRune(r) && strings.ContainsFunc(Sanitize(string(r)), mustNotSurvive) {
			survivors = append(survivors, fmt.Sprintf("%U", r))
		}
	}
	if len(survivors) > 0 {
		t.Errorf("%d code points survive Sanitize, first: %s", len(survivors), strings.Join(survivors[:min(len(survivors), 12)], " "))
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"\x1b[2J", "\u009b", "\u202e", "\xff", "a\r\nb", "\u2060", "\u00ad", "\u180e", "\U000E0041\U000E007F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		for _, r := range out {
			if mustNotSurvive(r) {
				t.Fatalf("invisible or control rune %U survives in %q", r, out)
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
