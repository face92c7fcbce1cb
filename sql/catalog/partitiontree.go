package catalog

import (
	"slices"

	"github.com/cairndb/cairn/sql/types"
)

// partitionNode is a table or index in a partition tree: its oid, whether
// it has partitions of its own (relkind p or I), and its parent's oid (0
// for none).
type partitionNode struct {
	oid         int64
	partitioned bool
	parent      int64
}

// IndexParent finds the partitioned index an index of a partition is a
// partition of, nil for none.
type IndexParent func(*IndexRelation) *IndexRelation

// partitionNodes lists every table and index with its partition parent: a
// partition's parent is its partitioned table, a partition's index that
// is attached to its parent's index (as parentIndex finds it) has that
// index for parent.
func (r *Relations) partitionNodes(parentIndex IndexParent) map[int64]partitionNode {
	out := make(map[int64]partitionNode, len(r.Tables)+len(r.indexes))
	for _, t := range r.Tables {
		if t.View != "" || t.Sequence != nil {
			continue
		}
		n := partitionNode{oid: int64(t.ID), partitioned: t.PartKey != nil}
		if t.PartBound != nil && len(t.Inherits) == 1 {
			if p := r.table(t.Inherits[0]); p != nil {
				n.parent = int64(p.ID)
			}
		}
		out[n.oid] = n
	}
	for i := range r.indexes {
		ix := &r.indexes[i]
		n := partitionNode{oid: ix.oid, partitioned: ix.table.PartKey != nil}
		if p := parentIndex(ix); p != nil {
			n.parent = p.oid
		}
		out[n.oid] = n
	}
	return out
}

// PartitionTree is pg_partition_tree(oid): the relation and every
// partition under it, each as (relid, parentrelid, isleaf, level), level
// counting down from oid's 0; the parent of oid itself is shown too. No
// rows when oid names no partitioned table or index and no partition.
func PartitionTree(rd Reader, oid int64, parentIndex IndexParent) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	nodes := r.partitionNodes(parentIndex)
	root, ok := nodes[oid]
	if !ok || !root.partitioned && root.parent == 0 {
		return nil, nil
	}
	children := make(map[int64][]int64)
	for _, n := range nodes {
		if n.parent != 0 {
			children[n.parent] = append(children[n.parent], n.oid)
		}
	}
	reg := func(o int64) (types.Datum, error) {
		if o == 0 {
			return nil, nil
		}
		return MakeReg(rd, types.Regclass, o)
	}
	var out [][]types.Datum
	// Breadth first, each parent's partitions in oid order, as
	// PostgreSQL's find_all_inheritors lists them.
	level := []int64{root.oid}
	for depth := int64(0); len(level) > 0; depth++ {
		var next []int64
		for _, o := range level {
			n := nodes[o]
			relid, err := reg(n.oid)
			if err != nil {
				return nil, err
			}
			parent, err := reg(n.parent)
			if err != nil {
				return nil, err
			}
			out = append(out, []types.Datum{relid, parent, !n.partitioned, depth})
			kids := slices.Clone(children[o])
			slices.Sort(kids)
			next = append(next, kids...)
		}
		level = next
	}
	return out, nil
}

// PartitionAncestors is pg_partition_ancestors(oid): the relation and the
// partitioned tables (or indexes) above it, nearest first. No rows when
// oid names no partitioned table or index and no partition.
func PartitionAncestors(rd Reader, oid int64, parentIndex IndexParent) ([]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	nodes := r.partitionNodes(parentIndex)
	if n, ok := nodes[oid]; !ok || !n.partitioned && n.parent == 0 {
		return nil, nil
	}
	var out []types.Datum
	for n, ok := nodes[oid]; ok; n, ok = nodes[n.parent] {
		v, err := MakeReg(rd, types.Regclass, n.oid)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if n.parent == 0 || len(out) > len(nodes) {
			break
		}
	}
	return out, nil
}

// PartitionParent is the partitioned table a partition is attached to,
// nil for a table that is no partition.
func (r *Relations) PartitionParent(t *TableDesc) *TableDesc {
	if t.PartBound == nil || len(t.Inherits) != 1 {
		return nil
	}
	return r.table(t.Inherits[0])
}
