package triage

import (
	"slices"
	"strings"
	"testing"
)

// seedTitles are the numbered prompt titles of the seed library.
var seedTitles = []string{
	"Back-of-Envelope Capacity Estimation", "Bottleneck Identification", "Database Read Scaling",
	"Database Sharding Design", "Time-Series Data Scaling", "Connection Pool Optimization",
	"Horizontal Scaling Strategy", "Queue-Based Load Leveling", "Caching Architecture Design",
	"Auto-Scaling Configuration", "CDN Architecture for Global Applications", "Edge Caching for API Responses",
	"PostgreSQL Scaling Deep Dive", "Redis Scaling and Clustering", "Load Testing Strategy",
	"Performance Profiling and Optimization", "Multi-Region Active-Active Architecture",
	"Cost-Performance Optimization", "Thundering Herd Prevention", "Database Query Optimization at Scale",
	"Rate Limiting at Scale", "Scaling WebSocket Connections", "Microservices at Scale",
	"Data Consistency Patterns", "Observability at Scale",
}

func seedPromptSlugs() []string {
	slugs := make([]string, len(seedTitles))
	for i, t := range seedTitles {
		slugs[i] = promptSlug(t)
	}
	return slugs
}

func TestPromptSlug(t *testing.T) {
	for title, want := range map[string]string{
		"Back-of-Envelope Capacity Estimation": PromptCapacityEstimation,
		"Connection Pool Optimization":         PromptConnectionPool,
		"Database Query Optimization at Scale": PromptQueryOptimization,
		"  PostgreSQL -- Scaling Deep Dive!":   PromptPostgreSQLDeepDive,
	} {
		if got := promptSlug(title); got != want {
			t.Errorf("promptSlug(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestPromptConstantsAreSeedSlugs(t *testing.T) {
	slugs := seedPromptSlugs()
	for _, p := range []string{PromptCapacityEstimation, PromptBottleneck, PromptDatabaseReadScaling,
		PromptConnectionPool, PromptHorizontalScaling, PromptQueueLoadLeveling, PromptCachingArchitecture,
		PromptAutoScaling, PromptPostgreSQLDeepDive, PromptRedisScaling, PromptLoadTesting, PromptProfiling,
		PromptThunderingHerd, PromptQueryOptimization, PromptRateLimiting, PromptDataConsistency,
		PromptObservabilityAtScale} {
		if !slices.Contains(slugs, p) {
			t.Errorf("%q is not the slug of a seed prompt title", p)
		}
	}
}

// promptSlug turns a seed prompt title into its slug:
// "Back-of-Envelope Capacity Estimation" -> "back-of-envelope-capacity-estimation".
func promptSlug(title string) string {
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
