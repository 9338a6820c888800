package main

import (
	"regexp"
	"syscall"
	"testing"
)

// Hardening round 3, item 10: the signals an interrupt cut short read
// "cancelled" in the text report, not "no data" (which says the server has
// none), and the ones read keep their values.
func TestInterruptedTextReportSaysCancelled(t *testing.T) {
	code, stdout, stderr := interruptCLI(t, syscall.SIGINT, "report", "--format", "text")
	if code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, stderr)
	}
	cut := regexp.MustCompile(`(?m)^  error +db_connections_max +cancelled `)
	read := regexp.MustCompile(`(?m)^  ok +memory_total_bytes +\d`)
	if !cut.MatchString(stdout) || !read.MatchString(stdout) {
		t.Errorf("want db_connections_max cancelled and memory_total_bytes read:\n%s", stdout)
	}
}
