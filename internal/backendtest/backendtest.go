// Package backendtest launches real query backends on loopback for tests
// and benchmarks: Prometheus (with promtool backfill), VictoriaMetrics (with
// the Prometheus text import), a Thanos querier over an HA pair of
// Prometheus replicas, and Alertmanager; it finds their binaries (a Debian
// package in PATH, or an engine scripts/backends.sh builds) and waits until
// each answers.
//
// Two layers: functions returning an error (Start, FreePort, Backfill,
// Prometheus.Start), which lab/scale uses outside any test, and the helpers
// taking a TB, which register cleanup and fail the test. The package does
// not import testing: TB is the part of testing.TB it needs.
package backendtest

import (
	"errors"
	"os"
	"path/filepath"
)

// TB is the part of testing.TB the helpers use; *testing.T and *testing.B
// satisfy it.
type TB interface {
	Helper()
	Cleanup(func())
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Skip(args ...any)
	TempDir() string
}

// Root is the module's root directory: the first directory holding go.mod
// at or above the working directory (go test runs in the package's).
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod at or above the working directory")
		}
		dir = parent
	}
}
