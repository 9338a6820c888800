package triage

import "strings"

// Prompt slugs of the seed library that findings lead to. A slug is the
// prompt title in lower case with every run of non-alphanumerics turned into
// one '-' (PromptSlug); a test checks each constant against its seed title.
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

// PromptSlug turns a seed prompt title into its slug:
// "Back-of-Envelope Capacity Estimation" -> "back-of-envelope-capacity-estimation".
func PromptSlug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}
