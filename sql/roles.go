package sql

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/scram"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Roles: CREATE, ALTER and DROP ROLE, as PostgreSQL 15 runs them, over the
// role catalog (catalog.RoleStore). Who may run them follows PostgreSQL
// 15: superusers anything; roles with CREATEROLE create, alter, rename
// and drop roles that are not superusers (nor replication or bypassrls
// roles); any role may change its own password. One difference, as in
// PostgreSQL 16: the bootstrap superuser postgres cannot lose SUPERUSER,
// so that a server cannot be left without a superuser.
//
// Passwords are stored hashed as password_encryption says (scram-sha-256,
// the default, or md5); a password given already hashed in either form is
// stored as given. Membership and object privileges are in grant.go and
// privileges.go.

// Role is what the server needs to know of a role to authenticate it.
type Role struct {
	Name       string
	Superuser  bool
	Login      bool
	Password   string // stored form; "" for none
	ValidUntil *time.Time
}

// LookupRole returns the role named name as the latest committed state
// has it; ok is false when there is none.
func (e *Engine) LookupRole(name string) (r Role, ok bool, err error) {
	role, ok, err := e.roles.Lookup(e.tm.ReadSnapshot(), name)
	if err != nil || !ok {
		return r, ok, err
	}
	return Role{Name: role.Name, Superuser: role.Superuser, Login: role.Login, Password: role.Password, ValidUntil: role.ValidUntil()}, true, nil
}

// currentRole is the session's role as snap sees it; ok is false when it
// was dropped meanwhile.
func (s *Session) currentRole(snap txn.Snapshot) (catalog.Role, bool, error) {
	return s.e.roles.Lookup(snap, s.currentUser())
}

// roleRights are the current role's role-management rights.
func (x *execCtx) roleRights() (super, createRole bool, err error) {
	r, ok, err := x.s.currentRole(x.snap)
	if err != nil || !ok {
		return false, false, err
	}
	return r.Superuser, r.Superuser || r.CreateRole, nil
}

// checkRoleName refuses the names PostgreSQL reserves.
func checkRoleName(name string) error {
	switch name {
	case "public", "none":
		return pgerr.New(pgerr.ReservedName, "role name \"%s\" is reserved", name)
	}
	if strings.HasPrefix(name, "pg_") {
		return pgerr.New(pgerr.ReservedName, "role name \"%s\" is reserved", name).
			WithDetail("Role names starting with \"pg_\" are reserved.")
	}
	return nil
}

// storedPassword is the stored form of a password given in CREATE or
// ALTER ROLE, with the notice when it is cleared; "" for none.
func (s *Session) storedPassword(role, password string) (string, *Notice, error) {
	if password == "" || scram.IsMD5(password) && scram.Verify(password, role, "") {
		return "", &Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "empty string is not a valid password, clearing password"}, nil
	}
	if scram.IsMD5(password) {
		return password, nil, nil
	}
	if _, ok := scram.ParseVerifier(password); ok {
		return password, nil, nil
	}
	if s.settings["password_encryption"] == "md5" {
		return scram.MD5(password, role), nil, nil
	}
	salt := make([]byte, scram.SaltBytes)
	if _, err := io.ReadFull(s.e.opts.Rand, salt); err != nil {
		return "", nil, pgerr.Wrapf(err, pgerr.InternalError, "could not generate random salt")
	}
	return scram.NewVerifier(password, salt, scram.Iterations).String(), nil, nil
}

// applyRoleOptions sets d's attributes from opts.
func (s *Session) applyRoleOptions(d *catalog.RoleDesc, opts ast.RoleOptions) ([]Notice, error) {
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&d.Superuser, opts.Superuser)
	set(&d.CreateDB, opts.CreateDB)
	set(&d.CreateRole, opts.CreateRole)
	set(&d.Inherit, opts.Inherit)
	set(&d.Login, opts.Login)
	set(&d.Replication, opts.Replication)
	set(&d.BypassRLS, opts.BypassRLS)
	if opts.ConnLimit != nil {
		if *opts.ConnLimit < -1 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid connection limit: %d", *opts.ConnLimit)
		}
		d.ConnLimit = int(*opts.ConnLimit)
	}
	var notices []Notice
	if opts.PasswordGiven {
		d.Password = ""
		if opts.Password != nil {
			p, n, err := s.storedPassword(d.Name, *opts.Password)
			if err != nil {
				return nil, err
			}
			d.Password = p
			if n != nil {
				notices = append(notices, *n)
			}
		}
	}
	if opts.ValidUntil != nil {
		v, err := types.ParseTextStyle(types.New(types.TimestampTZ), *opts.ValidUntil, s.TypeStyle())
		if err != nil {
			return nil, err
		}
		t, ok := v.(time.Time)
		if !ok {
			return nil, pgerr.New(pgerr.InternalError, "VALID UNTIL parsed as %T", v)
		}
		d.SetValidUntil(&t)
	}
	return notices, nil
}

type createRolePlan struct{ stmt *ast.CreateRoleStmt }

func (p *createRolePlan) columns() []Column { return nil }

func (p *createRolePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	st := p.stmt
	if c := st.Options.ConnLimit; c != nil && *c < -1 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid connection limit: %d", *c)
	}
	super, createRole, err := x.roleRights()
	if err != nil {
		return nil, err
	}
	o := st.Options
	switch {
	case o.Superuser != nil && *o.Superuser && !super:
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to create superusers")
	case o.Replication != nil && *o.Replication && !super:
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to create replication users")
	case o.BypassRLS != nil && *o.BypassRLS && !super:
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to create bypassrls users")
	case !createRole:
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to create role")
	}
	if err := checkRoleName(st.Name); err != nil {
		return nil, err
	}
	if _, ok, err := x.s.e.roles.Lookup(x.snap, st.Name); err != nil {
		return nil, err
	} else if ok {
		return nil, pgerr.New(pgerr.DuplicateObject, "role \"%s\" already exists", st.Name)
	}
	oid, err := x.s.e.tm.NextOID()
	if err != nil {
		return nil, err
	}
	d := &catalog.RoleDesc{OID: oid, Name: st.Name, Inherit: true, Login: st.User, ConnLimit: -1}
	notices, err := x.s.applyRoleOptions(d, o)
	if err != nil {
		return nil, err
	}
	if err := x.s.e.roles.Create(x.op(), d); err != nil {
		return nil, err
	}
	return &Result{Tag: st.Tag(), Notices: notices}, nil
}

// lookupRoleSpec finds the role a RoleSpec names.
func (x *execCtx) lookupRoleSpec(spec ast.RoleSpec) (catalog.Role, bool, error) {
	name := spec.Name
	switch {
	case spec.Current:
		name = x.s.currentUser()
	case spec.Session:
		name = x.s.sessionUser()
	}
	return x.s.e.roles.Lookup(x.snap, name)
}

type alterRolePlan struct{ stmt *ast.AlterRoleStmt }

func (p *alterRolePlan) columns() []Column { return nil }

func (p *alterRolePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	st := p.stmt
	if st.RenameTo != "" {
		return p.rename(x)
	}
	role, ok, err := x.lookupRoleSpec(st.Role)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", st.Role.Name)
	}
	if role.Tuple == nil && role.OID != types.OIDBootstrapSuperuser {
		return nil, pgerr.New(pgerr.ReservedName, "role name \"%s\" is reserved", role.Name).WithDetail("Cannot alter reserved roles.")
	}
	super, createRole, err := x.roleRights()
	if err != nil {
		return nil, err
	}
	o := st.Options
	self := role.Name == x.s.currentUser()
	switch {
	case role.Superuser || o.Superuser != nil:
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter superuser roles or change superuser attribute")
		}
	case role.Replication || o.Replication != nil:
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to alter replication roles or change replication attribute")
		}
	case o.BypassRLS != nil:
		if !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to change bypassrls attribute")
		}
	case !createRole:
		onlyPassword := o.Inherit == nil && o.CreateRole == nil && o.CreateDB == nil && o.Login == nil &&
			o.ConnLimit == nil && o.ValidUntil == nil && o.PasswordGiven
		if !onlyPassword || !self {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied")
		}
	}
	if role.OID == types.OIDBootstrapSuperuser && o.Superuser != nil && !*o.Superuser {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to alter role").
			WithDetail("The bootstrap user must have the SUPERUSER attribute.")
	}
	if role.OID == types.OIDBootstrapSuperuser && o.Login != nil && !*o.Login {
		// Embedded sessions (cairn.Open, database/sql) log in as it.
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to alter role").
			WithDetail("The bootstrap user must have the LOGIN attribute in cairn.")
	}
	updated := *role.RoleDesc
	notices, err := x.s.applyRoleOptions(&updated, o)
	if err != nil {
		return nil, err
	}
	if err := x.s.e.roles.Replace(x.op(), role, &updated); err != nil {
		return nil, err
	}
	// Plans bound with row security policies depend on SUPERUSER and
	// BYPASSRLS.
	x.s.e.catalogChanged()
	return &Result{Tag: st.Tag(), Notices: notices}, nil
}

func (p *alterRolePlan) rename(x *execCtx) (*Result, error) {
	st := p.stmt
	role, ok, err := x.s.e.roles.Lookup(x.snap, st.Role.Name)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", st.Role.Name)
	}
	switch role.Name {
	case x.s.sessionUser():
		return nil, pgerr.New(pgerr.FeatureNotSupported, "session user cannot be renamed")
	case x.s.currentUser():
		return nil, pgerr.New(pgerr.FeatureNotSupported, "current user cannot be renamed")
	}
	if role.Tuple == nil && role.OID != types.OIDBootstrapSuperuser {
		return nil, pgerr.New(pgerr.ReservedName, "role name \"%s\" is reserved", role.Name).WithDetail("Cannot alter reserved roles.")
	}
	if role.OID == types.OIDBootstrapSuperuser {
		// Embedded sessions (cairn.Open, database/sql) log in by its name.
		return nil, pgerr.New(pgerr.FeatureNotSupported, "cannot rename the bootstrap superuser \"%s\" in cairn", role.Name)
	}
	if _, taken, err := x.s.e.roles.Lookup(x.snap, st.RenameTo); err != nil {
		return nil, err
	} else if taken {
		return nil, pgerr.New(pgerr.DuplicateObject, "role \"%s\" already exists", st.RenameTo)
	}
	if err := checkRoleName(st.RenameTo); err != nil {
		return nil, err
	}
	super, createRole, err := x.roleRights()
	if err != nil {
		return nil, err
	}
	if role.Superuser && !super {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to rename superusers")
	}
	if !createRole {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to rename role")
	}
	updated := *role.RoleDesc
	updated.Name = st.RenameTo
	res := &Result{Tag: st.Tag()}
	if scram.IsMD5(updated.Password) {
		// An md5 password is salted with the role's name.
		updated.Password = ""
		res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion, Message: "MD5 password cleared because of role rename"})
	}
	if err := x.s.e.roles.Replace(x.op(), role, &updated); err != nil {
		return nil, err
	}
	// Schemas name their owner: they follow the rename.
	schemas, err := x.s.e.cat.Schemas(x.snap)
	if err != nil {
		return nil, err
	}
	for _, d := range schemas {
		if d.Owner != role.Name {
			continue
		}
		_, id, err := x.s.e.cat.LookupSchema(x.snap, d.Name)
		if err != nil {
			return nil, err
		}
		changed := *d
		changed.Owner = st.RenameTo
		if err := x.s.e.cat.DropSchema(x.op(), id); err != nil {
			return nil, err
		}
		if err := x.s.e.cat.CreateSchema(x.later().op(), &changed); err != nil {
			return nil, err
		}
		x.s.e.catalogChanged()
	}
	return res, nil
}

type dropRolePlan struct{ stmt *ast.DropRoleStmt }

func (p *dropRolePlan) columns() []Column { return nil }

func (p *dropRolePlan) execute(x *execCtx, _ *evalCtx) (*Result, error) {
	super, createRole, err := x.roleRights()
	if err != nil {
		return nil, err
	}
	if !createRole {
		return nil, pgerr.New(pgerr.InsufficientPrivilege, "permission denied to drop role")
	}
	res := &Result{Tag: p.stmt.Tag()}
	for _, spec := range p.stmt.Roles {
		// Each role sees what dropping the ones before it changed.
		x = x.later()
		if spec.Current || spec.Session || spec.Name == "public" {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot use special role specifier in DROP ROLE")
		}
		role, ok, err := x.s.e.roles.Lookup(x.snap, spec.Name)
		if err != nil {
			return nil, err
		}
		if !ok {
			if p.stmt.IfExists {
				res.Notices = append(res.Notices, Notice{Severity: "NOTICE", Code: pgerr.SuccessfulCompletion,
					Message: "role \"" + spec.Name + "\" does not exist, skipping"})
				continue
			}
			return nil, pgerr.New(pgerr.UndefinedObject, "role \"%s\" does not exist", spec.Name)
		}
		switch role.Name {
		case x.s.currentUser():
			return nil, pgerr.New(pgerr.ObjectInUse, "current user cannot be dropped")
		case x.s.sessionUser():
			return nil, pgerr.New(pgerr.ObjectInUse, "session user cannot be dropped")
		}
		if role.Superuser && !super {
			return nil, pgerr.New(pgerr.InsufficientPrivilege, "must be superuser to drop superusers")
		}
		if role.Tuple == nil || role.OID == types.OIDBootstrapSuperuser {
			// The bootstrap superuser owns every relation; the
			// predefined roles are the system's.
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop role %s because it is required by the database system", role.Name)
		}
		deps, err := x.roleDependents(role.RoleDesc)
		if err != nil {
			return nil, err
		}
		if len(deps) > 0 {
			return nil, pgerr.New(pgerr.DependentObjectsStillExist, "role \"%s\" cannot be dropped because some objects depend on it", role.Name).
				WithDetail(strings.Join(deps, "\n"))
		}
		if err := x.s.e.roles.Drop(x.op(), role); err != nil {
			return nil, err
		}
		if err := dropRoleSettings(x, role.OID); err != nil {
			return nil, err
		}
		if err := x.later().dropMemberships(role.OID); err != nil {
			return nil, err
		}
		x.s.e.catalogChanged()
	}
	return res, nil
}

// moveLegacyRoles moves roles stored by earlier versions beside the
// schemas to the roles' own table (catalog.MoveLegacyRoles), committing
// only when there were any.
func (e *Engine) moveLegacyRoles() error {
	s, err := e.NewSession("postgres", e.opts.Databases[0], nil)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.beginTxn(); err != nil {
		return err
	}
	op := heap.Op{Tx: s.tx, Snap: s.currentSnapshot(), Ctx: context.Background()}
	n, err := catalog.MoveLegacyRoles(op, e.heap)
	if err != nil || n == 0 {
		s.endTxn(false)
		return err
	}
	return s.endTxn(true)
}
