package triage

import (
	"strings"
	"testing"
)

// A rival under its threshold but 50x its day-before value is not ruled
// out: the data does not rule it out.
func TestRivalThatMovedALotIsNotRuledOut(t *testing.T) {
	s := sick(
		read(SignalAppPoolWaiting, 12, baseline(0)),
		read(SignalAppPoolUtilization, 1, baseline(0.4)),
		read(SignalDBLongestTransaction, 50, baseline(1)),
	)
	found := dbPoolExhaustionRule.Run(s, DefaultRuleSettings())
	if len(found) != 1 {
		t.Fatalf("findings %v", ids(found))
	}
	against := strings.Join(found[0].Against, "\n")
	if strings.Contains(against, "no long transaction holds a connection") {
		t.Errorf("a 50x rise is ruled out:\n%s", against)
	}
	if !strings.Contains(against, "Longest open database transaction") || !strings.Contains(against, "50x the day before: a competing explanation, not ruled out") {
		t.Errorf("the rival is not named as competing:\n%s", against)
	}
}

// Evidence for CPU saturation is what is hot: a calm pressure and run queue
// beside a busy CPU are evidence against saturation, never for it.
func TestCalmReadingsAreNeverEvidenceFor(t *testing.T) {
	s := sick(read(SignalCPUUtilization, 0.97, baseline(0.3)), read(SignalCPUPressure, 0.01, baseline(0.01)), read(SignalCPULoadPerCore, 0.4, baseline(0.4)))
	found := cpuSaturationRule.Run(s, DefaultRuleSettings())
	if len(found) != 1 {
		t.Fatalf("findings %v", ids(found))
	}
	f := found[0]
	for _, e := range f.Evidence {
		if strings.Contains(e, "CPU pressure") || strings.Contains(e, "Load average") {
			t.Errorf("a calm reading as evidence for: %s", e)
		}
	}
	if against := strings.Join(f.Against, "\n"); !strings.Contains(against, "CPU pressure") || !strings.Contains(against, "busy, not saturated") {
		t.Errorf("the calm pressure is not evidence against:\n%s", against)
	}
}

// A P99 clamped at the top bucket now and the day before says "at least"
// twice: it is neither normal nor shown to have risen.
func TestClampedBothDaysIsNotNormal(t *testing.T) {
	p99 := read(SignalLatencyP99, 10, baseline(10), clamped())
	p99.BaselineAtLeast = true
	p99.Status, p99.Reason = p99.Thresholds.Judge(p99)
	s := sick(read(SignalAppPoolWaiting, 12, baseline(0)), read(SignalAppPoolUtilization, 1, baseline(0.4)), p99)
	found := dbPoolExhaustionRule.Run(s, DefaultRuleSettings())
	against := strings.Join(found[0].Against, "\n")
	if strings.Contains(against, "users do not feel it yet") || !strings.Contains(against, "a lower bound against a lower bound is no ratio: neither shown nor ruled out") {
		t.Errorf("a clamped P99 both days:\n%s", against)
	}
}

// A throughput change is evidence: the pool saturated while the service's
// own traffic collapsed from 700 to 6.6 requests/s.
func TestThroughputDropIsEvidence(t *testing.T) {
	s := sick(read(SignalThroughput, 6.6, baseline(700)), read(SignalAppPoolWaiting, 12, baseline(0)), read(SignalAppPoolUtilization, 1, baseline(0.4)))
	f := dbPoolExhaustionRule.Run(s, DefaultRuleSettings())[0]
	if !strings.Contains(strings.Join(f.Evidence, "\n"), "traffic fell to 0.943% of the day before") {
		t.Errorf("evidence lacks the drop: %q", f.Evidence)
	}
	if !strings.Contains(f.Summary, "so something else holds the connections") {
		t.Errorf("summary: %s", f.Summary)
	}
	up := sick(read(SignalLatencyP99, 0.5, baseline(0.05)), read(SignalThroughput, 300, baseline(100)))
	if lr := latencyRegressionRule.Run(up, DefaultRuleSettings()); len(lr) == 0 || !strings.Contains(strings.Join(lr[0].Evidence, "\n"), "traffic rose to 3x the day before") {
		t.Errorf("a surge is not evidence: %+v", lr)
	}
}
