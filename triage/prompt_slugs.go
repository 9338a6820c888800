package triage

// Prompt slugs of the seed library that findings lead to (Rule.Prompts). A
// slug is the prompt title in lower case with every run of non-alphanumerics
// turned into one '-'; prompts' vocabulary test resolves every rule's slugs
// through the real library.
const (
	PromptCapacityEstimation   = "back-of-envelope-capacity-estimation"
	PromptBottleneck           = "bottleneck-identification"
	PromptDatabaseReadScaling  = "database-read-scaling"
	PromptConnectionPool       = "connection-pool-optimization"
	PromptHorizontalScaling    = "horizontal-scaling-strategy"
	PromptQueueLoadLeveling    = "queue-based-load-leveling"
	PromptCachingArchitecture  = "caching-architecture-design"
	PromptAutoScaling          = "auto-scaling-configuration"
	PromptPostgreSQLDeepDive   = "postgresql-scaling-deep-dive"
	PromptRedisScaling         = "redis-scaling-and-clustering"
	PromptLoadTesting          = "load-testing-strategy"
	PromptProfiling            = "performance-profiling-and-optimization"
	PromptThunderingHerd       = "thundering-herd-prevention"
	PromptQueryOptimization    = "database-query-optimization-at-scale"
	PromptRateLimiting         = "rate-limiting-at-scale"
	PromptDataConsistency      = "data-consistency-patterns"
	PromptObservabilityAtScale = "observability-at-scale"
)
