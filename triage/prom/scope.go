package prom

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/scaletriage/scaletriage/triage"
)

// serviceScope is what the collection knows of the service in trouble:
// nil when neither a selector nor config dependencies name one. With a
// selector, the label values its own series carry (instance, namespace,
// pod, node) are read from the index, one lookup per label, all at once
// and beside the signals' queries, so they add no round trip.
func (c *collector) serviceScope(ctx context.Context, cat triage.Catalog, present map[string]bool) *triage.ServiceScope {
	if c.o.Selector == "" && len(c.o.Dependencies) == 0 {
		return nil
	}
	sc := &triage.ServiceScope{Selector: c.o.Selector, Identity: map[string][]string{}, Dependencies: c.o.Dependencies}
	names := serviceMetrics(cat, present)
	if c.o.Selector == "" || len(names) == 0 {
		return sc
	}
	match := `{__name__=~"` + strings.Join(names, "|") + `",` + c.o.Selector + `}`
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, label := range triage.IdentityLabels {
		wg.Go(func() {
			values, err := c.labelValues(ctx, label, match)
			if err != nil || len(values) == 0 {
				return // no link from this label: entities stay unknown, never merged
			}
			mu.Lock()
			sc.Identity[label] = values
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(sc.Identity) == 0 {
		sc.Existing = c.existing(ctx, names)
	}
	return sc
}

// Unmatched says why the selector of o scoped nothing, for a pass that
// read nothing at all (Collect returns no snapshot then): the values its
// labels have on the series of cat's scoped candidates over the window,
// read from the index. "" when they carry the selector's values.
func Unmatched(ctx context.Context, q Querier, cat triage.Catalog, o Options) string {
	o, err := o.withDefaults()
	if err != nil || o.Selector == "" {
		return ""
	}
	c := &collector{q: q, o: o}
	names := serviceMetrics(cat, nil)
	if len(names) == 0 {
		return ""
	}
	sc := &triage.ServiceScope{Selector: o.Selector, Existing: c.existing(ctx, names)}
	return sc.Unmatched()
}

// existing reads, for a selector that matched none of the service's
// series, the values its labels do have there (index only): what the
// warning names and picks a close match from.
func (c *collector) existing(ctx context.Context, names []string) map[string][]string {
	matchers, err := parseMatchers(c.o.Selector)
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	match := `{__name__=~"` + strings.Join(names, "|") + `"}`
	for _, m := range matchers {
		if m.Name == "__name__" {
			continue
		}
		if values, err := c.labelValues(ctx, m.Name, match); err == nil {
			out[m.Name] = values
		}
	}
	return out
}

// serviceMetrics are the metric names of the candidates that the selector
// scopes and that exist: the service's own series (its requests, its pools,
// its database and messaging clients).
func serviceMetrics(cat triage.Catalog, present map[string]bool) []string {
	var out []string
	for _, d := range cat {
		for _, cand := range d.Candidates {
			if !cand.Scoped() {
				continue
			}
			for _, m := range cand.Metrics {
				if (present == nil || present[m]) && isMetricName(m) && !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// isMetricName keeps a name from the catalog (a config file may add any)
// out of the regular expression unless it is a plain metric name.
func isMetricName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}
