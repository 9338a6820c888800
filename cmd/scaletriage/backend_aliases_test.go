package main

import (
	"testing"

	"github.com/scaletriage/scaletriage/internal/backendtest"
)

// The server launchers live in internal/backendtest. These unexported
// names stay for the test files of feature branches written against the
// old harness; new code calls backendtest directly. Delete them once no
// branch uses them.

// startPrometheus backfills every file with promtool into one TSDB and
// serves it (backendtest.ServeBackfilled).
//
//lint:ignore U1000 kept for feature branches written before backendtest
func startPrometheus(tb testing.TB, bins map[string]string, files []string) string {
	tb.Helper()
	return backendtest.ServeBackfilled(tb, bins, files)
}

// startDaemon runs a server on loopback until the test ends
// (backendtest.StartDaemon); stop kills it earlier.
//
//lint:ignore U1000 kept for feature branches written before backendtest
func startDaemon(tb testing.TB, bin string, args []string, direct, readyPath string) (stop func()) {
	tb.Helper()
	return backendtest.StartDaemon(tb, bin, args, direct, readyPath)
}

// freePort is a loopback port free a moment ago (backendtest.Port).
//
//lint:ignore U1000 kept for feature branches written before backendtest
func freePort(tb testing.TB) string {
	tb.Helper()
	return backendtest.Port(tb)
}
