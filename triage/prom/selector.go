package prom

import (
	"fmt"
	"strings"

	promlabels "github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/scaletriage/scaletriage/triage"
)

// selectorParser is Prometheus' own PromQL parser: the selector is parsed as
// label matchers, never pasted into a query, so `job!=""}[5m])) * 0 + 5000 #`
// is refused instead of turning throughput into 5000.
var selectorParser = parser.NewParser(parser.Options{})

// ParseSelector reads a --selector: label matchers with or without braces
// (`job="api",env=~"prod|stage"`, `{job="api"}`), and returns them printed
// back in canonical PromQL (each value quoted and escaped by the parser's own
// printer) for the catalog's $SEL token. A metric name, a bare word, an
// invalid regular expression or anything after the matchers is an error
// that says what is wrong. The empty selector is valid and matches all.
func ParseSelector(sel string) (string, error) {
	matchers, err := parseMatchers(sel)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(matchers))
	for _, m := range matchers {
		parts = append(parts, m.String())
	}
	return strings.Join(parts, ","), nil
}

// ParseMatchers reads label matchers as ParseSelector does and returns
// them for matching label sets in the domain (a config's dependencies).
func ParseMatchers(sel string) (triage.Matchers, error) {
	matchers, err := parseMatchers(sel)
	if err != nil {
		return nil, err
	}
	out := make(triage.Matchers, 0, len(matchers))
	for _, m := range matchers {
		tm, err := triage.NewMatcher(m.Name, triage.MatchType(m.Type.String()), m.Value)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", sel, err)
		}
		out = append(out, tm)
	}
	return out, nil
}

func parseMatchers(sel string) ([]*promlabels.Matcher, error) {
	sel = strings.TrimSpace(sel)
	if sel == "" {
		return nil, nil
	}
	input := sel
	if !strings.HasPrefix(input, "{") {
		input = "{" + input + "}"
	}
	matchers, err := selectorParser.ParseMetricSelector(input)
	if err != nil {
		return nil, fmt.Errorf("selector %q is not a list of label matchers such as job=\"api\",env=~\"prod|stage\": %s", sel, firstLine(err.Error()))
	}
	for _, m := range matchers {
		if m.Name == "__name__" {
			return nil, fmt.Errorf("selector %q names a metric: the selector scopes every signal's own metrics, so give label matchers only", sel)
		}
	}
	return matchers, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
