package parser

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// This file translates CREATE, ALTER and DROP ROLE (USER, GROUP) and
// ALTER ROLE ... RENAME TO.

func (t *translator) createRoleStmt(s *pg.CreateRoleStmt) (ast.Stmt, error) {
	opts, err := t.roleOptions(s.Options)
	if err != nil {
		return nil, err
	}
	return &ast.CreateRoleStmt{Name: TruncateIdent(s.Role), User: s.StmtType == pg.RoleStmtType_ROLESTMT_USER, Options: opts}, nil
}

func (t *translator) alterRoleStmt(s *pg.AlterRoleStmt) (ast.Stmt, error) {
	if s.Action != 1 {
		return nil, t.unsupported("ALTER GROUP ... ADD/DROP USER (role membership)", 0)
	}
	opts, err := t.roleOptions(s.Options)
	if err != nil {
		return nil, err
	}
	return &ast.AlterRoleStmt{Role: t.roleSpec(s.Role), Options: opts}, nil
}

// alterRoleSetStmt translates ALTER ROLE ... SET/RESET (role nil for ALL)
// and ALTER DATABASE ... SET/RESET (alterDatabase).
func (t *translator) alterRoleSetStmt(role *pg.RoleSpec, database string, alterDatabase bool, set *pg.VariableSetStmt) (ast.Stmt, error) {
	fromCurrent := set.Kind == pg.VariableSetKind_VAR_SET_CURRENT
	var st ast.Stmt = &ast.SetStmt{Name: strings.ToLower(set.Name)}
	if !fromCurrent {
		var err error
		if st, err = t.setStmt(set); err != nil {
			return nil, err
		}
	}
	out := &ast.AlterRoleSetStmt{Database: TruncateIdent(database), AlterDatabase: alterDatabase, Set: st.(*ast.SetStmt), FromCurrent: fromCurrent}
	if role != nil {
		spec := t.roleSpec(role)
		out.Role = &spec
	}
	for _, a := range set.Args {
		c := a.GetAConst()
		if tc := a.GetTypeCast(); tc != nil {
			c = tc.Arg.GetAConst()
		}
		out.StringArgs = append(out.StringArgs, c != nil && c.GetSval() != nil)
	}
	return out, nil
}

func (t *translator) dropRoleStmt(s *pg.DropRoleStmt) (ast.Stmt, error) {
	out := &ast.DropRoleStmt{IfExists: s.MissingOk}
	for _, n := range s.Roles {
		out.Roles = append(out.Roles, t.roleSpec(n.GetRoleSpec()))
	}
	return out, nil
}

func (t *translator) roleSpec(r *pg.RoleSpec) ast.RoleSpec {
	if r == nil {
		return ast.RoleSpec{}
	}
	out := ast.RoleSpec{Name: TruncateIdent(r.Rolename), Pos: t.pos(r.Location)}
	switch r.Roletype {
	case pg.RoleSpecType_ROLESPEC_CURRENT_USER, pg.RoleSpecType_ROLESPEC_CURRENT_ROLE:
		out.Current = true
	case pg.RoleSpecType_ROLESPEC_SESSION_USER:
		out.Session = true
	case pg.RoleSpecType_ROLESPEC_PUBLIC:
		out.Name = "public"
	}
	return out
}

// roleOptions translates the option list of CREATE and ALTER ROLE.
func (t *translator) roleOptions(list []*pg.Node) (ast.RoleOptions, error) {
	var out ast.RoleOptions
	seen := make(map[string]bool)
	for _, n := range list {
		d := n.GetDefElem()
		if d == nil {
			continue
		}
		if seen[d.Defname] {
			return out, pgerr.New(pgerr.SyntaxError, "conflicting or redundant options").WithPosition(t.pos(d.Location))
		}
		seen[d.Defname] = true
		flag := func() *bool {
			b := d.Arg.GetBoolean() != nil && d.Arg.GetBoolean().Boolval
			return &b
		}
		switch d.Defname {
		case "superuser":
			out.Superuser = flag()
		case "createdb":
			out.CreateDB = flag()
		case "createrole":
			out.CreateRole = flag()
		case "inherit":
			out.Inherit = flag()
		case "canlogin":
			out.Login = flag()
		case "isreplication":
			out.Replication = flag()
		case "bypassrls":
			out.BypassRLS = flag()
		case "connectionlimit":
			v := int64(0)
			if i := d.Arg.GetInteger(); i != nil {
				v = int64(i.Ival)
			}
			out.ConnLimit = &v
		case "password":
			out.PasswordGiven = true
			if s := d.Arg.GetString_(); s != nil {
				p := s.Sval
				out.Password = &p
			}
		case "validUntil":
			if s := d.Arg.GetString_(); s != nil {
				v := s.Sval
				out.ValidUntil = &v
			}
		case "addroleto", "rolemembers", "adminmembers":
			return out, t.unsupported("role membership (IN ROLE, ROLE, ADMIN)", d.Location)
		case "sysid":
			// PostgreSQL ignores SYSID too, with a notice-free no-op.
		default:
			return out, pgerr.New(pgerr.SyntaxError, "option \"%s\" not recognized", d.Defname).WithPosition(t.pos(d.Location))
		}
	}
	return out, nil
}
