package triage

import (
	"fmt"
	"slices"
)

// Tier is where in a system the measured thing sits. The chain a request
// travels is service -> application pool -> pooler -> database, beside hosts,
// containers, caches and queues.
type Tier string

const (
	TierService   Tier = "service"
	TierHost      Tier = "host"
	TierContainer Tier = "container"
	TierAppPool   Tier = "app_pool"
	TierPooler    Tier = "pooler"
	TierDatabase  Tier = "database"
	TierCache     Tier = "cache"
	TierQueue     Tier = "queue"
)

// tiers are the known tiers, for validation.
var tiers = []Tier{TierService, TierHost, TierContainer, TierAppPool, TierPooler, TierDatabase, TierCache, TierQueue}

// Validate accepts a known tier or none.
func (t Tier) Validate() error {
	if t == "" || slices.Contains(tiers, t) {
		return nil
	}
	return fmt.Errorf("unknown tier %q (one of %v)", t, tiers)
}
