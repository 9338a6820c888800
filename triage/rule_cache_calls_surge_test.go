package triage

import "testing"

func TestCacheCallsSurge(t *testing.T) {
	calls := func(ops, traffic float64) *Snapshot {
		return sick(read(SignalCacheOps, ops, baseline(1000), entity(ops, 1000, "instance", "cache-1:9121")),
			read(SignalThroughput, traffic, baseline(100)))
	}
	runRuleCases(t, cacheCallsSurgeRule, []ruleCase{
		{name: "healthy", snap: snapshot(healthy()...)},
		{name: "ops under 2x with flat traffic", snap: calls(1990, 100)},
		{name: "ops at 2x with flat traffic", snap: calls(2000, 100), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "Cache operations at 2x the day before, Throughput at 1x: each request makes 2x the cache calls it made then")
				containsLine(t, "summary", []string{f.Summary}, "Cache calls per request surged: each request makes 2x the cache calls of the day before (operations 2x, traffic 1x): look for a hot key, a missing client-side cache or a retry storm")
				containsLine(t, "against", f.Against, "the hit ratio holds")
				if f.Change != ChangeNew || len(f.Entities) != 1 || f.Entities[0].Name != "cache-1:9121" {
					t.Errorf("change %s entities %+v", f.Change, f.Entities)
				}
			}},
		{name: "ops 3x while traffic fell", snap: calls(3000, 50), want: SeverityWarning,
			check: func(t *testing.T, f Finding) {
				containsLine(t, "evidence", f.Evidence, "traffic fell to 50% of the day before")
				containsLine(t, "summary", []string{f.Summary}, "each request makes 6x the cache calls")
			}},
		{name: "ops 3x with traffic 3x", snap: calls(3000, 300)},
		{name: "ops 1.5x while traffic halved", snap: calls(1500, 50)},
		// A full Redis core is redis-cpu-saturation's finding, which names
		// the surge.
		{name: "surge with Redis's core full", snap: snapshot(append(calls(3000, 100).Readings, redisCore(0.97))...)},
		{name: "no day-before traffic", snap: sick(read(SignalCacheOps, 3000, baseline(1000)), read(SignalThroughput, 100))},
		{name: "missing", snap: sick(absent(SignalCacheOps), read(SignalThroughput, 100, baseline(100)))},
		{name: "NaN", snap: sick(nan(SignalCacheOps), nan(SignalThroughput))},
		{name: "+Inf", snap: sick(inf(SignalCacheOps, baseline(1000)), read(SignalThroughput, 100, baseline(100)))},
	})
}
