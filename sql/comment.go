package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// commentPlan is COMMENT ON a table, view, sequence, index or column: the
// text goes into the relation's catalog entry (an index's, into its
// table's), in the statement's transaction, and pg_description,
// obj_description and col_description read it back.
type commentPlan struct{ stmt *ast.CommentStmt }

func (p *commentPlan) columns() []Column { return nil }

func (p *commentPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	e := x.s.e
	s := p.stmt
	if s.Kind == "type" || s.Kind == "domain" {
		return commentOnType(x, s)
	}
	if s.Kind == "trigger" {
		return commentOnTrigger(x, s)
	}
	if s.Constraint != "" {
		return commentOnConstraint(x, s)
	}
	if s.Relation.System || s.Relation.InfoSchema {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied: \"%s\" is a system catalog", s.Relation.Name)
	}
	desc, tuple, err := x.s.lookupRel(x.snap, s.Relation.Name)
	if err != nil {
		return nil, err
	}
	if desc == nil && s.Kind == "index" {
		// A primary key's index has no catalog entry of its own.
		if desc, err = pkIndexTable(x, s.Relation.Name); err != nil {
			return nil, err
		}
		if desc != nil {
			_, tuple, err = e.cat.Lookup(x.snap, desc.Key())
			if err != nil {
				return nil, err
			}
		}
	}
	if desc == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Relation.Name)
	}
	text := ""
	if s.Comment != nil {
		text = *s.Comment
	}
	kind := desc.Kind()
	if s.Kind == "index" && desc.Name != s.Relation.Name {
		kind = "index" // the table of a primary key's index
	}
	if s.Kind == "column" {
		if kind == "index" {
			return nil, pgerr.New(pgerr.WrongObjectType, "cannot set comment on relation \"%s\"", desc.Name).
				WithDetail("This operation is not supported for indexes.")
		}
	} else if kind != s.Kind {
		return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a%s %s", desc.Name, map[bool]string{true: "n", false: ""}[s.Kind == "index"], s.Kind)
	}
	if kind == "index" && desc.IndexOf != "" {
		if desc, tuple, err = e.cat.Lookup(x.snap, desc.IndexOf); err != nil {
			return nil, err
		}
		if desc == nil {
			return nil, pgerr.New(pgerr.DataCorrupted, "the table of index \"%s\" is missing from the catalog", s.Relation.Name)
		}
	}
	if kind == "table" || kind == "index" {
		// As PostgreSQL's ShareUpdateExclusive: no DDL on the table
		// meanwhile (cairn's next mode up).
		if err := x.lockTableForDDL(desc.ID, txn.Share); err != nil {
			return nil, err
		}
		if desc, tuple, err = e.cat.Lookup(x.snap, desc.Key()); err != nil {
			return nil, err
		}
		if desc == nil {
			return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Relation.Name)
		}
	}
	updated := *desc
	switch {
	case s.Kind == "column":
		i := desc.ColumnIndex(s.Column)
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", s.Column, desc.Name)
		}
		updated.Columns = slices.Clone(desc.Columns)
		updated.Columns[i].Comment = text
	case kind == "index":
		i := slices.IndexFunc(desc.Indexes, func(ix catalog.IndexDesc) bool { return ix.Name == s.Relation.Name })
		if i < 0 {
			updated.PKComment = text // the primary key's index
			break
		}
		updated.Indexes = slices.Clone(desc.Indexes)
		updated.Indexes[i].Comment = text
	default:
		updated.Comment = text
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return &Result{Tag: "COMMENT"}, nil
}

// pkIndexTable returns the table whose primary key's index is named name,
// or nil.
func pkIndexTable(x *execCtx, name string) (*catalog.TableDesc, error) {
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	for _, t := range all {
		if len(t.PK) == 0 || t.IndexOf != "" {
			continue
		}
		if t.PKConstraintName() == name {
			return t, nil
		}
	}
	return nil, nil
}
