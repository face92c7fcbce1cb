package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// keyExprOps are the operators a key expression may apply: built-in
// arithmetic and concatenation, none volatile (cairn has no CREATE
// OPERATOR, so these are always the built-in ones).
var keyExprOps = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true, "^": true, "||": true}

// isKeyExpr reports whether e keeps one value for a whole scan of a table
// in scope sc, so that an index lookup may compute it once, as
// PostgreSQL's index quals take any expression free of the scanned
// relation's columns and of volatile functions: what isScanConst accepts,
// a PL/pgSQL variable or a routine's parameter (each a parameter of the
// statement), and casts and built-in operators over those. A function
// call is not accepted, since it may be volatile. The conjunct stays in
// the scan's filter, so the lookup only narrows which rows are read.
func (b *binder) isKeyExpr(e ast.Expr, sc *scope) bool {
	if b.isScanConst(e, sc) {
		return true
	}
	switch x := e.(type) {
	case *ast.ColumnRef:
		return b.namesParamNotColumn(x, sc)
	case *ast.CastExpr:
		return b.isKeyExpr(x.X, sc)
	case *ast.UnaryExpr:
		return (x.Op == "-" || x.Op == "+") && b.isKeyExpr(x.X, sc)
	case *ast.BinaryExpr:
		return keyExprOps[x.Op] && b.isKeyExpr(x.L, sc) && b.isKeyExpr(x.R, sc)
	}
	return false
}

// namesParamNotColumn reports whether x names no column in scope but a
// PL/pgSQL variable or a parameter of the routine being bound: the
// binder makes it a parameter of the statement.
func (b *binder) namesParamNotColumn(x *ast.ColumnRef, sc *scope) bool {
	var resolveErr error = pgerr.New(pgerr.UndefinedColumn, "no scope")
	if sc != nil {
		_, _, _, resolveErr = sc.resolve(x)
	}
	if resolveErr == nil {
		return false // a column (of this query or, then isScanConst, an outer one)
	}
	// bindColumn: a variable wins over a name that is no column.
	if b.plNames != nil && x.Index == 0 {
		var names []string
		for _, n := range []string{x.Schema, x.Table, x.Column} {
			if n != "" {
				names = append(names, n)
			}
		}
		if _, _, found, err := b.plNames.Resolve(names); found {
			return err == nil
		}
	}
	// bindExpr: a routine's parameter is tried when no column has the name.
	return pgerr.Code(resolveErr) == pgerr.UndefinedColumn && b.namesRoutineParam(x)
}
