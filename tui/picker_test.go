package tui

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/scaletriage/scaletriage/triage"
	"github.com/scaletriage/scaletriage/triage/prom"
)

func TestPickerOpensWithoutSelector(t *testing.T) {
	m := loadedFleet(t, &fakeTriager{pass: fleetPass(), live: true}, 80, 24)
	t.Cleanup(m.Close)
	if m.screen() != screenPicker {
		t.Fatalf("screen %v, want the picker after a pass without a selector", m.screen())
	}
	if got := m.picker.selected(); got != "ledger" {
		t.Fatalf("cursor on %q, want ledger, the root of the slow chain", got)
	}
	view := ansi.Strip(m.View().Content)
	for _, want := range []string{"all services", "root", "moved", "242 ms 10x", "path: web → checkout → payments → ledger", `triages {job="ledger"}`} {
		if !strings.Contains(view, want) {
			t.Fatalf("picker lacks %q:\n%s", want, view)
		}
	}
	// A new pass of the fleet keeps the cursor on the same service.
	press(m, "down")
	m.Update(collectedMsg{gen: m.gen, pass: fleetPass()})
	if got := m.picker.selected(); got != "payments" || m.screen() != screenPicker {
		t.Fatalf("after a new pass: cursor on %q, screen %v", got, m.screen())
	}
}

func TestPickerSkipped(t *testing.T) {
	for _, tc := range []struct {
		name     string
		services int
		selector string
		status   string
	}{
		{"one service", 1, "", "1 service(s) in this snapshot: nothing to pick"},
		{"no service", 0, "", "0 service(s) in this snapshot: nothing to pick"},
		{"selector given", len(fleetServices), `job="api"`, `scoped to {job="api"} from the start: no fleet ranking to pick from`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pass := fleetPass()
			for i := range pass.Diagnosis.Snapshot.Readings {
				r := &pass.Diagnosis.Snapshot.Readings[i]
				r.Entities = r.Entities[:min(tc.services, len(r.Entities))]
			}
			cfg := testConfig(t, &fakeTriager{pass: pass})
			cfg.Selector = tc.selector
			m := New(context.Background(), cfg)
			m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
			m.startCollect()
			m.Update(collectedMsg{gen: m.gen, pass: pass})
			if m.screen() != screenPane || m.scope != tc.selector {
				t.Fatalf("screen %v, scope %q: the picker must be skipped", m.screen(), m.scope)
			}
			if offersPicker(m) {
				t.Fatalf("the help offers a picker with nothing to pick")
			}
			press(m, "s")
			if m.screen() != screenPane || !strings.Contains(m.status.text, tc.status) {
				t.Fatalf("s: screen %v, status %q, want %q", m.screen(), m.status.text, tc.status)
			}
		})
	}
}

func TestPickerEnterCollectsTheService(t *testing.T) {
	src := &fakeTriager{pass: fleetPass(), live: true}
	m := loadedFleet(t, src, 80, 24)
	t.Cleanup(m.Close)
	cmd := press(m, "enter")
	if n := src.calls.Load(); n != 0 {
		t.Fatalf("Update called Collect %d times", n)
	}
	if m.screen() != screenPane || m.scope != `job="ledger"` || !m.collecting {
		t.Fatalf("enter: screen %v, scope %q, collecting %v", m.screen(), m.scope, m.collecting)
	}
	if header := ansi.Strip(m.header); !strings.Contains(header, `{job="ledger"}`) {
		t.Fatalf("the header does not show the scope: %q", header)
	}
	settle(t, m, cmd)
	if req, ok := src.lastRequest(); !ok || req.Selector != `job="ledger"` || req.Window != 15*time.Minute {
		t.Fatalf("collected %+v, want job=\"ledger\" over 15m", req)
	}
	// s reopens the picker on the service; esc keeps its scope.
	if !offersPicker(m) || !strings.Contains(ansi.Strip(m.helpText), "s services") {
		t.Fatalf("help does not offer the picker: %q", m.helpText)
	}
	press(m, "s")
	if m.screen() != screenPicker || m.picker.selected() != "ledger" {
		t.Fatalf("s: screen %v, cursor on %q", m.screen(), m.picker.selected())
	}
	calls := src.calls.Load()
	press(m, "esc")
	if m.screen() != screenPane || m.scope != `job="ledger"` || m.collecting {
		t.Fatalf("esc: screen %v, scope %q, collecting %v", m.screen(), m.scope, m.collecting)
	}
	// All services, the first row, drops the selector.
	press(m, "s", "home")
	settle(t, m, press(m, "enter"))
	if req, _ := src.lastRequest(); src.calls.Load() != calls+1 || req.Selector != "" || m.scope != "" {
		t.Fatalf("all services: collected %+v, scope %q", req, m.scope)
	}
}

func TestPickerEscKeepsAllServices(t *testing.T) {
	m := loadedFleet(t, &fakeTriager{pass: fleetPass(), live: true}, 80, 24)
	if cmd := press(m, "esc"); cmd != nil || m.screen() != screenPane || m.scope != "" || m.collecting {
		t.Fatalf("esc: screen %v, scope %q, collecting %v", m.screen(), m.scope, m.collecting)
	}
	if header := ansi.Strip(m.header); !strings.Contains(header, "all services") {
		t.Fatalf("header %q", header)
	}
}

// TestPickerInRecordingKeepsScope: a recording answers only what it
// recorded, so picking sends no query and says so.
func TestPickerInRecordingKeepsScope(t *testing.T) {
	src := &fakeTriager{pass: fleetPass()}
	m := loadedFleet(t, src, 80, 24)
	if view := ansi.Strip(m.View().Content); !strings.Contains(view, "a recording answers only what it recorded") {
		t.Fatalf("the picker does not warn that a recording keeps its scope:\n%s", view)
	}
	settle(t, m, press(m, "enter"))
	if n := src.calls.Load(); n != 0 || m.scope != "" || m.collecting {
		t.Fatalf("a recording was asked %d times, scope %q", n, m.scope)
	}
	if !strings.Contains(m.status.text, `{job="ledger"} not collected: a recording answers only what it recorded; it stays on all services`) || m.screen() != screenPane {
		t.Fatalf("status %q, screen %v", m.status.text, m.screen())
	}
}

// TestPickerHostileServiceName: a job label is the server's text. It is
// drawn sanitized, and its selector matches exactly that job.
func TestPickerHostileServiceName(t *testing.T) {
	hostile := "evil\x1b[2J\x1b]52;c;aGFjaw==\x07\"} or job=~\".*\\\u202e\n"
	pass := fleetPass()
	for _, r := range pass.Diagnosis.Snapshot.Readings {
		for _, e := range r.Entities {
			for k, v := range e.Labels {
				if v == "ledger" {
					e.Labels[k] = hostile
				}
			}
		}
	}
	src := &fakeTriager{pass: pass, live: true}
	m := loadedFleet(t, src, 160, 48)
	t.Cleanup(m.Close)
	if m.picker.selected() != hostile {
		t.Fatalf("cursor on %q", m.picker.selected())
	}
	assertNoRawControls(t, "picker", m.View().Content)
	if view := ansi.Strip(m.View().Content); !strings.Contains(view, "evil␛[2J") {
		t.Fatalf("the hostile name is not drawn visibly:\n%s", view)
	}
	settle(t, m, press(m, "enter"))
	want := "job=" + strconv.Quote(hostile)
	if req, _ := src.lastRequest(); req.Selector != want {
		t.Fatalf("selector %q, want %q", req.Selector, want)
	}
	if _, err := prom.ParseSelector(m.scope); err != nil {
		t.Fatalf("the CLI cannot parse %q: %v", m.scope, err)
	}
	matchers, err := prom.ParseMatchers(m.scope)
	if err != nil || len(matchers) != 1 || !matchers.Matches(map[string]string{"job": hostile}) || matchers.Matches(map[string]string{"job": "web"}) {
		t.Fatalf("%q parses to %v (%v): it must match the hostile job and only it", m.scope, matchers, err)
	}
	assertNoRawControls(t, "scoped panes", m.View().Content)
}

// offersPicker reports whether the help, short or full, lists the scope key.
func offersPicker(m *Model) bool {
	h := m.helpKeys()
	for _, group := range append(h.full, h.short) {
		if slices.ContainsFunc(group, func(b key.Binding) bool { return b.Help() == m.keys.Scope.Help() }) {
			return true
		}
	}
	return false
}

// assertNoRawControls fails when anything but the TUI's own SGR styling
// would reach the terminal.
func assertNoRawControls(t *testing.T, screen, view string) {
	t.Helper()
	rest := regexp.MustCompile(`\x1b\[[0-9;:]*m`).ReplaceAllString(view, "")
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b"} {
		if strings.Contains(rest, bad) {
			t.Fatalf("%s: %q reached the terminal", screen, bad)
		}
	}
}

// TestPickerListsAlertsFirst: the page an incident starts from comes
// before the services; enter on it triages its labels' scope with the
// alert in the request (the collector widens the window to its onset).
func TestPickerListsAlertsFirst(t *testing.T) {
	pass := fleetPass()
	at := pass.Diagnosis.Snapshot.At
	page := triage.Alert{Name: "LedgerSlow", State: "firing", Severity: "page", Labels: map[string]string{"job": "ledger"},
		ActiveAt: at.Add(-14 * time.Minute), Annotations: map[string]string{"summary": "P99 above 200 ms", "runbook_url": "https://runbooks.example/ledger"}}
	hostile := triage.Alert{Name: "Pwn\x1b[2J", State: "pending", Labels: map[string]string{"job": "web"},
		Annotations: map[string]string{"summary": "\x1b]52;c;ZXZpbA==\x07"}}
	pass.Alerts = []triage.Alert{page, hostile}
	src := &fakeTriager{pass: pass, live: true}
	m := loadedFleet(t, src, 100, 30)
	t.Cleanup(m.Close)
	if m.screen() != screenPicker {
		t.Fatalf("screen %v, want the picker", m.screen())
	}
	if a, ok := m.picker.selectedAlert(); !ok || a.Name != "LedgerSlow" {
		t.Fatalf("cursor on %+v, want the firing alert first", a)
	}
	raw := m.View().Content
	view := ansi.Strip(raw)
	for _, want := range []string{"2 alert(s) pending or firing first", "LedgerSlow", "firing", "14 min", "P99 above 200 ms",
		"runbook: https://runbooks.example/ledger (not fetched)", `triages {job="ledger"} over a window that holds its onset`, "Pwn␛[2J", "all services", "ledger"} {
		if !strings.Contains(view, want) {
			t.Errorf("picker lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(raw, "\x1b[2J") || strings.Contains(raw, "\x1b]52") {
		t.Errorf("a hostile alert reached the terminal raw")
	}
	settle(t, m, press(m, "enter"))
	req, ok := src.lastRequest()
	if !ok || req.Selector != `job="ledger"` || req.Alert == nil || req.Alert.Name != "LedgerSlow" || m.scope != `job="ledger"` {
		t.Fatalf("enter on the alert collected %+v (alert %v), scope %q", req, req.Alert, m.scope)
	}
	// The header shows the window the collector widened to the onset.
	widened := fleetPass()
	snap := *widened.Diagnosis.Snapshot
	snap.Window = 19 * time.Minute
	widened.Diagnosis.Snapshot = &snap
	m.Update(collectedMsg{gen: m.gen, pass: widened})
	if header := ansi.Strip(m.header); !strings.Contains(header, "window 19m (alert") {
		t.Errorf("header %q", header)
	}
	// s reopens on the alert; a service picked then drops it.
	press(m, "s")
	if a, ok := m.picker.selectedAlert(); !ok || a.Name != "LedgerSlow" {
		t.Fatalf("s reopens on %+v, want the alert", a)
	}
	press(m, "down", "down", "down")
	settle(t, m, press(m, "enter"))
	if req, _ := src.lastRequest(); req.Alert != nil || req.Selector == "" || m.alert != nil {
		t.Fatalf("a service after the alert: %+v, alert %v", req, m.alert)
	}
}

// TestAlertMatchingNothingFallsBackToThePicker: an alert whose labels name
// no series read says so, drops its scope and reopens the picker.
func TestAlertMatchingNothingFallsBackToThePicker(t *testing.T) {
	pass := fleetPass()
	ghost := triage.Alert{Name: "LegacyBillingDown", State: "firing", Labels: map[string]string{"job": "billing-legacy"}}
	pass.Alerts = []triage.Alert{ghost}
	src := &fakeTriager{pass: pass, live: true}
	m := loadedFleet(t, src, 100, 30)
	t.Cleanup(m.Close)
	press(m, "enter")
	if m.scope != `job="billing-legacy"` || m.alert == nil {
		t.Fatalf("enter on the alert: scope %q", m.scope)
	}
	scoped := fleetPass()
	snap := *scoped.Diagnosis.Snapshot
	snap.Scope = &triage.ServiceScope{Selector: `job="billing-legacy"`}
	scoped.Diagnosis.Snapshot = &snap
	m.Update(collectedMsg{gen: m.gen, pass: scoped})
	if m.screen() != screenPicker || m.scope != "" || m.alert != nil || !m.collecting {
		t.Fatalf("screen %v, scope %q, alert %v, collecting %v: want the picker, every service re-collected", m.screen(), m.scope, m.alert, m.collecting)
	}
	if !strings.Contains(m.status.text, "LegacyBillingDown: its labels match none of the series read; pick a service") {
		t.Fatalf("status %q", m.status.text)
	}
}

// TestPickerTracesNamedAndCut: services named by the service_name of
// metrics derived from traces are scoped by that label, and a pass whose
// entity cap kept fewer services than it measured says so.
func TestPickerTracesNamedAndCut(t *testing.T) {
	pass := fleetPass()
	for i := range pass.Diagnosis.Snapshot.Readings {
		r := &pass.Diagnosis.Snapshot.Readings[i]
		for j := range r.Entities {
			if job, ok := r.Entities[j].Labels["job"]; ok {
				r.Entities[j].Labels = map[string]string{"service_name": job}
			}
		}
		if r.ID == triage.SignalLatencyP99 {
			r.EntityCount = 400
		}
	}
	m := loadedFleet(t, &fakeTriager{pass: pass, live: true}, 160, 48)
	t.Cleanup(m.Close)
	view := ansi.Strip(m.View().Content)
	for _, want := range []string{`triages {service_name="ledger"}`, "of 400 services (the rest: scaletriage services)"} {
		if !strings.Contains(view, want) {
			t.Errorf("picker lacks %q:\n%s", want, view)
		}
	}
	if got := m.picker.selectorOf("ledger"); got != `service_name="ledger"` {
		t.Errorf("selector %s", got)
	}
}
