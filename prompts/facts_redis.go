package prompts

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/scaletriage/scaletriage/triage"
)

// redisScale binds the Redis prompt's scale line with what is measured now:
// the command rate, memory against maxmemory and persistence. The targets
// are the user's; what is not measured is said, never guessed.
var redisScale = filler{needs: []triage.SignalID{triage.SignalCacheOps, triage.SignalCacheMemoryUsed, triage.SignalCacheMemoryMax,
	triage.SignalCacheAOFEnabled, triage.SignalCacheRDBSaveAge, triage.SignalCacheRDBChanges}, value: func(e *env) (string, bool) {
	qps, hasQPS := e.measured(triage.SignalCacheOps)
	memory, hasMemory := e.redisMemory()
	persistence, hasPersistence := e.redisPersistence()
	if !hasQPS && !hasMemory && !hasPersistence {
		return "", false
	}
	parts := []string{"QPS " + orNotMeasured(qps, hasQPS), "memory " + orNotMeasured(memory, hasMemory),
		"persistence " + orNotMeasured(persistence, hasPersistence)}
	return "now: " + strings.Join(parts, "; ") + " (the targets are yours to set)", true
}}

func orNotMeasured(s string, ok bool) string {
	if !ok {
		return "not measured"
	}
	return s
}

// redisMemory is "1.5 GiB used of 2 GiB maxmemory (75%)"; a maxmemory of 0
// is Redis' "no limit", which is said since Redis then grows until the host
// runs out of memory.
func (e *env) redisMemory() (string, bool) {
	used, hasUsed := e.reading(triage.SignalCacheMemoryUsed)
	limit, hasLimit := e.reading(triage.SignalCacheMemoryMax)
	switch {
	case hasUsed && hasLimit && limit.Value.V > 0:
		return fmt.Sprintf("%s used of %s maxmemory (%s)", used.Formatted(), limit.Formatted(), pct(used.Value.V/limit.Value.V)), true
	case hasLimit && limit.Value.V == 0:
		s := "no maxmemory set (Redis grows until the host runs out of memory)"
		if hasUsed {
			s = used.Formatted() + " used, " + s
		}
		return s, true
	case hasUsed:
		return used.Formatted() + " used (maxmemory not measured)", true
	case hasLimit:
		return limit.Formatted() + " maxmemory (use not measured)", true
	}
	return "", false
}

// redisPersistence is "AOF on; last RDB save 12 min ago, 3,400 changes since".
func (e *env) redisPersistence() (string, bool) {
	var parts []string
	if aof, ok := e.reading(triage.SignalCacheAOFEnabled); ok {
		state := "off"
		if aof.Value.V > 0 {
			state = "on"
		}
		parts = append(parts, "AOF "+state)
	}
	if age, ok := e.reading(triage.SignalCacheRDBSaveAge); ok {
		rdb := "last RDB save " + age.Formatted() + " ago"
		if changes, ok := e.reading(triage.SignalCacheRDBChanges); ok {
			rdb += ", " + changes.Formatted() + " since"
		}
		parts = append(parts, rdb)
	}
	return strings.Join(parts, "; "), len(parts) > 0
}

// redisUse is a use of Redis and the commands that mark it (lower case, as
// redis_exporter labels them). Commands every use issues (EXPIRE, EVAL,
// PING, INFO...) mark none.
type redisUse struct {
	use      string
	commands []string
}

var (
	keyValueUse = redisUse{"cache or session store", []string{"get", "mget", "getex", "set", "setex", "psetex", "mset",
		"hget", "hmget", "hgetall", "hset", "hmset", "del", "unlink", "exists"}}
	redisUses = []redisUse{
		keyValueUse,
		{"queue", []string{"lpush", "rpush", "lpop", "rpop", "blpop", "brpop", "rpoplpush", "brpoplpush", "lmove", "blmove",
			"xadd", "xread", "xreadgroup", "xack", "xclaim", "xautoclaim"}},
		{"rate limiter (or counters)", []string{"incr", "incrby", "decr", "decrby", "zremrangebyscore", "zcard"}},
		{"pub/sub", []string{"publish", "spublish", "subscribe", "psubscribe", "ssubscribe"}},
	}
)

// Heuristics of the use inference: a use is clear when the commands that
// mark it are most of the marked mix; a cache expires nearly all its keys,
// a store of record few of them.
const (
	clearUseShare  = 0.6
	cacheTTLShare  = 0.9
	recordTTLShare = 0.5
)

// redisUseInferred binds the Redis prompt's "current usage" with the use the
// command mix points to, when it is clear, marked as inferred.
var redisUseInferred = filler{needs: []triage.SignalID{triage.SignalCacheCommands, triage.SignalCacheKeysWithTTL}, value: func(e *env) (string, bool) {
	r, ok := e.reading(triage.SignalCacheCommands)
	if !ok {
		return "", false
	}
	mix := commandMix(r.Entities)
	if mix.marked <= 0 {
		return "", false
	}
	top := slices.MaxFunc(redisUses, func(a, b redisUse) int { return cmp.Compare(mix.rate[a.use], mix.rate[b.use]) })
	share := mix.rate[top.use] / mix.marked
	if share < clearUseShare {
		return "", false
	}
	use := top.use
	why := fmt.Sprintf("%s are %s of the commands that mark a use, %s", strings.Join(mix.busiest[top.use], ", "), pct(share), r.Statistic)
	if ttl, ok := e.reading(triage.SignalCacheKeysWithTTL); ok && top.use == keyValueUse.use {
		switch {
		case ttl.Value.V >= cacheTTLShare:
			use = "cache (or session store)"
		case ttl.Value.V < recordTTLShare:
			use = "key/value store of record, not a cache"
		}
		why += fmt.Sprintf("; %s of keys have a TTL", ttl.Formatted())
	}
	return fmt.Sprintf("%s (inferred: %s)", use, why), true
}}

// usesMix is a command mix summed by the use each command marks.
type usesMix struct {
	rate    map[string]float64  // by use
	busiest map[string][]string // by use: its busiest commands, at most 3
	marked  float64             // the rate of every command that marks a use
}

// commandMix sums per-command rates (busiest first, as a reading keeps its
// entities) by use.
func commandMix(commands []triage.Entity) usesMix {
	mix := usesMix{rate: map[string]float64{}, busiest: map[string][]string{}}
	for _, c := range commands {
		rate, ok := c.Value.Float()
		if !ok || rate <= 0 {
			continue
		}
		cmd := strings.ToLower(c.Labels["cmd"])
		for _, u := range redisUses {
			if slices.Contains(u.commands, cmd) {
				mix.rate[u.use] += rate
				mix.marked += rate
				if len(mix.busiest[u.use]) < 3 {
					mix.busiest[u.use] = append(mix.busiest[u.use], strings.ToUpper(cmd))
				}
			}
		}
	}
	return mix
}
