package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// The built-in schemas (public, pg_catalog, information_schema) are not
// stored; what GRANT and REVOKE change on one, its ACL (nspacl), is a row
// of its own heap table keyed by the schema's name, as a database's is.
// A built-in schema without a row has PostgreSQL 15's default ACL.

// BuiltinSchemaACLTableID is the heap table that holds the ACLs given to
// the built-in schemas.
const BuiltinSchemaACLTableID = heap.SystemTable + 5

// BuiltinSchemaACL is a built-in schema's stored ACL.
type BuiltinSchemaACL struct {
	Name string    `json:"name"`
	ACL  []ACLItem `json:"acl"`
}

// LookupBuiltinSchemaACL returns the stored ACL of built-in schema name
// visible to snap (nil when it has the default one) and its tuple
// version.
func (c *Store) LookupBuiltinSchemaACL(snap txn.Snapshot, name string) (*BuiltinSchemaACL, heap.TupleID, error) {
	snap.Serializable = false
	var desc *BuiltinSchemaACL
	var id heap.TupleID
	err := c.heap.ScanKey(snap, BuiltinSchemaACLTableID, schemaKey(name), func(t heap.Tuple) error {
		d := new(BuiltinSchemaACL)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for the privileges of schema %q", name)
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

// BuiltinSchemaACLs returns every stored ACL of a built-in schema visible
// to snap, by schema name.
func (c *Store) BuiltinSchemaACLs(snap txn.Snapshot) (map[string][]ACLItem, error) {
	snap.Serializable = false
	out := make(map[string][]ACLItem)
	err := c.heap.Scan(snap, BuiltinSchemaACLTableID, func(t heap.Tuple) error {
		d := new(BuiltinSchemaACL)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for the privileges of a built-in schema")
		}
		out[d.Name] = d.ACL
		return nil
	})
	return out, err
}

// ReplaceBuiltinSchemaACL stores acl as built-in schema name's, in place
// of the version old (nil when there was none): old is deleted in op's
// transaction and the new row inserted by later, a later command of it.
func (c *Store) ReplaceBuiltinSchemaACL(op, later heap.Op, old heap.TupleID, name string, acl []ACLItem) error {
	op.Snap.Serializable = false
	later.Snap.Serializable = false
	if old != nil {
		if err := c.heap.Delete(op, old); err != nil {
			return err
		}
	}
	data, err := json.Marshal(&BuiltinSchemaACL{Name: name, ACL: acl})
	if err != nil {
		return fmt.Errorf("catalog: encoding schema privileges: %w", err)
	}
	return c.heap.Insert(later, BuiltinSchemaACLTableID, schemaKey(name), data)
}
