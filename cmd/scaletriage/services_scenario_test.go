package main

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/report"
)

// servicesDoc runs `services --format json` at the scenario's instant.
func servicesDoc(t *testing.T, b *scenarioBackend, name string, flags ...string) report.ServicesV1 {
	t.Helper()
	sc := findScenario(t, name)
	args := append([]string{"services", "--format", "json", "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339)}, flags...)
	code, out, errOut := scenarioCLI(context.Background(), args...)
	if code != exitOK {
		t.Fatalf("services exit %d: %s", code, errOut)
	}
	var doc report.ServicesV1
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func anomalousSet(doc report.ServicesV1) []string {
	var out []string
	for _, s := range doc.Services {
		if s.Anomalous {
			out = append(out, s.Name)
		}
	}
	slices.Sort(out)
	return out
}

func serviceOf(doc report.ServicesV1, name string) (report.ServiceV1, bool) {
	i := slices.IndexFunc(doc.Services, func(s report.ServiceV1) bool { return s.Name == name })
	if i < 0 {
		return report.ServiceV1{}, false
	}
	return doc.Services[i], true
}

// testServices runs issue 20's services scenarios on one backend.
func testServices(t *testing.T, b *scenarioBackend) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, *scenarioBackend)
	}{{"history", testServicesHistory}, {"traces-only", testServicesTraces}, {"selector-unmatched", testSelectorUnmatched}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.test(t, b)
		})
	}
}

// testSelectorUnmatched: a selector with a typo matches none of the
// series read; services and report say so, name the values the label has
// and the close one.
func testSelectorUnmatched(t *testing.T, b *scenarioBackend) {
	sc := findScenario(t, "services-history")
	// Nothing the services command reads is left: an error that says why.
	code, _, errOut := scenarioCLI(context.Background(), "services", "--selector", `job="chekout"`, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
	if code == exitOK || !strings.Contains(errOut, `--selector {job="chekout"} matches none`) || !strings.Contains(errOut, `did you mean job="checkout"?`) {
		t.Errorf("services exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = scenarioCLI(context.Background(), "report", "--format", "json", "--selector", `job="chekout"`, "--prometheus-url", b.url, "--at", sc.at.Format(time.RFC3339))
	if code != exitOK || !strings.Contains(errOut, `warning: --selector {job="chekout"} matches none`) || !strings.Contains(errOut, "checkout") {
		t.Errorf("report exit %d, stderr %q", code, errOut)
	}
	// A service read from spanmetrics is selected by its service_name.
	r, _ := scenarioReport(t, b, findScenario(t, "services-traces"), "--selector", `service_name="payments"`)
	if s, ok := signalOf(r, "latency_p99_seconds"); !ok || s.Value == nil || *s.Value < 0.2 || s.Exporter != "spanmetrics" {
		t.Errorf("report --selector service_name=payments: P99 %+v", s)
	}
}

// testServicesHistory: checkout went 10x 30 minutes before the instant,
// older than a 5m or 15m window, whose start is inside the incident. The
// verdict is against the day before whatever the window, and the onset is
// read from the window's own series: 13:30 with a 1h window, before the
// window's start with the shorter ones.
func testServicesHistory(t *testing.T, b *scenarioBackend) {
	sc := findScenario(t, "services-history")
	for _, window := range []string{"5m", "15m", "1h"} {
		doc := servicesDoc(t, b, "services-history", "--window", window)
		if got := anomalousSet(doc); !slices.Equal(got, []string{"checkout"}) {
			t.Errorf("--window %s: anomalous %v, want [checkout]\n%+v", window, got, doc.Services)
			continue
		}
		top := doc.Services[0]
		if top.Name != "checkout" || top.Since != "the day before" {
			t.Errorf("--window %s: first %s since %q", window, top.Name, top.Since)
		}
		if len(top.Reasons) == 0 || !strings.Contains(top.Reasons[0], "10x the day before (24.2 ms") {
			t.Errorf("--window %s: reasons %q lack what it was judged against", window, top.Reasons)
		}
		onset, err := time.Parse(time.RFC3339, top.Onset)
		if err != nil {
			t.Fatalf("--window %s: onset %q: %v", window, top.Onset, err)
		}
		switch window {
		case "1h":
			// The incident starts at at-30m; its 5m rate passes the band
			// within a scrape step or two.
			if d := sc.at.Sub(onset); top.OnsetBeforeWindow || d > 30*time.Minute || d < 27*time.Minute {
				t.Errorf("--window 1h: onset %s (%s before the instant, before window %v), want about 30m", top.Onset, d, top.OnsetBeforeWindow)
			}
		default:
			if !top.OnsetBeforeWindow {
				t.Errorf("--window %s: onset %s not before the window: the incident is older", window, top.Onset)
			}
		}
		for _, name := range []string{"cart", "catalog"} {
			if s, ok := serviceOf(doc, name); !ok || s.Anomalous || s.Onset != "" {
				t.Errorf("--window %s: %s %+v, want read and not anomalous", window, name, s)
			}
		}
	}
	sc2 := findScenario(t, "services-history")
	code, text, _ := scenarioCLI(context.Background(), "services", "--window", "1h", "--prometheus-url", b.url, "--at", sc2.at.Format(time.RFC3339))
	if code != exitOK || !strings.Contains(text, "since 11:30Z (30m ago)") && !strings.Contains(text, "since 11:31Z (29m ago)") {
		t.Errorf("services text lacks the onset:\n%s", text)
	}
}

// testServicesTraces: a fleet seen only through the spanmetrics and
// servicegraph connectors. payments, two hops below frontend, is the root
// (server spans only; its errors are STATUS_CODE_ERROR); reports is slow
// the day before as now (chronic): not anomalous.
func testServicesTraces(t *testing.T, b *scenarioBackend) {
	doc := servicesDoc(t, b, "services-traces")
	if !doc.Graph || len(doc.Services) != 4 {
		t.Fatalf("call graph %v, services %+v", doc.Graph, doc.Services)
	}
	top := doc.Services[0]
	if top.Name != "payments" || !top.Root || top.Label != "service_name" || strings.Join(top.Path, " -> ") != "user -> frontend -> checkout -> payments" {
		t.Errorf("first %s (label %s) root %v path %v, want payments, root, user -> frontend -> checkout -> payments", top.Name, top.Label, top.Root, top.Path)
	}
	// Every service on the chain slowed down at the same minute: the
	// root's onset is not after its callers'.
	if top.OnsetOrder != "its onset precedes or equals its callers'" || top.Onset == "" {
		t.Errorf("payments onset %q, order %q", top.Onset, top.OnsetOrder)
	}
	if top.P99Normal == nil || top.P99Normal.High < 0.02 || top.P99Normal.High > 0.03 {
		t.Errorf("payments normal band %+v, want its 24 ms the day before", top.P99Normal)
	}
	if top.P99 == nil || *top.P99 < 0.2 || *top.P99 > 0.3 {
		t.Errorf("payments P99 %s, want the 242 ms of its server spans (ms read as seconds)", fmtPtr(top.P99))
	}
	if top.Errors == nil || *top.Errors < 0.04 || *top.Errors > 0.06 {
		t.Errorf("payments errors %s, want about 4.8%% (3 of 63 server spans)", fmtPtr(top.Errors))
	}
	if top.Throughput == nil || *top.Throughput < 62 || *top.Throughput > 64 {
		t.Errorf("payments throughput %s, want its 63 server spans/s only (not its client spans)", fmtPtr(top.Throughput))
	}
	for _, name := range []string{"frontend", "checkout"} {
		if s, _ := serviceOf(doc, name); !s.Anomalous || s.Root {
			t.Errorf("%s: anomalous %v root %v, want a victim", name, s.Anomalous, s.Root)
		}
	}
	if s, _ := serviceOf(doc, "reports"); s.Anomalous {
		t.Errorf("reports: anomalous (%q): slow the day before as now, it is chronic", s.Reasons)
	}
}
