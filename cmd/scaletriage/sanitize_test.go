package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/internal/configtest"
	"github.com/scaletriage/scaletriage/triage"
)

// hostile writes to the clipboard (OSC 52), clears the screen, reverses
// the text and sends an 8-bit CSI.
const hostile = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202e\u009b31m"

// No string from the config, the flags or a file name reaches the terminal
// raw, on stdout or stderr, whatever the command and whether it succeeds.
func TestNothingPrintedDrivesTheTerminal(t *testing.T) {
	t.Setenv("PROMETHEUS_URL", "")
	f := startFakeProm(t, []string{"node_memory_MemTotal_bytes"}, nil)
	// YAML's double-quoted escapes carry the controls into the file.
	yamlHostile := `\e]52;c;cHduZWQ=\a\e[2J\u202e\x9b31m`
	cfg := configtest.Write(t, `signals:
  memory_total_bytes:
    candidates:
      - {exporter: "evil`+yamlHostile+`", metrics: [node_memory_MemTotal_bytes], query: 'max(node_memory_MemTotal_bytes)', statistic: "now`+yamlHostile+`"}
context:
  system: "checkout`+yamlHostile+`"
`, 0o600)
	dir := t.TempDir()
	live := []string{"--config", cfg, "--prometheus-url", f.URL}
	commands := [][]string{
		{"report", "--format", "text"},
		{"report", "--format", "markdown"},
		{"report", "--format", "json"},
		{"signals"},
		{"record", "-o", filepath.Join(dir, "snap"+hostile+".json")},
		{"prompt", "bottleneck-identification", "--set", "system=" + hostile},
		{"prompt", "bottleneck-identification", "--format", "text", "--set", "system=" + hostile},
		{"prompts"},
		{"report", "--selector", `job="` + hostile + `"`},
		{"signals", "--selector", hostile},
		{"report", "--format", hostile},
		{"report", "--window", hostile},
		{"prompt", hostile},
	}
	for _, args := range commands {
		_, stdout, stderr := runCLI(t, append(args, live...)...)
		assertTerminalSafe(t, args, "stdout", stdout)
		assertTerminalSafe(t, args, "stderr", stderr)
	}
	// Files named by the user: a replay and a config that do not exist.
	for _, args := range [][]string{
		{"report", "--replay", filepath.Join(dir, hostile+".json")},
		{"report", "--config", filepath.Join(dir, hostile+".yaml")},
	} {
		_, stdout, stderr := runCLI(t, args...)
		assertTerminalSafe(t, args, "stdout", stdout)
		assertTerminalSafe(t, args, "stderr", stderr)
	}
	// And the hostile exporter name did reach the doctor, made visible.
	_, stdout, _ := runCLI(t, append([]string{"signals"}, live...)...)
	if !strings.Contains(stdout, "evil␛]52;c;cHduZWQ=␇␛[2J<U+202E>") {
		t.Errorf("the exporter name is not shown escaped:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "snap"+hostile+".json")); err != nil {
		t.Errorf("record with a hostile file name: %v", err)
	}
}

func assertTerminalSafe(t *testing.T, args []string, stream, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || triage.Invisible(r) {
			t.Errorf("%q: %s holds %U at byte %d: %q", args, stream, r, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
}
