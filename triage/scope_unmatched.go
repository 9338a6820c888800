package triage

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// shownValues bounds the label values a warning lists.
const shownValues = 8

// Unmatched says why a selector scoped nothing: the labels it looked for
// and the values they have on the service's series, with the closest
// value when one is near ("did you mean job=\"checkout\"?"). "" when the
// selector matched.
func (s *ServiceScope) Unmatched() string {
	if !s.MatchesNothing() {
		return ""
	}
	return "{" + s.Selector + "} matches none of the series the tool reads for a service, so the findings are the fleet's" + s.ExistingText()
}

// ExistingText is, for a selector that matched nothing, what its labels do
// have: "; job has cart, checkout (did you mean job=\"checkout\"?)".
func (s *ServiceScope) ExistingText() string {
	if !s.MatchesNothing() {
		return ""
	}
	var out string
	for _, label := range slices.Sorted(maps.Keys(s.Existing)) {
		values := s.Existing[label]
		if len(values) == 0 {
			out += fmt.Sprintf("; no series read carries %s", label)
			continue
		}
		shown := values[:min(len(values), shownValues)]
		more := ""
		if len(values) > shownValues {
			more = fmt.Sprintf(" and %d more", len(values)-shownValues)
		}
		out += fmt.Sprintf("; %s has %s%s", label, strings.Join(shown, ", "), more)
		if near, ok := closest(selectorValue(s.Selector, label), values); ok {
			out += fmt.Sprintf(" (did you mean %s=%s?)", label, strconv.Quote(near))
		}
	}
	return out
}

// selectorValue is the value a selector's equality matcher gives label,
// "" when it has none.
func selectorValue(selector, label string) string {
	for part := range strings.SplitSeq(selector, ",") {
		name, value, ok := strings.Cut(part, "=")
		if ok && strings.TrimSpace(name) == label && !strings.HasPrefix(value, "~") {
			if v, err := strconv.Unquote(strings.TrimSpace(value)); err == nil {
				return v
			}
		}
	}
	return ""
}

// closest is the value nearest to want by edit distance, when it is
// within a third of want's length (at least 1) and not want itself.
func closest(want string, values []string) (string, bool) {
	if want == "" {
		return "", false
	}
	best, bestD := "", max(len(want)/3, 1)+1
	for _, v := range values {
		if d := editDistance(strings.ToLower(want), strings.ToLower(v)); d < bestD && v != want {
			best, bestD = v, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
