package sql

import (
	"bytes"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Ordered index scans. A query over one table whose ORDER BY lists the
// columns of a btree index that follow the columns its WHERE fixes by
// equality (or, with LIMIT, its leading columns) reads the index in key
// order (backward for DESC) and needs no Sort. Keys order NULL first,
// while ASC puts NULLs last (and DESC first): for each ordered column
// the entries of a group come as a run of NULLs then runs of equal
// values, and the scan returns the value runs before the NULL run
// (nullsLast), a linear pass over entries already in key order.
//
// Entries are not versioned (heap/doc.go): an entry may lead to a row
// since updated to another key. An ordered scan therefore returns a row
// only at the entry that holds the row's current key, which puts every
// row at its place and returns it once.

// orderByIndex reports whether the rows of from, in the order of sort
// keys keys over the select list exprs, can come from from's index scan;
// it then makes that scan ordered.
func (b *binder) orderByIndex(q *ast.SelectStmt, sc *scope, from plan, exprs []expr, keys []sortKey) bool {
	if f, ok := from.(*filterNode); ok && !f.never {
		from = f.in
	}
	scan, ok := from.(*scanNode)
	if ok && scan.index == nil && scan.key == nil && scan.memo == nil && len(scan.inh) == 0 && len(keys) == 1 && len(q.OrderBy) == 1 &&
		b.orderByDistance(scan, q.OrderBy[0], exprs[keys[0].idx], sc) {
		return true
	}
	if !ok || scan.key != nil || scan.am != nil || len(scan.inh) > 0 || scan.memo != nil || scan.table.IsPartitioned() {
		return false
	}
	if scan.index == nil {
		// With LIMIT, a whole index read in order saves sorting every row.
		if q.Limit == nil {
			return false
		}
		for i := range scan.table.Indexes {
			s := &indexScan{index: scan.table.Indexes[i]}
			if s.index.Predicate == "" && b.orderIndexScan(scan, s, exprs, keys) {
				scan.index = s
				return true
			}
		}
		return false
	}
	return scan.index.in == nil && b.orderIndexScan(scan, scan.index, exprs, keys)
}

// orderIndexScan reports whether s, a scan of scan's table, can return
// its rows in the order of keys, and then makes it do so.
func (b *binder) orderIndexScan(scan *scanNode, s *indexScan, exprs []expr, keys []sortKey) bool {
	idx := &s.index
	if idx.Method != "" || idx.Desc != nil || idx.NullsFirst != nil || len(s.eq)+len(keys) > len(idx.Columns) {
		return false
	}
	backward := keys[0].desc
	for j, k := range keys {
		c, ok := exprs[k.idx].(*colExpr)
		if !ok || c.level != 0 || c.idx >= len(scan.table.Columns) {
			return false
		}
		pos := len(s.eq) + j
		if idx.Columns[pos] != c.idx || idx.KeyExpr(pos) != "" || k.desc != backward || k.nullsFirst != backward {
			return false
		}
		if !keyOrdersValues(scan.table.Columns[c.idx].Type) {
			return false
		}
	}
	s.ordered, s.backward, s.orderCols = true, backward, len(keys)
	return true
}

// keyOrdersValues reports whether keys of type t sort as the values do
// and nullsLast can find their ends (types.KeyValueLen).
func keyOrdersValues(t types.T) bool {
	if !orderedKey(t) {
		return false
	}
	switch t.ID {
	case types.Bytea, types.Inet, types.Cidr:
		return false
	}
	return true
}

// indexEntry is an index entry read by an ordered scan.
type indexEntry struct{ key, pk []byte }

// scanOrdered is scan for an ordered index scan.
func (s *indexScan) scanOrdered(ec *evalCtx, table *catalog.TableDesc, visit func(heap.Tuple) error) error {
	x := ec.exec
	ranges, err := s.ranges(ec)
	if err != nil || len(ranges) == 0 {
		return err
	}
	var prefix []byte
	for _, e := range s.eq {
		v, err := e.Eval(ec, nil)
		if err != nil {
			return err
		}
		prefix = types.AppendKey(prefix, []types.Datum{v})
	}
	post, err := s.evalPost(ec)
	if err != nil {
		return err
	}
	var entries []keyedEntry
	r := ranges[0]
	err = x.s.e.heap.ScanIndexEntries(x.snap, table.StorageID(), s.index.StorageID(), r.lower, r.upper, func(key, pk []byte) error {
		if post.match(key) {
			entries = append(entries, keyedEntry{indexEntry{slices.Clone(key), slices.Clone(pk)}, len(prefix)})
		}
		return x.tick()
	})
	if err != nil {
		return err
	}
	ordered, err := nullsLast(entries, s.orderCols, s.backward, nil)
	if err != nil {
		return err
	}
	keys := newIndexKeys(table)
	seen := make(map[string]bool)
	for _, ent := range ordered {
		if seen[string(ent.pk)] {
			continue
		}
		err := x.s.e.heap.ScanKey(x.snap, table.StorageID(), ent.pk, func(t heap.Tuple) error {
			row, err := types.DecodeRow(t.Data)
			if err != nil {
				return err
			}
			k, in, err := keys.entry(x, &s.index, row)
			if err != nil || !in || !bytes.Equal(k, ent.key) {
				return err // a stale entry: the row is met at its own
			}
			seen[string(ent.pk)] = true
			return visit(t)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// keyedEntry is an index entry and the offset in its key of the next
// ordered column.
type keyedEntry struct {
	indexEntry
	off int
}

// nullsLast appends to out the entries ents, which are in key order, in
// the order of their next levels columns with NULLs last (backward:
// descending, NULLs first). Keys put NULL first, so each column's entries
// are a run of NULLs followed by runs of equal values: a pass over the
// runs, not a sort, reorders them.
func nullsLast(ents []keyedEntry, levels int, backward bool, out []indexEntry) ([]indexEntry, error) {
	if levels == 0 || len(ents) == 0 {
		for i := range ents {
			e := ents[i]
			if backward {
				e = ents[len(ents)-1-i]
			}
			out = append(out, e.indexEntry)
		}
		return out, nil
	}
	var runs [][]keyedEntry // the NULL run, then one run per value
	var last []byte
	for i := range ents {
		e := &ents[i]
		n, ok := types.KeyValueLen(e.key[min(e.off, len(e.key)):])
		if !ok {
			return nil, pgerr.New(pgerr.DataCorrupted, "index key of %d bytes has no value at offset %d", len(e.key), e.off)
		}
		v := e.key[e.off : e.off+n]
		e.off += n
		switch {
		case i == 0 && v[0] != types.KeyNull:
			runs = append(runs, nil, ents[i:i+1])
		case i == 0:
			runs = append(runs, ents[i:i+1])
		case bytes.Equal(v, last):
			runs[len(runs)-1] = ents[i-len(runs[len(runs)-1]) : i+1]
		default:
			runs = append(runs, ents[i:i+1])
		}
		last = v
	}
	order := append(runs[1:], runs[0]) // the values, then the NULLs
	if backward {
		slices.Reverse(order)
	}
	var err error
	for _, run := range order {
		if out, err = nullsLast(run, levels-1, backward, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}
