package sql

import (
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
)

// nameAddedUnique names the UNIQUE (or EXCLUDE) constraint ALTER TABLE
// ADD adds to the table ref names: a name written must not be one of the
// table's constraints' (42710); without one, it is table_columns_key, or
// with the first number appended to its label that gives a name no
// relation of the schema and no constraint of the table has, as
// PostgreSQL's ChooseRelationName picks it (a name too long is cut at the
// end, where PostgreSQL shortens the table and column part). A missing
// table is left for the index creation to report.
func nameAddedUnique(x *execCtx, ref ast.TableRef, u *ast.UniqueConstraint) error {
	table, _, err := x.s.lookupRel(x.snap, ref.Name)
	if err != nil || table == nil {
		return err
	}
	if u.Name != "" {
		// A relation of that name is the index creation's to report
		// (42P07), as PostgreSQL checks it first.
		taken, _, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, u.Name))
		if err != nil || taken != nil {
			return err
		}
		if table.ConstraintNameUsed(u.Name) {
			return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", u.Name, table.Name)
		}
		return nil
	}
	base := table.Name
	for _, c := range u.Columns {
		base += "_" + c
	}
	suffix := "key"
	if u.Exclusion {
		suffix = "excl"
	}
	for n := 0; ; n++ {
		label := suffix
		if n > 0 {
			label += strconv.Itoa(n)
		}
		name := parser.TruncateIdent(base + "_" + label)
		if table.ConstraintNameUsed(name) {
			continue
		}
		taken, _, err := x.s.e.cat.Lookup(x.snap, catalog.Key(table.Schema, name))
		if err != nil {
			return err
		}
		if taken == nil {
			if pk, err := pkIndexTable(x, name); err != nil {
				return err
			} else if pk != nil && pk.Schema == table.Schema {
				taken = pk
			}
		}
		if taken == nil {
			u.Name = name
			return nil
		}
	}
}
