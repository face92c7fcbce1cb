package catalog

import (
	"encoding/json"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// The built-in functions are not stored either; what GRANT and REVOKE
// EXECUTE change on one, its ACL (proacl), is a row of a heap table of its
// own, keyed by the function's signature: its name and its argument types'
// oids, "md5(25)", as builtinProcs keys them. A function without a row
// has PostgreSQL 15's default ACL (PUBLIC may execute it).

// FunctionACLTableID is the heap table that holds the ACLs given to the
// built-in functions.
const FunctionACLTableID = heap.SystemTable + 8

// LookupFunctionACL is LookupDatabaseACL for the built-in function with
// signature sig.
func (c *Store) LookupFunctionACL(snap txn.Snapshot, sig string) (*NamedACL, heap.TupleID, error) {
	return c.lookupNamedACL(snap, FunctionACLTableID, "function", sig)
}

// ReplaceFunctionACL is ReplaceDatabaseACL for a built-in function.
func (c *Store) ReplaceFunctionACL(op, later heap.Op, old heap.TupleID, sig string, acl []ACLItem) error {
	return c.replaceNamedACL(op, later, FunctionACLTableID, old, sig, acl)
}

// FunctionACLs returns every stored ACL of a built-in function visible to
// snap, by signature.
func (c *Store) FunctionACLs(snap txn.Snapshot) (map[string][]ACLItem, error) {
	snap.Serializable = false
	out := make(map[string][]ACLItem)
	err := c.heap.Scan(snap, FunctionACLTableID, func(t heap.Tuple) error {
		d := new(NamedACL)
		if err := json.Unmarshal(t.Data, d); err != nil {
			return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for the privileges of a function")
		}
		out[d.Name] = d.ACL
		return nil
	})
	return out, err
}
