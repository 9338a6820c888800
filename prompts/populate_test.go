package prompts

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scaletriage/scaletriage/triage"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.md")

// golden compares got with testdata/golden/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./prompts -run Golden -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./prompts -run Golden -update, then review the diff):\n%s", name, got)
	}
}

func mustLookup(t *testing.T, id string) Prompt {
	t.Helper()
	p, ok := Lookup(id)
	if !ok {
		t.Fatalf("no prompt %q", id)
	}
	return p
}

// The golden prompts and guidance are what Diagnose makes of real answers:
// scenario incidents served by a real Prometheus and recorded in
// ../testdata/recordings (cmd/scaletriage's scenario suite keeps them
// current), replayed here offline.
func TestGoldenPopulated(t *testing.T) {
	context := map[string]string{"system": "checkout API", "growth": "10x"}
	for _, tc := range []struct {
		recording string
		prompts   []string
	}{
		{"pgbouncer-community", []string{"1", "2", "3", "6", "13", "18", "incremental-scaling-pattern", "scaling-constraint-pattern"}},
		{"queue-backlog", []string{"queue-based-load-leveling"}},
		{"postgres-max-connections", []string{"6"}},
		{"slow-queries", []string{"database-query-optimization-at-scale"}},
		{"cpu-saturation", []string{"horizontal-scaling-strategy"}},
		{"fleet-chronic", []string{"6", "2"}},
	} {
		d := replayed(t, tc.recording)
		for _, id := range tc.prompts {
			p := mustLookup(t, id)
			in := Input{Diagnosis: d, Context: context}
			if f, ok := d.LeadingTo(p.ID); ok {
				in.Finding = &f
			}
			golden(t, tc.recording+"/populated-"+string(p.ID)+".md", Populate(p, in).Markdown)
		}
	}
}

func TestGoldenGuidance(t *testing.T) {
	for _, name := range []string{"pgbouncer-community", "postgres-max-connections", "queue-backlog", "slow-queries", "cpu-saturation", "fleet-chronic"} {
		d := replayed(t, name)
		top, ok := d.Top()
		if !ok {
			t.Fatalf("%s: no top finding", name)
		}
		golden(t, name+"/guidance-"+string(top.ID)+".md", Guidance(top, Input{Diagnosis: d}))
	}
	golden(t, "pgbouncer-community/library-guidance-postgresql-scaling-deep-dive.md",
		LibraryGuidance(mustLookup(t, "13"), Input{Diagnosis: replayed(t, "pgbouncer-community")}))
}

func TestBottleneckIdentificationBindsTheMeasuredSignals(t *testing.T) {
	got := Populate(mustLookup(t, "2"), Input{Diagnosis: diagnosed(poolExhaustion())})
	for _, want := range []string{
		"- Throughput: **6.5 requests/s (15m average)**",
		"- Latency P99: **≥ 995 ms (P99 over 15m)**",
		"- CPU utilization: **22% (busiest host; 15m average)**",
		"- Database connections: **7 used / 100 max (7%, now)**",
		// NaN mean query time and missing P99: never a number, left unfilled.
		"- Database query time P99: [ms]",
		"- Cache hit rate: [%]",
		"Load testing results: **no load test; at 2x load:",
		// triage's capacity model, with its caveat: the pool filled through
		// slowness (30% at 6.1 requests/s the day before).
		"these projections scale today's utilization linearly, which it does not follow right now: read them as no forecast.**",
	} {
		if !strings.Contains(got.Markdown, want) {
			t.Errorf("missing %q in:\n%s", want, got.Markdown)
		}
	}
	if got.Total != 10 || got.Filled != 7 {
		t.Errorf("Filled/Total = %d/%d, want 7/10", got.Filled, got.Total)
	}
	want := []string{"[describe architecture]", "[ms]", "[%]"}
	if strings.Join(got.Unfilled, ",") != strings.Join(want, ",") {
		t.Errorf("Unfilled = %q, want %q", got.Unfilled, want)
	}
}

func TestMissingSignalsLeavePlaceholdersUnfilled(t *testing.T) {
	for _, p := range Library() {
		got := Populate(p, Input{})
		if got.Filled != 0 {
			t.Errorf("%s: %d placeholders filled from nothing:\n%s", p.ID, got.Filled, got.Markdown)
		}
		for _, span := range got.Unfilled {
			if !strings.Contains(got.Markdown, span) {
				t.Errorf("%s: unfilled %s is not visible in the Markdown", p.ID, span)
			}
		}
		if strings.Contains(got.Markdown, "Measured on the live system") {
			t.Errorf("%s: arithmetic section without any measurement", p.ID)
		}
		if got.Total == 0 && p.ID != "scaling-websocket-connections" && len(placeholder.FindAllString(p.Template, -1)) > 0 {
			t.Errorf("%s: no placeholder counted", p.ID)
		}
	}
	// The total is per occurrence; each distinct unfilled span is listed once.
	got := Populate(mustLookup(t, "2"), Input{})
	if got.Total != 10 || len(got.Unfilled) != 6 {
		t.Errorf("prompt 2 with no data: Total %d, Unfilled %q", got.Total, got.Unfilled)
	}
}

func TestNaNIsNeverPrintedAsANumber(t *testing.T) {
	s := &triage.Snapshot{Readings: []triage.Reading{
		{ID: triage.SignalThroughput, Unit: triage.UnitRPS, Value: triage.Of(math.NaN()), Status: triage.StatusOK},
		{ID: triage.SignalLatencyP99, Unit: triage.UnitSeconds, Value: triage.Of(math.Inf(1)), Status: triage.StatusOK},
		{ID: triage.SignalCPUUtilization, Unit: triage.UnitRatio, Value: triage.None, Status: triage.StatusMissing},
		{ID: triage.SignalDBConnectionsUsed, Unit: triage.UnitConnections, Value: triage.Of(math.NaN()), Status: triage.StatusMissing},
		{ID: triage.SignalDBConnectionsMax, Unit: triage.UnitConnections, Value: triage.Of(100), Status: triage.StatusOK},
	}}
	numbers := regexp.MustCompile(`(?i)nan|inf|\*\*0 `)
	for _, p := range Library() {
		got := Populate(p, Input{Diagnosis: diagnosed(s)})
		if m := numbers.FindString(got.Markdown); m != "" && !strings.Contains(p.Template, m) {
			t.Errorf("%s prints %q:\n%s", p.ID, m, got.Markdown)
		}
	}
	got := Populate(mustLookup(t, "2"), Input{Diagnosis: diagnosed(s)})
	for _, want := range []string{"Throughput: [requests/second]", "Latency P99: [ms]", "Database connections: [N used / M max]"} {
		if !strings.Contains(got.Markdown, want) {
			t.Errorf("want %q left unfilled:\n%s", want, got.Markdown)
		}
	}
}

func TestDBQueryFallsBackToTheMeanAndSaysSo(t *testing.T) {
	s := &triage.Snapshot{Readings: []triage.Reading{{ID: triage.SignalDBQueryMean, Unit: triage.UnitSeconds, Value: triage.Of(0.012),
		Status: triage.StatusOK, Query: "sum(rate(pg_stat_statements_seconds_total[15m])) / sum(rate(pg_stat_statements_calls_total[15m]))", Statistic: "15m average"}}}
	got := Populate(mustLookup(t, "2"), Input{Diagnosis: diagnosed(s)})
	if want := "Database query time P99: **12 ms (15m average), mean, not P99**"; !strings.Contains(got.Markdown, want) {
		t.Errorf("want %q in:\n%s", want, got.Markdown)
	}
}

func TestUserValuesByShortKeyOrBracketText(t *testing.T) {
	ctx := map[string]string{
		"system":                    "checkout API",
		"Describe architecture":     "Go API -> PgBouncer -> PostgreSQL 16\nwith Redis",
		"[PostgreSQL default: 100]": "300",
		"throughput":                "9000 requests/s (from the load balancer)",
	}
	got := Populate(mustLookup(t, "2"), Input{Diagnosis: diagnosed(poolExhaustion()), Context: ctx})
	for _, want := range []string{
		"System description: **Go API -\\> PgBouncer -\\> PostgreSQL 16 with Redis**",
		// An explicit user value wins over the measured signal.
		"Throughput: **9000 requests/s (from the load balancer)**",
	} {
		if !strings.Contains(got.Markdown, want) {
			t.Errorf("want %q in:\n%s", want, got.Markdown)
		}
	}
	six := Populate(mustLookup(t, "6"), Input{Diagnosis: diagnosed(poolExhaustion()), Context: ctx})
	for _, want := range []string{"Optimize database connection pooling for **checkout API**.", "Database max connections: **300**"} {
		if !strings.Contains(six.Markdown, want) {
			t.Errorf("want %q in:\n%s", want, six.Markdown)
		}
	}
	one := Populate(mustLookup(t, "1"), Input{Context: map[string]string{"dau": "1,000,000", "growth": "3x"}})
	if want := "**3,000,000 (1,000,000 × 3 growth)** users"; !strings.Contains(one.Markdown, want) {
		t.Errorf("want %q in:\n%s", want, one.Markdown)
	}
	// The seed's answer slots for the LLM are not placeholders.
	if strings.Contains(strings.Join(one.Unfilled, ","), "[2Q]") {
		t.Errorf("answer slot listed as unfilled: %q", one.Unfilled)
	}
}

// hostile is a snapshot whose every server-derived string attacks the terminal
// or carries credentials.
func hostile() (*triage.Snapshot, *triage.Finding) {
	evil := "db\x1b[2J\x1b]52;c;ZXZpbA==\x07\r\nprod\u202eevil\u200b https://user:pass@db-1.internal:5432/orders?password=hunter2 token=abc123 \x9b\x7f"
	s := poolExhaustion()
	s.Source.URL = "https://admin:s3cret@prom.example.com/"
	s.Selector = `instance="` + evil + `"`
	for i := range s.Readings {
		r := &s.Readings[i]
		r.Title += " (" + evil + ")"
		r.Exporter = "postgres_exporter " + evil
		r.Query = `sum(x{instance="10.0.0.5:9187",datname="orders",user="app"}) ` + evil
		r.Reason = evil
		r.Warnings = []string{evil}
	}
	f := poolFinding()
	f.Title += " " + evil
	f.Summary += ` on instance="10.0.0.5:9187" datname="orders" ` + evil
	f.Evidence = append(f.Evidence, evil)
	f.Against = append(f.Against, evil)
	return s, f
}

var secretLeaks = regexp.MustCompile(`(?i)user:pass@|admin:s3cret|hunter2|abc123|prom\.example\.com`)

func assertSafe(t *testing.T, where, md string) {
	t.Helper()
	for i, r := range md {
		if forbidden(r) {
			t.Errorf("%s: forbidden rune %U at byte %d", where, r, i)
			return
		}
	}
	if strings.Contains(md, "\r") {
		t.Errorf("%s: carriage return", where)
	}
	if m := secretLeaks.FindString(md); m != "" {
		t.Errorf("%s: leaks %q", where, m)
	}
}

func TestHostileLabelsNeverReachThePrompt(t *testing.T) {
	s, f := hostile()
	ctx := map[string]string{"architecture": "see postgres://app:pw@db/orders\x1b[31m", "pool_per_instance": "20"}
	for _, p := range Library() {
		for _, redact := range []bool{false, true} {
			got := Populate(p, Input{Diagnosis: diagnosed(s), Finding: f, Context: ctx, Redact: redact})
			assertSafe(t, string(p.ID), got.Markdown)
			if strings.Contains(got.Markdown, "app:pw@") {
				t.Errorf("%s: user value kept URL userinfo", p.ID)
			}
		}
		assertSafe(t, string(p.ID)+" guidance", LibraryGuidance(p, Input{Diagnosis: diagnosed(s)}))
	}
	assertSafe(t, "finding guidance", Guidance(*f, Input{Diagnosis: diagnosed(s)}))
	// A bound value stays on its line: the hostile \r\n did not split it.
	got := Populate(mustLookup(t, "6"), Input{Diagnosis: diagnosed(s), Finding: f})
	if !regexp.MustCompile(`(?m)^- Observed issue: \*\*PgBouncer pool exhausted db.*\*\*$`).MatchString(got.Markdown) {
		t.Errorf("observed issue not on one line:\n%s", got.Markdown)
	}
}

func TestRedactionUsesStableTokensAndReportsThem(t *testing.T) {
	s, f := hostile()
	p := mustLookup(t, "6")
	got := Populate(p, Input{Diagnosis: diagnosed(s), Finding: f, Redact: true})
	for _, leaked := range []string{"10.0.0.5", "db-1.internal", `datname="orders"`} {
		if strings.Contains(got.Markdown, leaked) {
			t.Errorf("redacted prompt still contains %q:\n%s", leaked, got.Markdown)
		}
	}
	if !strings.Contains(got.Markdown, `datname="db-1"`) || !strings.Contains(got.Markdown, "ip-1") {
		t.Errorf("want db-1 and ip-1 tokens in:\n%s", got.Markdown)
	}
	tokens := map[string]string{}
	for _, r := range got.Redactions {
		if prev, ok := tokens[r.From]; ok && prev != r.To {
			t.Errorf("%q redacted to both %q and %q", r.From, prev, r.To)
		}
		tokens[r.From] = r.To
	}
	if tokens["orders"] != "db-1" || tokens["10.0.0.5:9187"] != "ip-1" {
		t.Errorf("redactions = %+v", got.Redactions)
	}
	again := Populate(p, Input{Diagnosis: diagnosed(s), Finding: f, Redact: true})
	if again.Markdown != got.Markdown {
		t.Error("redaction is not deterministic")
	}
	if plain := Populate(p, Input{Diagnosis: diagnosed(s), Finding: f}); len(plain.Redactions) != 0 {
		t.Errorf("redactions without Redact: %+v", plain.Redactions)
	}
}

func TestEveryBindingMatchesItsTemplate(t *testing.T) {
	for id, sp := range specs {
		p, ok := ByID(id)
		if !ok {
			t.Errorf("specs has unknown prompt id %q", id)
			continue
		}
		for _, m := range append(sp.literal, bindingMatches(sp.bind)...) {
			if len(placeholder.FindAllString(m, -1)) != 1 {
				t.Errorf("%s: match %q must hold exactly one [span]", id, m)
			}
			if !strings.Contains(p.Template, m) {
				t.Errorf("%s: match %q not in the template", id, m)
			}
		}
	}
	for _, p := range Library() {
		if _, ok := specs[p.ID]; !ok {
			t.Errorf("prompt %s has no entry in specs", p.ID)
		}
	}
}

func bindingMatches(bs []binding) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.match)
	}
	return out
}

func TestSanitizers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a\x1b[2Jb", "a\uFFFD[2Jb"},
		{"x\r\ny\tz", "x y z"},
		{"https://user:pass@host/x", "https://host/x"},
		{"password=hunter2&a=1", "password=REDACTED&a=1"},
		{"Authorization: Bearer abcdefghijkl", "Authorization: REDACTED abcdefghijkl"},
		{"left\u202eright\u200b", "left\uFFFDright\uFFFD"},
	} {
		if got := cleanText(tc.in); got != tc.want {
			t.Errorf("cleanText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := escapeInline("a*b [c] `d` <e> pg_stat _x_"); got != "a\\*b \\[c\\] \\`d\\` \\<e\\> pg_stat \\_x\\_" {
		t.Errorf("escapeInline = %q", got)
	}
}

// Entities name hosts and databases bare ("analytics-db:9187 at 92%"), not
// only as label="value": redaction learns them from the snapshot.
func TestRedactionCoversEntityNames(t *testing.T) {
	d := replayed(t, "fleet-chronic")
	top, _ := d.Top()
	in := Input{Diagnosis: d, Finding: &top, Redact: true}
	for name, md := range map[string]string{
		"prompt":   Populate(mustLookup(t, "6"), in).Markdown,
		"guidance": Guidance(top, in),
	} {
		for _, leak := range []string{"analytics-db", "checkout-1:8080", "db-1:9187", "batch-1"} {
			if strings.Contains(md, leak) {
				t.Errorf("%s: %q survives redaction", name, leak)
			}
		}
	}
	if got := Populate(mustLookup(t, "6"), in); len(got.Redactions) == 0 {
		t.Error("no redaction listed")
	}
	// A learned value is replaced where it stands alone, never inside a
	// longer word: database "app" must not turn "application" into a token.
	r := newRedactor()
	r.learn(map[string]string{"database": "app", "instance": "db-1:9187"})
	if got := r.redact("the application pool of app on db-1:9187 and db-10:9187"); got != "the application pool of db-1 on host-1 and db-10:9187" {
		t.Errorf("redact: %q", got)
	}
}

func TestObservedIssueNamesThePage(t *testing.T) {
	s := poolExhaustion()
	f := poolFinding()
	alert := &triage.Alert{Name: "CheckoutPoolExhausted", State: "firing", Labels: map[string]string{"job": "checkout", "instance": "10.0.0.5:8080"},
		ActiveAt: s.At.Add(-14 * time.Minute)}
	got := Populate(mustLookup(t, "6"), Input{Diagnosis: diagnosed(s), Finding: f, Alert: alert})
	want := `- Observed issue: **CheckoutPoolExhausted firing for 14 min on {job="checkout",instance="10.0.0.5:8080"}; PgBouncer pool exhausted`
	if !strings.Contains(got.Markdown, want) {
		t.Errorf("want %q in:\n%s", want, got.Markdown)
	}
	// Without a finding the page alone is the observed issue; redacted, its
	// address is a token like any label value.
	got = Populate(mustLookup(t, "6"), Input{Diagnosis: diagnosed(s), Alert: alert, Redact: true})
	if !strings.Contains(got.Markdown, `**CheckoutPoolExhausted firing for 14 min on {job="checkout",instance="ip-1"}**`) {
		t.Errorf("alert alone, redacted:\n%s", got.Markdown)
	}
	evil := "\x1b]52;c;ZXZpbA==\x07\r\nFAKE\u202e"
	hostile := &triage.Alert{Name: "Pwn" + evil, State: "firing", Labels: map[string]string{"job": evil}}
	for _, p := range Library() {
		assertSafe(t, string(p.ID)+" from a hostile alert", Populate(p, Input{Diagnosis: diagnosed(s), Finding: f, Alert: hostile}).Markdown)
	}
}

func TestGuidanceShowsThePage(t *testing.T) {
	s := poolExhaustion()
	f := poolFinding()
	for _, c := range []struct {
		runbook, want string
	}{
		{"https://runbooks.example/pool (v2)", `Runbook: [https://runbooks.example/pool (v2)](https://runbooks.example/pool%20%28v2%29)`},
		{"javascript:alert(1)", `Runbook: javascript:alert(1) (not a web address, not linked)`},
		{"see the wiki", `Runbook: see the wiki (not a web address, not linked)`},
	} {
		alert := &triage.Alert{Name: "CheckoutPoolExhausted", State: "firing", Labels: map[string]string{"job": "checkout"}, ActiveAt: s.At.Add(-14 * time.Minute),
			Annotations: map[string]string{"summary": "Pool *full*", "description": "Waiting \x1b[2J clients", "runbook_url": c.runbook}}
		in := Input{Diagnosis: diagnosed(s), Alert: alert}
		for where, md := range map[string]string{"finding": Guidance(*f, in), "library": LibraryGuidance(mustLookup(t, "6"), in)} {
			assertSafe(t, where, md)
			for _, want := range []string{"## The page\n\n**CheckoutPoolExhausted firing for 14 min on {job=\"checkout\"}**", `Pool \*full\*`, "Waiting", c.want} {
				if !strings.Contains(md, want) {
					t.Errorf("%s guidance lacks %q:\n%s", where, want, md)
				}
			}
		}
	}
	if md := Guidance(*f, Input{Diagnosis: diagnosed(s)}); strings.Contains(md, "The page") {
		t.Errorf("no alert, no page section:\n%s", md)
	}
}
