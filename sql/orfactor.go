package sql

import "github.com/cairndb/cairn/sql/ast"

// factorOrs pulls the conditions every arm of an OR shares out of it:
// (A AND X) OR (A AND Y) becomes A AND (X OR Y), which holds in SQL's
// three-valued logic as well. PostgreSQL does the same when it
// canonicalizes a WHERE clause; it is what lets a join condition repeated
// in each arm (TPC-H's Q19) drive a hash join instead of a nested loop
// evaluating the whole OR for every pair of rows. When an arm is nothing
// but shared conditions, the OR is implied by them and is dropped.
//
// Only conditions built from columns, constants, parameters and plain
// operators are compared and moved: they have no side effects, so
// evaluating them once instead of once per arm changes nothing.
func factorOrs(conds []ast.Expr) []ast.Expr {
	var out []ast.Expr
	for _, c := range conds {
		out = append(out, factorOr(c)...)
	}
	return out
}

// factorOr returns c as a list of conjuncts, its OR's shared conditions
// first.
func factorOr(c ast.Expr) []ast.Expr {
	be, ok := c.(*ast.BinaryExpr)
	if !ok || be.Op != "OR" {
		return []ast.Expr{c}
	}
	var arms [][]ast.Expr
	for _, arm := range splitOr(c) {
		arms = append(arms, splitAnd(arm))
	}
	var shared []ast.Expr
	sharedKeys := map[string]bool{}
	for _, cand := range arms[0] {
		if !plainCondition(cand) {
			continue
		}
		key := exprKey(cand)
		if sharedKeys[key] {
			continue
		}
		inAll := true
		for _, arm := range arms[1:] {
			if !armHas(arm, key) {
				inAll = false
				break
			}
		}
		if inAll {
			shared = append(shared, cand)
			sharedKeys[key] = true
		}
	}
	if len(shared) == 0 {
		return []ast.Expr{c}
	}
	var rest ast.Expr
	for _, arm := range arms {
		var left []ast.Expr
		for _, e := range arm {
			if !plainCondition(e) || !sharedKeys[exprKey(e)] {
				left = append(left, e)
			}
		}
		if len(left) == 0 {
			// This arm is true whenever the shared conditions are.
			return shared
		}
		if rest == nil {
			rest = joinAnd(left)
		} else {
			rest = &ast.BinaryExpr{Op: "OR", L: rest, R: joinAnd(left), Pos: be.Pos}
		}
	}
	return append(shared, rest)
}

func armHas(arm []ast.Expr, key string) bool {
	for _, e := range arm {
		if plainCondition(e) && exprKey(e) == key {
			return true
		}
	}
	return false
}

// plainCondition reports whether e is made only of columns, constants,
// parameters, operators, IN lists, BETWEEN and IS tests: nothing
// volatile, nothing exprKey would render ambiguously (it leaves out a
// cast's type modifier, so casts are not compared).
func plainCondition(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.ColumnRef, *ast.ParamRef:
		return true
	case *ast.Literal:
		return true
	case *ast.UnaryExpr:
		return plainCondition(x.X)
	case *ast.BinaryExpr:
		return plainCondition(x.L) && plainCondition(x.R)
	case *ast.IsExpr:
		return plainCondition(x.X) && (x.Y == nil || plainCondition(x.Y))
	case *ast.BetweenExpr:
		return plainCondition(x.X) && plainCondition(x.Lo) && plainCondition(x.Hi)
	case *ast.InExpr:
		if x.Query != nil || x.Array != nil || !plainCondition(x.X) {
			return false
		}
		for _, v := range x.List {
			if !plainCondition(v) {
				return false
			}
		}
		return true
	}
	return false
}
