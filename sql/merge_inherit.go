package sql

import (
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// MERGE into a table with inheritance children or partitions (without
// ONLY) joins the source to the rows of the whole hierarchy, each read as
// a row of the named table with its tableoid. A matched row is updated or
// deleted in the table that stores it, through that table's own writer
// (its constraints, indexes and foreign keys); the columns a descendant
// has beyond the named table's keep their values. An update that takes a
// partition's row out of its bounds moves it to the partition the
// partitioned table routes it to, as UPDATE does. WHEN NOT MATCHED
// inserts into the named table: routed to a partition, or into an
// inheritance parent itself.

// mergeHierarchy holds the tables a MERGE target's scan reads.
type mergeHierarchy struct {
	members map[int64]*mergeMember // by table oid
}

// mergeMember is a table of the hierarchy whose rows MERGE may write.
type mergeMember struct {
	table *catalog.TableDesc
	w     *tableWriter
	// cols[i] is the table's column for the named table's column i; nil
	// when both have the same columns in the same order.
	cols []int
}

// bindMergeHierarchy binds the target of a MERGE into desc, which has
// descendants: a scan of the hierarchy whose rows are desc's columns, the
// tableoid, and the tuple id (hidden).
func (b *binder) bindMergeHierarchy(ref *ast.TableRef, desc *catalog.TableDesc) (plan, []scopeCol, *mergeHierarchy, error) {
	inh, err := b.inheritors(desc)
	if err != nil {
		return nil, nil, nil, err
	}
	name := ref.RelName()
	if ref.Alias != "" {
		name = ref.Alias
	}
	cols := append(tableScope(desc, *ref).cols,
		scopeCol{table: name, name: "tableoid", t: oidT, system: true},
		scopeCol{table: name, t: types.New(types.Text), system: true})
	out := append(tableColumns(desc), Column{Name: "tableoid", Type: oidT}, Column{Type: types.New(types.Text)})
	h := &mergeHierarchy{members: map[int64]*mergeMember{int64(desc.ID): {table: desc}}}
	for _, m := range inh {
		if !m.table.IsPartitioned() {
			h.members[int64(m.table.ID)] = &mergeMember{table: m.table, cols: m.cols}
		}
	}
	return &scanNode{table: desc, cols: out, withID: true, oid: true, inh: inh}, cols, h, nil
}

// mergeWriters binds the writer of each table of p's hierarchy: the
// named table's is p's own; a partition's moves rows its bounds no longer
// admit through the partitioned table, as an UPDATE of it does.
func (b *binder) mergeWriters(p *mergePlan, root *catalog.TableDesc, name string) error {
	for _, m := range p.hier.members {
		if m.table == root {
			m.w = &p.tableWriter
			continue
		}
		w, err := b.newTableWriter(m.table)
		if err != nil {
			return err
		}
		saved := b.inhTarget
		b.inhTarget = &inhTarget{name: name, member: m.table, root: root}
		if root.IsPartitioned() {
			b.inhTarget.rootWriter = &p.tableWriter
		}
		b.setMover(&w)
		b.inhTarget = saved
		m.w = &w
	}
	return nil
}

// writerOf returns the writer of the table that stores a joined row's
// target row, and its member (nil when the target has no descendants).
func (p *mergePlan) writerOf(row []types.Datum) (*tableWriter, *mergeMember) {
	if p.hier == nil {
		return &p.tableWriter, nil
	}
	m := p.hier.members[row[p.idAt-1].(int64)]
	return m.w, m
}

// storedRow returns the target row old (in the named table's columns) as
// its table stores it, with the columns the named table lacks.
func (p *mergePlan) storedRow(x *execCtx, m *mergeMember, id heap.TupleID, old []types.Datum) ([]types.Datum, error) {
	if m == nil || m.cols == nil {
		return old, nil
	}
	t, ok, err := x.s.e.heap.Latest(x.snap, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "row of \"%s\" read by MERGE is gone", m.table.Name)
	}
	return types.DecodeRow(t.Data)
}

// toStored lays out the new values of the named table's columns over
// stored, the row as its table stores it.
func (m *mergeMember) toStored(stored, row []types.Datum) []types.Datum {
	if m == nil || m.cols == nil {
		return row
	}
	out := slices.Clone(stored)
	for i, c := range m.cols {
		if c >= 0 {
			out[c] = row[i]
		}
	}
	return out
}

// toTarget lays out a stored row as a row of the named table.
func (m *mergeMember) toTarget(stored []types.Datum) []types.Datum {
	if m == nil || m.cols == nil {
		return stored
	}
	out := make([]types.Datum, len(m.cols))
	for i, c := range m.cols {
		if c >= 0 {
			out[i] = stored[c]
		}
	}
	return out
}
