package sql

import (
	"slices"
	"sort"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Table inheritance and partitions, as scans see them.
//
// A table's descriptor names its parents (TableDesc.Inherits) and its
// children (TableDesc.Children). A scan of a table that has children
// reads, unless the query says ONLY, the rows of every descendant too,
// each as a row of the scanned table's columns (a child has its parents'
// columns, found by name, and may have more). Descendants come in
// PostgreSQL's order: an inheritance hierarchy level by level, each
// level's children by oid; a partitioned table's partitions in the order
// of their bounds, a sub-partitioned partition's own partitions in its
// place. The tableoid system column says which table a row came from.

// inhMember is a descendant a scan reads.
type inhMember struct {
	table *catalog.TableDesc
	// cols[i] is the member's column for the scanned table's column i;
	// nil when both have the same columns in the same order.
	cols []int
	// pk is set when the member's primary key is the scanned table's,
	// column for column, so a primary key lookup applies to it too.
	pk bool
	// levels are the partition bounds that admit the member's rows: its
	// own and its partitioned ancestors' below the scanned table.
	levels []partLevel
	// pruned is set when the planner found that the scan's WHERE
	// excludes every row the member's bounds admit: it is not read.
	pruned bool
}

// inheritors returns the descendants of root a scan of it reads, in
// PostgreSQL's order. It records them among the plan's tables.
func (b *binder) inheritors(root *catalog.TableDesc) ([]*inhMember, error) {
	var out []*inhMember
	seen := map[string]bool{root.Name: true}
	var walk func(parent *catalog.TableDesc, levels []partLevel, depth int) error
	// Partitions are read depth first, in bound order.
	walk = func(parent *catalog.TableDesc, levels []partLevel, depth int) error {
		if depth > inheritDepthMax {
			return pgerr.New(pgerr.ProgramLimitExceeded, "inheritance hierarchy of \"%s\" is too deep", root.Name)
		}
		kids, err := b.children(parent, seen)
		if err != nil {
			return err
		}
		if parent.IsPartitioned() {
			sortPartitions(parent, kids)
		}
		var next []*catalog.TableDesc
		for _, k := range kids {
			m := &inhMember{table: k, cols: columnMap(root, k), levels: levels}
			m.pk = samePK(root, k, m.cols)
			if parent.IsPartitioned() && k.PartBound != nil {
				lv, err := b.scanPartLevel(root, parent, k.PartBound)
				if err != nil {
					return err
				}
				m.levels = append(slices.Clip(levels), lv)
			}
			out = append(out, m)
			if parent.IsPartitioned() {
				if err := walk(k, m.levels, depth+1); err != nil {
					return err
				}
				continue
			}
			next = append(next, k)
		}
		for _, k := range next {
			if err := walk(k, nil, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if root.IsPartitioned() {
		return out, walk(root, nil, 0)
	}
	// An inheritance hierarchy is read level by level, each level by
	// oid, as PostgreSQL's find_all_inheritors lists it.
	level := []*catalog.TableDesc{root}
	for depth := 0; len(level) > 0; depth++ {
		if depth > inheritDepthMax {
			return nil, pgerr.New(pgerr.ProgramLimitExceeded, "inheritance hierarchy of \"%s\" is too deep", root.Name)
		}
		var next []*catalog.TableDesc
		for _, p := range level {
			kids, err := b.children(p, seen)
			if err != nil {
				return nil, err
			}
			next = append(next, kids...)
		}
		sort.SliceStable(next, func(i, j int) bool { return next[i].ID < next[j].ID })
		for _, k := range next {
			m := &inhMember{table: k, cols: columnMap(root, k)}
			m.pk = samePK(root, k, m.cols)
			out = append(out, m)
			if k.IsPartitioned() {
				if err := walk(k, nil, depth+1); err != nil {
					return nil, err
				}
			}
		}
		level = nil
		for _, k := range next {
			if !k.IsPartitioned() {
				level = append(level, k)
			}
		}
	}
	return out, nil
}

// children looks up parent's children not met before (a table that
// inherits twice from one ancestor is read once).
func (b *binder) children(parent *catalog.TableDesc, seen map[string]bool) ([]*catalog.TableDesc, error) {
	var out []*catalog.TableDesc
	for _, name := range parent.Children {
		if seen[name] {
			continue
		}
		seen[name] = true
		d, _, err := b.s.e.cat.Lookup(b.snap, name)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, pgerr.New(pgerr.DataCorrupted, "child table \"%s\" of \"%s\" is missing", name, parent.Name)
		}
		b.tables = append(b.tables, d)
		out = append(out, d)
	}
	return out, nil
}

// columnMap maps root's columns to child's by name; nil when child has
// root's columns in the same places and no more.
func columnMap(root, child *catalog.TableDesc) []int {
	same := len(root.Columns) == len(child.Columns)
	out := make([]int, len(root.Columns))
	for i, c := range root.Columns {
		out[i] = child.ColumnIndex(c.Name)
		same = same && out[i] == i
	}
	if same {
		return nil
	}
	return out
}

// samePK reports whether child's primary key is root's, mapped by cols.
func samePK(root, child *catalog.TableDesc, cols []int) bool {
	if len(root.PK) == 0 || len(root.PK) != len(child.PK) {
		return false
	}
	for i, c := range root.PK {
		m := c
		if cols != nil {
			m = cols[c]
		}
		if child.PK[i] != m {
			return false
		}
	}
	return true
}

// scanMembers reads the descendants' rows after the scanned table's: by
// key when the primary key lookup applies to a member, whole otherwise,
// skipping the partitions the pruner excludes.
func (n *scanNode) scanMembers(ec *evalCtx, key []byte, extra int, fn func(heap.TupleID, []types.Datum) error) error {
	x := ec.exec
	h := x.s.e.heap
	var conds *prunedConds
	if n.prune != nil {
		var err error
		if conds, err = n.prune.eval(ec); err != nil {
			return err
		}
		if conds.none {
			return nil
		}
	}
	for _, m := range n.inh {
		if m.table.IsPartitioned() || m.pruned {
			continue
		}
		if conds != nil && conds.excludes(m.levels) {
			continue
		}
		visit := func(t heap.Tuple) error {
			if err := x.tick(); err != nil {
				return err
			}
			raw, err := types.DecodeRowExtra(t.Data, extra)
			if err != nil {
				return err
			}
			if len(raw) != len(m.table.Columns) {
				return pgerr.New(pgerr.DataCorrupted, "row of table %s has %d columns, want %d", m.table.Name, len(raw), len(m.table.Columns))
			}
			row := raw
			if m.cols != nil {
				row = make([]types.Datum, len(m.cols), len(m.cols)+extra)
				for i, c := range m.cols {
					row[i] = raw[c]
				}
			}
			if n.oid {
				row = append(row, int64(m.table.ID))
			}
			return fn(t.ID, row)
		}
		var err error
		switch {
		case key != nil && m.pk:
			err = h.ScanKey(x.snap, m.table.StorageID(), key, visit)
		default:
			err = h.Scan(x.snap, m.table.StorageID(), visit)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tableScan builds the scan of a table in FROM: with its descendants
// unless the query says ONLY, and with the tableoid system column.
func (b *binder) tableScan(desc *catalog.TableDesc, ref *ast.TableRef, name string, cols []scopeCol, out []Column) (plan, []scopeCol, error) {
	scan := &scanNode{table: desc, oid: true}
	if len(desc.Children) > 0 && !ref.Only {
		var err error
		if scan.inh, err = b.inheritors(desc); err != nil {
			return nil, nil, err
		}
	}
	if b.explain != nil {
		b.explain.aliases[scan] = name
	}
	scan.cols = append(out, Column{Name: "tableoid", Type: oidT})
	cols = append(cols, scopeCol{table: name, name: "tableoid", t: oidT, system: true})
	return scan, cols, nil
}
