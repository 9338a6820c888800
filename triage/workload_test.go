package triage

import "testing"

func TestWorkloadOf(t *testing.T) {
	for _, tc := range []struct{ pod, want string }{
		{"search-api-7c6d9f8b5-hm2tv", "search-api"}, // Deployment
		{"search-api-0", "search-api"},               // StatefulSet
		{"kafka-12", "kafka"},
		{"node-exporter-x2k4p", "node-exporter"}, // DaemonSet
		{"node-exporter", "node-exporter"},       // "exporter" has vowels: no hash
		{"checkout-7d9f", "checkout-7d9f"},       // too short for a suffix
		{"etl-new-7f4", "etl-new-7f4"},
		{"", ""},
	} {
		if got := WorkloadOf(tc.pod); got != tc.want {
			t.Errorf("WorkloadOf(%q) = %q, want %q", tc.pod, got, tc.want)
		}
	}
}
