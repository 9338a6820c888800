package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// writeConfig writes a config file with the given mode (chmod'ed, whatever
// the umask).
func writeConfig(tb testing.TB, body string, mode os.FileMode) string {
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

// The warning reaches the command's stderr, and the command still runs.
func TestCLIWarnsAboutAReadableSecret(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix mode bits")
	}
	t.Setenv("PROMETHEUS_URL", "")
	path := writeConfig(t, "basic_auth: {username: ops, password: hunter2}\n", 0o644)
	code, stdout, stderr := runCLI(t, "prompts", "--config", path)
	if code != exitOK || !strings.Contains(stdout, "connection-pool-optimization") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "scaletriage: warning: config "+path+" (mode 0644)") {
		t.Errorf("stderr %q", stderr)
	}
}
