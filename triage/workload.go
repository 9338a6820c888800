package triage

import "regexp"

// Kubernetes names a workload's pods after it: a Deployment's
// "<name>-<pod-template-hash>-<suffix>", a DaemonSet's or Job's
// "<name>-<suffix>", a StatefulSet's "<name>-<ordinal>". The hash and the
// suffix use the alphabet of k8s.io/apimachinery/pkg/util/rand (no vowels,
// no 0, 1, 3), which keeps "node-exporter" a name, not a hash. The catalog's
// pod-name candidates apply the same patterns in PromQL (label_replace, most
// specific last).
var workloadPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
	regexp.MustCompile(`^(.+)-[bcdfghjklmnpqrstvwxz2456789]{5}$`),
	regexp.MustCompile(`^(.+)-[0-9]+$`),
}

// WorkloadOf is the workload a pod's name says it belongs to, the pod's
// own name when it follows none of the patterns.
func WorkloadOf(pod string) string {
	for _, re := range workloadPatterns {
		if m := re.FindStringSubmatch(pod); m != nil {
			return m[1]
		}
	}
	return pod
}

// LabelWorkload is the label the catalog's workload candidates name a
// Kubernetes workload by.
const LabelWorkload = "workload"
