package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// This file translates the statements that make, change and drop
// user-defined types: enums (CREATE TYPE AS ENUM, ALTER TYPE) and domains
// (CREATE DOMAIN, ALTER DOMAIN).

// userTypeStmt translates n when it is one of the statements above.
func (t *translator) userTypeStmt(n *pg.Node) (ast.Stmt, bool, error) {
	switch {
	case n.GetCreateEnumStmt() != nil:
		s, err := t.createEnumStmt(n.GetCreateEnumStmt())
		return s, true, err
	case n.GetAlterEnumStmt() != nil:
		s, err := t.alterEnumStmt(n.GetAlterEnumStmt())
		return s, true, err
	case n.GetCreateDomainStmt() != nil:
		s, err := t.createDomainStmt(n.GetCreateDomainStmt())
		return s, true, err
	case n.GetAlterDomainStmt() != nil:
		s, err := t.alterDomainStmt(n.GetAlterDomainStmt())
		return s, true, err
	case n.GetRenameStmt() != nil && (n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_TYPE ||
		n.GetRenameStmt().RenameType == pg.ObjectType_OBJECT_DOMAIN):
		r := n.GetRenameStmt()
		name, err := t.qualifiedTypeName(r.Object.GetList().GetItems())
		if err != nil {
			return nil, true, err
		}
		return &ast.RenameTypeStmt{Name: name, NewName: TruncateIdent(r.Newname), Domain: r.RenameType == pg.ObjectType_OBJECT_DOMAIN}, true, nil
	case n.GetAlterOwnerStmt() != nil && (n.GetAlterOwnerStmt().ObjectType == pg.ObjectType_OBJECT_TYPE ||
		n.GetAlterOwnerStmt().ObjectType == pg.ObjectType_OBJECT_DOMAIN):
		o := n.GetAlterOwnerStmt()
		var names []*pg.Node
		if tn := o.Object.GetTypeName(); tn != nil {
			names = tn.Names
		} else {
			names = o.Object.GetList().GetItems()
		}
		name, err := t.qualifiedTypeName(names)
		if err != nil {
			return nil, true, err
		}
		owner := ""
		if o.Newowner != nil {
			switch o.Newowner.Roletype {
			case pg.RoleSpecType_ROLESPEC_CSTRING:
				owner = o.Newowner.Rolename
			case pg.RoleSpecType_ROLESPEC_PUBLIC:
				owner = "public" // no role: OWNER TO fails with 42704
			}
		}
		return &ast.AlterTypeOwnerStmt{Name: name, Owner: owner, Domain: o.ObjectType == pg.ObjectType_OBJECT_DOMAIN}, true, nil
	case n.GetDropStmt() != nil && (n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_TYPE ||
		n.GetDropStmt().RemoveType == pg.ObjectType_OBJECT_DOMAIN):
		d := n.GetDropStmt()
		out := &ast.DropTypeStmt{IfExists: d.MissingOk, Cascade: d.Behavior == pg.DropBehavior_DROP_CASCADE,
			Domain: d.RemoveType == pg.ObjectType_OBJECT_DOMAIN}
		for _, o := range d.Objects {
			tn := o.GetTypeName()
			if tn == nil {
				return nil, true, pgerr.New(pgerr.SyntaxError, "DROP TYPE expects type names")
			}
			name, err := t.qualifiedTypeName(tn.Names)
			if err != nil {
				return nil, true, err
			}
			out.Names = append(out.Names, name)
		}
		return out, true, nil
	}
	return nil, false, nil
}

// qualifiedTypeName is the name of a user type written as name or
// public.name.
func (t *translator) qualifiedTypeName(items []*pg.Node) (string, error) {
	if len(items) == 0 {
		return "", pgerr.New(pgerr.SyntaxError, "missing type name")
	}
	if len(items) >= 2 && str(items[len(items)-2]) != "public" {
		return "", pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", str(items[len(items)-2]))
	}
	return TruncateIdent(str(items[len(items)-1])), nil
}

func (t *translator) createEnumStmt(s *pg.CreateEnumStmt) (ast.Stmt, error) {
	name, err := t.qualifiedTypeName(s.TypeName)
	if err != nil {
		return nil, err
	}
	out := &ast.CreateEnumStmt{Name: name, Labels: []string{}}
	for _, v := range s.Vals {
		out.Labels = append(out.Labels, str(v))
	}
	return out, nil
}

func (t *translator) alterEnumStmt(s *pg.AlterEnumStmt) (ast.Stmt, error) {
	name, err := t.qualifiedTypeName(s.TypeName)
	if err != nil {
		return nil, err
	}
	return &ast.AlterEnumStmt{Name: name, Rename: s.OldVal != "", OldLabel: s.OldVal, NewLabel: s.NewVal,
		Neighbor: s.NewValNeighbor, After: s.NewValIsAfter, IfNotExists: s.SkipIfNewValExists}, nil
}

func (t *translator) createDomainStmt(s *pg.CreateDomainStmt) (ast.Stmt, error) {
	name, err := t.qualifiedTypeName(s.Domainname)
	if err != nil {
		return nil, err
	}
	tn, err := t.typeName(s.TypeName)
	if err != nil {
		return nil, err
	}
	if s.CollClause != nil {
		return nil, t.unsupported("domain collations", s.CollClause.Location)
	}
	out := &ast.CreateDomainStmt{Name: name, Type: tn}
	nullSeen := false
	for _, n := range s.Constraints {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.Contype {
		case pg.ConstrType_CONSTR_NOTNULL, pg.ConstrType_CONSTR_NULL:
			notNull := c.Contype == pg.ConstrType_CONSTR_NOTNULL
			if nullSeen && notNull != out.NotNull {
				return nil, pgerr.New(pgerr.SyntaxError, "conflicting NULL/NOT NULL constraints").WithPosition(t.pos(c.Location))
			}
			nullSeen, out.NotNull = true, notNull
		case pg.ConstrType_CONSTR_DEFAULT:
			if out.Default != nil {
				return nil, pgerr.New(pgerr.SyntaxError, "multiple default expressions").WithPosition(t.pos(c.Location))
			}
			if out.Default, out.DefaultSQL, err = t.defaultExpr(c.RawExpr); err != nil {
				return nil, err
			}
		case pg.ConstrType_CONSTR_CHECK:
			ck, err := t.checkConstraint(c)
			if err != nil {
				return nil, err
			}
			if ck.NotValid {
				return nil, pgerr.New(pgerr.SyntaxError, "check constraints for domains cannot be marked NOT VALID").WithPosition(ck.Pos)
			}
			out.Checks = append(out.Checks, ck)
		case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY:
			return nil, pgerr.New(pgerr.SyntaxError, "unique constraints not possible for domains").WithPosition(t.pos(c.Location))
		case pg.ConstrType_CONSTR_FOREIGN:
			return nil, pgerr.New(pgerr.SyntaxError, "foreign key constraints not possible for domains").WithPosition(t.pos(c.Location))
		default:
			return nil, t.unsupported("this domain constraint", c.Location)
		}
	}
	return out, nil
}

func (t *translator) alterDomainStmt(s *pg.AlterDomainStmt) (ast.Stmt, error) {
	name, err := t.qualifiedTypeName(s.TypeName)
	if err != nil {
		return nil, err
	}
	out := &ast.AlterDomainStmt{Name: name, Constraint: s.Name, IfExists: s.MissingOk, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE}
	switch s.Subtype {
	case "T":
		if s.Def == nil {
			out.Action = "drop default"
			break
		}
		out.Action = "set default"
		if out.Default, out.DefaultSQL, err = t.defaultExpr(s.Def); err != nil {
			return nil, err
		}
	case "N":
		out.Action = "drop not null"
	case "O":
		out.Action = "set not null"
	case "C":
		out.Action = "add constraint"
		c := s.Def.GetConstraint()
		if c == nil {
			return nil, pgerr.New(pgerr.SyntaxError, "ADD CONSTRAINT expects a constraint")
		}
		switch c.Contype {
		case pg.ConstrType_CONSTR_CHECK:
			if out.Check, err = t.checkConstraint(c); err != nil {
				return nil, err
			}
		case pg.ConstrType_CONSTR_NOTNULL:
			// PostgreSQL 15's grammar has no ADD NOT NULL for domains
			// (pg_query's, PostgreSQL 17's, does).
			return nil, pgerr.New(pgerr.SyntaxError, "syntax error at or near \"not\"").WithPosition(t.pos(c.Location))
		case pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_PRIMARY:
			return nil, pgerr.New(pgerr.SyntaxError, "unique constraints not possible for domains").WithPosition(t.pos(c.Location))
		case pg.ConstrType_CONSTR_FOREIGN:
			return nil, pgerr.New(pgerr.SyntaxError, "foreign key constraints not possible for domains").WithPosition(t.pos(c.Location))
		default:
			return nil, t.unsupported("this domain constraint", c.Location)
		}
	case "X":
		out.Action = "drop constraint"
	case "V":
		out.Action = "validate constraint"
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ALTER DOMAIN %s is not supported", s.Subtype)
	}
	return out, nil
}
