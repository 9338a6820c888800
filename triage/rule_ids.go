package triage

// RuleID names a rule, and every finding it returns, in reports and
// tests: stable, part of the JSON report's contract.
type RuleID string

// The rules' ids, in the order the rules run (rules).
const (
	RuleCPUSaturation          RuleID = "cpu-saturation"
	RuleCPUThrottling          RuleID = "cpu-throttling"
	RuleMemoryPressure         RuleID = "memory-pressure"
	RulePoolBehindSlowDatabase RuleID = "pool-behind-slow-database"
	RuleDBPoolExhaustion       RuleID = "db-pool-exhaustion"
	RuleDBConnectionCeiling    RuleID = "db-connection-ceiling"
	RuleSlowQueries            RuleID = "slow-queries"
	RuleCacheHitCollapse       RuleID = "cache-hit-collapse"
	RuleThunderingHerd         RuleID = "thundering-herd"
	RuleRedisCPUSaturation     RuleID = "redis-cpu-saturation"
	RuleCacheCallsSurge        RuleID = "cache-calls-surge"
	RuleReplicationLag         RuleID = "replication-lag"
	RuleQueueBacklog           RuleID = "queue-backlog"
	RuleErrorSpike             RuleID = "error-spike"
	RuleRateLimited            RuleID = "rate-limited"
	RuleLatencyRegression      RuleID = "latency-regression"
	RuleCapacityHeadroom       RuleID = "capacity-headroom"
)
