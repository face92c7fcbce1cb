package catalog

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// Default privileges (ALTER DEFAULT PRIVILEGES, pg_default_acl): per role,
// per kind of object, and optionally per schema, the ACL objects that role
// creates start with. Each entry is a row of its own heap table, keyed by
// role, schema and kind. An entry for no schema replaces the hard-wired
// default ACL of the kind; a schema's entry adds its items to the ACL the
// object would otherwise get (get_user_default_acl).

// DefaultPrivTableID is the heap table that holds the default privileges.
const DefaultPrivTableID = heap.SystemTable + 4

// DefaultPriv is one pg_default_acl entry.
type DefaultPriv struct {
	OID  uint32 `json:"oid"`
	Role uint32 `json:"role"`
	// Schema is the schema's name; "" for every schema.
	Schema string `json:"schema,omitempty"`
	// ObjType is defaclobjtype: r for relations (tables and views), S for
	// sequences.
	ObjType string    `json:"objtype"`
	ACL     []ACLItem `json:"acl"`
}

func defaultPrivKey(role uint32, schema, objType string) []byte {
	return schemaKey(strconv.FormatUint(uint64(role), 10) + "\x00" + schema + "\x00" + objType)
}

// DefaultPrivs returns every entry visible to snap, with their tuples.
func (c *Store) DefaultPrivs(snap txn.Snapshot) ([]*DefaultPriv, []heap.TupleID, error) {
	snap.Serializable = false
	var out []*DefaultPriv
	var ids []heap.TupleID
	err := c.heap.Scan(snap, DefaultPrivTableID, func(t heap.Tuple) error {
		d := new(DefaultPriv)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for default privileges")
		}
		out = append(out, d)
		ids = append(ids, t.ID)
		return nil
	})
	return out, ids, err
}

// LookupDefaultPriv returns the entry of role, schema and objType visible
// to snap (nil if none) and its tuple.
func (c *Store) LookupDefaultPriv(snap txn.Snapshot, role uint32, schema, objType string) (*DefaultPriv, heap.TupleID, error) {
	snap.Serializable = false
	var desc *DefaultPriv
	var id heap.TupleID
	err := c.heap.ScanKey(snap, DefaultPrivTableID, defaultPrivKey(role, schema, objType), func(t heap.Tuple) error {
		d := new(DefaultPriv)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for default privileges")
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

// DeleteDefaultPriv deletes the version id in op's transaction.
func (c *Store) DeleteDefaultPriv(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}

// PutDefaultPriv stores d in op's transaction; an earlier version must
// have been deleted by an earlier command.
func (c *Store) PutDefaultPriv(op heap.Op, d *DefaultPriv) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("catalog: encoding default privileges: %w", err)
	}
	return c.heap.Insert(op, DefaultPrivTableID, defaultPrivKey(d.Role, d.Schema, d.ObjType), data)
}

// InitialACL is the ACL an object of kind k that owner creates in schema
// starts with, from the entries defs; has is false when that is the
// hard-wired default (relacl NULL).
func InitialACL(defs []*DefaultPriv, k ObjectKind, owner uint32, schema string) (acl []ACLItem, has bool) {
	objType := "r"
	switch k {
	case KindSequence:
		objType = "S"
	case KindFunction:
		objType = "f"
	}
	acl = DefaultACL(k, owner)
	for _, d := range defs {
		if d.Role == owner && d.Schema == "" && d.ObjType == objType {
			acl = append([]ACLItem(nil), d.ACL...)
		}
	}
	for _, d := range defs {
		if d.Role == owner && d.Schema != "" && d.Schema == schema && d.ObjType == objType {
			for _, it := range d.ACL {
				acl = Grant(acl, it.Grantee, it.Grantor, it.Privs, false)
				if it.Grant != 0 {
					acl = Grant(acl, it.Grantee, it.Grantor, it.Grant, true)
				}
			}
		}
	}
	return acl, !equalACL(acl, DefaultACL(k, owner))
}

// equalACL reports whether a and b hold the same items, in any order (as
// PostgreSQL sorts both before aclequal).
func equalACL(a, b []ACLItem) bool {
	if len(a) != len(b) {
		return false
	}
	for _, it := range a {
		n := 0
		for _, o := range b {
			if o == it {
				n++
			}
		}
		if n != 1 {
			return false
		}
	}
	return true
}
