package sql

import (
	"errors"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Correlated scans and IN sets, computed once per statement.
//
// A correlated subquery runs once per outer row. When its scan of a table
// is narrowed by equalities with the outer row's values (b.x = a.y) and
// no index or primary key serves them, every run would read the whole
// table: instead the first run reads it once into a hash table keyed on
// those columns (a scanMemo), and each run hands on only the rows with
// the outer row's key. The filter above the scan still checks the whole
// WHERE clause, so the key only has to find every matching row. The
// table holds the rows the statement's snapshot sees, as every run of
// the scan would; it is counted in the statement's memory to its end,
// and when the memory budget cannot hold it the scan runs plainly.
//
// An uncorrelated x IN (subquery) likewise builds the set of the
// subquery's values once (an inSet), and each test is a lookup.

// scanMemoKeys are the columns of a scan that equalities with an enclosing
// query's values fix, and those values, bound and cast to the columns'
// key form.
type scanMemoKeys struct {
	cols []int
	vals []expr
}

// scanMemo is a correlated scan's table, built on its first run.
type scanMemo struct {
	snap txn.Snapshot
	// rows by the key of their memo columns; nil when the statement's
	// memory could not hold them (the scan then runs plainly).
	rows map[string][][]types.Datum
	key  []byte
}

// hashKeyExact reports whether two values of type t are equal (=) exactly
// when their grouping keys are.
func hashKeyExact(t types.T) bool {
	switch t.ID {
	case types.Text, types.Varchar, types.Bool, types.Float4, types.Float8, types.UUID,
		types.Date, types.Timestamp, types.TimestampTZ:
		return true
	}
	return t.IsInteger()
}

// scanMemoKeys finds the conjuncts col = outer value on the table whose
// columns sit at off in sc, or nil.
func (b *binder) scanMemoKeys(conjs []ast.Expr, sc *scope, table *catalog.TableDesc, off int) *scanMemoKeys {
	column := func(e ast.Expr) int {
		cr, ok := e.(*ast.ColumnRef)
		if !ok || !b.inScope(cr, sc) {
			return -1
		}
		idx, level, _, err := sc.resolve(cr)
		if err != nil || level != 0 || idx < off || idx >= off+len(table.Columns) {
			return -1
		}
		return idx - off
	}
	var k scanMemoKeys
	for _, conj := range conjs {
		for _, e := range splitAnd(conj) {
			be, ok := e.(*ast.BinaryExpr)
			if !ok || be.Op != "=" {
				continue
			}
			col, other := column(be.L), be.R
			if col < 0 {
				col, other = column(be.R), be.L
			}
			if col < 0 || isKeyConst(other) || !b.isScanConst(other, sc) {
				continue
			}
			t := table.Columns[col].Type
			if !hashKeyExact(t) {
				continue
			}
			v, ok := b.keyValue(other, t, sc)
			if !ok {
				continue
			}
			k.cols, k.vals = append(k.cols, col), append(k.vals, v)
		}
	}
	if len(k.cols) == 0 {
		return nil
	}
	return &k
}

// errMemoTooBig ends building a scanMemo the memory budget refused.
var errMemoTooBig = errors.New("scan memo exceeds the memory budget")

// memoFor returns the scan's memo for this statement, building it on the
// first run, or nil when the scan runs plainly.
func (n *scanNode) memoFor(ec *evalCtx) (*scanMemo, error) {
	x := ec.exec
	if n.memo == nil || n.withID || len(n.inh) > 0 || x == nil {
		return nil, nil
	}
	if m := x.scanMemos[n]; m != nil && m.snap == x.snap {
		if m.rows == nil {
			return nil, nil
		}
		return m, nil
	}
	m := &scanMemo{snap: x.snap, rows: make(map[string][][]types.Datum)}
	from := x.memMark()
	err := n.scan(ec, func(_ heap.TupleID, row []types.Datum) error {
		m.key = m.key[:0]
		for _, c := range n.memo.cols {
			if row[c] == nil {
				return nil // NULL equals nothing
			}
			m.key = appendGroupKey(m.key, row[c])
		}
		size := rowBytes(row) + sliceHeaderBytes
		bucket, ok := m.rows[string(m.key)]
		if !ok {
			size += hashEntryBytes + int64(len(m.key))
		}
		if x.grow(size) != nil {
			return errMemoTooBig
		}
		m.rows[string(m.key)] = append(bucket, row)
		return nil
	})
	switch {
	case errors.Is(err, errMemoTooBig):
		x.memDrop(from, x.memMark())
		m.rows = nil
	case err != nil:
		x.memDrop(from, x.memMark())
		return nil, err
	default:
		x.memPin(from)
	}
	if x.scanMemos == nil {
		x.scanMemos = make(map[*scanNode]*scanMemo)
	}
	x.scanMemos[n] = m
	if m.rows == nil {
		return nil, nil
	}
	return m, nil
}

// lookup hands on the memo's rows whose key the outer row's values make.
func (m *scanMemo) lookup(ec *evalCtx, n *scanNode, fn rowFn) error {
	m.key = m.key[:0]
	for _, e := range n.memo.vals {
		v, err := e.Eval(ec, nil)
		if err != nil || v == nil {
			return err
		}
		m.key = appendGroupKey(m.key, v)
	}
	for _, r := range m.rows[string(m.key)] {
		if err := ec.tick(); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// inSet is the values of an uncorrelated IN subquery, by grouping key.
type inSet struct {
	vals    map[string]bool
	hasNull bool
	empty   bool
}

// inSetFor returns the set of e's values, building it on the first test,
// or nil when e's values cannot be looked up by key.
func (e *subqueryExpr) inSetFor(c *evalCtx, rows [][]types.Datum) (*inSet, error) {
	x := c.exec
	if e.kind != subIn || e.correlated || x == nil || !hashKeyExact(e.left.Type()) {
		return nil, nil
	}
	if s := x.inSets[e]; s != nil {
		return s, nil
	}
	from := x.memMark()
	s := &inSet{vals: make(map[string]bool, len(rows)), empty: len(rows) == 0}
	var key []byte
	for _, r := range rows {
		if err := c.tick(); err != nil {
			return nil, err
		}
		v, err := e.conv.Eval(c, r)
		if err != nil {
			return nil, err
		}
		if v == nil {
			s.hasNull = true
			continue
		}
		key = appendGroupKey(key[:0], v)
		if !s.vals[string(key)] {
			if err := c.grow(hashEntryBytes + int64(len(key))); err != nil {
				return nil, err
			}
			s.vals[string(key)] = true
		}
	}
	x.memPin(from)
	if x.inSets == nil {
		x.inSets = make(map[*subqueryExpr]*inSet)
	}
	x.inSets[e] = s
	return s, nil
}

// test is inResult over the set: x IN set is true when x is in it, NULL
// when x is NULL or the set holds a NULL (and it is not empty), else
// false; NOT IN the opposite.
func (s *inSet) test(x types.Datum, not bool) types.Datum {
	if x == nil {
		if s.empty {
			return not
		}
		return nil
	}
	if s.vals[string(appendGroupKey(nil, x))] {
		return !not
	}
	if s.hasNull {
		return nil
	}
	return not
}
