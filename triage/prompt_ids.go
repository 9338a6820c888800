package triage

// PromptID is a prompt of the seed library by its slug: the title in lower
// case with every run of non-alphanumerics turned into one '-'. The
// constants are every prompt of the library; prompts' vocabulary test checks
// them against the library's titles.
type PromptID string

// The 25 seed prompts, in the library's order, then the two patterns.
const (
	PromptCapacityEstimation   PromptID = "back-of-envelope-capacity-estimation"
	PromptBottleneck           PromptID = "bottleneck-identification"
	PromptDatabaseReadScaling  PromptID = "database-read-scaling"
	PromptDatabaseSharding     PromptID = "database-sharding-design"
	PromptTimeSeriesScaling    PromptID = "time-series-data-scaling"
	PromptConnectionPool       PromptID = "connection-pool-optimization"
	PromptHorizontalScaling    PromptID = "horizontal-scaling-strategy"
	PromptQueueLoadLeveling    PromptID = "queue-based-load-leveling"
	PromptCachingArchitecture  PromptID = "caching-architecture-design"
	PromptAutoScaling          PromptID = "auto-scaling-configuration"
	PromptCDNArchitecture      PromptID = "cdn-architecture-for-global-applications"
	PromptEdgeCaching          PromptID = "edge-caching-for-api-responses"
	PromptPostgreSQLDeepDive   PromptID = "postgresql-scaling-deep-dive"
	PromptRedisScaling         PromptID = "redis-scaling-and-clustering"
	PromptLoadTesting          PromptID = "load-testing-strategy"
	PromptProfiling            PromptID = "performance-profiling-and-optimization"
	PromptMultiRegion          PromptID = "multi-region-active-active-architecture"
	PromptCostPerformance      PromptID = "cost-performance-optimization"
	PromptThunderingHerd       PromptID = "thundering-herd-prevention"
	PromptQueryOptimization    PromptID = "database-query-optimization-at-scale"
	PromptRateLimiting         PromptID = "rate-limiting-at-scale"
	PromptWebSockets           PromptID = "scaling-websocket-connections"
	PromptMicroservices        PromptID = "microservices-at-scale"
	PromptDataConsistency      PromptID = "data-consistency-patterns"
	PromptObservabilityAtScale PromptID = "observability-at-scale"
	PromptScalingConstraint    PromptID = "scaling-constraint-pattern"
	PromptIncrementalScaling   PromptID = "incremental-scaling-pattern"
)
