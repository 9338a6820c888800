package prom

import (
	"fmt"
	"strings"

	"github.com/prometheus/prometheus/promql/parser"
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
	sel = strings.TrimSpace(sel)
	if sel == "" {
		return "", nil
	}
	input := sel
	if !strings.HasPrefix(input, "{") {
		input = "{" + input + "}"
	}
	matchers, err := selectorParser.ParseMetricSelector(input)
	if err != nil {
		return "", fmt.Errorf("selector %q is not a list of label matchers such as job=\"api\",env=~\"prod|stage\": %s", sel, firstLine(err.Error()))
	}
	parts := make([]string, 0, len(matchers))
	for _, m := range matchers {
		if m.Name == "__name__" {
			return "", fmt.Errorf("selector %q names a metric: the selector scopes every signal's own metrics, so give label matchers only", sel)
		}
		parts = append(parts, m.String())
	}
	return strings.Join(parts, ","), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
