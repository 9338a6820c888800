package prom

import (
	"github.com/prometheus/prometheus/promql/parser"
)

// withoutReplica rewrites a query so that each selection of raw series is
// reduced over the replica label before anything else sees it: `max without
// (label)` around every instant vector selector and around every function
// of a range selector (rate, *_over_time...). The pair's replicas scrape the
// same targets, so their values agree to a scrape's jitter and max keeps
// one; sums, ratios and histogram buckets above then count each series once.
// A query the parser cannot read is returned unchanged with the error.
func withoutReplica(query, label string) (string, error) {
	expr, err := selectorParser.ParseExpr(query)
	if err != nil {
		return query, err
	}
	return dedupExpr(expr, label).String(), nil
}

func dedupExpr(e parser.Expr, label string) parser.Expr {
	reduce := func(inner parser.Expr) parser.Expr {
		return &parser.AggregateExpr{Op: parser.MAX, Without: true, Grouping: []string{label}, Expr: inner}
	}
	switch n := e.(type) {
	case *parser.VectorSelector:
		return reduce(n)
	case *parser.Call:
		// timestamp() reads the sample's own time, which an aggregation
		// would replace by the evaluation time: reduce its result instead.
		if n.Func.Name == "timestamp" || takesRange(n) {
			return reduce(n)
		}
		for i, arg := range n.Args {
			n.Args[i] = dedupExpr(arg, label)
		}
	case *parser.AggregateExpr:
		n.Expr = dedupExpr(n.Expr, label)
		if n.Param != nil {
			n.Param = dedupExpr(n.Param, label)
		}
	case *parser.BinaryExpr:
		n.LHS, n.RHS = dedupExpr(n.LHS, label), dedupExpr(n.RHS, label)
	case *parser.ParenExpr:
		n.Expr = dedupExpr(n.Expr, label)
	case *parser.UnaryExpr:
		n.Expr = dedupExpr(n.Expr, label)
	case *parser.SubqueryExpr:
		n.Expr = dedupExpr(n.Expr, label)
	case *parser.StepInvariantExpr:
		n.Expr = dedupExpr(n.Expr, label)
	}
	return e
}

// takesRange reports whether a call reads a range selector directly.
func takesRange(c *parser.Call) bool {
	for _, arg := range c.Args {
		if _, ok := arg.(*parser.MatrixSelector); ok {
			return true
		}
	}
	return false
}
