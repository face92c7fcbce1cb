package sql

import (
	"sort"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Privileges, as PostgreSQL 15 checks them (aclchk.c, acl.c). A role
// holds the privileges an object's ACL (catalog/acl.go) gives to it, to
// PUBLIC, and to the roles it inherits from: the roles it is a member of,
// directly or through other roles, following only roles that have
// INHERIT (has_privs_of_role). Superusers hold every privilege. Owners
// hold what the ACL gives them, every privilege by default, and may
// always grant and revoke on what they own.
//
// Statements that read and write rows are checked when they execute,
// under the current role (SET ROLE changes it without binding again):
// the binder records what each relation needs (relPerm) and
// checkRelPerms checks it. A relation named inside a view is checked
// with the view owner's privileges, as PostgreSQL's rewriter does. DDL
// checks ownership (must be owner of ...) as it runs.

var (
	bootstrapOID  = catalog.BootstrapRole().OID
	bootstrapName = catalog.BootstrapRole().Name
)

// roleGraph is the roles as one snapshot sees them.
type roleGraph struct {
	byOID  map[uint32]*catalog.RoleDesc
	byName map[string]*catalog.RoleDesc
}

func (s *Session) roleGraph(snap txn.Snapshot) (*roleGraph, error) { return s.e.roleGraph(snap) }

func (e *Engine) roleGraph(snap txn.Snapshot) (*roleGraph, error) {
	all, err := e.roles.All(snap)
	if err != nil {
		return nil, err
	}
	g := &roleGraph{byOID: make(map[uint32]*catalog.RoleDesc, len(all)), byName: make(map[string]*catalog.RoleDesc, len(all))}
	for _, r := range all {
		g.byOID[r.OID] = r.RoleDesc
		g.byName[r.Name] = r.RoleDesc
	}
	return g, nil
}

// name is the role's name, or its oid as text when it is gone.
func (g *roleGraph) name(oid uint32) string {
	if r, ok := g.byOID[oid]; ok {
		return r.Name
	}
	return strconv.FormatUint(uint64(oid), 10)
}

func (g *roleGraph) super(oid uint32) bool {
	r, ok := g.byOID[oid]
	return ok && r.Superuser
}

// closure is oid and every role it is a member of, directly or not;
// with privs set, only through roles that inherit (roles_is_member_of
// with ROLERECURSE_PRIVS).
func (g *roleGraph) closure(oid uint32, privs bool) map[uint32]bool {
	out := map[uint32]bool{oid: true}
	queue := []uint32{oid}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		r, ok := g.byOID[cur]
		if !ok || privs && !r.Inherit {
			continue
		}
		for _, m := range r.MemberOf {
			if !out[m.Role] {
				out[m.Role] = true
				queue = append(queue, m.Role)
			}
		}
	}
	return out
}

// hasPrivsOf reports whether member holds role's privileges
// (has_privs_of_role): superusers hold every role's.
func (g *roleGraph) hasPrivsOf(member, role uint32) bool {
	return member == role || g.super(member) || g.closure(member, true)[role]
}

// isMemberOf reports whether member is a member of role, whatever the
// INHERIT attributes (is_member_of_role), as SET ROLE needs.
func (g *roleGraph) isMemberOf(member, role uint32) bool {
	return member == role || g.super(member) || g.closure(member, false)[role]
}

// isAdminOf reports whether member may grant and revoke membership in
// role (is_admin_of_role): it holds a membership in role, directly or
// through roles it is a member of, WITH ADMIN OPTION.
func (g *roleGraph) isAdminOf(member, role uint32) bool {
	if g.super(member) {
		return true
	}
	for oid := range g.closure(member, false) {
		if r, ok := g.byOID[oid]; ok {
			for _, m := range r.MemberOf {
				if m.Role == role && m.Admin {
					return true
				}
			}
		}
	}
	return false
}

// privChecker answers what one role may do.
type privChecker struct {
	g       *roleGraph
	role    uint32
	super   bool
	holders map[uint32]bool
}

func (g *roleGraph) checker(role uint32) *privChecker {
	return &privChecker{g: g, role: role, super: g.super(role), holders: g.closure(role, true)}
}

// mask is the privileges of want that acl gives the role.
func (c *privChecker) mask(acl []catalog.ACLItem, want catalog.Priv) catalog.Priv {
	if c.super {
		return want
	}
	return catalog.Mask(acl, c.holders, want, false)
}

// owns reports whether the role holds owner's privileges.
func (c *privChecker) owns(owner uint32) bool { return c.super || c.holders[owner] }

// currentRoleOID is the oid of the current role; ok is false when it no
// longer exists.
func (s *Session) currentRoleOID(g *roleGraph) (uint32, bool) {
	r, ok := g.byName[s.currentUser()]
	if !ok {
		return 0, false
	}
	return r.OID, true
}

// currentChecker is the checker of the current role as x sees the roles.
func (x *execCtx) currentChecker() (*privChecker, error) {
	g, err := x.s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	oid, ok := x.s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", x.s.currentUser())
	}
	return g.checker(oid), nil
}

// relPerm is what a statement needs of one relation: the privileges in
// want, each on the whole relation or on every column cols lists for it.
// SELECT's columns are those the statement reads (binder.colUse); a
// relation only read from through columns needs SELECT only when
// readCols is set and some column is read. as, when not 0, is the role
// whose privileges count (a view's owner).
type relPerm struct {
	desc     *catalog.TableDesc
	want     catalog.Priv
	cols     map[catalog.Priv][]int
	readCols bool
	as       uint32
}

// require records that the statement needs want on desc (as the current
// view's owner, inside a view); cols gives the columns for INSERT and
// UPDATE.
func (b *binder) require(desc *catalog.TableDesc, want catalog.Priv, cols map[catalog.Priv][]int) *relPerm {
	p := &relPerm{desc: desc, want: want, cols: cols, as: b.viewOwner}
	b.perms = append(b.perms, p)
	return p
}

// noteColumn records that the statement reads column attr (1-based) of
// table.
func (b *binder) noteColumn(table uint32, attr int16) {
	if table == 0 || attr <= 0 {
		return
	}
	if b.colUse == nil {
		b.colUse = make(map[uint32]map[int]bool)
	}
	if b.colUse[table] == nil {
		b.colUse[table] = make(map[int]bool)
	}
	b.colUse[table][int(attr-1)] = true
}

// checkRelPerms checks the binder's relPerms under the current role.
func (x *execCtx) checkRelPerms(b *binder) error {
	if b == nil || len(b.perms) == 0 {
		return nil
	}
	if x.s.currentUser() == bootstrapName {
		// The bootstrap superuser, which cannot stop being one, needs no
		// check, unless a view owned by another role is read.
		others := false
		for _, p := range b.perms {
			others = others || p.as != 0 && p.as != bootstrapOID
		}
		if !others {
			return nil
		}
	}
	cur, err := x.currentChecker()
	if err != nil {
		return err
	}
	if cur.super {
		owners := false
		for _, p := range b.perms {
			owners = owners || p.as != 0
		}
		if !owners {
			return nil
		}
	}
	for _, p := range b.perms {
		c := cur
		if p.as != 0 {
			c = cur.g.checker(p.as)
		}
		if p.desc.Schema != "" {
			if err := x.checkSchemaPriv(c, p.desc.Schema, catalog.PrivUsage); err != nil {
				return err
			}
		}
		if err := c.checkRel(p, b.colUse[p.desc.ID]); err != nil {
			return err
		}
	}
	return nil
}

func (c *privChecker) checkRel(p *relPerm, read map[int]bool) error {
	want := p.want
	if p.readCols && len(read) > 0 {
		want |= catalog.PrivSelect
	}
	if want == 0 || c.super {
		return nil
	}
	acl := p.desc.EffectiveACL()
	missing := want &^ c.relMask(acl, want)
	for bit := catalog.Priv(1); missing != 0 && bit <= catalog.PrivConnect; bit <<= 1 {
		if missing&bit == 0 || bit&catalog.AllColumnPrivs == 0 || p.desc.Sequence != nil {
			continue
		}
		var cols []int
		if bit == catalog.PrivSelect {
			for i := range read {
				cols = append(cols, i)
			}
		} else {
			cols = p.cols[bit]
		}
		if c.columnsHave(p.desc, bit, cols) {
			missing &^= bit
		}
	}
	if missing != 0 {
		return permissionDenied(p.desc)
	}
	return nil
}

// columnsHave reports whether the role holds priv on every column of
// cols, or, when cols is empty, on any column of desc.
func (c *privChecker) columnsHave(desc *catalog.TableDesc, priv catalog.Priv, cols []int) bool {
	if len(cols) == 0 {
		for _, col := range desc.Columns {
			if c.mask(col.ACL, priv) != 0 {
				return true
			}
		}
		return false
	}
	for _, i := range cols {
		if i >= len(desc.Columns) || c.mask(desc.Columns[i].ACL, priv) == 0 {
			return false
		}
	}
	return true
}

// permissionDenied is 42501 for a relation.
func permissionDenied(desc *catalog.TableDesc) error {
	return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for %s %s", desc.Kind(), desc.Name)
}

// mustOwn is 42501 for a relation the role does not own.
func mustOwn(desc *catalog.TableDesc) error {
	return pgerr.New(pgerr.InsufficientPrivilege, "must be owner of %s %s", desc.Kind(), desc.Name)
}

// checkOwner refuses DDL on desc to a role that does not hold its
// owner's privileges.
func (x *execCtx) checkOwner(desc *catalog.TableDesc) error {
	c, err := x.currentChecker()
	if err != nil {
		return err
	}
	if !c.owns(desc.OwnerOID()) {
		return mustOwn(desc)
	}
	return nil
}

// checkRelPriv checks one privilege on a relation under the current
// role, at once.
func (x *execCtx) checkRelPriv(desc *catalog.TableDesc, want catalog.Priv) error {
	c, err := x.currentChecker()
	if err != nil {
		return err
	}
	if c.relMask(desc.EffectiveACL(), want) != want {
		return permissionDenied(desc)
	}
	return nil
}

// sortedCols lists a column set in order.
func sortedCols(set map[int]bool) []int {
	out := make([]int, 0, len(set))
	for i := range set {
		out = append(out, i)
	}
	sort.Ints(out)
	return out
}

// setColumns are the columns a SET list assigns, by index in desc; a
// name that is no column is left to the binder to refuse.
func setColumns(desc *catalog.TableDesc, set []ast.SetClause) []int {
	var out []int
	for _, c := range set {
		if i := desc.ColumnIndex(c.Column); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// namedColumns are the columns names lists, or every column when nil.
func namedColumns(desc *catalog.TableDesc, names []string) []int {
	var out []int
	if names == nil {
		for i := range desc.Columns {
			out = append(out, i)
		}
		return out
	}
	for _, n := range names {
		if i := desc.ColumnIndex(n); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// requireInsert records what INSERT (and its ON CONFLICT DO UPDATE)
// needs of its target.
func (b *binder) requireInsert(desc *catalog.TableDesc, s *ast.InsertStmt) {
	want := catalog.PrivInsert
	cols := map[catalog.Priv][]int{catalog.PrivInsert: namedColumns(desc, s.Columns)}
	if oc := s.OnConflict; oc != nil && oc.DoUpdate {
		want |= catalog.PrivUpdate
		cols[catalog.PrivUpdate] = setColumns(desc, oc.Set)
	}
	b.require(desc, want, cols).readCols = true
}

// requireMerge records what MERGE needs of its target.
func (b *binder) requireMerge(desc *catalog.TableDesc, s *ast.MergeStmt) {
	var want catalog.Priv
	cols := map[catalog.Priv][]int{}
	for _, w := range s.When {
		switch w.Action {
		case "UPDATE":
			want |= catalog.PrivUpdate
			cols[catalog.PrivUpdate] = append(cols[catalog.PrivUpdate], setColumns(desc, w.Set)...)
		case "DELETE":
			want |= catalog.PrivDelete
		case "INSERT":
			want |= catalog.PrivInsert
			cols[catalog.PrivInsert] = append(cols[catalog.PrivInsert], namedColumns(desc, w.Columns)...)
		}
	}
	b.require(desc, want, cols).readCols = true
}

// newOwner is the owner a relation created now gets: the current role
// (0 for the bootstrap superuser, as older catalogs store it).
func (x *execCtx) newOwner() (uint32, error) {
	name := x.s.currentUser()
	if name == bootstrapName {
		return 0, nil
	}
	r, ok, err := x.s.e.roles.Lookup(x.snap, name)
	if err != nil || !ok {
		return 0, err
	}
	if r.OID == bootstrapOID {
		return 0, nil
	}
	return r.OID, nil
}

// schemaACL is the ACL and owner of schema name; ok is false for a
// temporary schema, on which no check applies.
func (x *execCtx) schemaACL(g *roleGraph, name string) (acl []catalog.ACLItem, owner uint32, ok bool, err error) {
	switch {
	case catalog.IsTempSchema(name) || name == "pg_temp":
		return nil, 0, false, x.s.checkDatabasePriv(x.snap, catalog.PrivTemporary)
	case name == "" || builtinSchema(name):
		if name == "" {
			name = "public"
		}
		acl, owner, _, err := x.s.e.builtinSchemaACL(x.snap, name)
		return acl, owner, err == nil, err
	}
	d, _, err := x.s.e.cat.LookupSchema(x.snap, name)
	if err != nil || d == nil {
		return nil, 0, false, err
	}
	owner = bootstrapOID
	if r, ok := g.byName[d.Owner]; ok {
		owner = r.OID
	}
	if !d.HasACL {
		return catalog.DefaultACL(catalog.KindSchema, owner), owner, true, nil
	}
	return d.ACL, owner, true, nil
}

// pgDatabaseOwner is the oid of the predefined role pg_database_owner,
// which owns the public schema.
const pgDatabaseOwner = 6171

// builtinSchemaACL is the ACL and owner of built-in schema name: the one
// GRANT and REVOKE stored (stored is true), else PostgreSQL 15's default
// (public is pg_database_owner's, who may use and create in it, and
// everyone may use it; the others are the bootstrap superuser's).
func (e *Engine) builtinSchemaACL(snap txn.Snapshot, name string) (acl []catalog.ACLItem, owner uint32, stored bool, err error) {
	owner = bootstrapOID
	if name == "public" {
		owner = pgDatabaseOwner
	}
	d, _, err := e.cat.LookupBuiltinSchemaACL(snap, name)
	if err != nil {
		return nil, 0, false, err
	}
	if d != nil {
		return d.ACL, owner, true, nil
	}
	return []catalog.ACLItem{{Grantee: owner, Grantor: owner, Privs: catalog.AllSchemaPrivs},
		{Grantee: catalog.PublicOID, Grantor: owner, Privs: catalog.PrivUsage}}, owner, false, nil
}

// schemaHolders is the roles whose privileges c's role has, the
// database owner's included for a role that holds the bootstrap
// superuser's (pg_database_owner's members).
func (c *privChecker) schemaHolders() map[uint32]bool {
	if !c.holders[bootstrapOID] {
		return c.holders
	}
	h := make(map[uint32]bool, len(c.holders)+1)
	for k := range c.holders {
		h[k] = true
	}
	h[pgDatabaseOwner] = true
	return h
}

// checkSchemaPriv checks want on schema name under c's role.
func (x *execCtx) checkSchemaPriv(c *privChecker, name string, want catalog.Priv) error {
	if c.super {
		return nil
	}
	acl, _, ok, err := x.schemaACL(c.g, name)
	if err != nil || !ok {
		return err
	}
	if catalog.Mask(acl, c.schemaHolders(), want, false)|c.allDataSchemaPrivs(want) != want {
		if name == "" {
			name = "public"
		}
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for schema %s", name)
	}
	return nil
}

// checkCreateIn checks that the current role may create in schema.
func (x *execCtx) checkCreateIn(schema string) error {
	if x.s.currentUser() == bootstrapName {
		return nil
	}
	c, err := x.currentChecker()
	if err != nil {
		return err
	}
	return x.checkSchemaPriv(c, schema, catalog.PrivCreate)
}

// checkerAt is the current role's checker as snap sees the roles.
func (s *Session) checkerAt(snap txn.Snapshot) (*privChecker, error) {
	g, err := s.roleGraph(snap)
	if err != nil {
		return nil, err
	}
	oid, ok := s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", s.currentUser())
	}
	return g.checker(oid), nil
}

// checkOwnerRef refuses DDL on the relation ref names to a role that does
// not own it; a relation that does not exist is left to the statement
// to report. Plans are bound again when the current role changes, so
// checking while binding is checking as the statement runs.
func (b *binder) checkOwnerRef(ref ast.TableRef) error {
	if b.s.currentUser() == bootstrapName {
		return nil
	}
	desc, _, err := b.s.lookupRel(b.snap, ref.Name)
	if err != nil || desc == nil {
		return nil
	}
	if desc.IndexOf != "" {
		if desc, _, err = b.s.e.cat.Lookup(b.snap, desc.IndexOf); err != nil || desc == nil {
			return err
		}
	}
	c, err := b.s.checkerAt(b.snap)
	if err != nil {
		return err
	}
	if !c.owns(desc.OwnerOID()) {
		return mustOwn(desc)
	}
	return nil
}

// checkSeqPriv checks that the current role holds one of any on the
// sequence desc.
func (x *execCtx) checkSeqPriv(desc *catalog.TableDesc, any catalog.Priv) error {
	if x.s.currentUser() == bootstrapName {
		return nil
	}
	c, err := x.currentChecker()
	if err != nil {
		return err
	}
	if c.relMask(desc.EffectiveACL(), any) == 0 {
		return permissionDenied(desc)
	}
	return nil
}

// roleDependents lists what keeps role from being dropped, as DROP ROLE's
// detail spells it: what it owns and where it is granted privileges or
// granted them.
func (x *execCtx) roleDependents(role *catalog.RoleDesc) ([]string, error) {
	var out []string
	mentions := func(acl []catalog.ACLItem) bool {
		for _, it := range acl {
			if it.Grantee == role.OID || it.Grantor == role.OID {
				return true
			}
		}
		return false
	}
	defs, _, err := x.s.e.cat.DefaultPrivs(x.snap)
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		if d.Role == role.OID {
			out = append(out, "owner of default privileges on new relations belonging to role "+role.Name)
		} else if mentions(d.ACL) {
			out = append(out, "privileges for default privileges on new relations belonging to role "+strconv.FormatUint(uint64(d.Role), 10))
		}
	}
	schemas, err := x.s.e.cat.Schemas(x.snap)
	if err != nil {
		return nil, err
	}
	for _, s := range schemas {
		if s.Owner == role.Name {
			out = append(out, "owner of schema "+s.Name)
		} else if s.HasACL && mentions(s.ACL) {
			out = append(out, "privileges for schema "+s.Name)
		}
	}
	all, err := x.s.e.cat.All(x.snap)
	if err != nil {
		return nil, err
	}
	for _, d := range all {
		if d.IndexOf != "" || d.Type != nil {
			continue
		}
		kind := d.Kind()
		if d.Owner == role.OID {
			out = append(out, "owner of "+kind+" "+d.Name)
			continue
		}
		if d.HasACL && mentions(d.ACL) {
			out = append(out, "privileges for "+kind+" "+d.Name)
		}
		for _, c := range d.Columns {
			if mentions(c.ACL) {
				out = append(out, "privileges for column "+c.Name+" of "+kind+" "+d.Name)
			}
		}
		out = append(out, policyRoleDependents(d, role.OID)...)
	}
	typeDeps, err := x.typeACLDependents(role.OID)
	if err != nil {
		return nil, err
	}
	return append(out, typeDeps...), nil
}

// dropMemberships removes every membership in role, as DROP ROLE does
// with pg_auth_members' rows.
func (x *execCtx) dropMemberships(role uint32) error {
	all, err := x.s.e.roles.All(x.snap)
	if err != nil {
		return err
	}
	for _, r := range all {
		keep := r.MemberOf[:0:0]
		for _, m := range r.MemberOf {
			if m.Role != role {
				keep = append(keep, m)
			}
		}
		if len(keep) == len(r.MemberOf) {
			continue
		}
		updated := *r.RoleDesc
		updated.MemberOf = keep
		if len(keep) == 0 {
			updated.MemberOf = nil
		}
		if err := x.s.e.roles.Replace(x.op(), r, &updated); err != nil {
			return err
		}
	}
	return nil
}

// checkSchemaOwner refuses DDL on schema name to a role that does not own
// it; the built-in schemas are the bootstrap superuser's (public is
// pg_database_owner's, whose member it is).
func (b *binder) checkSchemaOwner(name string) error {
	if b.s.currentUser() == bootstrapName {
		return nil
	}
	c, err := b.s.checkerAt(b.snap)
	if err != nil {
		return err
	}
	owner := bootstrapOID
	d, _, err := b.s.e.cat.LookupSchema(b.snap, name)
	if err != nil {
		return err
	}
	if d == nil && !builtinSchema(name) {
		return nil // the statement reports it missing
	}
	if d != nil {
		if r, ok := c.g.byName[d.Owner]; ok {
			owner = r.OID
		}
	}
	if !c.owns(owner) {
		return pgerr.New(pgerr.InsufficientPrivilege, "must be owner of schema %s", name)
	}
	return nil
}

// checkCreateInBind is checkCreateIn for statements checked as they
// are bound.
func (b *binder) checkCreateInBind(schema string) error {
	x := &execCtx{s: b.s, snap: b.snap}
	return x.checkCreateIn(schema)
}

// alterSchemaOwner is ALTER SCHEMA ... OWNER TO (AlterSchemaOwner): a
// role that is not a superuser must own the schema, be a member of the
// new owner and may create in the database. The old owner's entries in
// the ACL become the new owner's.
func (x *execCtx) alterSchemaOwner(d *catalog.SchemaDesc, id heap.TupleID, name string) (*Result, error) {
	s := x.s
	res := &Result{Tag: "ALTER SCHEMA"}
	g, err := s.roleGraph(x.snap)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = s.currentUser()
	}
	to, ok := g.byName[name]
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", name)
	}
	from := bootstrapOID
	if r, ok := g.byName[d.Owner]; ok {
		from = r.OID
	}
	if from == to.OID {
		return res, nil
	}
	cur, ok := s.currentRoleOID(g)
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", s.currentUser())
	}
	if !g.super(cur) {
		if !g.isMemberOf(cur, to.OID) {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be member of role \"%s\"", to.Name)
		}
		if err := s.checkDatabasePriv(x.snap, catalog.PrivCreate); err != nil {
			return nil, err
		}
	}
	changed := *d
	changed.Owner = to.Name
	if d.HasACL {
		changed.ACL = catalog.ReplaceRole(d.ACL, from, to.OID)
	}
	if err := s.e.cat.DropSchema(x.op(), id); err != nil {
		return nil, err
	}
	if err := s.e.cat.CreateSchema(x.later().op(), &changed); err != nil {
		return nil, err
	}
	s.e.catalogChanged()
	s.wroteCatalog = true
	return res, nil
}

// checkReferences checks that the current role may reference cols of
// parent in a foreign key (checkFkeyPermissions): REFERENCES on the
// table or on each column.
func (b *binder) checkReferences(parent *catalog.TableDesc, cols []int) error {
	if b.s.currentUser() == bootstrapName {
		return nil
	}
	c, err := b.s.checkerAt(b.snap)
	if err != nil {
		return err
	}
	if c.mask(parent.EffectiveACL(), catalog.PrivReferences) != 0 || c.columnsHave(parent, catalog.PrivReferences, cols) && len(cols) > 0 {
		return nil
	}
	return permissionDenied(parent)
}

// checkDatabaseCreate checks CREATE on the database, which its owner,
// the bootstrap superuser, holds and PUBLIC does not (acldefault).
func (b *binder) checkDatabaseCreate() error {
	return b.s.checkDatabasePriv(b.snap, catalog.PrivCreate)
}

// databaseACL is the ACL of database name as snap sees it.
func (e *Engine) databaseACL(snap txn.Snapshot, name string) ([]catalog.ACLItem, bool, error) {
	d, _, err := e.cat.LookupDatabaseACL(snap, name)
	if err != nil {
		return nil, false, err
	}
	if d == nil {
		return catalog.DefaultACL(catalog.KindDatabase, bootstrapOID), false, nil
	}
	return d.ACL, true, nil
}

// databasePriv reports whether role holds want on database name.
func (e *Engine) databasePriv(snap txn.Snapshot, g *roleGraph, role uint32, name string, want catalog.Priv) (bool, error) {
	if g.super(role) {
		return true, nil
	}
	acl, _, err := e.databaseACL(snap, name)
	if err != nil {
		return false, err
	}
	return catalog.Mask(acl, g.closure(role, true), want, false) == want, nil
}

// checkDatabasePriv refuses what needs want on the session's database to
// a current role that does not hold it.
func (s *Session) checkDatabasePriv(snap txn.Snapshot, want catalog.Priv) error {
	if s.currentUser() == bootstrapName {
		return nil
	}
	g, err := s.roleGraph(snap)
	if err != nil {
		return err
	}
	cur, ok := s.currentRoleOID(g)
	if !ok {
		return pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", s.currentUser())
	}
	held, err := s.e.databasePriv(snap, g, cur, s.database, want)
	if err != nil || held {
		return err
	}
	if want == catalog.PrivTemporary {
		return pgerr.New(pgerr.InsufficientPrivilege, "permission denied to create temporary tables in database \"%s\"", s.database)
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for database %s", s.database)
}

// checkConnect refuses a session to a role without CONNECT on database
// (superusers bypass it), as InitPostgres does.
func (e *Engine) checkConnect(user, database string) error {
	snap := e.tm.ReadSnapshot()
	g, err := e.roleGraph(snap)
	if err != nil {
		return err
	}
	r, ok := g.byName[user]
	if !ok {
		return nil
	}
	held, err := e.databasePriv(snap, g, r.OID, database, catalog.PrivConnect)
	if err != nil || held {
		return err
	}
	return pgerr.New(pgerr.InsufficientPrivilege, "permission denied for database \"%s\"", database).
		WithDetail("User does not have CONNECT privilege.")
}

// DatabaseACLDatum is datacl for database name (catalog.DatabaseACLs).
func (x *execCtx) DatabaseACLDatum(name string) types.Datum {
	acl, has, err := x.s.e.databaseACL(x.snap, name)
	if err != nil || !has {
		return nil
	}
	r, err := x.Relations()
	if err != nil {
		return nil
	}
	return r.ACLDatum(acl, true)
}
