package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// Databases are the engine's (Options.Databases), not stored, and so are
// the built-in schemas (public, pg_catalog, information_schema); what
// GRANT and REVOKE change on one, its ACL (datacl, nspacl), is a row of a
// heap table of its own per kind, keyed by the object's name, read and
// written under MVCC as the rest of the catalog. An object without a row
// has PostgreSQL 15's default ACL.

// DatabaseACLTableID is the heap table that holds the databases' ACLs.
const DatabaseACLTableID = heap.SystemTable + 3

// BuiltinSchemaACLTableID is the heap table that holds the ACLs given to
// the built-in schemas.
const BuiltinSchemaACLTableID = heap.SystemTable + 5

// NamedACL is the stored ACL of an object kept by name: a database or a
// built-in schema.
type NamedACL struct {
	Name string    `json:"name"`
	ACL  []ACLItem `json:"acl"`
}

// LookupDatabaseACL returns the stored ACL of database name visible to
// snap (nil when it has the default one) and its tuple version.
func (c *Store) LookupDatabaseACL(snap txn.Snapshot, name string) (*NamedACL, heap.TupleID, error) {
	return c.lookupNamedACL(snap, DatabaseACLTableID, "database", name)
}

// LookupBuiltinSchemaACL is LookupDatabaseACL for a built-in schema.
func (c *Store) LookupBuiltinSchemaACL(snap txn.Snapshot, name string) (*NamedACL, heap.TupleID, error) {
	return c.lookupNamedACL(snap, BuiltinSchemaACLTableID, "schema", name)
}

// ReplaceDatabaseACL stores acl as database name's, in place of the
// version old (nil when there was none): old is deleted in op's
// transaction and the new row inserted by later, a later command of it.
func (c *Store) ReplaceDatabaseACL(op, later heap.Op, old heap.TupleID, name string, acl []ACLItem) error {
	return c.replaceNamedACL(op, later, DatabaseACLTableID, old, name, acl)
}

// ReplaceBuiltinSchemaACL is ReplaceDatabaseACL for a built-in schema.
func (c *Store) ReplaceBuiltinSchemaACL(op, later heap.Op, old heap.TupleID, name string, acl []ACLItem) error {
	return c.replaceNamedACL(op, later, BuiltinSchemaACLTableID, old, name, acl)
}

// BuiltinSchemaACLs returns every stored ACL of a built-in schema visible
// to snap, by schema name.
func (c *Store) BuiltinSchemaACLs(snap txn.Snapshot) (map[string][]ACLItem, error) {
	snap.Serializable = false
	out := make(map[string][]ACLItem)
	err := c.heap.Scan(snap, BuiltinSchemaACLTableID, func(t heap.Tuple) error {
		d := new(NamedACL)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for the privileges of a built-in schema")
		}
		out[d.Name] = d.ACL
		return nil
	})
	return out, err
}

func (c *Store) lookupNamedACL(snap txn.Snapshot, table uint32, kind, name string) (*NamedACL, heap.TupleID, error) {
	snap.Serializable = false
	var desc *NamedACL
	var id heap.TupleID
	err := c.heap.ScanKey(snap, table, schemaKey(name), func(t heap.Tuple) error {
		d := new(NamedACL)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for the privileges of %s %q", kind, name)
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

func (c *Store) replaceNamedACL(op, later heap.Op, table uint32, old heap.TupleID, name string, acl []ACLItem) error {
	op.Snap.Serializable = false
	later.Snap.Serializable = false
	if old != nil {
		if err := c.heap.Delete(op, old); err != nil {
			return err
		}
	}
	data, err := json.Marshal(&NamedACL{Name: name, ACL: acl})
	if err != nil {
		return fmt.Errorf("catalog: encoding the privileges of %q: %w", name, err)
	}
	return c.heap.Insert(later, table, schemaKey(name), data)
}
