package triage

import (
	"math"
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

func TestThresholdsEvaluate(t *testing.T) {
	above := Thresholds{Direction: Above, Warning: ptr(0.8), Critical: ptr(0.95)}
	below := Thresholds{Direction: Below, Warning: ptr(0.8), Critical: ptr(0.5)}
	relative := Thresholds{Direction: Above, BaselineWarning: ptr(2), BaselineCritical: ptr(5)}
	tests := []struct {
		name     string
		t        Thresholds
		v, base  Value
		start    Value
		want     Status
		inReason string
	}{
		{"below warning", above, Of(0.79), None, None, StatusOK, ""},
		{"at warning", above, Of(0.8), None, None, StatusWarning, "at or above warning threshold 80%"},
		{"at critical", above, Of(0.95), None, None, StatusCritical, "critical threshold 95%"},
		{"missing", above, None, None, None, StatusMissing, ""},
		{"NaN is not judged", above, Of(math.NaN()), None, None, StatusMissing, ""},
		{"cache fine", below, Of(0.95), None, None, StatusOK, ""},
		{"cache at warning", below, Of(0.8), None, None, StatusWarning, "at or below"},
		{"cache collapsed", below, Of(0.05), None, None, StatusCritical, "critical threshold 50%"},
		{"latency 1.9x", relative, Of(0.019), Of(0.01), None, StatusOK, ""},
		{"latency 2x", relative, Of(0.02), Of(0.01), None, StatusWarning, "2x the day-before baseline"},
		{"latency 50x", relative, Of(0.5), Of(0.01), None, StatusCritical, "50x"},
		{"no baseline, no verdict", relative, Of(0.5), None, None, StatusOK, ""},
		{"zero baseline ignored", relative, Of(0.5), Of(0), None, StatusOK, ""},
		{"window start stands in", relative, Of(0.5), None, Of(0.05), StatusCritical, "10x the window-start baseline"},
		{"day before wins", relative, Of(0.5), Of(0.4), Of(0.05), StatusOK, ""},
	}
	clamped, reason := relative.Judge(Reading{Value: Of(10), Baseline: Of(0.02), AtLeast: true, Unit: UnitSeconds})
	if clamped != StatusCritical || !strings.HasPrefix(reason, "≥ 500x") {
		t.Errorf("clamped P99: %s %q, want a lower-bound ratio", clamped, reason)
	}
	for _, tt := range tests {
		got, reason := tt.t.Judge(Reading{Value: tt.v, Baseline: tt.base, WindowStart: tt.start, Unit: UnitRatio})
		if got != tt.want || !strings.Contains(reason, tt.inReason) {
			t.Errorf("%s: %s %q, want %s containing %q", tt.name, got, reason, tt.want, tt.inReason)
		}
	}
}

func TestThresholdsOverlay(t *testing.T) {
	base := Thresholds{Direction: Above, Warning: ptr(1), Critical: ptr(5), Source: "USE"}
	got := base.overlay(Thresholds{Critical: ptr(10)})
	if *got.Warning != 1 || *got.Critical != 10 || got.Source != "config file" {
		t.Errorf("overlay: %+v", got)
	}
	if same := base.overlay(Thresholds{}); same.Source != "USE" {
		t.Errorf("empty overlay changed the source: %+v", same)
	}
}
