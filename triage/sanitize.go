package triage

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxField caps a sanitized single-line field, in runes, so that a hostile
// 1 MB label value cannot break a layout or a prompt.
const MaxField = 512

// Sanitize makes a server-derived string safe to print on one line: escape
// sequences and other C0/C1 controls, DEL, and every Invisible rune (bidi,
// zero-width, tags...) are made visible rather than deleted (so nothing is
// silently lost), invalid UTF-8 becomes U+FFFD, and the result is capped at
// MaxField runes.
func Sanitize(s string) string { return sanitize(s, false, MaxField) }

// SanitizeText is Sanitize for multi-line text (error bodies): newlines are
// kept, tabs become spaces, and the cap is larger.
func SanitizeText(s string, maxRunes int) string { return sanitize(s, true, maxRunes) }

func sanitize(s string, multiline bool, maxRunes int) string {
	if isPlain(s) && utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		out := visible(r, size, multiline)
		// The cap counts what is written: a bidi override becomes
		// "<U+202E>", eight runes, not one.
		w := utf8.RuneCountInString(out)
		if n+w > maxRunes {
			b.WriteString("…")
			break
		}
		n += w
		b.WriteString(out)
	}
	return b.String()
}

// visible is how a rune is printed: controls as their pictures, invisible
// runes as <U+XXXX>, invalid bytes as U+FFFD.
func visible(r rune, size int, multiline bool) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return "\uFFFD"
	case r == '\n' && multiline:
		return "\n"
	case r == '\t':
		return "  "
	case r == 0x1b:
		return "␛"
	case r < 0x20:
		return string(0x2400 + r) // control pictures: \r -> ␍, \a -> ␇
	case r == 0x7f:
		return "␡"
	case Invisible(r):
		return fmt.Sprintf("<U+%04X>", r)
	}
	return string(r)
}

// isPlain is the fast path: printable ASCII only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Invisible reports runes that print nothing yet change what a reader sees
// or what an LLM reads: C1 controls, the line and paragraph separators, and
// Unicode's default-ignorable and format code points (bidi overrides,
// zero-width, BOM, soft hyphen, word joiner, variation selectors, and the
// tag characters U+E0000-U+E007F that can hide an instruction in a prompt).
// Default_Ignorable_Code_Point is derived from exactly these three tables
// (less white space, which none of them holds). The one definition every
// sanitizer uses.
func Invisible(r rune) bool {
	switch {
	case r < 0x80:
		return false
	case r <= 0x9f, r == 0x2028, r == 0x2029:
		return true
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}
