package catalog

import (
	"slices"
	"strconv"
	"strings"

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
	// A partition's index that is a partition of its partitioned
	// table's index, as pg_dump reads them.
	for i := range r.indexes {
		if p := r.ParentIndex(&r.indexes[i]); p != nil {
			out = append(out, []types.Datum{r.indexes[i].oid, p.oid, int64(1), false})
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
		// partattrs is an int2vector, which prints as "1 2".
		var attrs, exprs []string
		colls := &types.Array{}
		keyTypes := t.KeyTypes()
		for i, c := range t.PartKey.Columns {
			// An expression key is attribute 0, its text in partexprs.
			attrs = append(attrs, strconv.Itoa(c+1))
			if e := t.PartKey.KeyExpr(i); e != "" {
				exprs = append(exprs, keyExprSQL(e, t.Columns))
			}
			coll := int64(0)
			if keyTypes[i].IsString() {
				coll = oidDefaultCollation
			}
			switch t.PartKey.KeyCollation(i) {
			case "C":
				coll = 950
			case "POSIX":
				coll = 951
			}
			colls.Elems = append(colls.Elems, coll)
		}
		var partexprs types.Datum
		if len(exprs) > 0 {
			partexprs = strings.Join(exprs, ", ")
		}
		out = append(out, []types.Datum{int64(t.ID), t.PartKey.Strategy, int64(len(t.PartKey.Columns)), def, strings.Join(attrs, " "), nil, colls, partexprs})
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

// indexIsPartition reports whether an index of a partition is a
// partition of its partitioned table's index (pg_class.relispartition of
// an index): the primary key, or a unique constraint on the same columns.
func (r *Relations) indexIsPartition(ix *IndexRelation) bool {
	t := ix.table
	if t.PartBound == nil || len(t.Inherits) != 1 {
		return false
	}
	p := r.table(t.Inherits[0])
	if p == nil {
		return false
	}
	// names lists the key columns by name; an expression key (-1) is
	// never part of a constraint's index, so it names nothing that
	// could match.
	names := func(d *TableDesc, cols []int) []string {
		var out []string
		for _, c := range cols {
			if c < 0 || c >= len(d.Columns) {
				return nil
			}
			out = append(out, d.Columns[c].Name)
		}
		return out
	}
	mine := names(t, ix.desc.Columns)
	if mine == nil {
		return false
	}
	if ix.pk {
		return len(p.PK) > 0 && slices.Equal(names(p, p.PK), mine)
	}
	for _, pix := range p.Indexes {
		if pix.Constraint && ix.desc.Constraint && slices.Equal(names(p, pix.Columns), mine) {
			return true
		}
	}
	return false
}

// IndexNamed returns the index a qualified name (schema, NUL, name) or a
// bare one (through the search path) finds, or nil.
func (r *Relations) IndexNamed(key string) *IndexRelation {
	schema, name := SplitName(key)
	if schema != "" {
		for i := range r.indexes {
			if r.indexes[i].name == name && r.indexes[i].table.SchemaName() == schema {
				return &r.indexes[i]
			}
		}
		return nil
	}
	// A bare name: the first schema of the search path that has it.
	for _, sp := range r.Search {
		for i := range r.indexes {
			if r.indexes[i].name == name && r.indexes[i].table.SchemaName() == sp {
				return &r.indexes[i]
			}
		}
	}
	return nil
}

// IndexTable is the table an index is on.
func (r *Relations) IndexTable(ix *IndexRelation) *TableDesc { return ix.table }

// ParentIndex returns the partitioned table's index that an index of a
// partition is a partition of, or nil.
func (r *Relations) ParentIndex(ix *IndexRelation) *IndexRelation {
	if !r.indexIsPartition(ix) {
		return nil
	}
	p := r.table(ix.table.Inherits[0])
	cols := func(d *TableDesc, cs []int) []string {
		var out []string
		for _, c := range cs {
			out = append(out, d.Columns[c].Name)
		}
		return out
	}
	mine := cols(ix.table, ix.desc.Columns)
	for i := range r.indexes {
		pix := &r.indexes[i]
		if pix.table != p || pix.pk != ix.pk {
			continue
		}
		if ix.pk || pix.desc.Constraint && slices.Equal(cols(p, pix.desc.Columns), mine) {
			return pix
		}
	}
	return nil
}
