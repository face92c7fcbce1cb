package sql

import (
	"sort"

	"github.com/cairndb/cairn/sql/ast"
)

// PostgreSQL prints a node's conditions in the order it evaluates them
// (createplan.c's order_qual_clauses): cheapest first, by the operators
// and functions each calls, keeping their order when they cost the same.
// A comparison of a column with a constant by equality goes through an
// equivalence class and comes back after the other conditions
// (generate_base_implied_equalities). cairn evaluates the conjuncts of a
// filter together, in any order, so the printed order is PostgreSQL's.

// qualOrder returns conjs in the order PostgreSQL prints them.
func qualOrder(conjs []ast.Expr) []ast.Expr {
	out := make([]ast.Expr, 0, len(conjs))
	for _, c := range conjs {
		if !constEquality(c) {
			out = append(out, c)
		}
	}
	for _, c := range conjs {
		if constEquality(c) {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return orderCost(out[i]) < orderCost(out[j]) })
	return out
}

// orderCost is what qualOrder sorts a conjunct by: its cost, or for x
// BETWEEN lo AND hi, which PostgreSQL's parser makes two conditions,
// the cost of one of them.
func orderCost(c ast.Expr) float64 {
	if betweenConjunct(c) {
		return qualCost(c) / 2
	}
	return qualCost(c)
}

// betweenConjunct reports whether c is x BETWEEN lo AND hi, which prints
// as two conditions of a qual list.
func betweenConjunct(c ast.Expr) bool {
	b, ok := c.(*ast.BetweenExpr)
	return ok && !b.Not && !b.Symmetric
}

// constEquality reports whether c is column = constant.
func constEquality(c ast.Expr) bool {
	if in, ok := c.(*ast.InExpr); ok && in.Query == nil && !in.Not && in.Op == "" && len(in.List) == 1 {
		// x IN (v) is x = v to PostgreSQL's parser.
		_, col := in.X.(*ast.ColumnRef)
		return col && isKeyConst(in.List[0])
	}
	be, ok := c.(*ast.BinaryExpr)
	if !ok || be.Op != "=" {
		return false
	}
	_, lcol := be.L.(*ast.ColumnRef)
	_, rcol := be.R.(*ast.ColumnRef)
	return lcol && isKeyConst(be.R) || rcol && isKeyConst(be.L)
}

// qualCost counts the operator and function calls of e, as
// cost_qual_eval charges them (an IN list half an operator per value).
func qualCost(e ast.Expr) float64 {
	switch x := e.(type) {
	case *ast.BinaryExpr:
		c := qualCost(x.L) + qualCost(x.R)
		if x.Op != "AND" && x.Op != "OR" {
			c++
		}
		return c
	case *ast.UnaryExpr:
		c := qualCost(x.X)
		if x.Op != "NOT" {
			c++
		}
		return c
	case *ast.FuncCall:
		c := 1.0
		for _, a := range x.Args {
			c += qualCost(a)
		}
		return c
	case *ast.IsExpr:
		c := qualCost(x.X)
		if x.Y != nil {
			c += 1 + qualCost(x.Y)
		}
		return c
	case *ast.InExpr:
		c := qualCost(x.X)
		if len(x.List) == 1 && x.Query == nil && x.Op == "" {
			return c + 1 // x = v
		}
		if x.List != nil {
			c += 0.5 * float64(len(x.List))
		}
		return c + 1
	case *ast.BetweenExpr:
		return qualCost(x.X) + qualCost(x.Lo) + qualCost(x.Hi) + 2
	case *ast.CastExpr:
		if isKeyConst(x.X) {
			return 0 // folded into a constant
		}
		return qualCost(x.X) + 1
	}
	return 0
}

// qualPart is the text of conjunct c in a qual list of several: x
// BETWEEN lo AND hi, printed as (x >= lo) AND (x <= hi) in parentheses,
// joins the list as its two conditions.
func qualPart(c ast.Expr, text string) string {
	if !betweenConjunct(c) || !wrapped(text) {
		return text
	}
	return text[1 : len(text)-1]
}

// wrapped reports whether s is one parenthesized expression: its first
// parenthesis closes at its end (quoted text aside).
func wrapped(s string) bool {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\'':
			quoted = !quoted
		case quoted:
		case s[i] == '(':
			depth++
		case s[i] == ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}
