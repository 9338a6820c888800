package backendtest

import (
	"os"
	"os/exec"
	"path/filepath"
)

// StartAlertmanager runs Debian's prometheus-alertmanager on loopback until
// the test ends, HA off, with a receiver that sends nothing, its files
// under dir; it returns its URL. Without the binary it skips, except in CI.
func StartAlertmanager(tb TB, dir string) string {
	tb.Helper()
	bin, err := exec.LookPath("prometheus-alertmanager")
	if err != nil {
		missing(tb, "prometheus-alertmanager not in PATH (apt-get install -y --no-install-recommends prometheus-alertmanager)")
	}
	config := filepath.Join(dir, "am.yml")
	if err := os.WriteFile(config, []byte("route: {receiver: \"null\"}\nreceivers: [{name: \"null\"}]\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	port := Port(tb)
	url := "http://127.0.0.1:" + port
	StartDaemon(tb, bin, []string{"--config.file=" + config, "--storage.path=" + filepath.Join(dir, "am-data"),
		"--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=warn"}, url, "/-/ready")
	return url
}

// missing skips the test for want of a binary, except in CI, where a
// skipped real-backend test would hide that it never ran.
func missing(tb TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}
