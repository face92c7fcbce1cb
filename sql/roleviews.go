package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// The role relations of pg_catalog, from the role catalog: pg_authid and
// pg_shadow (with the stored passwords: superusers only, 42501 for
// others, as in PostgreSQL), pg_roles and pg_user (passwords shown as
// ********) and pg_auth_members. The built-in roles are the bootstrap
// superuser postgres and PostgreSQL 15's predefined roles, with its oids
// (catalog.PredefinedRoles; what they give: predefinedroles.go).

var (
	timestamptzT = types.New(types.TimestampTZ)

	pgAuthid = &sysView{
		name: "pg_authid",
		cols: resultColumns(catalog.Cols("oid", oidT, "rolname", nameT, "rolsuper", boolT, "rolinherit", boolT,
			"rolcreaterole", boolT, "rolcreatedb", boolT, "rolcanlogin", boolT, "rolreplication", boolT,
			"rolbypassrls", boolT, "rolconnlimit", int4T, "rolpassword", textT, "rolvaliduntil", timestamptzT)),
		rows: func(x *execCtx) ([][]types.Datum, error) {
			return roleRows(x, "pg_authid", func(r *catalog.RoleDesc) []types.Datum {
				return []types.Datum{int64(r.OID), r.Name, r.Superuser, r.Inherit, r.CreateRole, r.CreateDB, r.Login,
					r.Replication, r.BypassRLS, int64(r.ConnLimit), nullText(r.Password), validUntil(r)}
			})
		},
		tableOID: 1260,
	}
	pgRoles = &sysView{
		name: "pg_roles",
		cols: resultColumns(catalog.Cols("rolname", nameT, "rolsuper", boolT, "rolinherit", boolT, "rolcreaterole", boolT,
			"rolcreatedb", boolT, "rolcanlogin", boolT, "rolreplication", boolT, "rolconnlimit", int4T,
			"rolpassword", textT, "rolvaliduntil", timestamptzT, "rolbypassrls", boolT, "rolconfig", textArrayT, "oid", oidT)),
		rows: func(x *execCtx) ([][]types.Datum, error) {
			configs, err := roleConfigs(x)
			if err != nil {
				return nil, err
			}
			return roleRows(x, "", func(r *catalog.RoleDesc) []types.Datum {
				return []types.Datum{r.Name, r.Superuser, r.Inherit, r.CreateRole, r.CreateDB, r.Login, r.Replication,
					int64(r.ConnLimit), "********", validUntil(r), r.BypassRLS, configs[r.OID], int64(r.OID)}
			})
		},
	}
	pgUser = &sysView{
		name: "pg_user",
		cols: resultColumns(catalog.Cols("usename", nameT, "usesysid", oidT, "usecreatedb", boolT, "usesuper", boolT,
			"userepl", boolT, "usebypassrls", boolT, "passwd", textT, "valuntil", timestamptzT, "useconfig", textArrayT)),
		rows: func(x *execCtx) ([][]types.Datum, error) {
			configs, err := roleConfigs(x)
			if err != nil {
				return nil, err
			}
			return roleRows(x, "", func(r *catalog.RoleDesc) []types.Datum {
				if !r.Login {
					return nil
				}
				return []types.Datum{r.Name, int64(r.OID), r.CreateDB, r.Superuser, r.Replication, r.BypassRLS, "********", validUntil(r), configs[r.OID]}
			})
		},
	}
	pgShadow = &sysView{
		name: "pg_shadow",
		cols: resultColumns(catalog.Cols("usename", nameT, "usesysid", oidT, "usecreatedb", boolT, "usesuper", boolT,
			"userepl", boolT, "usebypassrls", boolT, "passwd", textT, "valuntil", timestamptzT, "useconfig", textArrayT)),
		rows: func(x *execCtx) ([][]types.Datum, error) {
			configs, err := roleConfigs(x)
			if err != nil {
				return nil, err
			}
			return roleRows(x, "pg_shadow", func(r *catalog.RoleDesc) []types.Datum {
				if !r.Login {
					return nil
				}
				return []types.Datum{r.Name, int64(r.OID), r.CreateDB, r.Superuser, r.Replication, r.BypassRLS, nullText(r.Password), validUntil(r), configs[r.OID]}
			})
		},
	}
)

// pgAuthMembers lists the role memberships, from each member's entry.
var pgAuthMembers = &sysView{
	name: "pg_auth_members",
	cols: resultColumns(catalog.Cols("roleid", oidT, "member", oidT, "grantor", oidT, "admin_option", boolT)),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		roles, err := x.s.e.roles.All(x.snap)
		if err != nil {
			return nil, err
		}
		var out [][]types.Datum
		for _, r := range roles {
			for _, m := range r.MemberOf {
				out = append(out, []types.Datum{int64(m.Role), int64(r.OID), int64(m.Grantor), m.Admin})
			}
		}
		return out, nil
	},
	tableOID: 1261,
}

func init() {
	for _, v := range []*sysView{pgAuthid, pgRoles, pgUser, pgShadow, pgAuthMembers} {
		sessionSystemViews[v.name] = v
	}
}

// roleRows lists the roles through row (nil: left out); a protected
// relation (superuserOnly names it) is refused to other roles.
func roleRows(x *execCtx, superuserOnly string, row func(*catalog.RoleDesc) []types.Datum) ([][]types.Datum, error) {
	if superuserOnly != "" {
		super, _, err := x.roleRights()
		if err != nil {
			return nil, err
		}
		if !super {
			kind := "table"
			if superuserOnly == "pg_shadow" {
				kind = "view"
			}
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied for %s %s", kind, superuserOnly)
		}
	}
	roles, err := x.s.e.roles.All(x.snap)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	for _, r := range roles {
		if d := row(r.RoleDesc); d != nil {
			out = append(out, d)
		}
	}
	return out, nil
}

func nullText(s string) types.Datum {
	if s == "" {
		return nil
	}
	return s
}

func validUntil(r *catalog.RoleDesc) types.Datum {
	if t := r.ValidUntil(); t != nil {
		return *t
	}
	return nil
}
