package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// UPDATE ... FROM, DELETE ... USING and MERGE read their target table
// joined to other FROM items. The target is bound as a FROM item whose
// scan also yields each row's tuple id, in a hidden column right after the
// table's columns (a scope column without a name, which no reference can
// reach and * leaves out), so that the rows a join produces say which
// version of the target row to write. The join is planned as a SELECT's
// FROM and WHERE are (join.go).

// bindTargetJoin binds an UPDATE's FROM list or a DELETE's USING list with
// the target table first, and WHERE. It returns the plan, whose rows are
// the target's columns, its tuple id and the other items' columns, and the
// scope that SET, WHERE and RETURNING are bound in.
func (b *binder) bindTargetJoin(ref ast.TableRef, from []ast.TableExpr, where ast.Expr) (plan, *scope, error) {
	target := ref
	q := &ast.SelectStmt{From: append([]ast.TableExpr{&target}, from...), Where: where}
	b.dmlTarget = &target
	defer func() { b.dmlTarget = nil }()
	sc := &scope{}
	p, err := b.bindFromWhere(q, sc)
	if err != nil {
		return nil, nil, err
	}
	// The ON of a join among the other items cannot see the target (the
	// join flattened them into one list with it).
	width := len(sc.cols)
	if n, ok := p.(*multiJoinNode); ok {
		width = n.items[0].width
	}
	for _, on := range innerJoinConditions(from, nil) {
		if err := invalidReference(on, sc, 0, width, nil); err != nil {
			return nil, nil, err
		}
	}
	return p, sc, nil
}

// innerJoinConditions appends the ON conditions of the inner joins in
// items that bindFromWhere flattens.
func innerJoinConditions(items []ast.TableExpr, out []ast.Expr) []ast.Expr {
	for _, te := range items {
		if j, ok := te.(*ast.JoinExpr); ok && j.Flattenable() {
			if j.On != nil {
				out = append(out, j.On)
			}
			out = innerJoinConditions([]ast.TableExpr{j.Left, j.Right}, out)
		}
	}
	return out
}

// bindTargetItem binds the target of UPDATE ... FROM, DELETE ... USING or
// MERGE as a FROM item: a scan that appends each row's tuple id.
func (b *binder) bindTargetItem(ref *ast.TableRef) (plan, []scopeCol, error) {
	desc, err := b.lookupTable(*ref)
	if err != nil {
		return nil, nil, err
	}
	desc = b.inheritedTarget(*ref, desc)
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	cols := append(b.targetScope(desc, *ref).cols, scopeCol{table: name, t: types.New(types.Text), system: true})
	out := append(tableColumns(desc), Column{Type: types.New(types.Text)})
	return &scanNode{table: desc, cols: out, withID: true}, cols, nil
}

// multiSet is the subquery of an UPDATE's (a, b, ...) = (SELECT ...): it
// runs once for each row written, and its columns are appended to the row
// the SET expressions read, from base on.
type multiSet struct {
	sub  *subqueryExpr
	base int
}

// evalMulti runs the multiSet subqueries for row and returns row with
// their columns appended: NULLs when a subquery returns no row, and 21000
// when it returns more than one, as PostgreSQL does.
func evalMulti(ec *evalCtx, multi []multiSet, row []types.Datum) ([]types.Datum, error) {
	if len(multi) == 0 {
		return row, nil
	}
	out := append([]types.Datum(nil), row...)
	for _, m := range multi {
		from := ec.exec.memMark()
		rows, err := m.sub.rows(ec, row)
		if m.sub.correlated {
			ec.exec.memDrop(from, ec.exec.memMark())
		}
		if err != nil {
			return nil, err
		}
		out = out[:m.base]
		switch len(rows) {
		case 0:
			out = append(out, make([]types.Datum, len(m.sub.p.columns()))...)
		case 1:
			out = append(out, rows[0][:len(m.sub.p.columns())]...)
		default:
			return nil, pgerr.New(pgerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
		}
	}
	return out, nil
}
