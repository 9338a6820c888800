// Package app is scaletriage's application layer: it turns a Request (the
// flags, the environment and the config file) into a source and the
// questions to ask it, and runs the passes the commands and the TUI show.
// The entry points are Triage, Alerts, Services, Record and Open (the TUI's
// Triager); cmd/scaletriage keeps the flags and the output.
package app

import "fmt"

// UsageError marks mistakes in how the command was called (exit 2).
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a formatted message.
func Usagef(format string, args ...any) error { return UsageError{fmt.Errorf(format, args...)} }
