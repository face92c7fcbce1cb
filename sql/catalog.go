package sql

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/cairndb/cairn/heap"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
	"github.com/cairndb/cairn/txn"
)

// The catalog is itself a heap table (catalogTableID) whose rows are table
// descriptors keyed by table name, so DDL is transactional: a CREATE TABLE
// is invisible to others until it commits and vanishes if it rolls back.
const catalogTableID = heap.SystemTable

// firstUserTableID matches PostgreSQL's first normal object id.
const firstUserTableID = 16384

// TableDesc describes a table.
type TableDesc struct {
	ID      uint32       `json:"id"`
	Name    string       `json:"name"`
	Columns []ColumnDesc `json:"columns"`
	// PK lists the primary key's column indexes; empty when the table
	// has no primary key.
	PK []int `json:"pk,omitempty"`
	// PKName names the primary key constraint when ALTER TABLE gave it
	// one; empty means table_pkey.
	PKName string `json:"pk_name,omitempty"`
	// View is the defining query of a view, as SQL text; empty for a
	// table. A view stores no rows: queries expand it.
	View string `json:"view,omitempty"`
	// Indexes are the table's secondary indexes.
	Indexes []IndexDesc `json:"indexes,omitempty"`
	// IndexOf, when set, makes this entry an index's name: it reserves the
	// name in the relation namespace (shared by tables, views and indexes,
	// as in PostgreSQL) and names the table whose Indexes describe it.
	IndexOf string `json:"index_of,omitempty"`
}

// kind names the relation kind for messages.
func (t *TableDesc) kind() string {
	switch {
	case t.View != "":
		return "view"
	case t.IndexOf != "":
		return "index"
	}
	return "table"
}

// IndexDesc describes a secondary index. Its entries (heap/doc.go) are
// keyed by encodeIndexKey of the indexed columns' values.
type IndexDesc struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	// Columns lists the indexed columns' indexes, in key order.
	Columns []int `json:"columns"`
	// Desc marks columns declared DESC. Entries are stored ascending
	// either way: the planner does not read indexes in order yet.
	Desc   []bool `json:"desc,omitempty"`
	Unique bool   `json:"unique,omitempty"`
	// Constraint marks the index of a UNIQUE constraint, which DROP
	// INDEX may not remove on its own.
	Constraint bool `json:"constraint,omitempty"`
}

// ColumnDesc describes one column.
type ColumnDesc struct {
	Name    string  `json:"name"`
	Type    types.T `json:"type"`
	NotNull bool    `json:"not_null,omitempty"`
	// Default is the default expression as SQL text; empty for none.
	Default string `json:"default,omitempty"`
}

func (t *TableDesc) column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

type catalog struct {
	heap *heap.Heap
	mu   sync.Mutex
	// decoded caches descriptors by the key of their tuple version, which is
	// never reused, so a cached entry is never stale.
	decoded map[string]*TableDesc
}

func newCatalog(h *heap.Heap) *catalog {
	return &catalog{heap: h, decoded: make(map[string]*TableDesc)}
}

func catalogKey(name string) []byte { return types.EncodeKey([]types.Datum{name}) }

// lookup returns the descriptor of table name visible to snap, or nil.
func (c *catalog) lookup(snap txn.Snapshot, name string) (*TableDesc, heap.TupleID, error) {
	// The catalog takes no part in SSI, as PostgreSQL's system catalogs
	// do not.
	snap.Serializable = false
	var desc *TableDesc
	var id heap.TupleID
	err := c.heap.ScanKey(snap, catalogTableID, catalogKey(name), func(t heap.Tuple) error {
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

// all returns every table visible to snap.
func (c *catalog) all(snap txn.Snapshot) ([]*TableDesc, error) {
	snap.Serializable = false
	var out []*TableDesc
	err := c.heap.Scan(snap, catalogTableID, func(t heap.Tuple) error {
		d, err := c.decode(t)
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// decode returns the descriptor a catalog tuple holds, decoding each tuple
// version once (versions are never rewritten in place, so the cache never
// goes stale).
func (c *catalog) decode(t heap.Tuple) (*TableDesc, error) {
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

func (c *catalog) create(op heap.Op, desc *TableDesc) error {
	op.Snap.Serializable = false
	data, err := json.Marshal(desc)
	if err != nil {
		return fmt.Errorf("sql: encoding table descriptor: %w", err)
	}
	err = c.heap.Insert(op, catalogTableID, catalogKey(desc.Name), data)
	if pgerr.Code(err) == pgerr.UniqueViolation {
		return pgerr.New(pgerr.DuplicateTable, "relation \"%s\" already exists", desc.Name)
	}
	return err
}

func (c *catalog) drop(op heap.Op, id heap.TupleID) error {
	op.Snap.Serializable = false
	return c.heap.Delete(op, id)
}

// pkName is the name of the table's primary key constraint.
func (t *TableDesc) pkName() string {
	if t.PKName != "" {
		return t.PKName
	}
	return parser.TruncateIdent(t.Name + "_pkey")
}
