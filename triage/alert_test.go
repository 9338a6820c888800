package triage

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAlertSelectorTakesTheLabelsThatNameAService(t *testing.T) {
	for _, c := range []struct {
		labels map[string]string
		want   string
	}{
		{map[string]string{"instance": "checkout-1:8080", "job": "checkout", "severity": "page"}, `job="checkout",instance="checkout-1:8080"`},
		{map[string]string{"namespace": "shop", "pod": "checkout-7d9f", "team": "payments"}, `namespace="shop",pod="checkout-7d9f"`},
		{map[string]string{"service_name": `we"ird` + "\n"}, `service_name="we\"ird\n"`},
		{map[string]string{"severity": "page", "job": ""}, ""},
	} {
		if got := (Alert{Name: "A", Labels: c.labels}).Selector(); got != c.want {
			t.Errorf("%v: %s, want %s", c.labels, got, c.want)
		}
	}
}

func TestAlertFingerprintIsStableAndTellsLabelsApart(t *testing.T) {
	a := Alert{Name: "HighLatency", State: "firing", Labels: map[string]string{"job": "web", "instance": "web-1"}}
	b := Alert{Name: "HighLatency", State: "pending", Labels: map[string]string{"instance": "web-1", "job": "web"}}
	if a.Fingerprint() != b.Fingerprint() || a.Fingerprint() != "22bc7d0d048ed50a" {
		t.Errorf("same name and labels, any order or state: %s and %s", a.Fingerprint(), b.Fingerprint())
	}
	c := Alert{Name: "HighLatency", Labels: map[string]string{"job": "web", "instance": "web-2"}}
	// A hostile value cannot imitate a label boundary.
	e := Alert{Name: "X", Labels: map[string]string{"a": "x", "b": "y"}}
	f := Alert{Name: "X", Labels: map[string]string{"a": "x\x00b=y"}}
	if a.Fingerprint() == c.Fingerprint() || e.Fingerprint() == f.Fingerprint() {
		t.Errorf("different labels share a fingerprint: %s %s, %s %s", a.Fingerprint(), c.Fingerprint(), e.Fingerprint(), f.Fingerprint())
	}
}

func TestAlertOnsetWindowHoldsTheOnset(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	week := 7 * 24 * time.Hour
	for _, c := range []struct {
		age  time.Duration // 0: active since an unknown time
		want time.Duration
	}{
		{0, 15 * time.Minute},                // unknown onset: the default
		{3 * time.Minute, 15 * time.Minute},  // young: at least the default
		{14 * time.Minute, 19 * time.Minute}, // 5 min before the onset
		{2 * time.Hour, 150 * time.Minute},   // a quarter of its age before
		{30 * 24 * time.Hour, week},          // chronic: at most a week
		{-time.Minute, 15 * time.Minute},     // active after at: clock skew
	} {
		a := Alert{Name: "A"}
		if c.age != 0 {
			a.ActiveAt = at.Add(-c.age)
		}
		if got := a.OnsetWindow(at, 15*time.Minute, week); got != c.want {
			t.Errorf("age %s: window %s, want %s", c.age, got, c.want)
		}
	}
}

func TestPickByNameOrFingerprint(t *testing.T) {
	web1 := Alert{Name: "HighLatency", State: "firing", Labels: map[string]string{"job": "web", "instance": "web-1"}}
	web2 := Alert{Name: "HighLatency", State: "pending", Labels: map[string]string{"job": "web", "instance": "web-2"}}
	web3 := Alert{Name: "HighLatency", State: "firing", Labels: map[string]string{"job": "web", "instance": "web-3"}}
	pool := Alert{Name: "PoolExhausted", State: "firing", Labels: map[string]string{"job": "checkout"}}
	for _, c := range []struct {
		alerts  []Alert
		pick    string
		want    Alert
		wantErr string
	}{
		{[]Alert{web1, pool}, "PoolExhausted", pool, ""},
		{[]Alert{web1, web2, pool}, "HighLatency", web1, ""}, // the one firing
		{[]Alert{web1, web2, web3}, web3.Fingerprint(), web3, ""},
		{[]Alert{web1, web3}, "HighLatency", Alert{}, "2 alerts named HighLatency: pick one by fingerprint: " + web1.Fingerprint()},
		{[]Alert{web1}, "Nope", Alert{}, `no firing or pending alert "Nope"`},
		{nil, "HighLatency", Alert{}, "no firing or pending alert"},
	} {
		got, err := Pick(c.alerts, c.pick)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("pick %s: %v, want an error saying %q", c.pick, err, c.wantErr)
			}
			continue
		}
		if err != nil || got.Fingerprint() != c.want.Fingerprint() {
			t.Errorf("pick %s: %+v %v, want %+v", c.pick, got, err, c.want)
		}
	}
}

func TestMergeAlertsKeepsOneWithBothSidesFacts(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	fromProm := []Alert{
		{Name: "CheckoutSlow", State: "firing", Labels: map[string]string{"job": "checkout"}, ActiveAt: at.Add(-14 * time.Minute)},
		{Name: "Watchdog", State: "pending", Labels: map[string]string{}},
		{Name: "DiskFull", State: "firing", Labels: map[string]string{"instance": "db-1"}},
	}
	fromAM := []Alert{
		// External labels added; startsAt is when it began firing.
		{Name: "CheckoutSlow", State: "firing", Labels: map[string]string{"job": "checkout", "cluster": "eu"}, ActiveAt: at.Add(-12 * time.Minute), Silenced: true, Source: "alertmanager"},
		{Name: "DiskFull", State: "firing", Labels: map[string]string{"instance": "db-2"}, Source: "alertmanager", Inhibited: true},
		{Name: "Backup", State: "firing", Labels: map[string]string{"job": "backup"}, Source: "alertmanager"},
	}
	got := MergeAlerts(fromProm, fromAM)
	var names []string
	for _, a := range got {
		names = append(names, a.Name+"/"+a.Labels["instance"]+"/"+a.Muted())
	}
	// Unmuted firing first, then muted firing, then pending; by name.
	want := []string{"Backup//", "DiskFull/db-1/", "CheckoutSlow//silenced", "DiskFull/db-2/inhibited", "Watchdog//"}
	if !slices.Equal(names, want) {
		t.Fatalf("merged %v, want %v", names, want)
	}
	if slow := got[2]; !slow.ActiveAt.Equal(at.Add(-14*time.Minute)) || slow.Labels["cluster"] != "eu" {
		t.Errorf("the Prometheus's onset and Alertmanager's labels: %+v", slow)
	}
}

func TestSortAlertsPutsWhatPagesFirst(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// want is the order; the input is its reverse.
	want := []Alert{
		{Name: "Z", State: "firing", Severity: "Critical", ActiveAt: t0},
		{Name: "A", State: "firing", Severity: "page", ActiveAt: t0.Add(time.Minute)},
		{Name: "A", State: "firing", Severity: "HIGH", ActiveAt: t0.Add(time.Minute), Labels: map[string]string{"job": "b"}},
		{Name: "B", State: "firing", Severity: "critical"}, // onset unknown: after the known ones
		{Name: "A", State: "firing", Severity: "error"},
		{Name: "A", State: "firing", Severity: "warning"},
		{Name: "A", State: "firing", Severity: "info"},
		{Name: "B", State: "firing", Severity: ""},
		{Name: "A", State: "firing", Severity: "sev1"}, // unknown: after the known ones
		{Name: "A", State: "firing", Severity: "critical", Inhibited: true, ActiveAt: t0.Add(time.Hour)},
		{Name: "A", State: "firing", Severity: "critical", Silenced: true},
		{Name: "A", State: "pending", Severity: "critical"},
		{Name: "A", State: "unprocessed", Severity: "warning"},
		{Name: "A", State: "pending", Severity: "info"},
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	SortAlerts(got)
	for i := range want {
		if got[i].Name != want[i].Name || got[i].State != want[i].State || got[i].Severity != want[i].Severity || got[i].Muted() != want[i].Muted() || !got[i].ActiveAt.Equal(want[i].ActiveAt) {
			t.Errorf("%d: %s %s %q %s, want %s %s %q %s", i, got[i].Name, got[i].State, got[i].Severity, got[i].Muted(),
				want[i].Name, want[i].State, want[i].Severity, want[i].Muted())
		}
	}
}

func TestShownAlertsSaysWhatWasCut(t *testing.T) {
	alerts := make([]Alert, MaxAlertsShown+1)
	if shown, cut := ShownAlerts(alerts[:MaxAlertsShown]); len(shown) != MaxAlertsShown || cut != "" {
		t.Errorf("%d alerts: %d shown, %q", MaxAlertsShown, len(shown), cut)
	}
	shown, cut := ShownAlerts(alerts)
	if len(shown) != MaxAlertsShown || !strings.HasPrefix(cut, "1,000 of 1,001 alerts shown") {
		t.Errorf("%d alerts: %d shown, %q", len(alerts), len(shown), cut)
	}
}
