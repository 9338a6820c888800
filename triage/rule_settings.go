package triage

import (
	"fmt"
	"math"
)

// RuleSettings are the thresholds the rules apply on top of the signals' own
// statuses. Single-signal limits (CPU 80 %, 1 waiting client, P99 2x the day
// before...) live in the catalog and reach the rules as Reading.Status, so
// they are overridden under `signals:`; these settings only cover what the
// catalog cannot express: comparisons across signals, drops, growth.
//
// The config loader unmarshals a `rules:` mapping onto DefaultRuleSettings(),
// so a key left out keeps its default and a key given is taken literally
// (queue_min_depth: 0 really means "any growing queue"). Validate rejects
// values that cannot be meant.
type RuleSettings struct {
	// DBLoadSpikeRatio is the database load (transactions/s or connections
	// running a query) as a multiple of the day before at which a cache miss
	// storm counts as a thundering herd. Heuristic; equals the catalog's
	// db_transactions_per_second baseline_warning.
	DBLoadSpikeRatio float64 `yaml:"db_load_spike_ratio"`
	// CacheHitRatioDrop is the fall of the cache hit ratio below the day
	// before, in ratio points (0.1 = 10 points), that counts as a collapse
	// even above the catalog's absolute 80 % band. Heuristic: 99 % -> 89 %
	// multiplies the misses reaching the database by 11.
	CacheHitRatioDrop float64 `yaml:"cache_hit_ratio_drop"`
	// ErrorBaselineRatio is the 5xx ratio as a multiple of the day before
	// that counts as a spike below the catalog's absolute 1 % band.
	// Heuristic triage default (>= 2x the ratio at offset 1d); upstream
	// practice (awesome-prometheus-alerts, SLO alerts) is burn-rate based.
	ErrorBaselineRatio float64 `yaml:"error_baseline_ratio"`
	// ErrorRatioFloor is the 5xx ratio under which a rise against the day
	// before is noise (0.02 % -> 0.05 % is not an incident). Heuristic.
	ErrorRatioFloor float64 `yaml:"error_ratio_floor"`
	// ErrorMinFailures is the number of failed requests in the rate window
	// under which a service's error ratio is not judged: one failure out of
	// three requests is "33 %" and says nothing. Heuristic, after SLO
	// alerting practice for low-traffic services (the SRE workbook's
	// "Alerting on SLOs": require a minimum number of events); 5 failures
	// are more than a single retrying client or probe makes.
	ErrorMinFailures float64 `yaml:"error_min_failures"`
	// LatencyMinRequests is the number of requests in the rate window under
	// which a service's P99 is not judged: over fewer than 100 requests the
	// 99th percentile is the slowest request or an interpolation inside its
	// bucket, not a tail. Follows from the quantile's definition.
	LatencyMinRequests float64 `yaml:"latency_min_requests"`
	// QueueGrowthRatio is queue depth at the end of the window over depth at
	// its start at which the backlog is growing. Heuristic after
	// awesome-prometheus-alerts' KafkaConsumerLag (lag now >= lag 15m ago,
	// for 15m): that the lag grows matters more than its absolute value.
	QueueGrowthRatio float64 `yaml:"queue_growth_ratio"`
	// QueueMinDepth is the depth, in messages, under which a growing queue
	// is noise (0 -> 5 messages doubles but is not a backlog). Heuristic.
	QueueMinDepth float64 `yaml:"queue_min_depth"`
	// ProjectionMultiples are the load multiples the capacity maths projects
	// (seed prompt 2: "what happens at 2x, 5x, 10x current load").
	ProjectionMultiples []float64 `yaml:"projection_multiples"`
}

// DefaultRuleSettings returns the built-in settings.
func DefaultRuleSettings() RuleSettings {
	return RuleSettings{
		DBLoadSpikeRatio:    2,
		CacheHitRatioDrop:   0.1,
		ErrorBaselineRatio:  2,
		ErrorRatioFloor:     0.001,
		ErrorMinFailures:    5,
		LatencyMinRequests:  100,
		QueueGrowthRatio:    1.2,
		QueueMinDepth:       100,
		ProjectionMultiples: []float64{2, 5, 10},
	}
}

// Validate reports the first setting that cannot be meant: not finite,
// negative, a growth multiple under 1, a ratio drop above 1.
func (set RuleSettings) Validate() error {
	check := func(name string, v, min, max float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < min || v > max {
			return fmt.Errorf("rules.%s: %v is out of range [%g, %g]", name, v, min, max)
		}
		return nil
	}
	inf := math.MaxFloat64
	for _, err := range []error{
		check("db_load_spike_ratio", set.DBLoadSpikeRatio, 1, inf),
		check("cache_hit_ratio_drop", set.CacheHitRatioDrop, 0, 1),
		check("error_baseline_ratio", set.ErrorBaselineRatio, 1, inf),
		check("error_ratio_floor", set.ErrorRatioFloor, 0, 1),
		check("error_min_failures", set.ErrorMinFailures, 0, inf),
		check("latency_min_requests", set.LatencyMinRequests, 0, inf),
		check("queue_growth_ratio", set.QueueGrowthRatio, 1, inf),
		check("queue_min_depth", set.QueueMinDepth, 0, inf),
	} {
		if err != nil {
			return err
		}
	}
	for _, m := range set.ProjectionMultiples {
		if math.IsNaN(m) || math.IsInf(m, 0) || m <= 0 {
			return fmt.Errorf("rules.projection_multiples: %v must be a positive number", m)
		}
	}
	return nil
}
