package triage

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// relatedPattern is what a `related` entry may be: a metric name, or a
// prefix of one followed by a single "*" (a glob on the name's end only, so
// that no entry can match every metric or need a regexp engine).
var relatedPattern = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*\*?$`)

// validateRelated rejects a related entry that is not a name or a prefix.
func (d SignalDef) validateRelated() error {
	for _, p := range d.Related {
		if !relatedPattern.MatchString(p) {
			return fmt.Errorf("signal %s: related %q is not a metric name or a name prefix ending in *", d.ID, p)
		}
	}
	return nil
}

// RelatedPresent are the metric names in present that the signal's related
// patterns match, sorted: the families that measure it under names its
// candidates could not run on.
func (d SignalDef) RelatedPresent(present map[string]bool) []string {
	var out []string
	for name, ok := range present {
		if ok && d.relates(name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func (d SignalDef) relates(name string) bool {
	return slices.ContainsFunc(d.Related, func(p string) bool {
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			return strings.HasPrefix(name, prefix)
		}
		return name == p
	})
}
