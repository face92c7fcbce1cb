package sql

import (
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// A WITH query that its statement refers to more than once is computed
// once per statement, as PostgreSQL computes it: each reference reads the
// same rows, so a volatile function in it (random(), nextval) gives every
// reference the same values. Its plan is bound once; the first reference
// to run it keeps its rows until the statement ends. A query referred to
// once is bound where it is referenced and streams, so that a LIMIT above
// it ends it early; so do recursive queries, whose rows may not end.

// sharedCTE is the plan of a WITH query its references share.
type sharedCTE struct{ p plan }

// sharedCTEScan reads a shared WITH query's rows.
type sharedCTEScan struct{ s *sharedCTE }

func (n *sharedCTEScan) columns() []Column { return n.s.p.columns() }

func (n *sharedCTEScan) run(ec *evalCtx) ([][]types.Datum, error) {
	x := ec.exec
	if rows, ok := x.cteCache[n.s]; ok {
		return rows, nil
	}
	from := x.memMark()
	var rows [][]types.Datum
	err := streamRows(ec, n.s.p, func(r []types.Datum) error {
		row := make([]types.Datum, len(r))
		copy(row, r)
		if err := ec.addRow(row); err != nil {
			return err
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if x.cteCache == nil {
		x.cteCache = make(map[*sharedCTE][][]types.Datum)
	}
	x.cteCache[n.s] = rows
	// Held to the statement's end, whatever range of it the enclosing
	// nodes drop.
	x.memPin(from)
	return rows, nil
}

// countCTERefs counts the references to q's WITH query c in q's body and
// its other WITH queries, leaving out those an inner WITH of the same
// name captures.
func countCTERefs(q *ast.SelectStmt, c *ast.CTE) (int, error) {
	n := 0
	w := &cteRefWalker{names: map[string]bool{c.Name: true}, found: func(*ast.TableRef, recursionContext) error {
		n++
		return nil
	}}
	for _, other := range q.With {
		if other != c {
			if err := w.cteBody(other); err != nil {
				return 0, err
			}
		}
	}
	err := w.selectBody(q)
	return n, err
}
