package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
)

// ALTER TABLE ... RENAME CONSTRAINT, as PostgreSQL's
// rename_constraint_internal: an inheritable CHECK constraint is renamed
// in the table's descendants too (ONLY refuses when there are any), and
// one a table inherited cannot be renamed there alone. A primary key or
// UNIQUE constraint's name is its index's, which is renamed with it.

// renameConstraint renames constraint from of table (the caller writes
// table) to to; only is ALTER TABLE ONLY.
func renameConstraint(x *execCtx, table *catalog.TableDesc, from, to string, only bool) error {
	if table.ConstraintNameUsed(to) {
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", to, table.Name)
	}
	if i := slices.IndexFunc(table.Checks, func(c catalog.CheckDesc) bool { return c.Name == from }); i >= 0 {
		c := table.Checks[i]
		if c.InhCount > 0 {
			return pgerr.New(pgerr.InvalidTableDefinition, "cannot rename inherited constraint \"%s\"", from)
		}
		if !c.NoInherit && len(table.Children) > 0 {
			if only {
				return pgerr.New(pgerr.InvalidTableDefinition, "inherited constraint \"%s\" must be renamed in child tables too", from)
			}
			if err := renameInheritedCheck(x, table, from, to, map[uint32]bool{table.ID: true}); err != nil {
				return err
			}
		}
		table.Checks[i].Name = to
		return nil
	}
	for i := range table.ForeignKeys {
		if table.ForeignKeys[i].Name == from {
			table.ForeignKeys[i].Name = to
			return nil
		}
	}
	if len(table.PK) > 0 && table.PKConstraintName() == from {
		if err := checkRelationNameFree(x, table.Schema, to); err != nil {
			return err
		}
		table.PKName = to
		return nil
	}
	if i := slices.IndexFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return ix.Constraint && ix.Name == from }); i >= 0 {
		if err := checkRelationNameFree(x, table.Schema, to); err != nil {
			return err
		}
		entry, tuple, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, from))
		if err != nil {
			return err
		}
		if entry == nil || entry.IndexOf != table.Key() {
			return pgerr.New(pgerr.DataCorrupted, "index \"%s\" of table \"%s\" is missing from the catalog", from, table.Name)
		}
		renamed := *entry
		renamed.Name = to
		if err := replaceTableDesc(x, tuple, &renamed); err != nil {
			return err
		}
		table.Indexes = slices.Clone(table.Indexes)
		table.Indexes[i].Name = to
		return nil
	}
	return pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", from, table.Name)
}

// renameInheritedCheck renames the CHECK constraint from that the
// descendants of table inherited to to. seen holds the tables done.
func renameInheritedCheck(x *execCtx, table *catalog.TableDesc, from, to string, seen map[uint32]bool) error {
	for _, ck := range table.Children {
		child, tuple, err := x.s.e.cat.Lookup(x.snap, ck)
		if err != nil {
			return err
		}
		if child == nil || seen[child.ID] {
			continue
		}
		seen[child.ID] = true
		i := slices.IndexFunc(child.Checks, func(c catalog.CheckDesc) bool { return c.Name == from && c.InhCount > 0 })
		if i < 0 {
			continue
		}
		if child.ConstraintNameUsed(to) {
			return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", to, child.Name)
		}
		if err := renameInheritedCheck(x, child, from, to, seen); err != nil {
			return err
		}
		updated := *child
		updated.Checks = slices.Clone(child.Checks)
		updated.Checks[i].Name = to
		if err := replaceTableDesc(x, tuple, &updated); err != nil {
			return err
		}
	}
	return nil
}
