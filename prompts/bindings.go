package prompts

import (
	"slices"

	"github.com/scaletriage/scaletriage/triage"
)

// binding says how one placeholder is filled.
type binding struct {
	// match is template text holding exactly one [span]: the span alone when
	// it is unique in the prompt, or with its neighbours ("[N] daily active
	// users") when the same bracket text means different things.
	match string
	// key is the short --set/context key; the bracket text works too.
	key string
	// from is tried in order after the user's explicit values.
	from []filler
}

// spec is the data that drives one prompt: its bindings, the spans that are
// not placeholders (left for the LLM to answer, or notation), and the
// arithmetic appended under "Measured on the live system".
type spec struct {
	bind    []binding
	literal []string
	facts   []fact
}

// everyPrompt's bindings apply to every prompt after its own.
var everyPrompt = []binding{
	{match: "[system]", key: "system"},
	{match: "[application]", key: "application", from: []filler{userValue("system")}},
	{match: "[timeframe]", key: "timeframe"},
	{match: "[region]", key: "region"},
	{match: "$[amount]", key: "budget"},
}

// specs is the placeholder-binding table, keyed by prompt id.
var specs = map[triage.PromptID]spec{
	triage.PromptCapacityEstimation: {
		bind: []binding{
			{match: "[N] daily active users", key: "dau"},
			{match: "[X] requests/second peak", key: "peak_rps", from: []filler{peakQPS}},
			{match: "[Y] GB data", key: "data_gb"},
			{match: "[N * growth]", key: "projected_users", from: []filler{scaledUserValue("dau", "growth")}},
			{match: "[describe the most expensive operations]", key: "operations"},
			{match: "[N]% cache hit rate", key: "cache_hit_target"},
		},
		literal: []string{"approximately [N] web servers", "[M] database instances", "[P] cache nodes",
			"serving [Q] requests", "with [R] GB", "growing to [2Q]", "and [10R] GB"},
		facts: []fact{factPeakQPS, factDailyVolume, factLittlesLaw, factLittlesBound, factBottleneckLaw, factProjections},
	},
	triage.PromptBottleneck: {
		bind: []binding{
			{match: "[describe architecture]", key: "architecture"},
			{match: "Throughput: [requests/second]", key: "throughput", from: []filler{signal(triage.SignalThroughput)}},
			{match: "Latency P99: [ms]", key: "latency_p99", from: []filler{signal(triage.SignalLatencyP99)}},
			{match: "CPU utilization: [%]", key: "cpu", from: []filler{signal(triage.SignalCPUUtilization)}},
			{match: "Memory utilization: [%]", key: "memory", from: []filler{signal(triage.SignalMemoryUtilization)}},
			{match: "[N used / M max]", key: "db_connections", from: []filler{dbConnections}},
			{match: "Database query time P99: [ms]", key: "db_query_p99", from: []filler{dbQueryTime}},
			{match: "Cache hit rate: [%]", key: "cache_hit", from: []filler{signal(triage.SignalCacheHitRatio)}},
			{match: "Error rate: [%]", key: "error_rate", from: []filler{signal(triage.SignalErrorRatio)}},
			{match: "[describe what happens at 2x, 5x, 10x current load]", key: "load_test", from: []filler{projectionSummary}},
		},
		facts: []fact{factBottleneckLaw, factProjections, factLittlesLaw, factLittlesBound},
	},
	triage.PromptDatabaseReadScaling: {
		bind: []binding{
			{match: "[database/service]", key: "database", from: []filler{userValue("system")}},
			{match: "[PostgreSQL/MySQL/MongoDB — version]", key: "database_version", from: []filler{dbEngine}},
			{match: "[instance type, current utilization]", key: "primary_instance", from: []filler{hostUtilization}},
			{match: "[read-heavy? N reads per write? types of read queries?]", key: "read_pattern"},
			{match: "[N:1]", key: "read_write_ratio"},
			{match: "[P99 target]", key: "latency_target"},
		},
		literal: []string{"[N]x current"},
		facts:   []fact{factReadReplicas, factConnectionBudget, factPoolFormula, factBottleneckLaw},
	},
	triage.PromptDatabaseSharding: {
		bind: []binding{
			{match: "[table/database]", key: "database"},
			{match: "[when will current instance be insufficient?]", key: "instance_limit", from: []filler{saturationPoint}},
		},
		facts: []fact{factBottleneckLaw, factProjections},
	},
	triage.PromptTimeSeriesScaling: {
		facts: []fact{factDailyVolume},
	},
	triage.PromptConnectionPool: {
		bind: []binding{
			{match: "Application instances: [N]", key: "instances", from: []filler{count(triage.SignalInstances)}},
			{match: "[current setting]", key: "pool_per_instance", from: []filler{appPoolMax}},
			{match: "[PostgreSQL default: 100]", key: "max_connections", from: []filler{signal(triage.SignalDBConnectionsMax)}},
			{match: "[none / PgBouncer / RDS Proxy / application pool]", key: "pool_tool", from: []filler{poolTool}},
			{match: "[connection exhaustion / high latency / connection refused]", key: "observed_issue", from: []filler{findingIssue}},
		},
		facts: []fact{factLittlesLaw, factLittlesBound, factPoolQueue, factPoolFormula, factConnectionBudget, factConnectionMemory, factDatabaseMemory},
	},
	triage.PromptHorizontalScaling: {
		bind: []binding{
			{match: "Current: [N] instances", key: "instances", from: []filler{count(triage.SignalInstances)}},
			{match: "[N * X] instances", key: "target_instances", from: []filler{targetInstances}},
			{match: "[stateless API / stateful service / WebSocket server]", key: "app_type"},
		},
		facts: []fact{factBottleneckLaw, factProjections, factConnectionBudget},
	},
	triage.PromptQueueLoadLeveling: {
		facts: []fact{factQueueDepth, factQueueSpeedUp, factPeakQPS},
	},
	triage.PromptCachingArchitecture: {
		literal: []string{"[namespace:entity:id]"},
		facts:   []fact{factRedisHeadroom},
	},
	triage.PromptAutoScaling: {
		bind: []binding{
			{match: "[Kubernetes / AWS ECS / AWS Lambda]", key: "platform"},
			{match: "[CPU/memory correlation with traffic]", key: "resource_usage", from: []filler{resourceUsage}},
		},
		literal: []string{"[recommend 60-70%, not 80%+]"},
		facts:   []fact{factPeakQPS, factProjections, factRightSizing},
	},
	triage.PromptCDNArchitecture: {},
	triage.PromptEdgeCaching: {
		bind: []binding{
			{match: "[API/service]", key: "api", from: []filler{userValue("system")}},
			{match: "[requests/second, read/write ratio]", key: "traffic", from: []filler{signal(triage.SignalThroughput)}},
		},
		facts: []fact{factPeakQPS},
	},
	triage.PromptPostgreSQLDeepDive: {
		bind: []binding{
			{match: "[workload description]", key: "workload", from: []filler{userValue("system")}},
			{match: "[instance type, size]", key: "instance", from: []filler{hostShape}},
			{match: "[slow query log findings]", key: "slow_queries", from: []filler{slowQueries}},
		},
		facts: []fact{factDatabaseMemory, factConnectionBudget, factConnectionMemory, factReadReplicas},
	},
	triage.PromptRedisScaling: {
		bind: []binding{
			{match: "[describe: session store / cache / queue / rate limiter / pub-sub]", key: "redis_use", from: []filler{redisUseInferred}},
			{match: "[QPS, memory, persistence requirements]", key: "redis_scale", from: []filler{redisScale}},
		},
		facts: []fact{factRedisHeadroom},
	},
	triage.PromptLoadTesting: {
		bind: []binding{
			{match: "P99 > [N]ms", key: "p99_limit_ms"},
			{match: "error rate > [X]%", key: "error_limit_pct"},
		},
		facts: []fact{factPeakQPS, factBottleneckLaw, factProjections},
	},
	triage.PromptProfiling: {
		bind: []binding{
			{match: "[high CPU / memory leak / slow database / high latency]", key: "problem", from: []filler{findingIssue}},
		},
		facts: []fact{factLittlesLaw, factLittlesBound},
	},
	triage.PromptMultiRegion: {},
	triage.PromptCostPerformance: {
		bind: []binding{
			{match: "[infrastructure]", key: "infrastructure", from: []filler{userValue("system")}},
			{match: "cost: $[amount]", key: "monthly_cost"},
			{match: "[current metrics]", key: "performance", from: []filler{currentMetrics}},
			{match: "$[target]", key: "budget"},
			{match: "CPU [%]", key: "cpu", from: []filler{signal(triage.SignalCPUUtilization)}},
			{match: "Memory [%]", key: "memory", from: []filler{signal(triage.SignalMemoryUtilization)}},
		},
		facts: []fact{factRightSizing},
	},
	triage.PromptThunderingHerd: {},
	triage.PromptQueryOptimization: {
		bind: []binding{
			{match: "P99 latency: [current]", key: "p99_current", from: []filler{dbQueryTime}},
			{match: "[current QPS]", key: "current_qps", from: []filler{signal(triage.SignalDBTransactions)}},
		},
		facts: []fact{factConnectionBudget},
	},
	triage.PromptRateLimiting: {
		bind: []binding{
			{match: "across [N] API servers", key: "instances", from: []filler{count(triage.SignalInstances)}},
			{match: "Distributed: [N] API servers", key: "instances", from: []filler{count(triage.SignalInstances)}},
		},
		literal: []string{"[limit]", "[tokens remaining]", "[Unix timestamp when limit resets]", "[seconds to wait if 429]"},
		facts:   []fact{factPeakQPS},
	},
	triage.PromptWebSockets: {
		literal: []string{"each holding [M] connections"},
	},
	triage.PromptMicroservices: {
		bind: []binding{
			{match: "[N] microservices", key: "services"},
			{match: "[M] engineers", key: "team"},
			{match: "[K] teams", key: "teams"},
			{match: "[describe current performance and pain points]", key: "key_metrics", from: []filler{currentMetrics}},
		},
	},
	triage.PromptDataConsistency: {},
	triage.PromptObservabilityAtScale: {
		bind: []binding{
			{match: "[N] million events/day", key: "events_per_day", from: []filler{eventsPerDay}},
		},
		facts: []fact{factDailyVolume},
	},
	triage.PromptScalingConstraint: {
		bind: []binding{
			{match: "[N] engineers", key: "team"},
			{match: "expertise in [technology]", key: "team_technology"},
			{match: "[beginner/intermediate/expert]", key: "expertise"},
			{match: "database ([technology])", key: "database", from: []filler{dbEngine}},
			{match: "for at least [timeframe]", key: "database_lock_in"},
			{match: "in production in [timeframe]", key: "timeframe"},
		},
	},
	triage.PromptIncrementalScaling: {
		bind: []binding{
			{match: "Current state: [describe]", key: "current_state", from: []filler{currentMetrics}},
			{match: "[10x / 100x current scale]", key: "target_scale", from: []filler{userValue("growth")}},
		},
		facts: []fact{factBottleneckLaw, factProjections},
	},
}

// bindingAt returns the binding whose match surrounds the span at pos, the
// prompt's own first, then everyPrompt's; the zero binding if none.
func (s spec) bindingAt(template string, pos int) binding {
	for _, list := range [][]binding{s.bind, everyPrompt} {
		for _, b := range list {
			if matchesAt(template, pos, b.match) {
				return b
			}
		}
	}
	return binding{}
}

// isLiteral reports whether the span at pos is not a placeholder.
func (s spec) isLiteral(template string, pos int) bool {
	for _, m := range s.literal {
		if matchesAt(template, pos, m) {
			return true
		}
	}
	return false
}

// matchesAt reports whether match, aligned on its [span], surrounds the
// span that starts at pos in template.
func matchesAt(template string, pos int, match string) bool {
	loc := placeholder.FindStringIndex(match)
	if loc == nil {
		return false
	}
	start := pos - loc[0]
	return start >= 0 && start+len(match) <= len(template) && template[start:start+len(match)] == match
}

// needs lists the signals a prompt's bindings and facts read, in order,
// without duplicates.
func (s spec) needs() []triage.SignalID {
	var ids []triage.SignalID
	add := func(list []triage.SignalID) {
		for _, id := range list {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	for _, b := range s.bind {
		for _, src := range b.from {
			add(src.needs)
		}
	}
	for _, f := range s.facts {
		add(f.needs)
	}
	return ids
}
