package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/scaletriage/scaletriage/report"
	"github.com/scaletriage/scaletriage/triage"
)

// causeCase is one report on an issue-19 scenario: from where it hurts to
// why. The cause finding must come first, say which link it used and name
// who brought the change, with every printed pair one entity's.
type causeCase struct {
	name, scenario string
	selector       string
	config         string        // the config file's text, "" for none
	top            triage.RuleID // findings[0].id
	link           string        // its link's prefix ("" = none expected)
	// contributor is the labels "k=v" of the top contributor the top
	// finding names, with its least share of the increase.
	contributor string
	share       float64
	// victim, when set, is a finding that must say it is a victim;
	// notVictim one that must not (nothing links it to the cause).
	victim, notVictim triage.RuleID
}

var causeCases = []causeCase{
	{name: "statements/fleet", scenario: "shared-db-statements", top: "pool-behind-slow-database",
		link: "datname match", contributor: "datname=billing", share: 0.99, victim: "db-pool-exhaustion"},
	{name: "plain/selector/datname", scenario: "shared-db-plain", selector: `job="orders"`, top: "pool-behind-slow-database",
		link: "datname match", contributor: "datname=billing", share: 0.99, victim: "db-pool-exhaustion"},
	{name: "plain/selector/dependencies", scenario: "shared-db-plain", selector: `job="orders"`,
		config: "dependencies:\n  database: ['instance=\"db-1:9187\"']\n", top: "pool-behind-slow-database",
		link: "config dependencies: database", contributor: "datname=billing", share: 0.99, victim: "db-pool-exhaustion"},
	// The config says orders uses another database: the saturated db-1
	// is not its, so no chain, and the pool is the first suspect again.
	{name: "plain/selector/other-dependency", scenario: "shared-db-plain", selector: `job="orders"`,
		config: "dependencies:\n  database: ['instance=\"orders-db:9187\"']\n", top: "db-pool-exhaustion"},
	{name: "graph/selector", scenario: "shared-db-graph", selector: `job="orders"`, top: "pool-behind-slow-database",
		link: "service graph: orders -> orders (a database on db-1:9187)", contributor: "datname=billing", share: 0.99, victim: "db-pool-exhaustion"},
	{name: "noisy-neighbour", scenario: "noisy-neighbour", top: "cpu-saturation",
		contributor: "namespace=batch, pod=etl-new-7f4", share: 0.95},
	// The database host saturated by a cache miss storm is the victim; the
	// cache is the cause, whether the link is the estate's only cache and
	// database or the service's config.
	{name: "miss-storm/fleet", scenario: "cache-miss-storm", top: "thundering-herd",
		link: "the only cache (cache-1:9121) and the only database (db-1:9187) measured", contributor: "datname=app", share: 0.99, victim: "cpu-saturation"},
	{name: "miss-storm/selector/dependencies", scenario: "cache-miss-storm", selector: `job="app"`, config: checkoutDependencies,
		top: "thundering-herd", link: "the service's cache (config dependencies: cache", contributor: "datname=app", share: 0.99, victim: "cpu-saturation"},
	// Callers failing behind a slowed callee: the slowdown is inventory's,
	// reached along the service graph from the slowest caller (api, its
	// timeouts at about a second); the callers' errors are its victims.
	{name: "timeouts", scenario: "timeouts-chain", top: "latency-regression",
		link: "service graph: api -> inventory", victim: "error-spike"},
	// The config names another cache: nothing links cache-1's misses to
	// the service's database, so the herd names no link and the database
	// host is no victim of it.
	{name: "miss-storm/selector/other-cache", scenario: "cache-miss-storm", selector: `job="app"`,
		config: "dependencies:\n  database: ['instance=\"db-1:9187\"']\n  cache: ['instance=\"sessions:9121\"']\n", top: "thundering-herd",
		contributor: "datname=app", share: 0.99, notVictim: "cpu-saturation"},
}

func testCauseChains(t *testing.T, b *scenarioBackend) {
	for _, tc := range causeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sc := findScenario(t, tc.scenario)
			var flags []string
			if tc.selector != "" {
				flags = append(flags, "--selector", tc.selector)
			}
			if tc.config != "" {
				flags = append(flags, configFlag(t, tc.config)...)
			}
			r, _ := scenarioReport(t, b, sc, flags...)
			checkPairs(t, r)
			top := r.Findings[0]
			if top.ID != tc.top {
				t.Fatalf("top finding %s, want %s (%v)", top.ID, tc.top, findingIDs(r))
			}
			if !strings.HasPrefix(top.Link, tc.link) || tc.link == "" && top.Link != "" {
				t.Errorf("link %q, want %q", top.Link, tc.link)
			}
			if tc.link != "" && !slices.ContainsFunc(top.Evidence, func(e string) bool { return strings.Contains(e, top.Link) }) {
				t.Errorf("the link is not said in the evidence: %q", top.Evidence)
			}
			if tc.top == "pool-behind-slow-database" && !strings.Contains(top.Summary, "do not enlarge the pool") {
				t.Errorf("summary: %s", top.Summary)
			}
			if tc.contributor != "" {
				if len(top.Contributors) == 0 {
					t.Fatalf("no contributors in %s", top.ID)
				}
				c := top.Contributors[0]
				if got := (triage.Contributor{Labels: c.Labels}).Name(); got != tc.contributor || c.Share < tc.share || c.Share > 1 {
					t.Errorf("top contributor %s (%.3f of the increase), want %s at least %.2f", got, c.Share, tc.contributor, tc.share)
				}
				if !slices.ContainsFunc(top.Evidence, func(e string) bool {
					return strings.HasPrefix(e, "Who brought the change: ") && strings.Contains(e, "on "+tc.contributor+" (")
				}) {
					t.Errorf("no line names %s: %q", tc.contributor, top.Evidence)
				}
			}
			if tc.victim != "" {
				i := slices.IndexFunc(r.Findings, func(f report.FindingV1) bool { return f.ID == tc.victim })
				if i < 0 || !strings.HasPrefix(r.Findings[i].Summary, "A victim, not the cause") {
					t.Errorf("%s must say it is a victim: %v", tc.victim, findingIDs(r))
				}
			}
			if tc.top == "db-pool-exhaustion" && strings.HasPrefix(top.Summary, "A victim") {
				t.Errorf("an unlinked database made the pool a victim: %s", top.Summary)
			}
			if i := slices.IndexFunc(r.Findings, func(f report.FindingV1) bool { return f.ID == tc.notVictim }); tc.notVictim != "" &&
				(i < 0 || strings.HasPrefix(r.Findings[i].Summary, "A victim")) {
				t.Errorf("%s must be there and not a victim of an unlinked cause: %v", tc.notVictim, findingIDs(r))
			}
		})
	}
}

// testScopeInReasoning is issue 19's scope in reasoning on the fleet around
// checkout: the batch host (97 % CPU, unlinked, unchanged) and the analytics
// database (another team's, out) neither bound checkout's capacity nor
// compete with its pool, and checkout's own waiters are no evidence for the
// analytics database's finding.
// checkoutDependencies are checkout's database and cache on the fleet.
const checkoutDependencies = "dependencies:\n  database: ['instance=\"db-1:9187\"']\n  cache: ['instance=\"cache-1:9121\"']\n"

func testScopeInReasoning(t *testing.T, b *scenarioBackend) {
	r, _ := scenarioReport(t, b, findScenario(t, "fleet-chronic"), append(configFlag(t, checkoutDependencies), "--selector", `job="checkout"`)...)
	checkPairs(t, r)
	find := func(id triage.RuleID) report.FindingV1 {
		i := slices.IndexFunc(r.Findings, func(f report.FindingV1) bool { return f.ID == id })
		if i < 0 {
			t.Fatalf("no %s finding: %v", id, findingIDs(r))
		}
		return r.Findings[i]
	}
	c := find("capacity-headroom").Capacity
	if c == nil || c.SecondOrder != "db_connection_utilization" || !slices.Contains(c.Unlinked, "CPU utilization (busiest host) on batch-1:9100") {
		t.Fatalf("capacity %+v: the batch host must be listed apart, checkout's database second", c)
	}
	if u := c.Projections[0].Utilizations["db_connection_utilization"]; !near(&u, 0.12, 1e-9) {
		t.Errorf("at 2x checkout's database is at %v, want 12%% (6%% now), never analytics' 184%%", u)
	}
	for _, line := range find("db-pool-exhaustion").Against {
		if strings.Contains(line, "batch-1") && !strings.Contains(line, "it explains nothing") {
			t.Errorf("the unlinked, unchanged batch host still competes: %s", line)
		}
	}
	ceiling := find("db-connection-ceiling")
	if slices.ContainsFunc(ceiling.Evidence, func(e string) bool { return strings.Contains(e, "checkout-1:8080") }) {
		t.Errorf("checkout's own waiters are evidence for another team's database: %q", ceiling.Evidence)
	}
}

// decompositionCases are, per built-in decomposition, a scenario whose
// signal rose and the contributor its real answer must name first, with
// its least share of the increase.
var decompositionCases = []struct {
	scenario    string
	signal      triage.SignalID
	contributor string
	share       float64
}{
	{"traffic-surge", triage.SignalThroughput, "code=200, handler=/export", 0.99},
	{"shared-db-statements", triage.SignalDBTransactions, "datname=billing", 0.99},
	// 80 calls/s from 11.25 ms to 330 ms: +25.5 of the +43.5 busy
	// connections; 500 calls/s from 4 to 40 ms the other +18.
	{"slow-queries", triage.SignalDBQueryMean, "datname=app, queryid=1002, user=app", 0.58},
	{"postgres-max-connections", triage.SignalDBConnectionsUsed, "datname=app", 0.99},
	{"redis-cpu", triage.SignalCacheOps, "cmd=get", 0.89},
	{"noisy-neighbour", triage.SignalCPUUtilization, "namespace=batch, pod=etl-new-7f4", 0.95},
}

// testEveryDecomposition runs every built-in decomposition on a real
// engine: its query parses there and names who brought the rise.
func testEveryDecomposition(t *testing.T, b *scenarioBackend) {
	covered := map[triage.SignalID]bool{}
	for _, tc := range decompositionCases {
		covered[tc.signal] = true
		t.Run(string(tc.signal), func(t *testing.T) {
			t.Parallel()
			r, _ := scenarioReport(t, b, findScenario(t, tc.scenario))
			s, ok := signalOf(r, tc.signal)
			if !ok || len(s.Contributors) == 0 {
				t.Fatalf("%s: no contributors", tc.signal)
			}
			c := s.Contributors[0]
			if got := (triage.Contributor{Labels: c.Labels}).Name(); got != tc.contributor || c.Share < tc.share || c.Share > 1 {
				t.Errorf("top contributor %s (%.3f of the increase), want %s at least %.2f", got, c.Share, tc.contributor, tc.share)
			}
		})
	}
	for _, d := range triage.Decompositions {
		if !covered[d.Signal] {
			t.Errorf("decomposition of %s (%s) has no case on a real engine", d.Signal, d.Exporter)
		}
	}
}
