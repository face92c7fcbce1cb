package catalog

import (
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

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

// Kind names the relation kind for messages: table, view or index.
func (t *TableDesc) Kind() string {
	switch {
	case t.View != "":
		return "view"
	case t.IndexOf != "":
		return "index"
	}
	return "table"
}

// IndexDesc describes a secondary index. Its entries (heap/doc.go) are
// keyed by the indexed columns' values (types.EncodeKey).
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

// ColumnIndex is the index of the column named name, or -1.
func (t *TableDesc) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// PKConstraintName is the name of the table's primary key constraint.
func (t *TableDesc) PKConstraintName() string {
	if t.PKName != "" {
		return t.PKName
	}
	return parser.TruncateIdent(t.Name + "_pkey")
}
