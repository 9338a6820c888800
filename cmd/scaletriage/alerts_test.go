package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/report"
)

// noisyAlerts is 1,000 pending info alerts, then one firing critical page,
// as the alerts endpoint (Prometheus) and /api/v2/alerts (Alertmanager)
// list them: the page comes last.
func noisyAlerts(prometheus bool) string {
	var alerts []string
	for i := range 1000 {
		labels := fmt.Sprintf(`{"alertname":"Noise%04d","severity":"info","job":"batch"}`, i)
		if prometheus {
			alerts = append(alerts, `{"labels":`+labels+`,"annotations":{},"state":"pending","activeAt":"2026-12-01T00:00:00Z","value":"1"}`)
		} else {
			alerts = append(alerts, `{"labels":`+labels+`,"annotations":{},"startsAt":"2026-12-01T00:00:00Z","status":{"state":"active"}}`)
		}
	}
	page := `{"alertname":"CheckoutDown","severity":"CRITICAL","job":"checkout"}`
	if prometheus {
		alerts = append(alerts, `{"labels":`+page+`,"annotations":{},"state":"firing","activeAt":"2026-12-01T00:10:00Z","value":"1"}`)
		return `{"status":"success","data":{"alerts":[` + strings.Join(alerts, ",") + `]}}`
	}
	alerts = append(alerts, `{"labels":`+page+`,"annotations":{},"startsAt":"2026-12-01T00:10:00Z","status":{"state":"active"}}`)
	return "[" + strings.Join(alerts, ",") + "]"
}

// alertsServer answers the alerts endpoints with what alerts says and the
// ALERTS series with series; discovery and queries answer nothing.
func alertsServer(t *testing.T, alerts func(w http.ResponseWriter), series string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		switch {
		case strings.HasSuffix(r.URL.Path, "/api/v1/alerts"), strings.HasSuffix(r.URL.Path, "/api/v2/alerts"):
			alerts(w)
		case strings.HasPrefix(r.Form.Get("query"), "ALERTS{"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[` + series + `]}}`))
		case strings.HasSuffix(r.URL.Path, "/query"), strings.HasSuffix(r.URL.Path, "/query_range"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[]}}`))
		case strings.HasSuffix(r.URL.Path, "/label/__name__/values"), strings.HasSuffix(r.URL.Path, "/rules"):
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"status":"success","data":[]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func answerJSON(body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(body))
	}
}

// A firing page among a thousand pending infos is listed first, the list
// says it was cut, and report --alert finds any of them.
func TestAlertsAreSortedBeforeTheyAreCut(t *testing.T) {
	for _, source := range []string{"prometheus", "alertmanager"} {
		t.Run(source, func(t *testing.T) {
			prom := alertsServer(t, answerJSON(noisyAlerts(true)), "")
			args := []string{"--prometheus-url", prom.URL}
			if source == "alertmanager" {
				prom = alertsServer(t, answerJSON(`{"status":"success","data":{"alerts":[]}}`), "")
				am := alertsServer(t, answerJSON(noisyAlerts(false)), "")
				args = []string{"--prometheus-url", prom.URL, "--alertmanager-url", am.URL}
			}
			code, out, errOut := runCLI(t, append([]string{"alerts", "--format", "json"}, args...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var doc struct {
				Alerts []report.AlertV1
				Total  int
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Alerts) != 1000 || doc.Total != 1001 {
				t.Fatalf("%d alerts of %d listed, want 1,000 of 1,001", len(doc.Alerts), doc.Total)
			}
			if first := doc.Alerts[0]; first.Name != "CheckoutDown" || first.State != "firing" {
				t.Errorf("first listed: %s %s, want the firing page", first.Name, first.State)
			}
			_, text, _ := runCLI(t, append([]string{"alerts"}, args...)...)
			if !strings.Contains(text, "1,000 of 1,001 alerts shown") {
				t.Errorf("the text list does not say it was cut:\n%s", text[max(0, len(text)-400):])
			}
			// The one cut from the list is still found by name.
			_, _, errOut = runCLI(t, append([]string{"report", "--alert", "Noise0999"}, args...)...)
			if strings.Contains(errOut, "no firing or pending alert") {
				t.Errorf("report --alert misses an alert cut from the list: %s", errOut)
			}
		})
	}
}

// The series fallback is for a server without the alerts endpoint, and
// says so; any other failure of the endpoint is a warning that names it.
func TestFailingAlertsEndpointIsNotNoAlerts(t *testing.T) {
	firing := `{"metric":{"__name__":"ALERTS","alertname":"CheckoutDown","alertstate":"firing","job":"checkout"},"value":[1772452800,"1"]}`
	tests := []struct {
		status int
		want   string
	}{
		{http.StatusNotFound, "note: the server has no alerts endpoint (HTTP 404)"},
		{http.StatusInternalServerError, "warning: the alerts endpoint failed (server error (HTTP 500)"},
		{http.StatusServiceUnavailable, "warning: the alerts endpoint failed (server error (HTTP 503)"},
		{http.StatusForbidden, "warning: the alerts endpoint failed (authentication failed"},
		{http.StatusUnprocessableEntity, "warning: the alerts endpoint failed ("},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			prom := alertsServer(t, func(w http.ResponseWriter) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				w.Write([]byte(`{"status":"error","errorType":"execution","error":"rule manager broke"}`))
			}, firing)
			code, out, errOut := runCLI(t, "alerts", "--prometheus-url", prom.URL, "--timeout", "2s")
			if code != exitOK || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "read from the ALERTS series") {
				t.Errorf("exit %d, stderr %q; want the fallback stated: %q", code, errOut, tt.want)
			}
			if !strings.Contains(out, "CheckoutDown") || strings.Contains(out, "no alert pending or firing") {
				t.Errorf("the fallback's answer is not listed:\n%s", out)
			}
		})
	}
	t.Run("fallback fails too", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"status":"error","errorType":"forbidden","error":"no"}`))
		}))
		t.Cleanup(srv.Close)
		code, out, errOut := runCLI(t, "alerts", "--prometheus-url", srv.URL, "--timeout", "2s")
		if code != exitError || strings.Contains(out, "no alert pending or firing") || !strings.Contains(errOut, "reading alerts: authentication failed") {
			t.Errorf("exit %d, stdout %q, stderr %q; want an error naming the endpoint's failure", code, out, errOut)
		}
	})
}

// Hardening round 3, item 7: the Prometheus's credentials and headers go to
// the Alertmanager only on the same origin or when the config says so; the
// Alertmanager can have its own http_config.
func TestAlertmanagerGetsOnlyTheAuthMeantForIt(t *testing.T) {
	prom := alertsServer(t, answerJSON(`{"status":"success","data":{"alerts":[]}}`), "")
	var seen http.Header
	am := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[]`))
	}))
	t.Cleanup(am.Close)
	const promAuth = "authorization: {credentials: pr0m-t0ken}\nhttp_headers: {X-Scope-OrgID: {values: [tenant-a]}}\n"
	tests := []struct {
		name, config, amURL string
		wantAuth, wantOrg   string
		wantNote            bool
	}{
		{"another origin gets nothing", promAuth, am.URL, "", "", true},
		{"its own http_config", promAuth + "alertmanager_http_config: {basic_auth: {username: am, password: am-pass}}\n", am.URL,
			"Basic YW06YW0tcGFzcw==", "", false},
		{"shared when the config says so", promAuth + "alertmanager_shares_prometheus_auth: true\n", am.URL, "Bearer pr0m-t0ken", "tenant-a", false},
		{"no auth, nothing to say", "", am.URL, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen = nil
			path := filepath.Join(t.TempDir(), "config.yml")
			if err := os.WriteFile(path, []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := runCLI(t, "alerts", "--config", path, "--prometheus-url", prom.URL, "--alertmanager-url", tt.amURL)
			if code != exitOK || seen == nil {
				t.Fatalf("exit %d, Alertmanager asked: %v; stderr %s", code, seen != nil, errOut)
			}
			if got := seen.Get("Authorization"); got != tt.wantAuth {
				t.Errorf("the Alertmanager got Authorization %q, want %q", got, tt.wantAuth)
			}
			if got := seen.Get("X-Scope-OrgID"); got != tt.wantOrg {
				t.Errorf("the Alertmanager got X-Scope-OrgID %q, want %q", got, tt.wantOrg)
			}
			if note := strings.Contains(errOut, "not sent to it (set alertmanager_http_config"); note != tt.wantNote {
				t.Errorf("note said: %v, want %v: %s", note, tt.wantNote, errOut)
			}
		})
	}
	t.Run("same origin shares", func(t *testing.T) {
		var got string
		both := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if strings.HasSuffix(r.URL.Path, "/api/v2/alerts") {
				got = r.Header.Get("Authorization")
				w.Write([]byte(`[]`))
				return
			}
			w.Write([]byte(`{"status":"success","data":{"alerts":[]}}`))
		}))
		t.Cleanup(both.Close)
		path := filepath.Join(t.TempDir(), "config.yml")
		os.WriteFile(path, []byte(promAuth), 0o600)
		if code, _, errOut := runCLI(t, "alerts", "--config", path, "--prometheus-url", both.URL, "--alertmanager-url", both.URL+"/alertmanager"); code != exitOK || got != "Bearer pr0m-t0ken" {
			t.Errorf("exit %d, Authorization %q: %s", code, got, errOut)
		}
	})
}

// Hardening round 3, item 12: JSON keeps label values as the server sent
// them (a program matches on them), escaped so that its bytes cannot act on
// a terminal; text for people shows them made visible.
func TestJSONKeepsLabelValuesExact(t *testing.T) {
	const raw = "checkout\u202e\x1b[2J\u0085\x7f"
	series := `{"metric":{"__name__":"ALERTS","alertname":"CheckoutDown","alertstate":"firing","pod":"checkout\u202e\u001b[2J\u0085\u007f"},"value":[1772452800,"1"]}`
	prom := alertsServer(t, answerJSON(`{"status":"success","data":{"alerts":[]}}`), series)
	code, out, errOut := runCLI(t, "alerts", "--format", "json", "--prometheus-url", prom.URL, "--at", "1772452800")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct{ Alerts []report.AlertV1 }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Alerts) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	if got := doc.Alerts[0].Labels["pod"]; got != raw {
		t.Errorf("pod %q, want the server's %q", got, raw)
	}
	if strings.ContainsAny(out, "\u202e\x1b\u0085\x7f") || !strings.Contains(out, `checkout\u202e\u001b[2J\u0085\u007f`) {
		t.Errorf("the JSON's bytes carry the runes raw, or not escaped as expected:\n%q", out)
	}
	_, text, _ := runCLI(t, "alerts", "--prometheus-url", prom.URL, "--at", "1772452800")
	// The scope is a selector: its values are quoted as PromQL quotes them.
	if strings.ContainsAny(text, "\u202e\x1b\u0085\x7f") || !strings.Contains(text, `{pod="checkout\u202e\x1b[2J\u0085\x7f"}`) {
		t.Errorf("the text does not show the label escaped:\n%q", text)
	}
}
