package main

import (
	"runtime"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/internal/configtest"
)

// The warning reaches the command's stderr, and the command still runs.
func TestCLIWarnsAboutAReadableSecret(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix mode bits")
	}
	t.Setenv("PROMETHEUS_URL", "")
	path := configtest.Write(t, "basic_auth: {username: ops, password: hunter2}\n", 0o644)
	code, stdout, stderr := runCLI(t, "prompts", "--config", path)
	if code != exitOK || !strings.Contains(stdout, "connection-pool-optimization") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "scaletriage: warning: config "+path+" (mode 0644)") {
		t.Errorf("stderr %q", stderr)
	}
}
