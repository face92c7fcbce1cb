package sql

import (
	"bytes"
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Ordered index scans. A query over one table whose ORDER BY lists the
// columns of a btree index that follow the columns its WHERE fixes by
// equality reads the index in key order (backward for DESC) and needs no
// Sort. Keys order NULL first, while ASC puts NULLs last (and DESC
// first): the scan reads the entries whose ordered column is not NULL,
// then those where it is (backward: the other way round), so the first
// ordered column may hold NULLs; any further one must be NOT NULL.
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
	if !ok || scan.index == nil || scan.key != nil || scan.index.in != nil || len(scan.inh) > 0 || scan.memo != nil || scan.table.IsPartitioned() {
		return false
	}
	s := scan.index
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
		if j > 0 && !scan.table.Columns[c.idx].NotNull {
			return false
		}
	}
	s.ordered, s.backward = true, backward
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
	r := ranges[0]
	var prefix []byte
	for _, e := range s.eq {
		v, err := e.Eval(ec, nil)
		if err != nil {
			return err
		}
		prefix = types.AppendKey(prefix, []types.Datum{v})
	}
	nullLo := append(slices.Clip(prefix), types.KeyNull)
	nullHi := append(slices.Clip(prefix), types.KeyNull+1)
	maxKey := func(a, b []byte) []byte {
		if bytes.Compare(a, b) >= 0 {
			return a
		}
		return b
	}
	parts := []keyRange{{maxKey(r.lower, nullHi), r.upper}}
	if bytes.Compare(r.lower, nullHi) < 0 {
		parts = append(parts, keyRange{maxKey(r.lower, nullLo), nullHi})
	}
	if s.backward {
		slices.Reverse(parts)
	}
	keys := newIndexKeys(table)
	seen := make(map[string]bool)
	for _, part := range parts {
		if part.upper != nil && bytes.Compare(part.lower, part.upper) >= 0 {
			continue
		}
		var entries []indexEntry
		err := x.s.e.heap.ScanIndexEntries(x.snap, table.StorageID(), s.index.StorageID(), part.lower, part.upper, func(key, pk []byte) error {
			entries = append(entries, indexEntry{slices.Clone(key), slices.Clone(pk)})
			return x.tick()
		})
		if err != nil {
			return err
		}
		if s.backward {
			slices.Reverse(entries)
		}
		for _, ent := range entries {
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
	}
	return nil
}
