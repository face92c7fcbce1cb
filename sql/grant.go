package sql

import (
	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// GRANT and REVOKE, as PostgreSQL 15's aclchk.c and user.c run them.
// Privileges on relations (tables, views, sequences, and their columns)
// and on the schemas users create are kept in their descriptors' ACLs
// (EXECUTE on the built-in functions: funcacl.go);
// role memberships in the member's role entry (catalog.Membership).
//
// The grantor is chosen as select_best_grantor does: a role holding the
// owner's privileges grants as the owner; any other grants what it holds
// with the grant option, as itself. What it cannot grant is left out with
// a warning; holding no privilege at all on the object is 42501.
//
// The ACLs of the databases and of the built-in schemas (public, ...),
// which are not stored as descriptors, are rows of catalog tables of
// their own.
//
// Not done: REVOKE does not follow the grants made through the grant
// option it takes away (CASCADE).

type grantPlan struct{ stmt *ast.GrantStmt }

func (p *grantPlan) columns() []Column { return nil }

// grantTarget is one object GRANT or REVOKE changes.
type grantTarget struct {
	name   string // for messages
	kind   catalog.ObjectKind
	owner  uint32
	acl    []catalog.ACLItem
	table  *catalog.TableDesc // relation targets
	tuple  heap.TupleID
	schema *catalog.SchemaDesc // schema targets
	// builtinSchema names a built-in schema target (public, ...), whose
	// ACL is kept apart from the schemas users create.
	builtinSchema string
	database      string             // database targets
	function      string             // function targets: the signature's key (funcacl.go)
	routine       *catalog.FuncEntry // a user-defined routine's target
	userType      *catalog.TableDesc // a user-defined type's or domain's target
	typeTuple     heap.TupleID       // userType's stored version
	noun          string             // "table", "sequence", "schema"
	columns       []int              // column privileges' columns (per privilege below)
}

func (p *grantPlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	st := p.stmt
	if st.Defaults != nil {
		return p.alterDefaults(x)
	}
	res := &Result{Tag: st.Tag()}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	cur, ok := x.s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", x.s.currentUser())
	}
	grantees, err := x.grantees(g, st)
	if err != nil {
		return nil, err
	}
	targets, err := p.targets(x)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		if err := p.apply(x, g, cur, t, grantees, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// targets resolves the statement's objects.
func (p *grantPlan) targets(x *execCtx) ([]*grantTarget, error) {
	st := p.stmt
	var out []*grantTarget
	switch st.ObjType {
	case "database":
		for _, o := range st.Objects {
			known := false
			for _, d := range x.s.e.opts.Databases {
				known = known || d == o.Name
			}
			if !known {
				return nil, pgerr.New(pgerr.InvalidCatalogName, "database \"%s\" does not exist", o.Name)
			}
			acl, _, err := x.s.e.databaseACL(x.snap, o.Name)
			if err != nil {
				return nil, err
			}
			out = append(out, &grantTarget{name: o.Name, kind: catalog.KindDatabase, owner: bootstrapOID, acl: acl, database: o.Name, noun: "database"})
		}
		return out, nil
	case "function":
		return p.functionTargets(x)
	case "type", "domain":
		return p.typeTargets(x)
	case "schema":
		for _, o := range st.Objects {
			d, _, err := x.s.e.cat.LookupSchema(x.snap, o.Name)
			if err != nil {
				return nil, err
			}
			if d == nil && builtinSchema(o.Name) {
				acl, owner, _, err := x.s.e.builtinSchemaACL(x.snap, o.Name)
				if err != nil {
					return nil, err
				}
				out = append(out, &grantTarget{name: o.Name, kind: catalog.KindSchema, owner: owner, acl: acl, builtinSchema: o.Name, noun: "schema"})
				continue
			}
			if d == nil {
				return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", o.Name)
			}
			g, err := x.s.roleGraph(x.snap)
			if err != nil {
				return nil, err
			}
			owner := bootstrapOID
			if r, ok := g.byName[d.Owner]; ok {
				owner = r.OID
			}
			acl := d.ACL
			if !d.HasACL {
				acl = catalog.DefaultACL(catalog.KindSchema, owner)
			}
			out = append(out, &grantTarget{name: d.Name, kind: catalog.KindSchema, owner: owner, acl: acl, schema: d, noun: "schema"})
		}
		return out, nil
	}
	var descs []*catalog.TableDesc
	if st.InSchema {
		all, err := x.s.e.cat.All(x.snap)
		if err != nil {
			return nil, err
		}
		for _, o := range st.Objects {
			ok, err := x.s.schemaExists(x.snap, o.Name)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", o.Name)
			}
			for _, d := range all {
				if d.SchemaName() != o.Name || d.IndexOf != "" || d.Type != nil {
					continue
				}
				if (st.ObjType == "sequence") == (d.Sequence != nil) {
					descs = append(descs, d)
				}
			}
		}
	} else {
		for _, o := range st.Objects {
			d, _, err := x.s.lookupRel(x.snap, o.Name)
			if err != nil {
				return nil, err
			}
			if d == nil || d.IndexOf != "" {
				return nil, pgerr.New(pgerr.UndefinedTable, "relation \"%s\" does not exist", catalog.DisplayName(o.Name))
			}
			if st.ObjType == "sequence" && d.Sequence == nil {
				return nil, pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a sequence", d.Name)
			}
			descs = append(descs, d)
		}
	}
	for _, d := range descs {
		// Read again by key: the tuple is needed to replace it.
		cur, tuple, err := x.s.e.cat.Lookup(x.snap, d.Key())
		if err != nil {
			return nil, err
		}
		if cur == nil {
			continue
		}
		out = append(out, &grantTarget{name: cur.Name, kind: cur.ACLKind(), owner: cur.OwnerOID(), acl: cur.EffectiveACL(),
			table: cur, tuple: tuple, noun: cur.Kind()})
	}
	return out, nil
}

// builtinSchema reports whether name is one of the schemas that exist
// without being stored.
func builtinSchema(name string) bool {
	for _, ns := range catalog.BuiltinNamespaces {
		if ns.Name == name {
			return true
		}
	}
	return false
}

// privileges are the statement's privileges for t: on the whole object,
// and per column.
func (p *grantPlan) privileges(t *grantTarget) (whole catalog.Priv, cols map[int]catalog.Priv, all bool, warn string, err error) {
	st := p.stmt
	if st.Privileges == nil {
		return t.kind.AllPrivs(), nil, true, "", nil
	}
	for _, pr := range st.Privileges {
		var bits catalog.Priv
		if pr.Name == "all" {
			bits = catalog.AllColumnPrivs
		} else if bits, err = catalog.ParsePrivilege(pr.Name); err != nil {
			return 0, nil, false, "", err
		}
		if len(pr.Columns) > 0 {
			if bits&^catalog.AllColumnPrivs != 0 {
				return 0, nil, false, "", pgerr.New(pgerr.InvalidGrantOperation, "invalid privilege type %s for column", catalog.PrivName(bits))
			}
			if t.table == nil || t.table.Sequence != nil {
				return 0, nil, false, "", pgerr.New(pgerr.WrongObjectType, "\"%s\" is not a table", t.name)
			}
			for _, c := range pr.Columns {
				i := t.table.ColumnIndex(c)
				if i < 0 {
					return 0, nil, false, "", pgerr.New(pgerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", c, t.name)
				}
				if cols == nil {
					cols = make(map[int]catalog.Priv)
				}
				cols[i] |= bits
			}
			continue
		}
		if bits&^t.kind.AllPrivs() != 0 {
			if t.kind == catalog.KindSequence && st.ObjType == "table" {
				// GRANT ... ON TABLE naming a sequence: what a sequence
				// does not have is left out (ExecGrant_Relation).
				warn = "sequence \"" + t.name + "\" only supports USAGE, SELECT, and UPDATE privileges"
				bits &= t.kind.AllPrivs()
			} else {
				noun := t.noun
				if t.kind == catalog.KindRelation {
					noun = "table"
				}
				return 0, nil, false, "", pgerr.New(pgerr.InvalidGrantOperation, "invalid privilege type %s for %s", catalog.PrivName(bits&^t.kind.AllPrivs()&-(bits&^t.kind.AllPrivs())), noun)
			}
		}
		whole |= bits
	}
	return whole, cols, false, warn, nil
}

// grantor picks who grants on t for role cur and what it may grant.
func grantorFor(g *roleGraph, cur uint32, t *grantTarget) (grantor uint32, avail catalog.Priv) {
	if g.hasPrivsOf(cur, t.owner) {
		return t.owner, t.kind.AllPrivs()
	}
	best, bestAvail := cur, catalog.Priv(0)
	for role := range g.closure(cur, true) {
		var got catalog.Priv
		for _, it := range t.acl {
			if it.Grantee == role {
				got |= it.Grant
			}
		}
		if privCount(got) > privCount(bestAvail) || got == bestAvail && role == cur {
			best, bestAvail = role, got
		}
	}
	return best, bestAvail
}

func privCount(p catalog.Priv) int {
	n := 0
	for ; p != 0; p &= p - 1 {
		n++
	}
	return n
}

func (p *grantPlan) apply(x *execCtx, g *roleGraph, cur uint32, t *grantTarget, grantees []uint32, res *Result) error {
	st := p.stmt
	whole, cols, all, warn, err := p.privileges(t)
	if err != nil {
		return err
	}
	if warn != "" {
		res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: pgerr.Warning, Message: warn})
	}
	grantor, avail := grantorFor(g, cur, t)
	if avail == 0 {
		holders := g.closure(cur, true)
		any := catalog.Mask(t.acl, holders, t.kind.AllPrivs(), false) | catalog.Mask(t.acl, holders, t.kind.AllPrivs(), true)
		for _, c := range cols {
			_ = c
			if t.table != nil {
				for _, col := range t.table.Columns {
					any |= catalog.Mask(col.ACL, holders, catalog.AllColumnPrivs, false)
				}
			}
		}
		if any == 0 && !g.super(cur) {
			if t.table != nil {
				return permissionDenied(t.table)
			}
			return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for %s %s", t.noun, t.name)
		}
	}
	if cols == nil || whole != 0 {
		granted := whole & avail
		if granted == 0 || !all && granted != whole {
			what := "no privileges were granted for"
			code := pgerr.PrivilegeNotGranted
			switch {
			case st.Revoke && granted == 0:
				what, code = "no privileges could be revoked for", pgerr.PrivilegeNotRevoked
			case st.Revoke:
				what, code = "not all privileges could be revoked for", pgerr.PrivilegeNotRevoked
			case granted != 0:
				what = "not all privileges were granted for"
			}
			res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: code, Message: what + " \"" + t.name + "\""})
		}
		whole = granted
	}
	acl := t.acl
	for _, e := range grantees {
		if st.Revoke {
			if acl, err = revokeCascade(acl, e, grantor, whole, st.GrantOption, st.Cascade); err != nil {
				return err
			}
		} else if whole != 0 {
			acl = catalog.Grant(acl, e, grantor, whole, st.GrantOption)
		}
	}
	switch {
	case t.table != nil:
		updated := *t.table
		updated.SetACL(acl)
		if cols != nil || st.Revoke && st.Privileges == nil {
			updated.Columns = append([]catalog.ColumnDesc(nil), t.table.Columns...)
			for i := range updated.Columns {
				c := &updated.Columns[i]
				privs := cols[i] & avail
				if st.Revoke && st.Privileges == nil {
					privs = catalog.AllColumnPrivs & avail
				}
				if privs == 0 {
					continue
				}
				for _, e := range grantees {
					if st.Revoke {
						c.ACL = catalog.Revoke(c.ACL, e, grantor, privs, st.GrantOption)
					} else {
						c.ACL = catalog.Grant(c.ACL, e, grantor, privs, st.GrantOption)
					}
				}
				if len(c.ACL) == 0 {
					c.ACL = nil
				}
			}
		}
		return replaceTableDesc(x, t.tuple, &updated)
	case t.schema != nil:
		return replaceSchemaACL(x, t.schema, acl)
	case t.builtinSchema != "":
		cat := x.s.e.cat
		_, id, err := cat.LookupBuiltinSchemaACL(x.snap, t.builtinSchema)
		if err != nil {
			return err
		}
		if err := cat.ReplaceBuiltinSchemaACL(x.op(), x.later().op(), id, t.builtinSchema, acl); err != nil {
			return err
		}
		x.s.e.catalogChanged()
		x.s.wroteCatalog = true
	case t.routine != nil:
		return storeRoutineACL(x, t.routine, acl)
	case t.userType != nil:
		return storeTypeACL(x, t.userType, t.typeTuple, acl)
	case t.function != "":
		return storeFunctionACL(x, t.function, acl)
	case t.database != "":
		cat := x.s.e.cat
		_, id, err := cat.LookupDatabaseACL(x.snap, t.database)
		if err != nil {
			return err
		}
		if err := cat.ReplaceDatabaseACL(x.op(), x.later().op(), id, t.database, acl); err != nil {
			return err
		}
		x.s.e.catalogChanged()
		x.s.wroteCatalog = true
	}
	return nil
}

// replaceSchemaACL stores acl as schema d's.
func replaceSchemaACL(x *execCtx, d *catalog.SchemaDesc, acl []catalog.ACLItem) error {
	s := x.s
	cur, id, err := s.e.cat.LookupSchema(x.snap, d.Name)
	if err != nil {
		return err
	}
	if cur == nil {
		return pgerr.New(pgerr.InvalidSchemaName, "schema \"%s\" does not exist", d.Name)
	}
	changed := *cur
	changed.ACL, changed.HasACL = acl, true
	if err := s.e.cat.DropSchema(x.op(), id); err != nil {
		return err
	}
	if err := s.e.cat.CreateSchema(x.later().op(), &changed); err != nil {
		return err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return nil
}

type grantRolePlan struct{ stmt *ast.GrantRoleStmt }

func (p *grantRolePlan) columns() []Column { return nil }

// execute runs GRANT role TO member and REVOKE role FROM member
// (AddRoleMems, DelRoleMems): superusers may grant any role, roles with
// CREATEROLE any role but a superuser, others the roles they hold WITH
// ADMIN OPTION. A membership that would make a role a member of itself
// is 0LP01.
func (p *grantRolePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	st := p.stmt
	res := &Result{Tag: st.Tag()}
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	cur, ok := x.s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", x.s.currentUser())
	}
	var members []*catalog.RoleDesc
	for _, spec := range st.Members {
		name := spec.Name
		switch {
		case spec.Current:
			name = x.s.currentUser()
		case spec.Session:
			name = x.s.sessionUser()
		case name == "public":
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"public\" does not exist")
		}
		m, ok := g.byName[name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
		}
		members = append(members, m)
	}
	curDesc := g.byOID[cur]
	for _, name := range st.Roles {
		role, ok := g.byName[name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
		}
		switch {
		case role.OID == types.OIDPgDatabaseOwner && !st.Revoke:
			// Its one member is each database's owner, implicitly.
			// PostgreSQL 15 raises this one without a SQLSTATE of its own.
			return nil, pgerr.New(pgerr.InternalError, "role \"%s\" cannot have explicit members", role.Name)
		case role.Superuser:
			if !curDesc.Superuser {
				return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter superusers")
			}
		case !curDesc.CreateRole && !curDesc.Superuser && !g.isAdminOf(cur, role.OID):
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must have admin option on role \"%s\"", role.Name)
		}
		for _, m := range members {
			// Read the member again: an earlier role of this statement
			// may have changed it.
			x = x.later()
			stored, ok, err := x.s.e.roles.Lookup(x.snap, m.Name)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", m.Name)
			}
			if stored.Tuple == nil && stored.OID != bootstrapOID {
				return nil, pgerr.New(pgerr.ReservedName, "role name \"%s\" is reserved", stored.Name)
			}
			updated := *stored.RoleDesc
			updated.MemberOf = append([]catalog.Membership(nil), stored.MemberOf...)
			idx := -1
			for i, ms := range updated.MemberOf {
				if ms.Role == role.OID {
					idx = i
				}
			}
			if st.Revoke {
				switch {
				case idx < 0:
					res.Notices = append(res.Notices, Notice{Severity: "WARNING", Code: pgerr.Warning,
						Message: "role \"" + m.Name + "\" is not a member of role \"" + role.Name + "\""})
					continue
				case st.Admin:
					updated.MemberOf[idx].Admin = false
				default:
					updated.MemberOf = append(updated.MemberOf[:idx], updated.MemberOf[idx+1:]...)
				}
			} else {
				if m.OID == role.OID || g.isMemberOfNoSuper(role.OID, m.OID) {
					return nil, pgerr.New(pgerr.InvalidGrantOperation, "role \"%s\" is a member of role \"%s\"", role.Name, m.Name)
				}
				if idx >= 0 {
					if !st.Admin || updated.MemberOf[idx].Admin {
						res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
							Message: "role \"" + m.Name + "\" is already a member of role \"" + role.Name + "\""})
						continue
					}
					updated.MemberOf[idx].Admin = true
				} else {
					updated.MemberOf = append(updated.MemberOf, catalog.Membership{Role: role.OID, Grantor: cur, Admin: st.Admin})
				}
			}
			if len(updated.MemberOf) == 0 {
				updated.MemberOf = nil
			}
			if err := x.s.e.roles.Replace(x.op(), stored, &updated); err != nil {
				return nil, err
			}
			x.s.e.catalogChanged()
			// Later roles of this statement see the change.
			if g, err = x.s.roleGraph(x.snap); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// isMemberOfNoSuper reports whether member is a member of role, directly
// or not, superuser or not (is_member_of_role_nosuper).
func (g *roleGraph) isMemberOfNoSuper(member, role uint32) bool {
	return member == role || g.closure(member, false)[role]
}

// revokeCascade revokes privs (or their grant option) that grantor gave
// grantee; the grants grantee made through a grant option it loses go
// too with cascade, and are 2BP01 without it.
func revokeCascade(acl []catalog.ACLItem, grantee, grantor uint32, privs catalog.Priv, grantOnly, cascade bool) ([]catalog.ACLItem, error) {
	_, hadGrant := catalog.GrantedBy(acl, grantee, grantor)
	lost := hadGrant & privs
	acl = catalog.Revoke(acl, grantee, grantor, privs, grantOnly)
	if lost == 0 || grantee == catalog.PublicOID {
		return acl, nil
	}
	for _, it := range append([]catalog.ACLItem(nil), acl...) {
		if it.Grantor != grantee || it.Privs&lost == 0 {
			continue
		}
		if !cascade {
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "dependent privileges exist").
				WithHint("Use CASCADE to revoke them too.")
		}
		var err error
		if acl, err = revokeCascade(acl, it.Grantee, grantee, lost, false, true); err != nil {
			return nil, err
		}
	}
	return acl, nil
}

// grantees resolves the roles GRANT or REVOKE (or ALTER DEFAULT
// PRIVILEGES) names: PUBLIC, CURRENT_USER, SESSION_USER or a role, by oid.
func (x *execCtx) grantees(g *roleGraph, st *ast.GrantStmt) ([]uint32, error) {
	var out []uint32
	for _, spec := range st.Grantees {
		switch {
		case spec.Name == "public" && !spec.Current && !spec.Session:
			if st.GrantOption && !st.Revoke {
				return nil, pgerr.New(pgerr.InvalidGrantOperation, "grant options can only be granted to roles")
			}
			out = append(out, catalog.PublicOID)
			continue
		case spec.Current:
			spec.Name = x.s.currentUser()
		case spec.Session:
			spec.Name = x.s.sessionUser()
		}
		r, ok := g.byName[spec.Name]
		if !ok {
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", spec.Name)
		}
		out = append(out, r.OID)
	}
	return out, nil
}
