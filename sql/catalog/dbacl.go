package catalog

import (
	"encoding/json"
	"fmt"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// Databases are the engine's (Options.Databases), not stored; what GRANT
// and REVOKE change on one, its ACL (datacl), is a row of its own heap
// table, keyed by the database's name, read and written under MVCC as
// the rest of the catalog. A database without a row has the default ACL
// of its owner, the bootstrap superuser.

// DatabaseACLTableID is the heap table that holds the databases' ACLs.
const DatabaseACLTableID = heap.SystemTable + 3

// DatabaseACL is a database's stored ACL.
type DatabaseACL struct {
	Name string    `json:"name"`
	ACL  []ACLItem `json:"acl"`
}

// LookupDatabaseACL returns the stored ACL of database name visible to
// snap (nil when it has the default one) and its tuple version.
func (c *Store) LookupDatabaseACL(snap txn.Snapshot, name string) (*DatabaseACL, heap.TupleID, error) {
	snap.Serializable = false
	var desc *DatabaseACL
	var id heap.TupleID
	err := c.heap.ScanKey(snap, DatabaseACLTableID, schemaKey(name), func(t heap.Tuple) error {
		d := new(DatabaseACL)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for the privileges of database %q", name)
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

// DeleteDatabaseACL deletes the version id (from LookupDatabaseACL) in
// op's transaction.
func (c *Store) DeleteDatabaseACL(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}

// PutDatabaseACL stores d in op's transaction; an earlier version must
// have been deleted by an earlier command.
func (c *Store) PutDatabaseACL(op heap.Op, d *DatabaseACL) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("catalog: encoding database privileges: %w", err)
	}
	return c.heap.Insert(op, DatabaseACLTableID, schemaKey(d.Name), data)
}
