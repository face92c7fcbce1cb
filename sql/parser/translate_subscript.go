package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// subscript adds one [i] or [lo:hi] to sub. Once one subscript is a
// slice they all are: a plain [i] among them is [1:i], as in PostgreSQL.
func (t *translator) subscript(sub *ast.SubscriptExpr, idx *pg.A_Indices) error {
	var lo, hi ast.Expr
	var err error
	if idx.Uidx != nil {
		if hi, err = t.expr(idx.Uidx); err != nil {
			return err
		}
	}
	if idx.IsSlice && idx.Lidx != nil {
		if lo, err = t.expr(idx.Lidx); err != nil {
			return err
		}
	}
	if !idx.IsSlice {
		lo = &ast.Literal{Kind: "int", Text: "1", Pos: hi.Position()}
	}
	if idx.IsSlice && !sub.Slice {
		sub.Slice = true
		sub.Lowers = make([]ast.Expr, len(sub.Indexes))
		for k, i := range sub.Indexes {
			sub.Lowers[k] = &ast.Literal{Kind: "int", Text: "1", Pos: i.Position()}
		}
	}
	sub.Indexes = append(sub.Indexes, hi)
	if sub.Slice {
		sub.Lowers = append(sub.Lowers, lo)
	}
	return nil
}

// assignSubscripts translates the indirection of an assignment target
// column[i]... or column[lo:hi]...: its subscripts, or nil when it is not
// subscripts alone (column.field).
func (t *translator) assignSubscripts(ind []*pg.Node) (*ast.SubscriptExpr, error) {
	sub := &ast.SubscriptExpr{}
	for _, n := range ind {
		idx := n.GetAIndices()
		if idx == nil {
			return nil, nil
		}
		if err := t.subscript(sub, idx); err != nil {
			return nil, err
		}
	}
	return sub, nil
}
