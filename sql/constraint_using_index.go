package sql

import (
	"errors"
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
)

// This file holds ALTER TABLE ... ADD [CONSTRAINT name] PRIMARY KEY |
// UNIQUE USING INDEX index: an existing unique index becomes the
// constraint's. PostgreSQL accepts only an index that could have been
// built for the constraint: unique, btree, over plain columns, whole-table
// and with default sorting; a constraint name other than the index's
// renames the index, with a NOTICE.
//
// A UNIQUE constraint takes the index as it is. A primary key is the
// table's storage key in cairn, so the index goes and the table is
// rewritten under its columns (as ADD PRIMARY KEY does), the constraint
// keeping the index's name; its columns become NOT NULL. cairn's primary
// keys have no INCLUDE columns: an index with some is refused (0A000).

// usingIndex finds the index ADD ... USING INDEX names on table and
// checks that a constraint may take it; name is the constraint's name
// ("" for the index's own). It returns the index, the name the constraint
// gets, and the NOTICE of a rename.
func usingIndex(x *execCtx, table *catalog.TableDesc, index, name string, primary bool, pos int32) (catalog.IndexDesc, string, []Notice, error) {
	if table.PartKey != nil {
		return catalog.IndexDesc{}, "", nil, pgerr.New(pgerr.FeatureNotSupported, "ALTER TABLE / ADD CONSTRAINT USING INDEX is not supported on partitioned tables")
	}
	ix, name, notices, err := checkUsingIndex(x, table, index, name, primary)
	var e *pgerr.Error
	if errors.As(err, &e) && e.Position == 0 {
		err = e.WithPosition(pos)
	}
	return ix, name, notices, err
}

// checkUsingIndex is usingIndex without the error's position.
func checkUsingIndex(x *execCtx, table *catalog.TableDesc, index, name string, primary bool) (catalog.IndexDesc, string, []Notice, error) {
	i := slices.IndexFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return ix.Name == index })
	if i < 0 {
		other, _, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, index))
		if err != nil {
			return catalog.IndexDesc{}, "", nil, err
		}
		if other != nil && other.IndexOf != "" {
			return catalog.IndexDesc{}, "", nil, pgerr.New(pgerr.WrongObjectType, "index \"%s\" does not belong to table \"%s\"", index, table.Name)
		}
		return catalog.IndexDesc{}, "", nil, pgerr.New(pgerr.UndefinedObject, "index \"%s\" does not exist", index)
	}
	ix := table.Indexes[i]
	cannot := "Cannot create a primary key or unique constraint using such an index."
	switch {
	case ix.Constraint:
		return ix, "", nil, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "index \"%s\" is already associated with a constraint", index)
	case !ix.Unique || ix.Exclusion:
		return ix, "", nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a unique index", index).WithDetail(cannot)
	case len(ix.Exprs) > 0:
		return ix, "", nil, pgerr.New(pgerr.WrongObjectType, "index \"%s\" contains expressions", index).WithDetail(cannot)
	case ix.Predicate != "":
		return ix, "", nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is a partial index", index).WithDetail(cannot)
	case ix.Method != "" && ix.Method != "btree":
		return ix, "", nil, pgerr.New(pgerr.WrongObjectType, "index \"%s\" is not a btree", index).WithDetail(cannot)
	}
	for k := range ix.Columns {
		if ix.IsDesc(k) || ix.IsNullsFirst(k) || ix.KeyCollation(k) != "" || ix.KeyOpclass(k) != "" {
			return ix, "", nil, pgerr.New(pgerr.WrongObjectType, "index \"%s\" column number %d does not have default sorting behavior", index, k+1).WithDetail(cannot)
		}
	}
	if primary && len(ix.Include) > 0 {
		return ix, "", nil, pgerr.New(pgerr.FeatureNotSupported, "a primary key with INCLUDE columns is not supported").
			WithDetail("cairn stores a table's rows under its primary key, which holds key columns only.")
	}
	if name == "" || name == index {
		return ix, index, nil, nil
	}
	if table.ConstraintNameUsed(name) {
		return ix, "", nil, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", name, table.Name)
	}
	if err := checkRelationNameFree(x, table.Schema, name); err != nil {
		return ix, "", nil, err
	}
	notice := Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
		Message: "ALTER TABLE / ADD CONSTRAINT USING INDEX will rename index \"" + index + "\" to \"" + name + "\""}
	return ix, name, []Notice{notice}, nil
}

// addUniqueUsingIndex makes the index s names the UNIQUE constraint's,
// renaming it to the constraint's name when that differs.
func addUniqueUsingIndex(x *execCtx, s *ast.AlterTableStmt) (*Result, error) {
	table, tableTuple, res, err := lockAlterTarget(x, s)
	if table == nil {
		return res, err
	}
	ix, name, notices, err := usingIndex(x, table, s.UsingIndex, s.Unique.Name, false, s.Pos)
	if err != nil {
		return nil, err
	}
	res.Notices = append(res.Notices, notices...)
	if name != ix.Name {
		nameEntry, nameTuple, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, ix.Name))
		if err != nil {
			return nil, err
		}
		if nameEntry == nil || nameEntry.ID != ix.ID {
			return nil, pgerr.New(pgerr.DataCorrupted, "index \"%s\" of table \"%s\" is missing from the catalog", ix.Name, table.Name)
		}
		if err := x.s.e.cat.Drop(x.op(), nameTuple); err != nil {
			return nil, err
		}
		renamed := *nameEntry
		renamed.Name = name
		if err := x.s.e.cat.Create(x.op(), &renamed); err != nil {
			return nil, err
		}
	}
	updated := *table
	updated.Indexes = slices.Clone(table.Indexes)
	i := slices.IndexFunc(updated.Indexes, func(d catalog.IndexDesc) bool { return d.ID == ix.ID })
	u := &updated.Indexes[i]
	u.Name, u.Constraint = name, true
	u.Deferrable, u.Deferred = s.Unique.Deferrable, s.Unique.Deferred
	if err := replaceTableDesc(x, tableTuple, &updated); err != nil {
		return nil, err
	}
	return res, nil
}
