package triage

import "unicode/utf8"

// Capped is a server's string kept as it was sent, but at most MaxField
// runes (a 1 MB label is an attack, not a name). Label values stay raw
// where they enter: a query must match the server's own values and JSON
// carries them exact; text for a person goes through Sanitize on its way
// out (report writers, the TUI, prompts).
func Capped(s string) string {
	if utf8.RuneCountInString(s) <= MaxField {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxField {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
