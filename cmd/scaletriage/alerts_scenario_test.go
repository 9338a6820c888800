package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/internal/backendtest"
	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// liveRules are the alerting rules the scenario Prometheus evaluates.
const liveRules = "../../testdata/alerts/live-rules.yml"

// testLiveAlerts reads the alerts endpoint of a Prometheus of its own (the
// scenarios' server holds only the past): its live rules fire CheckoutSlow
// (a hostile summary, a runbook) and hold Watchdog pending. The rules run
// every second; the first evaluation can take a moment after startup, so
// the test polls, bounded.
func testLiveAlerts(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := filepath.Abs(liveRules)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	am := backendtest.StartAlertmanager(t, dir)
	config := filepath.Join(dir, "prometheus.yml")
	conf := "rule_files: [" + strconv.Quote(rules) + "]\nalerting: {alertmanagers: [{static_configs: [{targets: [" + strconv.Quote(strings.TrimPrefix(am, "http://")) + "]}]}]}\n"
	if err := os.WriteFile(config, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	url := backendtest.StartPrometheus(t, backendtest.Prometheus{Bin: bin, Config: config, Data: filepath.Join(dir, "data"),
		// The first send can precede the notifier's discovery of the
		// Alertmanager and is dropped; resend within a second, not a minute.
		Flags: []string{"--rules.alert.resend-delay=1s"}}).URL
	var got []report.AlertV1
	var out string
	for range 50 {
		var code int
		var errOut string
		code, out, errOut = scenarioCLI(context.Background(), "alerts", "--format", "json", "--prometheus-url", url)
		if code != exitOK {
			t.Fatalf("alerts exit %d: %s", code, errOut)
		}
		var doc struct{ Alerts []report.AlertV1 }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if got = doc.Alerts; len(got) == 2 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(got) != 2 {
		t.Fatalf("live alerts: %s", out)
	}
	slow, watchdog := got[0], got[1]
	if slow.Name != "CheckoutSlow" || slow.State != "firing" || slow.Selector != `job="checkout",instance="checkout-1:8080"` ||
		slow.Condition != "vector(0.7) > 0.5" ||
		slow.Annotations["summary"] != "Checkout P99 above 500 ms \x1b[2J" || slow.Annotations["runbook_url"] != "https://runbooks.example/checkout-slow" || slow.ActiveAt == "" {
		t.Errorf("firing first, with its annotations: %+v", slow)
	}
	if watchdog.Name != "Watchdog" || watchdog.State != "pending" || watchdog.Selector != "" {
		t.Errorf("then the pending one: %+v", watchdog)
	}
	_, text, _ := scenarioCLI(context.Background(), "alerts", "--prometheus-url", url)
	if strings.Contains(text, "\x1b") || !strings.Contains(text, "Checkout P99 above 500 ms ␛[2J") {
		t.Errorf("the summary is shown, its escape made visible:\n%s", text)
	}
	testAlertmanagerAlerts(t, url, am)
}

// testFromThePage reviews the fleet-chronic incident from its page: the
// backfilled ALERTS series say CheckoutPoolExhausted became active 14 min
// before the scenario's instant and fired 2 min later. `alerts` lists it
// at each moment of its life, and `report --alert` triages from it: the
// alert's labels are the scope and the window holds its onset.
func testFromThePage(t *testing.T, b *scenarioBackend) {
	sc := findScenario(t, "fleet-chronic")
	const (
		name     = "CheckoutPoolExhausted"
		selector = `job="checkout",instance="checkout-1:8080"`
	)
	alertsAt := func(t *testing.T, at time.Time) []report.AlertV1 {
		t.Helper()
		code, out, errOut := scenarioCLI(context.Background(), "alerts", "--format", "json", "--prometheus-url", b.url, "--at", at.Format(time.RFC3339))
		if code != exitOK {
			t.Fatalf("alerts exit %d: %s", code, errOut)
		}
		var doc struct{ Alerts []report.AlertV1 }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("alerts JSON: %v\n%s", err, out)
		}
		return doc.Alerts
	}
	t.Run("alerts", func(t *testing.T) {
		for _, c := range []struct {
			before time.Duration
			state  string // "": no alert
			count  int    // with LegacyBillingDown, firing from 5 min before at
		}{{30 * time.Minute, "", 0}, {13 * time.Minute, "pending", 1}, {0, "firing", 2}} {
			got := alertsAt(t, sc.at.Add(-c.before))
			if c.state == "" {
				if len(got) != 0 {
					t.Errorf("%s before the incident: %+v, want no alert", c.before, got)
				}
				continue
			}
			if len(got) != c.count {
				t.Fatalf("%s before at: %d alerts %+v, want %d", c.before, len(got), got, c.count)
			}
			a := got[0]
			age := (14*time.Minute - c.before).Seconds()
			if a.Name != name || a.State != c.state || a.Severity != "page" || a.Selector != selector || a.AgeSeconds != age ||
				a.ActiveAt != sc.at.Add(-14*time.Minute).UTC().Format(time.RFC3339) {
				t.Errorf("%s before at: %+v, want %s %s for %gs scoping {%s}", c.before, a, name, c.state, age, selector)
			}
		}
		code, out, _ := scenarioCLI(context.Background(), "alerts", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		if code != exitOK || !strings.Contains(out, "firing  page      "+name) || !strings.Contains(out, "{"+selector+"}") {
			t.Errorf("alerts text (exit %d):\n%s", code, out)
		}
	})
	t.Run("report", func(t *testing.T) {
		fingerprint := alertsAt(t, sc.at)[0].Fingerprint
		for _, pick := range []string{name, fingerprint} {
			code, out, errOut := scenarioCLI(context.Background(), "report", "--format", "json", "--alert", pick,
				"--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
			if code != exitOK {
				t.Fatalf("report --alert %s exit %d: %s", pick, code, errOut)
			}
			var r report.V1
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if r.Alert == nil || r.Alert.Name != name || r.Alert.Fingerprint != fingerprint {
				t.Fatalf("report --alert %s names the alert %+v", pick, r.Alert)
			}
			// 14 min of age and 5 min before the onset.
			if r.Scope == nil || r.Scope.Selector != selector || r.Window != "19m" {
				t.Errorf("report --alert %s: scope %+v window %s, want {%s} over 19m", pick, r.Scope, r.Window, selector)
			}
			if top := r.Findings[0]; top.ID != "db-pool-exhaustion" || top.Scope != triage.ScopeIn || top.Change != triage.ChangeNew {
				t.Errorf("report --alert %s: top %s scope %s change %s, want the pool, in scope, new (%v)", pick, top.ID, top.Scope, top.Change, findingIDs(r))
			}
		}
		code, out, _ := scenarioCLI(context.Background(), "report", "--alert", name, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		if want := "from the alert " + name + " firing for 14 min on {" + selector + "}"; code != exitOK || !strings.Contains(out, want) {
			t.Errorf("report text lacks %q (exit %d):\n%.600s", want, code, out)
		}
	})
	t.Run("matches-nothing", func(t *testing.T) {
		code, out, errOut := scenarioCLI(context.Background(), "report", "--alert", "LegacyBillingDown",
			"--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		if code != exitOK || !strings.Contains(errOut, `the alert LegacyBillingDown scopes to {job="billing-legacy",instance="billing-legacy:8080"}, which matches none of the series read`) ||
			!strings.Contains(errOut, "; job has ") || // the values its labels do have (issue 20)
			!strings.Contains(out, "from the alert LegacyBillingDown firing for 5 min") {
			t.Errorf("exit %d, stderr %q\n%.400s", code, errOut, out)
		}
	})
	t.Run("prompt", func(t *testing.T) {
		code, out, errOut := scenarioCLI(context.Background(), "prompt", "connection-pool-optimization", "--alert", name,
			"--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
		want := "- Observed issue: **" + name + " firing for 14 min on {" + selector + "}; Database connection pool exhaustion"
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("prompt --alert (exit %d, %s) lacks %q:\n%s", code, errOut, want, out)
		}
	})
	t.Run("refused", func(t *testing.T) {
		at := sc.at.Format(time.RFC3339)
		for _, c := range []struct {
			args []string
			code int
			says string
		}{
			{[]string{"report", "--alert", "NoSuchAlert", "--prometheus-url", b.url, "--at", at}, exitError, "see `scaletriage alerts`"},
			{[]string{"report", "--alert", name, "--selector", `job="web"`, "--prometheus-url", b.url, "--at", at}, exitUsage, "both set the scope"},
			{[]string{"report", "--alert", name, "--replay", "snapshot.json"}, exitUsage, "not a recording"},
			{[]string{"alerts", "--replay", "snapshot.json"}, exitUsage, "not a recording"},
			{[]string{"prompt", "6", "--alert", name, "--replay", "snapshot.json"}, exitUsage, "not a recording"},
		} {
			code, _, errOut := scenarioCLI(context.Background(), c.args...)
			if code != c.code || !strings.Contains(errOut, c.says) {
				t.Errorf("%v: exit %d %q, want %d saying %q", c.args, code, errOut, c.code, c.says)
			}
		}
	})
}

// silence mutes an alert name in the Alertmanager for an hour.
func silence(t *testing.T, am, name string) {
	t.Helper()
	now := time.Now().UTC()
	body, _ := json.Marshal(map[string]any{
		"matchers": []map[string]any{{"name": "alertname", "value": name, "isRegex": false}},
		"startsAt": now.Format(time.RFC3339), "endsAt": now.Add(time.Hour).Format(time.RFC3339),
		"createdBy": "scaletriage test", "comment": "planned maintenance",
	})
	resp, err := http.Post(am+"/api/v2/silences", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("silence: %s", resp.Status)
	}
}

// testAlertmanagerAlerts lists through a real Alertmanager: the firing
// alert Prometheus sent it, silenced, merged with the pending one only
// Prometheus knows; an Alertmanager answering HTML or down is reported on
// its own and the Prometheus's alerts still answer.
func testAlertmanagerAlerts(t *testing.T, prometheus, am string) {
	silence(t, am, "CheckoutSlow")
	var got []report.AlertV1
	var out, errOut string
	for range 50 { // Prometheus sends on its next evaluation (every second)
		var code int
		code, out, errOut = scenarioCLI(context.Background(), "alerts", "--format", "json", "--prometheus-url", prometheus, "--alertmanager-url", am)
		if code != exitOK {
			t.Fatalf("alerts exit %d: %s", code, errOut)
		}
		var doc struct{ Alerts []report.AlertV1 }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if got = doc.Alerts; len(got) == 2 && got[0].Source == "alertmanager" && got[0].Silenced {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(got) != 2 || got[0].Name != "CheckoutSlow" || !got[0].Silenced || got[0].Source != "alertmanager" || got[1].Name != "Watchdog" || got[1].Source != "" {
		t.Fatalf("through the Alertmanager: %s (stderr %s)", out, errOut)
	}
	// The Prometheus's onset (when it became pending) wins over startsAt.
	if got[0].ActiveAt == "" || got[0].Selector != `job="checkout",instance="checkout-1:8080"` {
		t.Errorf("merged alert %+v", got[0])
	}
	_, text, _ := scenarioCLI(context.Background(), "alerts", "--prometheus-url", prometheus, "--alertmanager-url", am)
	if !strings.Contains(text, "firing (silenced)") {
		t.Errorf("the silence is not shown:\n%s", text)
	}

	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Grafana login</body></html>")
	}))
	t.Cleanup(html.Close)
	for where, url := range map[string]string{"answering HTML": html.URL, "down": "http://127.0.0.1:" + backendtest.Port(t)} {
		code, out, errOut := scenarioCLI(context.Background(), "alerts", "--prometheus-url", prometheus, "--alertmanager-url", url, "--timeout", "2s")
		if code != exitOK || !strings.Contains(out, "CheckoutSlow") || !strings.Contains(errOut, "warning: Alertmanager") || !strings.Contains(errOut, "listing the Prometheus's alerts only") {
			t.Errorf("Alertmanager %s: exit %d\n%s\nstderr: %s", where, code, out, errOut)
		}
		if where == "answering HTML" && !strings.Contains(errOut, "answered with an HTML page") {
			t.Errorf("HTML is not named: %s", errOut)
		}
	}
}
