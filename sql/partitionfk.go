package sql

import (
	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Foreign keys of partitioned tables. PostgreSQL clones a partitioned
// table's foreign keys into its partitions; cairn keeps them on the
// partitioned table, and its leaf partitions, which hold the rows,
// enforce them: a leaf's rules include those of its partitioned
// ancestors, their columns matched to the leaf's by name, and a table
// that a partitioned table's foreign key references sees the leaves as
// the referencing tables. Adding such a foreign key checks the rows of
// every leaf. A foreign key referencing a partitioned table finds the key
// in the leaf partition its values route to, and the leaves of the
// referenced table act for it on their deletes and updates.

// mapFK is foreign key fk of table from with its referencing columns
// moved to table to's columns of the same names; ok is false when to
// lacks one.
func mapFK(fk catalog.ForeignKeyDesc, from, to *catalog.TableDesc) (catalog.ForeignKeyDesc, bool) {
	move := func(cols []int) ([]int, bool) {
		if cols == nil {
			return nil, true
		}
		out := make([]int, len(cols))
		for i, c := range cols {
			if out[i] = to.ColumnIndex(from.Columns[c].Name); out[i] < 0 {
				return nil, false
			}
		}
		return out, true
	}
	out := fk
	var ok1, ok2 bool
	out.Columns, ok1 = move(fk.Columns)
	out.DeleteSetColumns, ok2 = move(fk.DeleteSetColumns)
	return out, ok1 && ok2
}

// inheritableFK reports whether a partitioned table's foreign key is one
// its partitions enforce: one whose referenced table exists.
func (b *binder) inheritableFK(fk catalog.ForeignKeyDesc) (bool, error) {
	ref, _, err := b.s.e.cat.Lookup(b.snap, fk.RefTable)
	if err != nil {
		return false, err
	}
	return ref != nil, nil
}

// ancestorFKs returns the foreign keys partition desc has from its
// partitioned ancestors, on desc's columns.
func (b *binder) ancestorFKs(desc *catalog.TableDesc) ([]catalog.ForeignKeyDesc, error) {
	var out []catalog.ForeignKeyDesc
	cur := desc
	for depth := 0; cur.PartBound != nil && len(cur.Inherits) == 1; depth++ {
		if depth > inheritDepthMax {
			return nil, pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", desc.Name)
		}
		parent, _, err := b.s.e.cat.Lookup(b.snap, cur.Inherits[0])
		if err != nil {
			return nil, err
		}
		if parent == nil || !parent.IsPartitioned() {
			break
		}
		for _, fk := range parent.ForeignKeys {
			ok, err := b.inheritableFK(fk)
			if err != nil {
				return nil, err
			}
			if m, mapped := mapFK(fk, parent, desc); ok && mapped {
				out = append(out, m)
			}
		}
		cur = parent
	}
	return out, nil
}

// leafPartitions returns the leaf partitions under partitioned table t.
func (b *binder) leafPartitions(t *catalog.TableDesc) ([]*catalog.TableDesc, error) {
	var out []*catalog.TableDesc
	var walk func(t *catalog.TableDesc, depth int) error
	walk = func(t *catalog.TableDesc, depth int) error {
		if depth > inheritDepthMax {
			return pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", t.Name)
		}
		kids, err := b.children(t, map[string]bool{})
		if err != nil {
			return err
		}
		for _, k := range kids {
			switch {
			case k.PartBound == nil:
			case k.IsPartitioned():
				if err := walk(k, depth+1); err != nil {
					return err
				}
			default:
				out = append(out, k)
			}
		}
		return nil
	}
	return out, walk(t, 0)
}

// referencingRules binds foreign key fk of table t, referencing parent,
// for parent's side: one rule for t, or one per leaf when t is
// partitioned.
func (b *binder) referencingRules(fk catalog.ForeignKeyDesc, t, parent *catalog.TableDesc) ([]*fkRule, error) {
	if !t.IsPartitioned() {
		r, err := newFKRule(fk, t, parent)
		if err != nil {
			return nil, err
		}
		return []*fkRule{r}, nil
	}
	if parent.IsPartitioned() {
		return nil, nil
	}
	leaves, err := b.leafPartitions(t)
	if err != nil {
		return nil, err
	}
	var out []*fkRule
	for _, l := range leaves {
		m, ok := mapFK(fk, t, l)
		if !ok {
			continue
		}
		r, err := newFKRule(m, l, parent)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// validatePartitionedFK checks the rows of every leaf of partitioned
// table against its foreign key fk, which references parent.
func validatePartitionedFK(x *execCtx, table, parent *catalog.TableDesc, fk *catalog.ForeignKeyDesc) error {
	b := &binder{s: x.s, snap: x.snap}
	leaves, err := b.leafPartitions(table)
	if err != nil {
		return err
	}
	for _, l := range leaves {
		m, ok := mapFK(*fk, table, l)
		if !ok {
			continue
		}
		r, err := newFKRule(m, l, parent)
		if err != nil {
			return err
		}
		if err := b.bindParentRoute(r); err != nil {
			return err
		}
		if err := scanTableRows(x, l, func(_ heap.TupleID, row []types.Datum) error {
			return x.checkChild(r, row)
		}); err != nil {
			return err
		}
	}
	return nil
}

// refusePartitionedFK refuses what PostgreSQL 15 refuses of a foreign key
// added to a partitioned table: ONLY, and NOT VALID (42809).
func refusePartitionedFK(table *catalog.TableDesc, only bool, fk *ast.ForeignKey) error {
	if !table.IsPartitioned() {
		return nil
	}
	_, ref := catalog.SplitName(fk.RefTable.Name)
	if only {
		return pgerr.New(pgerr.WrongObjectType, "cannot use ONLY for foreign key on partitioned table \"%s\" referencing relation \"%s\"", table.Name, ref)
	}
	if fk.NotValid {
		return pgerr.New(pgerr.WrongObjectType, "cannot add NOT VALID foreign key on partitioned table \"%s\" referencing relation \"%s\"", table.Name, ref).
			WithDetail("This feature is not yet supported on partitioned tables.")
	}
	return nil
}

// partitionMover lets an RI action's writer of a partition move a row
// its partition no longer admits (ON UPDATE CASCADE, SET NULL, SET
// DEFAULT) to the partition the root of its partition tree routes it to,
// as PostgreSQL's action, which updates the partitioned table, does.
func (x *execCtx) partitionMover(w *tableWriter) error {
	if len(w.partLevels) == 0 {
		return nil
	}
	b := &binder{s: x.s, snap: x.snap}
	root := w.table
	for depth := 0; root.IsPartition() && len(root.Inherits) == 1; depth++ {
		if depth > inheritDepthMax {
			return pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", w.table.Name)
		}
		parent, _, err := b.s.e.cat.Lookup(b.snap, root.Inherits[0])
		if err != nil {
			return err
		}
		if parent == nil || !parent.IsPartitioned() {
			break
		}
		root = parent
	}
	if root == w.table {
		return nil
	}
	rw, err := x.writerFor(root)
	if err != nil {
		return err
	}
	cols := make([]int, len(root.Columns))
	for i, c := range root.Columns {
		cols[i] = w.table.ColumnIndex(c.Name)
	}
	w.move = &rowMover{root: rw, cols: cols}
	return nil
}

// validateAttachedFKs checks the rows of leaves, the leaf tables of a
// table being attached to partitioned table parent, against the foreign
// keys they come to enforce: parent's and its partitioned ancestors'.
func validateAttachedFKs(x *execCtx, parent *catalog.TableDesc, leaves []*catalog.TableDesc) error {
	b := &binder{s: x.s, snap: x.snap}
	var fks []catalog.ForeignKeyDesc
	for _, fk := range parent.ForeignKeys {
		ok, err := b.inheritableFK(fk)
		if err != nil {
			return err
		}
		if ok {
			fks = append(fks, fk)
		}
	}
	inherited, err := b.ancestorFKs(parent)
	if err != nil {
		return err
	}
	for _, fk := range append(fks, inherited...) {
		ref, _, err := x.s.e.cat.Lookup(x.snap, fk.RefTable)
		if err != nil {
			return err
		}
		for _, l := range leaves {
			m, ok := mapFK(fk, parent, l)
			if !ok {
				continue
			}
			r, err := newFKRule(m, l, ref)
			if err != nil {
				return err
			}
			if err := b.bindParentRoute(r); err != nil {
				return err
			}
			if err := scanTableRows(x, l, func(_ heap.TupleID, row []types.Datum) error {
				return x.checkChild(r, row)
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// bindParentRoute lets rule r, whose parent is partitioned, find a key in
// the leaf partition that holds it: a unique key of a partitioned table
// includes its partition key, so the key's values route to one leaf.
func (b *binder) bindParentRoute(r *fkRule) error {
	if !r.parent.IsPartitioned() {
		return nil
	}
	rt, err := b.newRouter(r.parent, 0)
	if err != nil {
		return err
	}
	r.route = rt
	return nil
}

// findInPartition finds the row of r's partitioned parent holding the
// referenced values of row (a row of the parent, other columns NULL).
func (r *fkRule) findInPartition(x *execCtx, snap txn.Snapshot, row []types.Datum) (heap.Tuple, bool, error) {
	rt := r.route
	for depth := 0; ; depth++ {
		if depth > inheritDepthMax {
			return heap.Tuple{}, false, pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", r.parent.Name)
		}
		p, err := rt.find(row)
		if pgerr.Code(err) == pgerr.CheckViolation {
			return heap.Tuple{}, false, nil // no partition holds the key
		}
		if err != nil {
			return heap.Tuple{}, false, err
		}
		leafRow := make([]types.Datum, len(p.cols))
		for j, c := range p.cols {
			if c >= 0 {
				leafRow[j] = row[c]
			}
		}
		if p.w.route != nil {
			rt, row = p.w.route, leafRow
			continue
		}
		leaf := p.w.table
		cols := make([]int, len(r.fk.RefColumns))
		for i, c := range r.fk.RefColumns {
			cols[i] = leaf.ColumnIndex(r.parent.Columns[c].Name)
		}
		if index, ok := findReferenced(leaf, cols); ok {
			return findKeyRow(x, snap, leaf, index, leafRow)
		}
		// A partition attached under a partitioned partition may lack
		// the key's index: read it whole.
		var found heap.Tuple
		ok := false
		err = x.s.e.heap.Scan(snap, leaf.StorageID(), func(t heap.Tuple) error {
			if ok {
				return nil
			}
			pr, err := types.DecodeRow(t.Data)
			if err != nil {
				return err
			}
			same := true
			for _, c := range cols {
				same = same && pr[c] != nil && leafRow[c] != nil && types.Compare(pr[c], leafRow[c]) == 0
			}
			if same {
				found, ok = t, true
			}
			return nil
		})
		return found, ok, err
	}
}

// partitionedRefFKs returns the foreign keys referencing a partitioned
// ancestor of leaf partition desc, their referenced columns moved to
// desc's, with the tables that declare them: desc holds the rows they
// reference.
func (b *binder) partitionedRefFKs(desc *catalog.TableDesc, all []*catalog.TableDesc) ([]catalog.ForeignKeyDesc, []*catalog.TableDesc, error) {
	var fks []catalog.ForeignKeyDesc
	var children []*catalog.TableDesc
	cur := desc
	for depth := 0; cur.PartBound != nil && len(cur.Inherits) == 1; depth++ {
		if depth > inheritDepthMax {
			return nil, nil, pgerr.New(pgerr.ProgramLimitExceeded, "partition hierarchy of \"%s\" is too deep", desc.Name)
		}
		anc, _, err := b.s.e.cat.Lookup(b.snap, cur.Inherits[0])
		if err != nil {
			return nil, nil, err
		}
		if anc == nil || !anc.IsPartitioned() {
			break
		}
		for _, t := range all {
			for _, fk := range t.ForeignKeys {
				if fk.RefTable != anc.Key() {
					continue
				}
				m := fk
				m.RefColumns = make([]int, len(fk.RefColumns))
				ok := true
				for i, c := range fk.RefColumns {
					m.RefColumns[i] = desc.ColumnIndex(anc.Columns[c].Name)
					ok = ok && m.RefColumns[i] >= 0
				}
				if !ok {
					continue
				}
				if !t.IsPartitioned() {
					fks, children = append(fks, m), append(children, t)
					continue
				}
				// A partitioned referencing table: its leaves hold
				// the referencing rows.
				leaves, err := b.leafPartitions(t)
				if err != nil {
					return nil, nil, err
				}
				for _, l := range leaves {
					if lm, mapped := mapFK(m, t, l); mapped {
						fks, children = append(fks, lm), append(children, l)
					}
				}
			}
		}
		cur = anc
	}
	return fks, children, nil
}
