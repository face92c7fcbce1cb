package sql

import (
	"slices"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/txn"
)

// ALTER TABLE|VIEW|INDEX|SEQUENCE ... RENAME TO. A relation's catalog key
// is its schema and name, and other descriptors refer to it by that key
// (catalog.Key), so renaming one rewrites every stored reference: its
// indexes' name entries, the foreign keys that reference it, the
// sequences it owns, inheritance's parent and child lists, and the
// queries of views that name it. Nothing else about the relation changes:
// its rows stay under its storage id, and the names of its indexes and
// constraints stay what they were (a primary key named after the old
// table name keeps that name, as in PostgreSQL).

type renameRelationPlan struct{ stmt *ast.RenameRelationStmt }

func (p *renameRelationPlan) columns() []Column { return nil }

func (p *renameRelationPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	s := p.stmt
	res := &Result{Tag: s.Tag()}
	name := catalog.DisplayName(s.Name.Name)
	if s.Name.System || s.Name.InfoSchema {
		if _, sys := catalog.SystemTableOID(s.Name.Name); sys || s.Name.InfoSchema {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied: \"%s\" is a system catalog", name)
		}
	}
	desc, _, err := x.s.lookupRel(x.snap, s.Name.Name)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		if s.Kind == "index" || s.Kind == "table" {
			// A primary key's index has no catalog entry of its own.
			if t, err := pkIndexTable(x, name); err != nil || t != nil {
				if err != nil {
					return nil, err
				}
				return res, renamePKIndex(x, t, s.NewName)
			}
		}
		if _, sys := catalog.SystemTableOID(s.Name.Name); sys {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied: \"%s\" is a system catalog", name)
		}
		if s.IfExists {
			res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
				Message: "relation \"" + name + "\" does not exist, skipping"})
			return res, nil
		}
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", name).WithPosition(s.Name.Pos)
	}
	switch {
	case s.Kind == "view" && desc.Kind() != "view":
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a view", desc.Name)
	case s.Kind == "sequence" && desc.Kind() != "sequence":
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", desc.Name)
	}
	switch desc.Kind() {
	case "index":
		return res, renameIndex(x, s, res)
	case "sequence":
		seq, tuple, err := x.s.lookupRel(x.snap, s.Name.Name)
		if err != nil {
			return nil, err
		}
		updated := *seq
		return res, renameSequence(x, tuple, &updated, s.NewName)
	}
	if desc.Kind() == "table" {
		if err := x.lockTableForDDL(desc.ID, txn.AccessExclusive); err != nil {
			return nil, err
		}
		// Again, as the snapshot after the lock wait sees it.
		if desc, _, err = x.s.lookupRel(x.snap, s.Name.Name); err != nil || desc == nil {
			return nil, err
		}
	}
	if err := checkRelationNameFree(x, desc.Schema, s.NewName); err != nil {
		return nil, err
	}
	if err := rekeyRelation(x, desc, desc.Schema, s.NewName); err != nil {
		return nil, err
	}
	x.s.e.catalogChanged()
	x.s.wroteCatalog = true
	return res, nil
}

// checkRelationNameFree refuses a relation name already taken in schema,
// by a relation or by a primary key's index.
func checkRelationNameFree(x *execCtx, schema, name string) error {
	taken, _, err := x.s.e.cat.Lookup(x.snap, catalog.Key(schema, name))
	if err != nil {
		return err
	}
	if taken == nil {
		t, err := pkIndexTable(x, name)
		if err != nil {
			return err
		}
		taken = t
		if t != nil && t.Schema != schema {
			taken = nil
		}
	}
	if taken != nil {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", name)
	}
	return nil
}

// renamePKIndex renames table's primary key index, and so its primary key
// constraint, whose names are one.
func renamePKIndex(x *execCtx, table *catalog.TableDesc, to string) error {
	if err := x.checkOwner(table); err != nil {
		return err
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return err
	}
	table, tuple, err := x.s.e.cat.Lookup(x.snap, table.Key())
	if err != nil || table == nil {
		return err
	}
	if err := checkRelationNameFree(x, table.Schema, to); err != nil {
		return err
	}
	if table.PKConstraintName() != to && table.ConstraintNameUsed(to) {
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", to, table.Name)
	}
	updated := *table
	updated.PKName = to
	return replaceTableDesc(x, tuple, &updated)
}

// renameIndex renames an index: its catalog name entry, and its
// description in its table's descriptor (the name of a UNIQUE
// constraint's index is the constraint's, which is renamed with it, as in
// PostgreSQL).
func renameIndex(x *execCtx, s *ast.RenameRelationStmt, res *Result) error {
	e := x.s.e
	// lookup finds the index and its table.
	lookup := func() (d, table *catalog.TableDesc, nameTuple, tableTuple heap.TupleID, err error) {
		if d, nameTuple, err = x.s.lookupRel(x.snap, s.Name.Name); err != nil || d == nil {
			return nil, nil, nameTuple, tableTuple, err
		}
		if table, tableTuple, err = e.cat.Lookup(x.snap, d.IndexOf); err == nil && table == nil {
			err = pgerr.New(pgerr.DataCorrupted, "table \"%s\" of index \"%s\" is missing from the catalog", d.IndexOf, d.Name)
		}
		if err != nil {
			return nil, nil, nameTuple, tableTuple, err
		}
		return d, table, nameTuple, tableTuple, nil
	}
	_, table, _, _, err := lookup()
	if table == nil {
		return err
	}
	if err := x.lockTableForDDL(table.ID, txn.AccessExclusive); err != nil {
		return err
	}
	// Again, as the snapshot after the lock wait sees it.
	d, table, nameTuple, tableTuple, err := lookup()
	if d == nil {
		return err
	}
	if err := checkRelationNameFree(x, d.Schema, s.NewName); err != nil {
		return err
	}
	i := slices.IndexFunc(table.Indexes, func(ix catalog.IndexDesc) bool { return ix.ID == d.ID })
	if i < 0 {
		return pgerr.New(pgerr.DataCorrupted, "index \"%s\" is missing from table \"%s\"", d.Name, table.Name)
	}
	if table.Indexes[i].Constraint && table.ConstraintNameUsed(s.NewName) {
		return pgerr.New(pgerr.DuplicateObject, "constraint \"%s\" for relation \"%s\" already exists", s.NewName, table.Name)
	}
	if err := e.cat.Drop(x.op(), nameTuple); err != nil {
		return err
	}
	renamed := *d
	renamed.Name = s.NewName
	if err := e.cat.Create(x.op(), &renamed); err != nil {
		return err
	}
	updated := *table
	updated.Indexes = slices.Clone(table.Indexes)
	updated.Indexes[i].Name = s.NewName
	return replaceTableDesc(x, tableTuple, &updated)
}

// rekeyRelation gives rel the catalog key of schema toSchema ("" for
// public) and name toName, and rewrites every stored reference to its old
// key. The caller has checked that the new key is free.
func rekeyRelation(x *execCtx, rel *catalog.TableDesc, toSchema, toName string) error {
	s := x.s
	oldKey := rel.Key()
	newKey := catalog.Key(toSchema, toName)
	snap := x.later().snap
	all, err := s.e.cat.All(snap)
	if err != nil {
		return err
	}
	// refers reports whether a view's query names rel, as schema.name or
	// by a bare name the search path resolves to it.
	refers := func(schema, name string) bool {
		if name != rel.Name {
			return false
		}
		if schema != "" {
			return schema == rel.SchemaName() || schema == "pg_temp" && rel.Temp()
		}
		d, _, err := s.lookupRel(snap, name)
		return err == nil && d != nil && d.ID == rel.ID
	}
	rekey := func(keys []string) ([]string, bool) {
		i := slices.Index(keys, oldKey)
		if i < 0 {
			return keys, false
		}
		keys = slices.Clone(keys)
		keys[i] = newKey
		return keys, true
	}
	rewrite := func(d *catalog.TableDesc) (*catalog.TableDesc, error) {
		c := *d
		changed := false
		if d.Key() == oldKey {
			if toName != d.Name && len(d.PK) > 0 && d.PKName == "" {
				c.PKName = d.PKConstraintName()
			}
			c.Schema, c.Name, changed = toSchema, toName, true
		}
		if c.IndexOf == oldKey {
			c.IndexOf, c.Schema, changed = newKey, toSchema, true
		}
		if slices.ContainsFunc(c.ForeignKeys, func(fk catalog.ForeignKeyDesc) bool { return fk.RefTable == oldKey }) {
			c.ForeignKeys = slices.Clone(c.ForeignKeys)
			for i := range c.ForeignKeys {
				if c.ForeignKeys[i].RefTable == oldKey {
					c.ForeignKeys[i].RefTable = newKey
				}
			}
			changed = true
		}
		if c.Sequence != nil && c.Sequence.OwnedBy == oldKey {
			seq := *c.Sequence
			seq.OwnedBy, changed = newKey, true
			c.Sequence = &seq
		}
		var moved bool
		if c.Inherits, moved = rekey(c.Inherits); moved {
			changed = true
		}
		if c.Children, moved = rekey(c.Children); moved {
			changed = true
		}
		if c.View != "" && toName != rel.Name {
			text, ok := parser.RenameRelationIn(c.View, refers, toName)
			if !ok {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot rename \"%s\": the query of view \"%s\" could not be rewritten", rel.Name, d.Name)
			}
			if text != c.View {
				c.View, changed = text, true
			}
		}
		if !changed {
			return nil, nil
		}
		return &c, nil
	}
	for _, d := range all {
		n, err := rewrite(d)
		if err != nil {
			return err
		}
		if n == nil {
			continue
		}
		later := x.later()
		_, did, err := s.e.cat.Lookup(later.snap, d.Key())
		if err != nil {
			return err
		}
		if err := s.e.cat.Drop(later.op(), did); err != nil {
			return err
		}
		if err := s.e.cat.Create(x.later().op(), n); err != nil {
			return err
		}
	}
	return nil
}
