package main

import (
	"io"
	"math"
	"unicode/utf8"

	"github.com/scaletriage/scaletriage/triage"
)

// terminalSafe passes everything a command prints through the one
// sanitizer: escape sequences (an OSC 52 clipboard write, a screen clear),
// C0/C1 controls and bidi characters in a selector, an exporter name, a file
// name or a server message come out visible, never acted on by the
// terminal. JSON stays valid: raw controls never appear in its strings, and
// the visible replacements are ordinary characters.
type terminalSafe struct {
	w io.Writer
	// pending is an incomplete UTF-8 sequence at the end of the last
	// write, held so that a rune split across writes is not mangled.
	pending []byte
}

func (t *terminalSafe) Write(p []byte) (int, error) {
	buf := append(t.pending, p...)
	cut := completeRunes(buf)
	t.pending = append([]byte(nil), buf[cut:]...)
	if cut == 0 {
		return len(p), nil
	}
	// No cap: what is written is the command's own, finite output, and a
	// made-visible rune takes more runes than it had bytes (a tab two,
	// U+202E eight): a cap at the byte count cut a line's end.
	if _, err := io.WriteString(t.w, triage.SanitizeText(string(buf[:cut]), math.MaxInt)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is pending: a sequence that never completed comes out
// as U+FFFD.
func (t *terminalSafe) Flush() {
	if len(t.pending) > 0 {
		io.WriteString(t.w, triage.SanitizeText(string(t.pending), math.MaxInt))
		t.pending = nil
	}
}

// completeRunes is the length of buf without a trailing incomplete UTF-8
// sequence (invalid bytes count as complete: they cannot be completed).
func completeRunes(buf []byte) int {
	for back := 1; back < utf8.UTFMax && back <= len(buf); back++ {
		start := len(buf) - back
		if utf8.RuneStart(buf[start]) {
			if utf8.FullRune(buf[start:]) {
				return len(buf)
			}
			return start
		}
	}
	return len(buf)
}
