package triage

import (
	"strings"
	"testing"
)

func TestScopeUnmatched(t *testing.T) {
	for _, tc := range []struct {
		name  string
		scope *ServiceScope
		want  []string // parts of the sentence; none: ""
	}{
		{"matched", &ServiceScope{Selector: `job="checkout"`, Identity: map[string][]string{"instance": {"checkout-1:8080"}}}, nil},
		{"no selector", &ServiceScope{}, nil},
		{"typo", &ServiceScope{Selector: `job="chekout"`, Existing: map[string][]string{"job": {"cart", "checkout", "catalog"}}},
			[]string{`{job="chekout"} matches none`, "job has cart, checkout, catalog", `did you mean job="checkout"?`}},
		{"nothing near", &ServiceScope{Selector: `job="billing"`, Existing: map[string][]string{"job": {"cart", "checkout"}}},
			[]string{"job has cart, checkout"}},
		{"label absent", &ServiceScope{Selector: `team="payments"`, Existing: map[string][]string{"team": nil}},
			[]string{"no series read carries team"}},
		{"many values", &ServiceScope{Selector: `job="x"`, Existing: map[string][]string{"job": {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}}},
			[]string{"and 2 more"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.scope.Unmatched()
			if len(tc.want) == 0 && got != "" {
				t.Errorf("got %q, want none", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			if tc.name == "nothing near" && strings.Contains(got, "did you mean") {
				t.Errorf("%q suggests a far value", got)
			}
		})
	}
}
