package prom

import (
	"context"
	"strconv"
	"strings"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/scaletriage/scaletriage/triage"
)

// maxConditionText is the longest expression side printed as it is.
const maxConditionText = 60

// alertConditions reads /api/v1/rules and gives, per alerting rule name,
// its condition when readable (see Condition).
func (c *Client) alertConditions(ctx context.Context) (map[string]string, error) {
	var res v1.RulesResult
	err := c.do(ctx, func(ctx context.Context, _ time.Duration) error {
		var err error
		res, err = c.api.Rules(ctx, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, g := range res.Groups {
		for _, r := range g.Rules {
			if ar, ok := r.(v1.AlertingRule); ok {
				if cond := Condition(ar.Query); cond != "" {
					out[ar.Name] = cond
				}
			}
		}
	}
	return out, nil
}

// Condition is an alerting rule's threshold in words when the expression
// is one comparison with a number ("P99 > 500 ms" for
// histogram_quantile(0.99, ...seconds_bucket...) > 0.5); "" when it is not
// (an `or`, `absent`, a comparison of two series).
func Condition(expr string) string {
	e, err := selectorParser.ParseExpr(expr)
	if err != nil {
		return ""
	}
	b, ok := unparen(e).(*parser.BinaryExpr)
	if !ok || !b.Op.IsComparisonOperator() {
		return ""
	}
	side, op := unparen(b.LHS), b.Op.String()
	n, ok := unparen(b.RHS).(*parser.NumberLiteral)
	if !ok {
		if n, ok = side.(*parser.NumberLiteral); !ok {
			return ""
		}
		side, op = unparen(b.RHS), flipComparison(op)
	}
	what, unit := describe(side)
	return what + " " + op + " " + triage.FormatNumber(n.Val, unit)
}

func unparen(e parser.Expr) parser.Expr {
	for {
		p, ok := e.(*parser.ParenExpr)
		if !ok {
			return e
		}
		e = p.Expr
	}
}

func flipComparison(op string) string {
	switch op {
	case "<":
		return ">"
	case ">":
		return "<"
	case "<=":
		return ">="
	case ">=":
		return "<="
	}
	return op
}

// describe names one side of a comparison: a quantile as P99, else the
// expression itself when short; the unit is seconds when it reads a
// *_seconds metric.
func describe(e parser.Expr) (string, triage.Unit) {
	unit := triage.Unit("")
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && (strings.HasSuffix(vs.Name, "_seconds_bucket") || strings.HasSuffix(vs.Name, "_seconds")) {
			unit = triage.UnitSeconds
		}
		return nil
	})
	if call, ok := e.(*parser.Call); ok && call.Func.Name == "histogram_quantile" && len(call.Args) == 2 {
		if q, ok := unparen(call.Args[0]).(*parser.NumberLiteral); ok && q.Val > 0 && q.Val < 1 {
			return "P" + strconv.FormatFloat(q.Val*100, 'f', -1, 64), unit
		}
	}
	text := e.String()
	if len(text) > maxConditionText {
		text = "the rule's expression"
	}
	return text, unit
}
