package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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
