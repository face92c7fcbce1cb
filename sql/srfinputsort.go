package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// Sorting before set-returning functions.
//
// A query with a set-returning function in its select list whose ORDER BY
// reads only the FROM rows (not the select list's output columns) is
// sorted as PostgreSQL sorts it: the FROM rows first, then each row
// expanded by the functions, so ORDER BY may name a column that is not in
// the select list and LIMIT cuts the expanded rows in order.

// srfOrderOnInput reports whether every ORDER BY item of q, which has a
// set-returning select list, is an expression over its FROM rows alone.
func srfOrderOnInput(q *ast.SelectStmt) bool {
	if q.Distinct || len(q.DistinctOn) > 0 || len(q.GroupBy) > 0 || q.Having != nil || q.WithTies {
		return false
	}
	for _, o := range q.OrderBy {
		switch x := o.Expr.(type) {
		case *ast.Literal:
			if x.Kind == "int" {
				return false // a select-list position
			}
		case *ast.ColumnRef:
			if x.Table == "" && !inputNameOnly(q.Targets, x) {
				return false
			}
		}
		bad := false
		ast.WalkExpr(o.Expr, func(e ast.Expr) bool {
			if f, ok := e.(*ast.FuncCall); ok && (isTableFunc(f.Name) || f.Over != nil || isAggregate(f.Name)) {
				bad = true
			}
			if _, ok := e.(*ast.SubqueryExpr); ok {
				bad = true
			}
			return !bad
		})
		if bad {
			return false
		}
	}
	return true
}

// inputNameOnly reports whether the bare column name c, which ORDER BY
// resolves first among the output columns, names no output column other
// than the same column itself.
func inputNameOnly(targets []ast.Target, c *ast.ColumnRef) bool {
	for _, t := range targets {
		if t.Star {
			continue
		}
		if t.Alias != "" {
			if t.Alias == c.Column {
				return false
			}
			continue
		}
		switch x := t.Expr.(type) {
		case *ast.ColumnRef:
			// The same column, or another whose name differs.
			if x.Column == c.Column && x.Table != "" {
				return false
			}
		case *ast.FuncCall:
			if x.Name == c.Column {
				return false
			}
		default:
			// An output name this check does not work out.
			return false
		}
	}
	return true
}

// sortSRFInput sorts from, whose columns sc holds, by q's ORDER BY keys:
// the keys are computed after from's columns, sorted on and dropped.
func (b *binder) sortSRFInput(q *ast.SelectStmt, from plan, sc *scope) (plan, error) {
	inCols := from.columns()
	exprs := make([]expr, 0, len(inCols)+len(q.OrderBy))
	cols := make([]Column, 0, len(inCols)+len(q.OrderBy))
	for i, c := range inCols {
		exprs = append(exprs, &colExpr{t: c.Type, idx: i})
		cols = append(cols, c)
	}
	keys := make([]sortKey, 0, len(q.OrderBy))
	for _, o := range q.OrderBy {
		e, err := b.bindExpr(o.Expr, sc)
		if err != nil {
			return nil, err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, textT, false, o.Expr.Position()); err != nil {
				return nil, err
			}
		}
		if err := checkOrderable(e.Type(), "ordering", o.Expr.Position()); err != nil {
			return nil, err
		}
		k := sortKey{idx: len(exprs), desc: o.Desc, nullsFirst: o.Desc}
		if c, ok := e.(*colExpr); ok && c.level == 0 {
			k.idx = c.idx
		} else {
			exprs = append(exprs, e)
			cols = append(cols, Column{Name: "?sort?", Type: e.Type()})
		}
		if o.NullsFirst != nil {
			k.nullsFirst = *o.NullsFirst
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, pgerr.New(pgerr.InternalError, "no sort keys")
	}
	var p plan = &projectNode{in: from, exprs: exprs, cols: cols}
	p = &sortNode{in: p, keys: keys}
	if len(exprs) > len(inCols) {
		p = &trimNode{in: p, width: len(inCols)}
	}
	return p, nil
}
