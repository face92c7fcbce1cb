package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// ALTER INDEX ... RENAME TO and REINDEX.

type alterIndexPlan struct{ stmt *ast.AlterIndexStmt }

func (p *alterIndexPlan) columns() []Column { return nil }

// execute renames an index: its catalog name entry, and its description
// in its table's descriptor (the name of a UNIQUE constraint's index is
// the constraint's, which is renamed with it, as in PostgreSQL).
func (p *alterIndexPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	s := p.stmt
	res := &Result{Tag: s.Tag()}
	lookup := func() (*catalog.TableDesc, error) {
		d, _, err := e.cat.Lookup(x.snap, s.Name.Name)
		if err != nil || d != nil {
			return d, err
		}
		if s.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + s.Name.Name + "\" does not exist, skipping"})
			return nil, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Name.Name).WithPosition(s.Name.Pos)
	}
	d, err := lookup()
	if d == nil {
		return res, err
	}
	if d.Kind() != "index" {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not an index", d.Name)
	}
	table, _, err := e.cat.Lookup(x.snap, d.IndexOf)
	if err != nil {
		return nil, err
	}
	if table == nil {
		return nil, pgerr.New(pgerr.DataCorrupted, "table \"%s\" of index \"%s\" is missing from the catalog", d.IndexOf, d.Name)
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return nil, err
	}
	if d, err = lookup(); d == nil {
		return res, err
	}
	d, nameTuple, err := e.cat.Lookup(x.snap, s.Name.Name)
	if err != nil {
		return nil, err
	}
	table, tableTuple, err := e.cat.Lookup(x.snap, d.IndexOf)
	if err != nil {
		return nil, err
	}
	if table == nil {
		return nil, pgerr.New(pgerr.DataCorrupted, "table \"%s\" of index \"%s\" is missing from the catalog", d.IndexOf, d.Name)
	}
	taken, _, err := e.cat.Lookup(x.snap, s.RenameTo)
	if err != nil {
		return nil, err
	}
	if taken != nil {
		return nil, pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", s.RenameTo)
	}
	i := slices.IndexFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return ix.ID == d.ID })
	if i < 0 {
		return nil, pgerr.New(pgerr.DataCorrupted, "index \"%s\" is missing from table \"%s\"", d.Name, table.Name)
	}
	if table.Indexes[i].Constraint && table.ConstraintNameUsed(s.RenameTo) {
		return nil, pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", s.RenameTo, table.Name)
	}
	if err := e.cat.Drop(x.op(), nameTuple); err != nil {
		return nil, err
	}
	renamed := *d
	renamed.Name = s.RenameTo
	if err := e.cat.Create(x.op(), &renamed); err != nil {
		return nil, err
	}
	updated := *table
	updated.Indexes = slices.Clone(table.Indexes)
	updated.Indexes[i].Name = s.RenameTo
	return res, replaceTableDesc(x, tableTuple, &updated)
}

type reindexPlan struct{ stmt *ast.ReindexStmt }

func (p *reindexPlan) columns() []Column { return nil }

// execute checks REINDEX's target. Every write keeps cairn's index
// entries exact and VACUUM removes the stale ones, so there is nothing
// to rebuild.
func (p *reindexPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	res := &Result{Tag: s.Tag()}
	if x.s.inBlock() {
		switch {
		case s.Concurrently:
			return nil, pgerr.New(pgerr.ActiveSQLTransaction, "REINDEX CONCURRENTLY cannot run inside a transaction block")
		case s.Kind == "SCHEMA" || s.Kind == "DATABASE" || s.Kind == "SYSTEM":
			return nil, pgerr.New(pgerr.ActiveSQLTransaction, "REINDEX %s cannot run inside a transaction block", s.Kind)
		}
	}
	switch s.Kind {
	case "INDEX", "TABLE":
		d, _, err := x.s.e.cat.Lookup(x.snap, s.Name.Name)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Name.Name).WithPosition(s.Name.Pos)
		}
		if s.Kind == "INDEX" && d.Kind() != "index" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not an index", d.Name)
		}
		if s.Kind == "TABLE" && d.Kind() != "table" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table or materialized view", d.Name)
		}
	case "SCHEMA":
		if s.Name.Name != "public" && s.Name.Name != "pg_catalog" {
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", s.Name.Name)
		}
	case "DATABASE", "SYSTEM":
		if s.Name.Name != "" && s.Name.Name != x.s.database {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "can only reindex the currently open database")
		}
	}
	return res, nil
}
