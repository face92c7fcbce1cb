package sql

import (
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
)

// Indexes of a partitioned table. CREATE INDEX on a partitioned table
// (without ONLY) creates the index on each partition too, recursively,
// named as an index created on the partition itself would be; a
// partition that already has an index of the same definition keeps it
// as its partition of the new one, as PostgreSQL attaches it. A table
// that becomes a partition (CREATE TABLE ... PARTITION OF, ATTACH
// PARTITION) gets the partitioned table's indexes the same way. Which
// partition index belongs to which partitioned index is derived from
// their definitions (indexSig), so nothing more is recorded.

// propagateIndex creates idx of partitioned table parent on the
// partitions of parent that lack an index of its definition.
func propagateIndex(x *execCtx, parent *catalog.TableDesc, idx *catalog.IndexDesc) error {
	b := &binder{s: x.s, snap: x.snap}
	kids, err := b.children(parent, map[string]bool{})
	if err != nil {
		return err
	}
	for _, kid := range kids {
		if kid.PartBound == nil {
			continue
		}
		if err := cloneIndexTo(x, b, parent, idx, kid); err != nil {
			return err
		}
	}
	return nil
}

// cloneIndexTo creates index idx of parent on its partition part, unless
// part has an index of the same definition.
func cloneIndexTo(x *execCtx, b *binder, parent *catalog.TableDesc, idx *catalog.IndexDesc, part *catalog.TableDesc) error {
	sig := b.indexSig(parent, idx)
	for i := range part.Indexes {
		if part.Indexes[i].Unique == idx.Unique && b.indexSig(part, &part.Indexes[i]) == sig {
			return nil
		}
	}
	li, err := b.likeIndex(&ast.CreateTableStmt{Table: ast.TableRef{Name: part.Name}}, parent, idx, 0)
	if err != nil {
		return err
	}
	stmt := li.stmt
	stmt.Name, stmt.Constraint = "", false
	stmt.Table = ast.TableRef{Name: part.SchemaName() + "\x00" + part.Name}
	if _, err := (&createIndexPlan{stmt: stmt}).execute(x, nil); err != nil {
		return err
	}
	return nil
}

// inheritIndexes gives part, which has just become a partition of
// parent, the parent's indexes that are not a constraint's (those are
// added with the constraints).
func inheritIndexes(x *execCtx, parent *catalog.TableDesc, part *catalog.TableDesc) error {
	b := &binder{s: x.s, snap: x.snap}
	for i := range parent.Indexes {
		idx := &parent.Indexes[i]
		if idx.Constraint {
			continue
		}
		// Read the partition again: an index made above changed it.
		nextCommand(x)
		cur, _, err := x.s.lookupRel(x.snap, part.SchemaName()+"\x00"+part.Name)
		if err != nil {
			return err
		}
		if cur == nil {
			return nil
		}
		if err := cloneIndexTo(x, b, parent, idx, cur); err != nil {
			return err
		}
	}
	return nil
}

// inheritPartitionIndexes gives the partition CREATE TABLE ... PARTITION
// OF just made its partitioned table's indexes.
func (p *createTablePlan) inheritPartitionIndexes(x *execCtx, desc *catalog.TableDesc) error {
	nextCommand(x)
	parent, _, err := x.s.lookupRel(x.snap, p.stmt.PartitionOf.Name)
	if err != nil || parent == nil {
		return err
	}
	if err := x.cloneRowTriggers(parent, desc); err != nil {
		return err
	}
	nextCommand(x)
	return inheritIndexes(x, parent, desc)
}

// samePartitionIndex reports whether index child, on a partition of the
// table of index parent, has parent's definition (indexSig), so that it
// is parent's partition: ALTER INDEX ... ATTACH PARTITION of an index
// made ON ONLY a partitioned table.
func samePartitionIndex(x *execCtx, parent, child *catalog.IndexRelation) bool {
	pt, ct := parent.Table(), child.Table()
	if parent.PrimaryKey() || child.PrimaryKey() || ct.PartBound == nil || len(ct.Inherits) != 1 || ct.Inherits[0] != pt.Key() {
		return false
	}
	byID := func(t *catalog.TableDesc, id uint32) *catalog.IndexDesc {
		for i := range t.Indexes {
			if t.Indexes[i].ID == id {
				return &t.Indexes[i]
			}
		}
		return nil
	}
	pix, cix := byID(pt, parent.IndexID()), byID(ct, child.IndexID())
	if pix == nil || cix == nil || pix.Unique != cix.Unique {
		return false
	}
	b := &binder{s: x.s, snap: x.snap}
	return b.indexSig(pt, pix) == b.indexSig(ct, cix)
}

// partitionIndexParent finds the partitioned index an index of a
// partition belongs to: a constraint's by its columns (the catalog's
// ParentIndex), another by its definition, as ATTACH PARTITION matches
// them.
func partitionIndexParent(x *execCtx, r *catalog.Relations) catalog.IndexParent {
	return func(ix *catalog.IndexRelation) *catalog.IndexRelation {
		if p := r.ParentIndex(ix); p != nil {
			return p
		}
		pt := r.PartitionParent(ix.Table())
		if pt == nil {
			return nil
		}
		for _, cand := range r.IndexesOf(pt) {
			if samePartitionIndex(x, cand, ix) {
				return cand
			}
		}
		return nil
	}
}
