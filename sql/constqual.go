package sql

import (
	"context"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// constQual is what a WHERE condition is once PostgreSQL's planner has
// folded its constant parts: a condition of literals and immutable
// operators folds to a constant before any row is read.
type constQual int

const (
	qualVaries constQual = iota // depends on a row, a parameter, or a non-immutable call
	qualTrue                    // always true: the condition is dropped
	qualNever                   // false or NULL: no row can pass, nothing is scanned
)

// foldableQual reports whether e is built only of literals, casts,
// built-in operators and the immutable conditional expressions, so that
// its value is fixed when the query is planned. Column references,
// parameters, subqueries and function calls (which may be volatile or
// stable, or user-defined) are not.
func foldableQual(e ast.Expr) bool {
	ok := true
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch n := x.(type) {
		case *ast.Literal, *ast.CastExpr, *ast.UnaryExpr, *ast.BinaryExpr, *ast.IsExpr,
			*ast.BetweenExpr, *ast.CaseExpr:
		case *ast.InExpr:
			ok = n.Query == nil
		case *ast.FuncCall:
			// NULLIF and COALESCE are syntax in PostgreSQL, not calls.
			ok = n.Schema == "" && (n.Name == "nullif" || n.Name == "coalesce") &&
				n.Over == nil && n.Filter == nil && !n.Star && !n.Distinct && len(n.ArgNames) == 0 && len(n.OrderBy) == 0
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// foldQual folds WHERE conjunct e when it is constant (foldableQual):
// it binds and evaluates it once, as PostgreSQL's planner does. A
// condition that fails to bind or evaluate is left to run as written, so
// that its error (if any row reaches it) is reported as before.
func (b *binder) foldQual(e ast.Expr, sc *scope) constQual {
	if b.s == nil || !foldableQual(e) {
		return qualVaries
	}
	pred, err := b.bindExpr(e, sc)
	if err != nil {
		return qualVaries
	}
	if pred, err = b.coerce(pred, types.New(types.Bool), "argument of WHERE", e.Position()); err != nil {
		return qualVaries
	}
	v, err := b.evalConstant(pred)
	switch {
	case err != nil:
		return qualVaries
	case v == true:
		return qualTrue
	}
	return qualNever
}

// evalConstant evaluates pred, which reads no row, table or parameter,
// in the session's settings (a cast to text follows DateStyle).
func (b *binder) evalConstant(pred expr) (v types.Datum, err error) {
	x := &execCtx{ctx: context.Background(), s: b.s, mem: &b.s.mem}
	return pred.Eval(&evalCtx{exec: x}, nil)
}

// foldWhere folds the constant conjuncts of a WHERE clause: never is set
// when one of them is false or NULL; rest are the conditions left to
// evaluate per row, constant true ones dropped. The caller binds rest
// even when never is set, so that a bad condition is still refused.
func (b *binder) foldWhere(conds []ast.Expr, sc *scope) (rest []ast.Expr, never bool) {
	for _, c := range conds {
		switch b.foldQual(c, sc) {
		case qualNever:
			never = true
		case qualVaries:
			rest = append(rest, c)
		}
	}
	return rest, never
}

// joinAnd joins conditions with AND, left-deep as the parser builds it.
func joinAnd(conds []ast.Expr) ast.Expr {
	out := conds[0]
	for _, c := range conds[1:] {
		out = &ast.BinaryExpr{Op: "AND", L: out, R: c, Pos: c.Position()}
	}
	return out
}

// emptyResult is the plan of a query whose WHERE is constant false: its
// input's columns and no row, read from nothing (PostgreSQL's Result
// with One-Time Filter: false).
func emptyResult(in plan) *filterNode {
	return &filterNode{in: in, pred: &constExpr{t: types.New(types.Bool), v: false}, never: true}
}
