package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// SELECT DISTINCT ON (exprs) keeps the first row of each set of rows
// equal in exprs, first in the query's ORDER BY. As in PostgreSQL the
// rows are sorted on ORDER BY and then on the DISTINCT ON expressions
// ORDER BY does not name, so each set's rows come together, and ORDER
// BY must begin with the DISTINCT ON expressions (in any order) if it
// names any that are not among them.

// bindDistinctOn resolves q's DISTINCT ON expressions like ORDER BY items
// (output columns by name or position, else expressions appended as
// hidden columns) and returns the sort keys, the columns the rows are
// compared on, and the extended select list.
func (b *binder) bindDistinctOn(q *ast.SelectStmt, keys []sortKey, targets []ast.Target, cols []Column, exprs []expr, sc *scope) ([]sortKey, []int, []expr, error) {
	items := make([]ast.OrderItem, len(q.DistinctOn))
	for i, e := range q.DistinctOn {
		items[i] = ast.OrderItem{Expr: e}
	}
	onKeys, exprs, err := b.bindOrderBy(&ast.SelectStmt{OrderBy: items}, targets, cols, exprs, sc)
	if err != nil {
		return nil, nil, nil, err
	}
	// matches reports whether ORDER BY item j sorts on DISTINCT ON item i.
	matches := func(j, i int) bool {
		return keys[j].idx == onKeys[i].idx || exprKey(q.OrderBy[j].Expr) == exprKey(q.DistinctOn[i])
	}
	mismatch := func(i int) error {
		return pgerr.New(pgerr.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions").
			WithPosition(q.DistinctOn[i].Position())
	}
	covered := make([]bool, len(onKeys))
	skipped := false
	for j := range keys {
		found := -1
		for i := range onKeys {
			if matches(j, i) {
				found, covered[i] = i, true
			}
		}
		if found < 0 {
			skipped = true
			continue
		}
		if skipped {
			return nil, nil, nil, mismatch(found)
		}
	}
	var on []int
	for i, k := range onKeys {
		if !covered[i] && skipped {
			return nil, nil, nil, mismatch(i)
		}
		if err := checkOrderable(exprs[k.idx].Type(), "equality", q.DistinctOn[i].Position()); err != nil {
			return nil, nil, nil, err
		}
		on = append(on, k.idx)
		if !covered[i] {
			keys = append(keys, k)
		}
	}
	return keys, on, exprs, nil
}

// distinctOnNode keeps the first row of each run of rows equal in the
// columns keys; its input comes sorted on them.
type distinctOnNode struct {
	in   plan
	keys []int
}

func (n *distinctOnNode) columns() []Column { return n.in.columns() }

func (n *distinctOnNode) run(ec *evalCtx) ([][]types.Datum, error) { return collect(ec, n) }

func (n *distinctOnNode) stream(ec *evalCtx, fn rowFn) error {
	key := make([]types.Datum, len(n.keys))
	var last string
	first := true
	return streamRows(ec, n.in, func(r []types.Datum) error {
		for i, k := range n.keys {
			key[i] = r[k]
		}
		g := string(groupKey(key))
		if !first && g == last {
			return nil
		}
		first, last = false, g
		return fn(r)
	})
}
