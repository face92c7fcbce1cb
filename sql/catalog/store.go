package catalog

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// TableID is the heap table that holds the catalog: its rows are table
// descriptors keyed by table name, so DDL is transactional: a CREATE TABLE
// is invisible to others until it commits and vanishes if it rolls back.
const TableID = heap.SystemTable

// firstUserTableID matches PostgreSQL's first normal object id.
const firstUserTableID = 16384

// Store reads and writes descriptors in the catalog's heap table, under
// the caller's snapshot and transaction. It is safe for concurrent use.
type Store struct {
	heap *heap.Heap
	mu   sync.Mutex
	// decoded caches descriptors by the key of their tuple version, which is
	// never reused, so a cached entry is never stale.
	decoded map[string]*TableDesc
	// funcs caches function descriptors the same way (funcdesc.go).
	funcs map[string]*FuncDesc
	// operators is what is known of user-defined operators (operdesc.go):
	// operatorsUnknown until a scan finds none, operatorsNone from then
	// until CreateOperator, operatorsMaybe after it. Most databases have
	// none, and binding an operator then costs no catalog scan.
	operators atomic.Int32
}

// NewStore returns the catalog kept in h.
func NewStore(h *heap.Heap) *Store {
	return &Store{heap: h, decoded: make(map[string]*TableDesc)}
}

func catalogKey(name string) []byte { return types.EncodeKey([]types.Datum{name}) }

// Lookup returns the descriptor with key name (Key) visible to snap (nil if
// none) and the id of its tuple version, which Drop takes.
func (c *Store) Lookup(snap txn.Snapshot, name string) (*TableDesc, heap.TupleID, error) {
	// The catalog takes no part in SSI, as PostgreSQL's system catalogs
	// do not.
	snap.Serializable = false
	var desc *TableDesc
	var id heap.TupleID
	err := c.heap.ScanKey(snap, TableID, catalogKey(name), func(t heap.Tuple) error {
		c.mu.Lock()
		d, ok := c.decoded[string(t.ID)]
		c.mu.Unlock()
		if !ok {
			d = new(TableDesc)
			if err := json.Unmarshal(t.Data, d); err != nil {
				return pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry for %q", name)
			}
			c.mu.Lock()
			c.decoded[string(t.ID)] = d
			c.mu.Unlock()
		}
		desc, id = d, t.ID
		return nil
	})
	return desc, id, err
}

// All returns every relation visible to snap: tables, views and the
// entries that reserve index names.
func (c *Store) All(snap txn.Snapshot) ([]*TableDesc, error) {
	snap.Serializable = false
	var out []*TableDesc
	err := c.heap.Scan(snap, TableID, func(t heap.Tuple) error {
		d, err := c.decode(t)
		if err != nil {
			return err
		}
		if d.Type != nil {
			return nil
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// decode returns the descriptor a catalog tuple holds, decoding each tuple
// version once (versions are never rewritten in place, so the cache never
// goes stale).
func (c *Store) decode(t heap.Tuple) (*TableDesc, error) {
	c.mu.Lock()
	d, ok := c.decoded[string(t.ID)]
	c.mu.Unlock()
	if ok {
		return d, nil
	}
	d = new(TableDesc)
	if err := json.Unmarshal(t.Data, d); err != nil {
		return nil, pgerr.Wrapf(err, pgerr.DataCorrupted, "catalog entry")
	}
	c.mu.Lock()
	c.decoded[string(t.ID)] = d
	c.mu.Unlock()
	return d, nil
}

// Create adds desc in op's transaction; a name taken by a relation visible
// to op is 42P07.
func (c *Store) Create(op heap.Op, desc *TableDesc) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("catalog: encoding table descriptor: %w", err)
	}
	err = c.heap.Insert(op, TableID, catalogKey(desc.Key()), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", desc.Name)
	}
	return err
}

// Drop deletes the descriptor version id (from Lookup) in op's
// transaction.
func (c *Store) Drop(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}
