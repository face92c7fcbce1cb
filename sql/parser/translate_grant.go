package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// This file translates GRANT and REVOKE, of privileges on objects and of
// role membership.

// alterDefaultPrivileges translates ALTER DEFAULT PRIVILEGES.
func (t *translator) alterDefaultPrivileges(s *pg.AlterDefaultPrivilegesStmt) (ast.Stmt, error) {
	if s.Action == nil {
		return nil, t.unsupported("this ALTER DEFAULT PRIVILEGES", 0)
	}
	st, err := t.grantStmt(s.Action)
	if err != nil {
		return nil, err
	}
	out := st.(*ast.GrantStmt)
	out.Defaults = &ast.DefaultPrivileges{}
	for _, o := range s.Options {
		d := o.GetDefElem()
		if d == nil || d.Arg.GetList() == nil {
			continue
		}
		for _, item := range d.Arg.GetList().Items {
			switch d.Defname {
			case "roles":
				out.Defaults.Roles = append(out.Defaults.Roles, t.roleSpec(item.GetRoleSpec()))
			case "schemas":
				if item.GetString_() != nil {
					out.Defaults.Schemas = append(out.Defaults.Schemas, TruncateIdent(item.GetString_().Sval))
				}
			}
		}
	}
	return out, nil
}

func (t *translator) grantStmt(s *pg.GrantStmt) (ast.Stmt, error) {
	out := &ast.GrantStmt{Revoke: !s.IsGrant, GrantOption: s.GrantOption, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE}
	switch s.Targtype {
	case pg.GrantTargetType_ACL_TARGET_OBJECT, pg.GrantTargetType_ACL_TARGET_DEFAULTS:
	case pg.GrantTargetType_ACL_TARGET_ALL_IN_SCHEMA:
		out.InSchema = true
	default:
		return nil, t.unsupported("this GRANT", 0)
	}
	switch s.Objtype {
	case pg.ObjectType_OBJECT_TABLE:
		out.ObjType = "table"
	case pg.ObjectType_OBJECT_SEQUENCE:
		out.ObjType = "sequence"
	case pg.ObjectType_OBJECT_SCHEMA:
		out.ObjType = "schema"
	case pg.ObjectType_OBJECT_DATABASE:
		out.ObjType = "database"
	case pg.ObjectType_OBJECT_FUNCTION, pg.ObjectType_OBJECT_ROUTINE, pg.ObjectType_OBJECT_PROCEDURE:
		out.ObjType = "function"
	case pg.ObjectType_OBJECT_TYPE:
		out.ObjType = "type"
	case pg.ObjectType_OBJECT_DOMAIN:
		out.ObjType = "domain"
	default:
		return nil, t.unsupported("GRANT and REVOKE on this kind of object", 0)
	}
	for _, o := range s.Objects {
		switch {
		case o.GetRangeVar() != nil:
			ref, err := t.rangeVar(o.GetRangeVar())
			if err != nil {
				return nil, err
			}
			out.Objects = append(out.Objects, ref)
		case o.GetString_() != nil:
			out.Objects = append(out.Objects, ast.TableRef{Name: TruncateIdent(o.GetString_().Sval)})
		case o.GetObjectWithArgs() != nil:
			f, err := t.funcSig(o.GetObjectWithArgs())
			if err != nil {
				return nil, err
			}
			out.Functions = append(out.Functions, f)
		case o.GetList() != nil && (out.ObjType == "type" || out.ObjType == "domain"):
			// A type's qualified name, as any_name_list gives it.
			names := t.names(o.GetList().Items)
			tn := ast.TypeName{Name: names[len(names)-1]}
			switch len(names) {
			case 1:
			case 2:
				if names[0] != "pg_catalog" {
					tn.Schema = names[0]
				}
			default:
				return nil, t.unsupported("a type name with a database", 0)
			}
			out.Types = append(out.Types, tn)
		default:
			return nil, t.unsupported("this GRANT object", 0)
		}
	}
	for _, p := range s.Privileges {
		ap := p.GetAccessPriv()
		if ap == nil {
			continue
		}
		priv := ast.Privilege{Name: ap.PrivName, Columns: t.names(ap.Cols)}
		if priv.Name == "" {
			// ALL (columns)
			priv.Name = "all"
		}
		out.Privileges = append(out.Privileges, priv)
	}
	for _, g := range s.Grantees {
		out.Grantees = append(out.Grantees, t.roleSpec(g.GetRoleSpec()))
	}
	if s.Grantor != nil {
		r := t.roleSpec(s.Grantor)
		out.GrantedBy = &r
	}
	return out, nil
}

// funcSig translates a function named with its argument types.
func (t *translator) funcSig(o *pg.ObjectWithArgs) (ast.FuncSig, error) {
	f := ast.FuncSig{ArgsGiven: !o.ArgsUnspecified}
	names := t.names(o.Objname)
	switch len(names) {
	case 1:
		f.Name = names[0]
	case 2:
		f.Schema, f.Name = names[0], names[1]
	default:
		return f, t.unsupported("a function name with a database", 0)
	}
	for _, a := range o.Objargs {
		tn := a.GetTypeName()
		if tn == nil {
			return f, t.unsupported("this function argument", 0)
		}
		at, err := t.typeName(tn)
		if err != nil {
			return f, err
		}
		f.Args = append(f.Args, at)
	}
	return f, nil
}

func (t *translator) grantRoleStmt(s *pg.GrantRoleStmt) (ast.Stmt, error) {
	out := &ast.GrantRoleStmt{Revoke: !s.IsGrant, Cascade: s.Behavior == pg.DropBehavior_DROP_CASCADE}
	for _, r := range s.GrantedRoles {
		if ap := r.GetAccessPriv(); ap != nil {
			out.Roles = append(out.Roles, TruncateIdent(ap.PrivName))
		}
	}
	for _, m := range s.GranteeRoles {
		out.Members = append(out.Members, t.roleSpec(m.GetRoleSpec()))
	}
	for _, o := range s.Opt {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		if d.Defname != "admin" {
			// INHERIT and SET options came with PostgreSQL 16.
			return nil, t.unsupported("GRANT role WITH "+d.Defname, d.Location)
		}
		// GRANT ... WITH ADMIN OPTION arrives as admin true, REVOKE ADMIN
		// OPTION FOR as admin false: both mean the option is named.
		out.Admin = true
	}
	if s.Grantor != nil {
		r := t.roleSpec(s.Grantor)
		out.GrantedBy = &r
	}
	return out, nil
}
