package catalog

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// Roles are kept apart from the relations: a heap table of their own
// (RolesTableID), one row per role, JSON-encoded and keyed by role name,
// read under the caller's snapshot and written in the caller's
// transaction, so CREATE, ALTER and DROP ROLE are transactional and
// survive restarts. PostgreSQL's roles are cluster-wide; cairn's are
// the engine's, shared by all its databases.
//
// The bootstrap superuser, postgres (oid 10), exists before anything is
// stored: until a row with its oid is written (ALTER ROLE postgres ...),
// All and Lookup show the built-in one. PostgreSQL 15's predefined roles
// (pg_database_owner, pg_monitor, pg_read_all_data, ...; see
// PredefinedRoles) cannot log in; they are always there and cannot be
// altered, but may be granted to other roles.

// RolesTableID is the heap table that holds the roles: not
// SchemaTableID, whose rows are keyed the same way (a role and a schema
// of the same name would be one row).
const RolesTableID = heap.SystemTable + 2

// RoleDesc describes a role, with pg_authid's attributes.
type RoleDesc struct {
	OID         uint32
	Name        string
	Superuser   bool `json:",omitempty"`
	Inherit     bool `json:",omitempty"`
	CreateRole  bool `json:",omitempty"`
	CreateDB    bool `json:",omitempty"`
	Login       bool `json:",omitempty"`
	Replication bool `json:",omitempty"`
	BypassRLS   bool `json:",omitempty"`
	// ConnLimit is rolconnlimit: -1 for no limit.
	ConnLimit int
	// Password is the stored password ("SCRAM-SHA-256$..." or "md5..."),
	// "" for none (NULL).
	Password string `json:",omitempty"`
	// ValidUntilMicros is when the password stops working, in
	// microseconds since 1970 (nil: never; infinity is the largest
	// int64, as types.InfinityTime).
	ValidUntilMicros *int64 `json:",omitempty"`
	// MemberOf are the roles this one is a member of (pg_auth_members
	// rows with this role as member).
	MemberOf []Membership `json:",omitempty"`
}

// Membership is one role membership: the role granted, who granted it,
// and whether the member may grant it on (WITH ADMIN OPTION).
type Membership struct {
	Role    uint32
	Grantor uint32
	Admin   bool `json:",omitempty"`
}

// ValidUntil is rolvaliduntil; nil for none.
func (d *RoleDesc) ValidUntil() *time.Time {
	if d.ValidUntilMicros == nil {
		return nil
	}
	t := time.UnixMicro(*d.ValidUntilMicros).UTC()
	return &t
}

// SetValidUntil sets rolvaliduntil (nil: none).
func (d *RoleDesc) SetValidUntil(t *time.Time) {
	d.ValidUntilMicros = nil
	if t != nil {
		us := t.UnixMicro()
		d.ValidUntilMicros = &us
	}
}

// BootstrapRole is the built-in postgres superuser of a fresh engine.
func BootstrapRole() *RoleDesc {
	return &RoleDesc{OID: types.OIDBootstrapSuperuser, Name: types.UserName(types.OIDBootstrapSuperuser),
		Superuser: true, Inherit: true, CreateRole: true, CreateDB: true, Login: true, Replication: true, BypassRLS: true, ConnLimit: -1}
}

// PredefinedRoles are the roles that exist without being stored and
// cannot be changed: PostgreSQL 15's predefined roles (pg_monitor,
// pg_read_all_data, pg_database_owner, ...), none of which may log in.
// pg_monitor is a member of pg_read_all_settings, pg_read_all_stats and
// pg_stat_scan_tables, granted by the bootstrap superuser, as in
// PostgreSQL.
func PredefinedRoles() []*RoleDesc {
	var out []*RoleDesc
	for _, oid := range types.PredefinedRoleOIDs() {
		d := &RoleDesc{OID: uint32(oid), Name: types.UserName(oid), Inherit: true, ConnLimit: -1}
		if oid == types.OIDPgMonitor {
			for _, m := range []uint32{types.OIDPgReadAllSettings, types.OIDPgReadAllStats, types.OIDPgStatScanTables} {
				d.MemberOf = append(d.MemberOf, Membership{Role: m, Grantor: types.OIDBootstrapSuperuser})
			}
		}
		out = append(out, d)
	}
	return out
}

// RoleStore reads and writes roles in RolesTableID. It is safe for
// concurrent use.
type RoleStore struct {
	heap *heap.Heap
	mu   sync.Mutex
	// decoded caches roles by the key of their tuple version, which is
	// never rewritten.
	decoded map[string]*RoleDesc
}

// NewRoleStore returns the roles kept in h.
func NewRoleStore(h *heap.Heap) *RoleStore {
	return &RoleStore{heap: h, decoded: make(map[string]*RoleDesc)}
}

// Role is a role as read: its descriptor and the id of its stored
// version (nil for the built-in bootstrap role and the predefined roles).
type Role struct {
	*RoleDesc
	Tuple heap.TupleID
}

// All returns every role visible to snap, by oid: the stored ones, the
// bootstrap superuser unless a stored row replaced it, and the predefined
// roles.
func (r *RoleStore) All(snap txn.Snapshot) ([]Role, error) {
	snap.Serializable = false
	var out []Role
	bootstrapStored := false
	err := r.heap.Scan(snap, RolesTableID, func(t heap.Tuple) error {
		d, err := r.decode(t)
		if err != nil {
			return err
		}
		bootstrapStored = bootstrapStored || d.OID == types.OIDBootstrapSuperuser
		out = append(out, Role{RoleDesc: d, Tuple: t.ID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !bootstrapStored {
		out = append(out, Role{RoleDesc: BootstrapRole()})
	}
	for _, d := range PredefinedRoles() {
		out = append(out, Role{RoleDesc: d})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OID < out[j].OID })
	return out, nil
}

// Lookup returns the role named name visible to snap; ok is false when
// there is none.
func (r *RoleStore) Lookup(snap txn.Snapshot, name string) (Role, bool, error) {
	all, err := r.All(snap)
	if err != nil {
		return Role{}, false, err
	}
	for _, role := range all {
		if role.Name == name {
			return role, true, nil
		}
	}
	return Role{}, false, nil
}

// ByOID returns the role with oid visible to snap.
func (r *RoleStore) ByOID(snap txn.Snapshot, oid uint32) (Role, bool, error) {
	all, err := r.All(snap)
	if err != nil {
		return Role{}, false, err
	}
	for _, role := range all {
		if role.OID == oid {
			return role, true, nil
		}
	}
	return Role{}, false, nil
}

func (r *RoleStore) decode(t heap.Tuple) (*RoleDesc, error) {
	r.mu.Lock()
	d, ok := r.decoded[string(t.ID)]
	r.mu.Unlock()
	if ok {
		return d, nil
	}
	d = new(RoleDesc)
	if err := json.Unmarshal(t.Data, d); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.DataCorrupted, "role entry")
	}
	r.mu.Lock()
	r.decoded[string(t.ID)] = d
	r.mu.Unlock()
	return d, nil
}

// Create stores d in op's transaction; a name taken by a role visible to
// op, or one being created concurrently, is 42710.
func (r *RoleStore) Create(op heap.Op, d *RoleDesc) error {
	op.Snap.Serializable = false
	if _, ok, err := r.Lookup(op.Snap, d.Name); err != nil {
		return err
	} else if ok {
		return pgerr.New(pgerr.DuplicateObject, "role \"%s\" already exists", d.Name)
	}
	return r.insert(op, d)
}

// insert writes d's row; the caller has checked that its name is free
// (a unique violation from a concurrent writer is still 42710).
func (r *RoleStore) insert(op heap.Op, d *RoleDesc) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("catalog: encoding role: %w", err)
	}
	err = r.heap.Insert(op, RolesTableID, catalogKey(d.Name), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateObject, "role \"%s\" already exists", d.Name)
	}
	return err
}

// Replace writes updated in place of role (renamed, when its name
// changed) in op's transaction.
func (r *RoleStore) Replace(op heap.Op, role Role, updated *RoleDesc) error {
	if updated.Name != role.Name {
		if _, ok, err := r.Lookup(op.Snap, updated.Name); err != nil {
			return err
		} else if ok {
			return pgerr.New(pgerr.DuplicateObject, "role \"%s\" already exists", updated.Name)
		}
	}
	if role.Tuple != nil {
		if err := r.Drop(op, role); err != nil {
			return err
		}
	}
	return r.insert(op, updated)
}

// Drop deletes role's stored version in op's transaction. The built-in
// roles have none; the caller refuses to drop them.
func (r *RoleStore) Drop(op heap.Op, role Role) error {
	op.Snap.Serializable = false
	if role.Tuple == nil {
		return pgerr.New(pgerr.InternalError, "catalog: role %q is not stored", role.Name)
	}
	return r.heap.Delete(op, role.Tuple)
}
