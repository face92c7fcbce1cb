package sql

import (
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// INSERT ... ON CONFLICT into a partitioned table. The arbiters are
// inferred among the partitioned table's own unique indexes and primary
// key, as for any table; a row is routed to its leaf partition, where the
// arbiters are the leaf's indexes that are partitions of them. cairn
// derives which index of a partition belongs to which index of its
// partitioned table from their definitions (the same keys, by column
// name, and the same predicate), as ALTER INDEX ... ATTACH PARTITION
// does; a partitioned table's index that some partition has no partition
// of is not valid (PostgreSQL's indisvalid, as after CREATE INDEX ON
// ONLY) and is never an arbiter. DO UPDATE reads the existing row and the
// proposed one as rows of the partitioned table; an update that would
// move the row to another partition, or out of the partition a statement
// names, fails with 0A000, as in PostgreSQL.
// DO NOTHING without a target resolves a conflict on any unique index of
// the leaf.

// indexSig describes a unique index's keys and predicate over its table's
// column names: the indexes of a partitioned table and of its partitions
// that share it are partitions of one another.
func (b *binder) indexSig(desc *catalog.TableDesc, ix *catalog.IndexDesc) string {
	var sb strings.Builder
	for i, c := range ix.Columns {
		if i > 0 {
			sb.WriteByte(',')
		}
		if e := ix.KeyExpr(i); e != "" {
			sb.WriteString("(" + b.canonText(desc, e) + ")")
		} else {
			sb.WriteString(strconv.Quote(desc.Columns[c].Name))
		}
	}
	if ix.Predicate != "" {
		sb.WriteString(" WHERE " + b.canonText(desc, ix.Predicate))
	}
	return sb.String()
}

// pkSig is indexSig for desc's primary key.
func pkSig(desc *catalog.TableDesc) string {
	names := make([]string, len(desc.PK))
	for i, c := range desc.PK {
		names[i] = strconv.Quote(desc.Columns[c].Name)
	}
	return strings.Join(names, ",")
}

// matchingIndex finds desc's unique index (or primary key, pk true) with
// signature sig.
func (b *binder) matchingIndex(desc *catalog.TableDesc, sig string) (ix *catalog.IndexDesc, pk bool, ok bool) {
	if len(desc.PK) > 0 && pkSig(desc) == sig {
		return nil, true, true
	}
	for i := range desc.Indexes {
		if desc.Indexes[i].Unique && b.indexSig(desc, &desc.Indexes[i]) == sig {
			return &desc.Indexes[i], false, true
		}
	}
	return nil, false, false
}

// partitionedIndexValid reports whether every partition below r's table,
// at every level, has a unique index with signature sig.
func (b *binder) partitionedIndexValid(r *router, sig string) bool {
	for _, part := range r.parts {
		if _, _, ok := b.matchingIndex(part.w.table, sig); !ok {
			return false
		}
		if part.w.route != nil && !b.partitionedIndexValid(part.w.route, sig) {
			return false
		}
	}
	return true
}

// leafArbiters fills p.leaves with the arbiters of each leaf partition
// below r, whose table is desc (the statement's table at the top); cols
// maps r's table's columns to the statement table's (nil at the top).
// all takes every unique index of a leaf (DO NOTHING without a target).
func (b *binder) leafArbiters(p *onConflictPlan, top *catalog.TableDesc, r *router, all bool, cols []int) error {
	var sigs []string
	if !all {
		if p.pk {
			sigs = append(sigs, pkSig(top))
		}
		for _, ix := range p.indexes {
			sigs = append(sigs, b.indexSig(top, ix))
		}
	}
	for i := range r.parts {
		part := &r.parts[i]
		// partCols[j]: the statement table's column for the part's j.
		partCols := make([]int, len(part.cols))
		for j, c := range part.cols {
			partCols[j] = c
			if c >= 0 && cols != nil {
				partCols[j] = cols[c]
			}
		}
		if part.w.route != nil {
			if err := b.leafArbiters(p, top, part.w.route, all, partCols); err != nil {
				return err
			}
			continue
		}
		leaf := part.w.table
		t := &arbiterTarget{w: part.w, indexes: make(map[uint32]*catalog.IndexDesc), cols: partCols, width: len(top.Columns)}
		if all {
			t.pk = len(leaf.PK) > 0
			for k := range leaf.Indexes {
				if leaf.Indexes[k].Unique {
					t.indexes[leaf.Indexes[k].ID] = &leaf.Indexes[k]
				}
			}
		}
		for _, sig := range sigs {
			ix, pk, ok := b.matchingIndex(leaf, sig)
			if !ok {
				return pgerr.New(pgerr.InvalidColumnReference, "there is no unique or exclusion constraint matching the ON CONFLICT specification")
			}
			if pk {
				t.pk = true
			} else {
				t.indexes[ix.ID] = ix
			}
		}
		if t.w.keys == nil {
			t.w.keys = newIndexKeys(leaf)
		}
		p.leaves[leaf.ID] = t
	}
	return nil
}

// leafOf follows r down to the leaf partition that takes row, a row of
// r's table.
func (r *router) leafOf(row []types.Datum) (*tableWriter, error) {
	for {
		part, err := r.find(row)
		if err != nil {
			return nil, err
		}
		if part.w.route == nil {
			return part.w, nil
		}
		sub := make([]types.Datum, len(part.cols))
		for j, c := range part.cols {
			if c >= 0 {
				sub[j] = row[c]
			}
		}
		r, row = part.w.route, sub
	}
}

// routeUpsert picks the leaf partition a proposed row of the partitioned
// table goes to, after checking the table's own partition constraint
// when it is a partition itself.
func (p *insertPlan) routeUpsert(x *execCtx, row []types.Datum) (*arbiterTarget, error) {
	if err := p.partitionCheck(row); err != nil {
		return nil, err
	}
	leaf, err := p.route.leafOf(row)
	if err != nil {
		return nil, err
	}
	if err := x.lockTableForWrite(leaf.table.ID); err != nil {
		return nil, err
	}
	t := p.onConflict.leaves[leaf.table.ID]
	if t == nil {
		return nil, pgerr.New(pgerr.InternalError, "partition \"%s\" has no ON CONFLICT arbiters", leaf.table.Name)
	}
	return t, nil
}

// staysIn reports whether row, a row of the statement's table updated by
// DO UPDATE, still belongs to leaf, the table it is stored in: the
// statement's table's partition constraint, when it is a partition,
// admits it, and a partitioned table routes it to leaf.
func (p *insertPlan) staysIn(row []types.Datum, leaf *tableWriter) bool {
	if !p.admits(row) {
		return false
	}
	if p.route == nil {
		return true
	}
	w, err := p.route.leafOf(row)
	return err == nil && w == leaf
}
