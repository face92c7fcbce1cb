package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/txn"
)

// commentOnConstraint is COMMENT ON CONSTRAINT: the text goes into the
// constraint's description (a CHECK or FOREIGN KEY's, a UNIQUE or EXCLUDE
// constraint's index's, the primary key's in its table, or a domain's
// CHECK's), which pg_description shows under pg_constraint.
func commentOnConstraint(x *execCtx, s *ast.CommentStmt) (*Result, error) {
	text := ""
	if s.Comment != nil {
		text = *s.Comment
	}
	if s.Kind == "domain constraint" {
		d, id, err := lookupUserType(x, s.Relation.Name, catalog.TypeDomain)
		if err != nil {
			return nil, err
		}
		updated := cloneType(d)
		i := slices.IndexFunc(updated.Type.Checks, func(c catalog.CheckDesc) bool { return c.Name == s.Constraint })
		if i < 0 {
			return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for domain %s does not exist", s.Constraint, d.Name)
		}
		updated.Type.Checks[i].Comment = text
		if err := replaceTypeDesc(x, id, updated); err != nil {
			return nil, err
		}
		return &Result{Tag: "COMMENT"}, nil
	}
	if s.Relation.System || s.Relation.InfoSchema {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied: \"%s\" is a system catalog", s.Relation.Name)
	}
	desc, _, err := x.s.lookupRel(x.snap, s.Relation.Name)
	if err != nil {
		return nil, err
	}
	if desc == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Relation.Name)
	}
	if err := x.lockTableForDDL(desc.ID, txn.Share); err != nil {
		return nil, err
	}
	desc, tuple, err := x.s.e.cat.Lookup(x.snap, desc.Key())
	if err != nil {
		return nil, err
	}
	if desc == nil {
		return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", s.Relation.Name)
	}
	updated := *desc
	name := s.Constraint
	if i := slices.IndexFunc(desc.Checks, func(c catalog.CheckDesc) bool { return c.Name == name }); i >= 0 {
		updated.Checks = slices.Clone(desc.Checks)
		updated.Checks[i].Comment = text
	} else if i := slices.IndexFunc(desc.ForeignKeys, func(f catalog.ForeignKeyDesc) bool { return f.Name == name }); i >= 0 {
		updated.ForeignKeys = slices.Clone(desc.ForeignKeys)
		updated.ForeignKeys[i].Comment = text
	} else if i := slices.IndexFunc(desc.Indexes, func(ix catalog.IndexDesc) bool { return ix.Constraint && ix.Name == name }); i >= 0 {
		updated.Indexes = slices.Clone(desc.Indexes)
		updated.Indexes[i].ConstraintComment = text
	} else if len(desc.PK) > 0 && desc.PKConstraintName() == name {
		updated.PKConstraintComment = text
	} else {
		return nil, pgerr.New(pgerr.UndefinedObject, "constraint \"%s\" for table \"%s\" does not exist", name, desc.Name)
	}
	if err := replaceTableDesc(x, tuple, &updated); err != nil {
		return nil, err
	}
	return &Result{Tag: "COMMENT"}, nil
}
