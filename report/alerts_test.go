package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

func TestWriteAlertsEscapesHostileLabels(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	hostile := triage.Alert{Name: "Pwn\x1b]52;c;ZXZpbA==\x07", State: "firing", Severity: "page\nFAKE firing",
		Labels:   map[string]string{"job": "web\x1b[2J", "summary": "\u202eevil"},
		ActiveAt: at.Add(-90 * time.Second)}
	var b strings.Builder
	if err := WriteAlerts(&b, []triage.Alert{hostile}, at, "text"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\x07\u202e") || strings.Contains(out, "\nFAKE") {
		t.Errorf("hostile alert reached the terminal raw:\n%q", out)
	}
	if !strings.Contains(out, "90 s") || !strings.Contains(out, hostile.Fingerprint()) {
		t.Errorf("age or fingerprint missing:\n%s", out)
	}

	b.Reset()
	if err := WriteAlerts(&b, []triage.Alert{hostile}, at, "json"); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07") {
		t.Errorf("raw control characters in JSON: %q", b.String())
	}
	var doc struct{ Alerts []AlertV1 }
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	// JSON keeps the values as they are (escaped by the encoding): a
	// program reading it gets the real label, to match on.
	if len(doc.Alerts) != 1 || doc.Alerts[0].Labels["job"] != "web\x1b[2J" || doc.Alerts[0].AgeSeconds != 90 {
		t.Errorf("JSON alert %+v", doc.Alerts)
	}
}

func TestWriteAlertsSaysWhenNoneFires(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	var b strings.Builder
	if err := WriteAlerts(&b, nil, at, "text"); err != nil {
		t.Fatal(err)
	}
	if want := "no alert pending or firing at 2026-11-30T12:00:00Z\n"; b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
	b.Reset()
	if err := WriteAlerts(&b, nil, at, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"alerts": []`) {
		t.Errorf("no alert is an empty list, not null: %s", b.String())
	}
}

func TestAlertLines(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		alert triage.Alert
		want  []string
	}{
		{triage.Alert{Name: "HighLatency", State: "firing", Labels: map[string]string{"job": "checkout"}, ActiveAt: at.Add(-14 * time.Minute), Condition: "P99 > 500 ms",
			Annotations: map[string]string{"summary": "P99 above 500 ms\x1b[2J", "runbook_url": "https://runbooks.example/high-latency"}},
			[]string{`from the alert HighLatency firing for 14 min (P99 > 500 ms) on {job="checkout"}`, "summary: P99 above 500 ms␛[2J", "runbook: https://runbooks.example/high-latency"}},
		{triage.Alert{Name: "Watchdog", State: "firing", Labels: map[string]string{"severity": "none"}, Annotations: map[string]string{"description": "always fires"}},
			[]string{"from the alert Watchdog firing for an unknown time with no label that names a service", "summary: always fires"}},
	} {
		if got := AlertLines(c.alert, at); !slices.Equal(got, c.want) {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}
