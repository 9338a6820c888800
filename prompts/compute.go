package prompts

import "math"

// The capacity arithmetic the seed prompts ask for. Pure functions on plain
// numbers: the callers (facts.go) read the signals and print the working.

// Rule-of-thumb constants, each named where the seed states it.
const (
	peakLowFactor   = 2.0 // seed prompt 1: "peak = 2-3x average"
	peakHighFactor  = 3.0
	ssdSpindles     = 1.0  // pool_size formula: an SSD counts as one spindle
	replicaTarget   = 0.7  // keep each node at or below 70 % after adding replicas
	redisOpsLow     = 1e5  // seed prompt 14: single Redis "max ~100K-200K ops/second"
	redisOpsHigh    = 2e5  //
	connMemLowBytes = 5e6  // seed prompt 6: "each connection uses ~5-10MB RAM"
	connMemHigh     = 10e6 //
	rightSizeCPU    = 0.40 // seed prompt 18: "If CPU < 40% and memory < 60%: downsize"
	rightSizeMemory = 0.60
	mysqlPoolLow    = 0.50 // MySQL manual, "How MySQL Uses Memory": buffer pool
	mysqlPoolHigh   = 0.75 // "typically 50 to 75 percent of system memory"
)

// peakRange is the seed's peak estimate from an average rate: 2x to 3x.
func peakRange(average float64) (low, high float64) {
	return average * peakLowFactor, average * peakHighFactor
}

// littlesLaw is L = λ·W: the mean number of requests in flight given the
// arrival rate (per second) and the time each spends in the system (seconds).
func littlesLaw(ratePerSecond, seconds float64) float64 { return ratePerSecond * seconds }

// poolSizeFormula is the PostgreSQL wiki / HikariCP rule:
// pool_size = (core_count * 2) + effective_spindle_count.
func poolSizeFormula(cores, spindles float64) float64 { return cores*2 + spindles }

// totalConnections is app_instances × pool_size.
func totalConnections(instances, poolPerInstance float64) float64 {
	return instances * poolPerInstance
}

// connectionsPerInstance is how many connections each instance may open so
// that all of them fit in max_connections ("100 max, 20 instances: 5 each").
func connectionsPerInstance(maxConnections, instances float64) float64 {
	if instances <= 0 {
		return math.NaN()
	}
	return math.Floor(maxConnections / instances)
}

// postgresMemory applies the seed's prompt-13 rules of thumb to the RAM size.
// work_mem = (RAM × 0.25) / max_connections, i.e. "RAM / max_connections / 4".
func postgresMemory(ramBytes, maxConnections float64) (sharedBuffers, effectiveCache, workMem float64) {
	sharedBuffers = ramBytes * 0.25
	effectiveCache = ramBytes * 0.75
	workMem = math.NaN()
	if maxConnections > 0 {
		workMem = ramBytes * 0.25 / maxConnections
	}
	return sharedBuffers, effectiveCache, workMem
}

// readReplicas is how many replicas keep every node at or below the target
// utilization when the load grows by multiple, assuming reads spread evenly
// and the primary serves its share: replicas = ceil(util × multiple / target) − 1.
func readReplicas(utilization, multiple, target float64) int {
	nodes := math.Ceil(utilization*multiple/target - 1e-9)
	return max(int(nodes)-1, 0)
}

// redisHeadroom is how many times the current rate fits under a single
// Redis instance's ~100K–200K ops/s ceiling.
func redisHeadroom(opsPerSecond float64) (low, high float64) {
	if opsPerSecond <= 0 {
		return math.Inf(1), math.Inf(1)
	}
	return redisOpsLow / opsPerSecond, redisOpsHigh / opsPerSecond
}

// overProvisioned is the seed's right-sizing rule: CPU < 40 % and memory < 60 %.
func overProvisioned(cpu, memory float64) bool {
	return cpu < rightSizeCPU && memory < rightSizeMemory
}

// mysqlBufferPool is the MySQL manual's innodb_buffer_pool_size rule of
// thumb ("How MySQL Uses Memory"): 50 to 75 percent of system memory.
func mysqlBufferPool(ramBytes float64) (low, high float64) {
	return ramBytes * mysqlPoolLow, ramBytes * mysqlPoolHigh
}

// connectionMemory is the RAM n PostgreSQL connections take at ~5–10 MB each.
func connectionMemory(connections float64) (low, high float64) {
	return connections * connMemLowBytes, connections * connMemHigh
}
