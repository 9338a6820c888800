package triage

import (
	"math"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

func TestDefaultRuleSettingsAreValid(t *testing.T) {
	if err := DefaultRuleSettings().Validate(); err != nil {
		t.Fatal(err)
	}
}

// The config loader unmarshals `rules:` onto the defaults: keys left out
// keep them, keys given are taken literally.
func TestRuleSettingsOverlay(t *testing.T) {
	set := DefaultRuleSettings()
	if err := yaml.UnmarshalStrict([]byte("queue_min_depth: 0\nprojection_multiples: [3]\n"), &set); err != nil {
		t.Fatal(err)
	}
	if set.QueueMinDepth != 0 || len(set.ProjectionMultiples) != 1 || set.DBLoadSpikeRatio != 2 {
		t.Errorf("got %+v", set)
	}
}

func TestRuleSettingsValidate(t *testing.T) {
	for name, mutate := range map[string]func(*RuleSettings){
		"db_load_spike_ratio":  func(s *RuleSettings) { s.DBLoadSpikeRatio = 0.5 },
		"cache_hit_ratio_drop": func(s *RuleSettings) { s.CacheHitRatioDrop = 1.5 },
		"error_baseline_ratio": func(s *RuleSettings) { s.ErrorBaselineRatio = math.NaN() },
		"error_ratio_floor":    func(s *RuleSettings) { s.ErrorRatioFloor = -1 },
		"queue_growth_ratio":   func(s *RuleSettings) { s.QueueGrowthRatio = math.Inf(1) },
		"queue_min_depth":      func(s *RuleSettings) { s.QueueMinDepth = -5 },
		"error_min_failures":   func(s *RuleSettings) { s.ErrorMinFailures = -1 },
		"latency_min_requests": func(s *RuleSettings) { s.LatencyMinRequests = math.NaN() },
		"projection_multiples": func(s *RuleSettings) { s.ProjectionMultiples = []float64{2, 0} },
	} {
		set := DefaultRuleSettings()
		mutate(&set)
		if err := set.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
