package main

import (
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/internal/configtest"
)

// Out-of-range durations and instants are usage errors naming the flag and
// the allowed range; they are refused before any request (the URL is never
// dialled).
func TestFlagBounds(t *testing.T) {
	tests := []struct {
		args []string
		want string // "" when accepted
	}{
		{[]string{"--window", "1ns"}, "--window: 1ns is out of range: use 1m to 7d"},
		{[]string{"--window", "59s"}, "--window: 59s is out of range: use 1m to 7d"},
		{[]string{"--window", "36500d"}, "--window: 36500d is out of range: use 1m to 7d"},
		{[]string{"--window", "1m"}, ""},
		{[]string{"--window", "7d"}, ""},
		{[]string{"--rate-window", "500ms"}, "--rate-window: 500ms is out of range: use 1s to 7d"},
		{[]string{"--rate-window", "1h", "--window", "15m"}, "--rate-window 1h: the rate window must be at most the window (--window 15m)"},
		{[]string{"--rate-window", "20m"}, "--rate-window 20m: the rate window must be at most the window (default 15m)"},
		{[]string{"--rate-window", "15m", "--window", "15m"}, ""},
		{[]string{"--timeout", "1ns"}, "--timeout: 1ns is out of range: use 1s to 10m"},
		{[]string{"--at", "1e20"}, `--at "1e20" is out of range: use a time from 1970-01-01T00:00:00Z to `},
		{[]string{"--at", "-1"}, `--at "-1" is out of range`},
		{[]string{"--at", "+Inf"}, `--at "+Inf" is out of range`},
		{[]string{"--at", "NaN"}, `--at "NaN": use RFC 3339`},
		{[]string{"--at", "9999-12-31T00:00:00Z"}, "is out of range"},
		{[]string{"--at", "1969-12-31T23:59:59Z"}, "is out of range"},
		{[]string{"--at", "0"}, ""},
		{[]string{"--at", "2026-03-02T12:00:00Z"}, ""},
	}
	for _, tt := range tests {
		args := append([]string{"report", "--prometheus-url", closedPortURL(t)}, tt.args...)
		code, _, stderr := runCLI(t, args...)
		switch {
		case tt.want == "" && code == exitUsage:
			t.Errorf("%v refused: %s", tt.args, stderr)
		case tt.want != "" && (code != exitUsage || !strings.Contains(stderr, tt.want)):
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// The rate window is checked against the window wherever each comes from.
func TestConfigRateWindowLongerThanTheWindow(t *testing.T) {
	cfg := configtest.Write(t, "rate_window: 10m\n", 0o600)
	code, _, stderr := runCLI(t, "report", "--config", cfg, "--window", "5m", "--prometheus-url", closedPortURL(t))
	if want := "config rate_window 10m: the rate window must be at most the window (--window 5m)"; code != exitUsage || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}
