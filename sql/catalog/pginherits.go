package catalog

import (
	"github.com/cairndb/cairn/sql/types"
)

// inheritsRows lists pg_inherits: each table's parents, in INHERITS
// order (inhseqno from 1); a partition's one parent is its partitioned
// table.
func inheritsRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		for i, name := range t.Inherits {
			p := r.table(name)
			if p == nil {
				continue
			}
			out = append(out, []types.Datum{int64(t.ID), int64(p.ID), int64(i + 1), false})
		}
	}
	return out, nil
}

// partitionedRows lists pg_partitioned_table: each partitioned table's
// strategy, key columns, default partition and key collations. partclass
// is NULL: cairn has no operator classes.
func partitionedRows(rd Reader) ([][]types.Datum, error) {
	r, err := rd.Relations()
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, t := range r.Tables {
		if t.PartKey == nil {
			continue
		}
		def := int64(0)
		for _, cn := range t.Children {
			if c := r.table(cn); c != nil && c.PartBound != nil && c.PartBound.Default {
				def = int64(c.ID)
			}
		}
		attrs, colls := &types.Array{}, &types.Array{}
		for _, c := range t.PartKey.Columns {
			attrs.Elems = append(attrs.Elems, int64(c+1))
			coll := int64(0)
			if t.Columns[c].Type.IsString() {
				coll = oidDefaultCollation
			}
			colls.Elems = append(colls.Elems, coll)
		}
		out = append(out, []types.Datum{int64(t.ID), t.PartKey.Strategy, int64(len(t.PartKey.Columns)), def, attrs, nil, colls, nil})
	}
	return out, nil
}

// PartitionBoundText is pg_class.relpartbound as pg_get_expr renders it
// for partition t, "" for another table.
func (r *Relations) PartitionBoundText(t *TableDesc) string {
	if t.PartBound == nil || len(t.Inherits) != 1 {
		return ""
	}
	p := r.table(t.Inherits[0])
	if p == nil || p.PartKey == nil {
		return ""
	}
	return t.PartBound.SQL(p.KeyTypes())
}

// hasSubclass is pg_class.relhassubclass.
func (t *TableDesc) hasSubclass() bool { return len(t.Children) > 0 }
