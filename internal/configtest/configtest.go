// Package configtest writes scaletriage config files for the tests of the
// command and of internal/app, which both load them.
package configtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes a config file with the given mode (chmod'ed, whatever the
// umask) and returns its path.
func Write(tb testing.TB, body string, mode os.FileMode) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "scaletriage.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		tb.Fatal(err)
	}
	return path
}
