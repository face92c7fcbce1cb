package sql

import "github.com/cairndb/cairn/sql/ast"

// bindRowInList binds (a, b) [NOT] IN ((1, 2), (3, 4)) as PostgreSQL's
// parser rewrites it: the row comparisons (a, b) = (1, 2) joined by OR
// (for NOT IN, <> joined by AND), so that a NULL field makes its
// comparison NULL rather than equal. ok is false for another IN.
func (b *binder) bindRowInList(x *ast.InExpr, sc *scope) (expr, bool, error) {
	row, isRow := x.X.(*ast.RowExpr)
	if !isRow || x.Query != nil || x.Array != nil || x.Op != "" || len(x.List) == 0 {
		return nil, false, nil
	}
	items := make([]*ast.RowExpr, len(x.List))
	for i, e := range x.List {
		r, ok := e.(*ast.RowExpr)
		if !ok {
			return nil, false, nil
		}
		items[i] = r
	}
	op := "="
	if x.Not {
		op = "<>"
	}
	var out expr
	for _, r := range items {
		c, err := b.bindRowComparison(op, row, r, sc, x.Pos)
		if err != nil {
			return nil, true, err
		}
		switch {
		case out == nil:
			out = c
		case x.Not:
			out = &andExpr{l: out, r: c}
		default:
			out = &orExpr{l: out, r: c}
		}
	}
	return out, true, nil
}
