package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// SET and DROP NOT NULL reach a table's children, as in PostgreSQL: the
// command recurses to every descendant unless ONLY is given. A
// partitioned table's partitions must agree with it, so ONLY is refused
// there when it would leave them different, and a partition may not drop
// a NOT NULL its parent has.

// checkNotNullOnly refuses SET (set) or DROP NOT NULL on column i of
// table where PostgreSQL does.
func checkNotNullOnly(x *execCtx, s *ast.AlterTableStmt, table *catalog.TableDesc, i int, set bool) error {
	name := table.Columns[i].Name
	if s.Table.Only && table.IsPartitioned() && len(table.Children) > 0 {
		if !set {
			return pgerr.New(pgerr.InvalidTableDefinition, "cannot remove constraint from only the partitioned table when partitions exist").
				WithHint("Do not specify the ONLY keyword.")
		}
		for _, ck := range table.Children {
			child, _, err := x.s.e.cat.Lookup(x.snap, ck)
			if err != nil {
				return err
			}
			if child == nil {
				continue
			}
			if j := child.ColumnIndex(name); j >= 0 && !child.Columns[j].NotNull {
				return pgerr.New(pgerr.InvalidTableDefinition, "constraint must be added to child tables too").
					WithDetail("Column \"" + name + "\" of relation \"" + child.Name + "\" is not already NOT NULL.").
					WithHint("Do not specify the ONLY keyword.")
			}
		}
	}
	if !set && table.IsPartition() && len(table.Inherits) > 0 {
		parent, _, err := x.s.e.cat.Lookup(x.snap, table.Inherits[0])
		if err != nil {
			return err
		}
		if parent != nil {
			if j := parent.ColumnIndex(name); j >= 0 && parent.Columns[j].NotNull {
				return pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" is marked NOT NULL in parent table", name)
			}
		}
	}
	return nil
}

// alterChildrenNotNull sets (set) or drops NOT NULL on column name of
// every descendant of table that has it, checking, when setting, that
// none holds a NULL there. seen holds the tables already done (a table
// may inherit from several parents).
func alterChildrenNotNull(x *execCtx, table *catalog.TableDesc, name string, set bool, seen map[uint32]bool) error {
	for _, ck := range table.Children {
		child, _, err := x.s.e.cat.Lookup(x.snap, ck)
		if err != nil {
			return err
		}
		if child == nil || seen[child.ID] {
			continue
		}
		seen[child.ID] = true
		if err := x.lockTable(child.ID, txn.AccessExclusive); err != nil {
			return err
		}
		child, tuple, err := x.s.e.cat.Lookup(x.snap, ck)
		if err != nil || child == nil {
			return err
		}
		i := child.ColumnIndex(name)
		if i < 0 {
			continue
		}
		if child.Columns[i].NotNull != set {
			if set {
				if err := checkNoNulls(x, child, i); err != nil {
					return err
				}
			} else if slices.Contains(child.PK, i) {
				return pgerr.New(pgerr.InvalidTableDefinition, "column \"%s\" is in a primary key", name)
			}
			updated := *child
			updated.Columns = slices.Clone(child.Columns)
			updated.Columns[i].NotNull = set
			if err := replaceTableDesc(x, tuple, &updated); err != nil {
				return err
			}
		}
		if err := alterChildrenNotNull(x, child, name, set, seen); err != nil {
			return err
		}
	}
	return nil
}
