package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// ALTER DEFAULT PRIVILEGES (SetDefaultACLsInSchemas): the ACL that tables,
// views and sequences a role creates start with (catalog/defacl.go), and
// functions: those are stored and listed (pg_default_acl, psql's \ddp),
// but cairn has no CREATE FUNCTION for them to apply to. A role may
// change its own defaults and those of roles it is a member of.
// Not done: defaults for schemas and types.

func (p *grantPlan) alterDefaults(x *execCtx) (*Result, error) {
	st := p.stmt
	res := &Result{Tag: st.Tag()}
	kind, objType := catalog.KindRelation, "r"
	switch st.ObjType {
	case "table":
	case "sequence":
		kind, objType = catalog.KindSequence, "S"
	case "function":
		kind, objType = catalog.KindFunction, "f"
	default:
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ALTER DEFAULT PRIVILEGES on %ss is not supported", st.ObjType)
	}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	cur, ok := x.s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", x.s.currentUser())
	}
	roles := []uint32{cur}
	if len(st.Defaults.Roles) > 0 {
		roles = nil
		for _, spec := range st.Defaults.Roles {
			name := spec.Name
			if spec.Current {
				name = x.s.currentUser()
			} else if spec.Session {
				name = x.s.sessionUser()
			}
			r, ok := g.byName[name]
			if !ok {
				return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
			}
			if !g.hasPrivsOf(cur, r.OID) {
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to change default privileges")
			}
			roles = append(roles, r.OID)
		}
	}
	schemas := st.Defaults.Schemas
	if len(schemas) == 0 {
		schemas = []string{""}
	}
	for _, s := range schemas {
		if s == "" {
			continue
		}
		ok, err := x.s.schemaExists(x.snap, s)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", s)
		}
	}
	grantees, err := x.grantees(g, st)
	if err != nil {
		return nil, err
	}
	privs := kind.AllPrivs()
	if st.Privileges != nil {
		privs = 0
		for _, pr := range st.Privileges {
			if len(pr.Columns) > 0 {
				return nil, pgerr.New(pgerr.InvalidGrantOperation, "default privileges cannot be set for columns")
			}
			bit, err := catalog.ParsePrivilege(pr.Name)
			if err != nil {
				return nil, err
			}
			if bit&^kind.AllPrivs() != 0 {
				noun := "relation"
				switch kind {
				case catalog.KindSequence:
					noun = "sequence"
				case catalog.KindFunction:
					noun = "function"
				}
				return nil, pgerr.New(pgerr.InvalidGrantOperation, "invalid privilege type %s for %s", catalog.PrivName(bit), noun)
			}
			privs |= bit
		}
	}
	for _, role := range roles {
		for _, schema := range schemas {
			old, id, err := x.s.e.cat.LookupDefaultPriv(x.snap, role, schema, objType)
			if err != nil {
				return nil, err
			}
			var acl []catalog.ACLItem
			switch {
			case old != nil:
				acl = old.ACL
			case schema == "":
				acl = catalog.DefaultACL(kind, role)
			}
			for _, e := range grantees {
				if st.Revoke {
					acl = catalog.Revoke(acl, e, role, privs, st.GrantOption)
				} else {
					acl = catalog.Grant(acl, e, role, privs, st.GrantOption)
				}
			}
			drop := len(acl) == 0
			if schema == "" {
				_, has := catalog.InitialACL([]*catalog.DefaultPriv{{Role: role, ObjType: objType, ACL: acl}}, kind, role, "")
				drop = !has
			}
			if id != nil {
				if err := x.s.e.cat.DeleteDefaultPriv(x.op(), id); err != nil {
					return nil, err
				}
			}
			if !drop {
				d := &catalog.DefaultPriv{Role: role, Schema: schema, ObjType: objType, ACL: acl}
				if old != nil {
					d.OID = old.OID
				} else if d.OID, err = x.s.e.tm.NextOID(); err != nil {
					return nil, err
				}
				if err := x.s.e.cat.PutDefaultPriv(x.later().op(), d); err != nil {
					return nil, err
				}
			}
			x = x.later()
		}
	}
	x.s.e.catalogChanged()
	x.s.wroteCatalog = true
	return res, nil
}

// initialACL gives desc, about to be created, the ACL its owner's default
// privileges give it.
func (x *execCtx) initialACL(desc *catalog.TableDesc) error {
	defs, _, err := x.s.e.cat.DefaultPrivs(x.snap)
	if err != nil || len(defs) == 0 {
		return err
	}
	if acl, has := catalog.InitialACL(defs, desc.ACLKind(), desc.OwnerOID(), desc.SchemaName()); has {
		desc.SetACL(acl)
	}
	return nil
}

// pgDefaultACL is pg_default_acl.
var pgDefaultACL = &sysView{
	name: "pg_default_acl",
	cols: resultColumns(catalog.Cols("oid", oidT, "defaclrole", oidT, "defaclnamespace", oidT, "defaclobjtype", types.New(types.Char), "defaclacl", types.New(types.AclitemArray))),
	rows: func(x *execCtx) ([][]types.Datum, error) {
		defs, _, err := x.s.e.cat.DefaultPrivs(x.snap)
		if err != nil {
			return nil, err
		}
		r, err := x.Relations()
		if err != nil {
			return nil, err
		}
		var out [][]types.Datum
		for _, d := range defs {
			ns := int64(0)
			if d.Schema != "" {
				ns = r.NamespaceOID(d.Schema)
			}
			out = append(out, []types.Datum{int64(d.OID), int64(d.Role), ns, d.ObjType, r.ACLDatum(d.ACL, true)})
		}
		return out, nil
	},
	tableOID: 826,
}

func init() { sessionSystemViews[pgDefaultACL.name] = pgDefaultACL }
