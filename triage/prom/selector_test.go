package prom

import (
	"strings"
	"testing"
)

func TestParseSelector(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, ``},
		{`job="api"`, `job="api"`},
		{`{job="api"}`, `job="api"`},
		{` job = "api" , env=~"prod|stage" `, `job="api",env=~"prod|stage"`},
		{`job!="", code!~"5.."`, `job!="",code!~"5.."`},
		{`path="a\"b"`, `path="a\"b"`},
		{`job='api'`, `job="api"`},
	} {
		got, err := ParseSelector(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSelector(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// The hostile and broken selectors of the hardening issue: each is refused
// with a reason, never pasted into PromQL.
func TestParseSelectorRefuses(t *testing.T) {
	for _, tc := range []struct{ in, reason string }{
		{`job!=""}[5m])) * 0 + 5000 #`, "not a list of label matchers"},
		{`}`, "not a list of label matchers"},
		{`{`, "not a list of label matchers"},
		{`job=~"(["`, "not a list of label matchers"},
		{`api`, "not a list of label matchers"},
		{`up{job="api"}`, "not a list of label matchers"},
		{`{__name__="up"}`, "names a metric"},
		{"job=\"a\"\n} or vector(1)", "not a list of label matchers"},
	} {
		got, err := ParseSelector(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.reason) {
			t.Errorf("ParseSelector(%q) = %q, %v; want an error saying %q", tc.in, got, err, tc.reason)
		}
	}
}

func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{`job="api"`, `{env=~"a|b"}`, `job!=""}[5m])) * 0 + 5000 #`, `x="\u202e"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sel string) {
		canonical, err := ParseSelector(sel)
		if err != nil {
			return
		}
		// What is accepted prints back as matchers that parse to the same
		// canonical form: nothing the user typed leaks into a query unparsed.
		again, err := ParseSelector(canonical)
		if err != nil || again != canonical {
			t.Fatalf("%q -> %q -> %q, %v", sel, canonical, again, err)
		}
	})
}
