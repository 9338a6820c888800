package main

import (
	"bytes"
	"strings"
	"testing"
)

// Byte by byte, as a writer may be fed: a rune split across writes is
// kept whole, and controls still come out visible.
// A made-visible rune is longer than its bytes: a write of tabs and bidi
// characters keeps its end, newline included.
func TestTerminalSafeKeepsTheEndOfAWrite(t *testing.T) {
	var b bytes.Buffer
	w := &terminalSafe{w: &b}
	w.Write([]byte("a\tb\t\u202e\u202e end\n"))
	if want := "a  b  <U+202E><U+202E> end\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestTerminalSafeKeepsRunesSplitAcrossWrites(t *testing.T) {
	var b bytes.Buffer
	w := &terminalSafe{w: &b}
	text := "✔ P99 ≥ 2.5 s — 𝛼\x1b[2J\n"
	for i := range len(text) {
		if n, err := w.Write([]byte{text[i]}); n != 1 || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	w.Flush()
	if want := "✔ P99 ≥ 2.5 s — 𝛼␛[2J\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	w.Write([]byte("cut \xe2\x9c"))
	w.Flush()
	if got := b.String(); !strings.HasPrefix(got, "cut \uFFFD") {
		t.Errorf("an unfinished sequence at the end: %q", got)
	}
}
