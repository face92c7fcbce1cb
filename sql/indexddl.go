package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// REINDEX (ALTER INDEX ... RENAME TO is in rename.go).

type reindexPlan struct{ stmt *ast.ReindexStmt }

func (p *reindexPlan) columns() []Column { return nil }

// execute checks REINDEX's target and rebuilds its indexes (reindex.go).
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
	catalogs := pgerr.New(pgerr.FeatureNotSupported, "cannot reindex system catalogs concurrently")
	switch {
	case s.Concurrently && s.Kind == "SYSTEM":
		return nil, catalogs
	case s.Concurrently && s.Kind == "SCHEMA" && s.Name.Name == "pg_catalog":
		res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: pgerr.FeatureNotSupported, Message: "cannot reindex system catalogs concurrently, skipping all"})
		return res, nil
	}
	reindexed := func(name string) {
		if s.Verbose {
			res.Notices = append(res.Notices, Notice{Severity: "INFO", Code: pgerr.SuccessfulCompletion, Message: "index \"" + name + "\" was reindexed"})
		}
	}
	switch s.Kind {
	case "INDEX", "TABLE":
		d, _, err := x.s.lookupRel(x.snap, s.Name.Name)
		if err != nil {
			return nil, err
		}
		if d == nil && s.Kind == "INDEX" {
			// A primary key's index has no catalog entry of its own.
			if t, err := pkIndexTable(x, s.Name.Name); err != nil || t != nil {
				reindexed(s.Name.Name)
				return res, err
			}
		}
		if _, sys := catalog.SystemTableOID(s.Name.Name); d == nil && s.Kind == "TABLE" && s.Concurrently && (sys || s.Name.System) {
			return nil, catalogs
		}
		if d == nil {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Name.Name).WithPosition(s.Name.Pos)
		}
		if x.s.inBlock() && partitionedTarget(x, d) {
			// A partitioned table's or index's partitions are reindexed
			// each in its own transaction.
			return nil, pgerr.New(pgerr.ActiveSQLTransaction, "REINDEX %s cannot run inside a transaction block", s.Kind)
		}
		if s.Kind == "TABLE" && d.Kind() == "table" && len(d.PK) == 0 && len(d.Indexes) == 0 && !d.IsPartitioned() {
			msg := "table \"" + d.Name + "\" has no indexes to reindex"
			if s.Concurrently {
				msg = "table \"" + d.Name + "\" has no indexes that can be reindexed concurrently"
			}
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: msg})
		}
		switch {
		case s.Kind == "INDEX" && d.Kind() == "index":
			reindexed(d.Name)
		case s.Kind == "TABLE" && d.Kind() == "table":
			if len(d.PK) > 0 {
				reindexed(d.PKConstraintName())
			}
			for _, ix := range d.Indexes {
				reindexed(ix.Name)
			}
		}
		if s.Kind == "INDEX" && d.Kind() != "index" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not an index", d.Name)
		}
		if s.Kind == "TABLE" && d.Kind() != "table" {
			return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table or materialized view", d.Name)
		}
		if s.Kind == "TABLE" {
			if err := x.checkOwner(d); err != nil {
				return nil, err
			}
			return res, reindexTables(x, []string{d.Key()}, nil)
		}
		return res, reindexIndex(x, d)
	case "SCHEMA":
		sd, _, err := x.s.e.cat.LookupSchema(x.snap, s.Name.Name)
		if err != nil {
			return nil, err
		}
		if sd == nil && s.Name.Name != "public" && s.Name.Name != "pg_catalog" && !liveTempSchema(x, s.Name.Name) {
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", s.Name.Name)
		}
		// Only the schema's owner reindexes all of it.
		if !catalog.IsTempSchema(s.Name.Name) {
			b := &binder{s: x.s, snap: x.snap}
			if err := b.checkSchemaOwner(s.Name.Name); err != nil {
				return nil, err
			}
		}
		if s.Name.Name != "pg_catalog" {
			return res, reindexSchema(x, s.Name.Name)
		}
	case "DATABASE", "SYSTEM":
		if s.Name.Name != "" && s.Name.Name != x.s.database {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "can only reindex the currently open database")
		}
		if s.Kind == "DATABASE" {
			return res, reindexSchema(x, "")
		}
	}
	return res, nil
}

// partitionedTarget reports whether d, REINDEX's table or index, is a
// partitioned table or a partitioned table's index.
func partitionedTarget(x *execCtx, d *catalog.TableDesc) bool {
	if d.IndexOf == "" {
		return d.IsPartitioned()
	}
	t, _, err := x.s.e.cat.Lookup(x.snap, d.IndexOf)
	return err == nil && t != nil && t.IsPartitioned()
}

// liveTempSchema reports whether name is the temporary schema of a live
// session, which pg_namespace lists though the catalog keeps no entry.
func liveTempSchema(x *execCtx, name string) bool {
	return catalog.IsTempSchema(name) && slices.ContainsFunc(x.s.e.tempSlots.live(), func(n int) bool {
		return catalog.TempSchemaName(n) == name
	})
}

// indexReadsColumn reports whether idx reads column col of table: as a
// key, an INCLUDE column, or in an expression or the predicate.
func indexReadsColumn(table *catalog.TableDesc, idx *catalog.IndexDesc, col int) bool {
	if slices.Contains(idx.Columns, col) || slices.Contains(idx.Include, col) {
		return true
	}
	name := table.Columns[col].Name
	for _, text := range append(slices.Clone(idx.Exprs), idx.Predicate) {
		if text != "" && parser.MentionsColumn(text, name) {
			return true
		}
	}
	return false
}

// renameInIndexes rewrites the expressions and predicates of updated's
// indexes for column from renamed to.
func renameInIndexes(b *binder, updated *catalog.TableDesc, from, to string) error {
	updated.Indexes = slices.Clone(updated.Indexes)
	for i := range updated.Indexes {
		idx := &updated.Indexes[i]
		if !idx.Computed() {
			continue
		}
		idx.Exprs = slices.Clone(idx.Exprs)
		for k, text := range idx.Exprs {
			if text == "" {
				continue
			}
			var err error
			if idx.Exprs[k], err = renameColumnRefs(b, text, from, to); err != nil {
				return err
			}
		}
		if idx.Predicate != "" {
			var err error
			if idx.Predicate, err = renameColumnRefs(b, idx.Predicate, from, to); err != nil {
				return err
			}
		}
	}
	return nil
}

// retypeIndexes marks for rebuild the indexes of updated that read
// column col, whose type changed, and records their expression keys' new
// types.
func retypeIndexes(b *binder, updated *catalog.TableDesc, col int, rebuild map[uint32]bool) error {
	updated.Indexes = slices.Clone(updated.Indexes)
	for i := range updated.Indexes {
		idx := &updated.Indexes[i]
		if !indexReadsColumn(updated, idx, col) {
			continue
		}
		rebuild[idx.ID] = true
		if len(idx.Exprs) == 0 {
			continue
		}
		bi, err := b.bindIndex(updated, idx)
		if err != nil {
			return err
		}
		idx.ExprTypes = slices.Clone(bi.types)
		for k, text := range idx.Exprs {
			if text == "" {
				idx.ExprTypes[k] = types.T{}
			}
		}
	}
	return nil
}
