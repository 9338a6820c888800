package triage

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxField caps a sanitized single-line field, in runes, so that a hostile
// 1 MB label value cannot break a layout or a prompt.
const MaxField = 512

// Sanitize makes a server-derived string safe to print on one line: escape
// sequences and other C0/C1 controls, DEL, bidi and zero-width characters are
// made visible rather than deleted (so nothing is silently lost), invalid
// UTF-8 becomes U+FFFD, and the result is capped at MaxField runes.
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

// Invisible reports C1 controls and the format characters that reorder or
// hide text (bidi overrides, zero-width, BOM): the one definition every
// sanitizer uses.
func Invisible(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029, r == 0xfeff, r == 0x061c:
		return true
	}
	return false
}
