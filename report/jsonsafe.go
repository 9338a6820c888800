package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/scaletriage/scaletriage/triage"
)

// encodeJSON writes v as indented JSON in which every rune a terminal would
// act on or hide (DEL, C1 controls, bidi, zero-width and other invisible
// runes; encoding/json already escapes C0) is written as a \u escape. The
// values stay exactly what the server sent, for a program to match on;
// the bytes are safe to print.
func encodeJSON(w io.Writer, v any) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	// Links carry & in their queries: JSON for programs and people, not
	// for embedding in HTML.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, escapeInvisible(b.String()))
	return err
}

// escapeInvisible rewrites the runes of JSON text that must not reach a
// terminal raw; they can only occur inside strings (the structure is ASCII).
func escapeInvisible(js string) string {
	var b strings.Builder
	for _, r := range js {
		if !triage.Invisible(r) && !unicode.IsControl(r) || r == '\n' {
			b.WriteRune(r)
			continue
		}
		if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
			continue
		}
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}
