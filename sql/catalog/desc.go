package catalog

import (
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/sequence"
	"github.com/cairndb/cairn/sql/types"
)

// TableDesc describes a table.
type TableDesc struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	// Schema names the relation's schema; empty for public (schema.go).
	Schema string `json:"schema,omitempty"`
	// OnCommit is a temporary table's ON COMMIT action: "" (PRESERVE
	// ROWS), "delete" (DELETE ROWS) or "drop".
	OnCommit string       `json:"on_commit,omitempty"`
	Columns  []ColumnDesc `json:"columns"`
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
	// Sequence, when set, makes this entry a sequence: its options, kept
	// under MVCC like the rest of the catalog, while its current value
	// lives outside it (heap/sequence.go). Its Columns are those SELECT
	// shows: last_value, log_cnt, is_called.
	Sequence *SequenceDesc `json:"sequence,omitempty"`
	// Comment is the relation's COMMENT ON text, PKComment its primary
	// key index's; empty for none.
	Comment   string `json:"comment,omitempty"`
	PKComment string `json:"pk_comment,omitempty"`
	// Checks are the table's CHECK constraints, in creation order.
	Checks []CheckDesc `json:"checks,omitempty"`
	// ForeignKeys are the table's FOREIGN KEY constraints (this table
	// referencing another), in creation order.
	ForeignKeys []ForeignKeyDesc `json:"foreign_keys,omitempty"`
}

// CheckDesc describes a CHECK constraint.
type CheckDesc struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	// Expr is the condition as SQL text over the table's columns.
	Expr string `json:"expr"`
	// NotValid marks a constraint added NOT VALID: rows that existed then
	// were not checked (pg_constraint.convalidated false).
	NotValid bool `json:"not_valid,omitempty"`
}

// ForeignKeyDesc describes a FOREIGN KEY constraint.
type ForeignKeyDesc struct {
	ID   uint32 `json:"id"`
	Name string `json:"name"`
	// Columns are the referencing columns' indexes; RefColumns the
	// referenced columns' indexes in table RefTable, pairwise.
	Columns    []int  `json:"columns"`
	RefTable   string `json:"ref_table"`
	RefColumns []int  `json:"ref_columns"`
	// OnDelete and OnUpdate are pg_constraint's action codes: a (NO
	// ACTION), r (RESTRICT), c (CASCADE), n (SET NULL), d (SET DEFAULT).
	OnDelete string `json:"on_delete"`
	OnUpdate string `json:"on_update"`
	// Match is s (SIMPLE) or f (FULL).
	Match string `json:"match"`
	// DeleteSetColumns, when set, are the referencing columns ON DELETE
	// SET NULL or SET DEFAULT sets; empty means all of Columns.
	DeleteSetColumns []int `json:"delete_set_columns,omitempty"`
	Deferrable       bool  `json:"deferrable,omitempty"`
	Deferred         bool  `json:"deferred,omitempty"`
	NotValid         bool  `json:"not_valid,omitempty"`
}

// ConstraintNameUsed reports whether one of the table's constraints
// (primary key, UNIQUE, CHECK or FOREIGN KEY) is named name.
func (t *TableDesc) ConstraintNameUsed(name string) bool {
	if len(t.PK) > 0 && t.PKConstraintName() == name {
		return true
	}
	for _, ix := range t.Indexes {
		if ix.Constraint && ix.Name == name {
			return true
		}
	}
	for _, c := range t.Checks {
		if c.Name == name {
			return true
		}
	}
	for _, f := range t.ForeignKeys {
		if f.Name == name {
			return true
		}
	}
	return false
}

// SequenceDesc describes a sequence.
type SequenceDesc struct {
	sequence.Options
	// OwnedBy and OwnedCol name the column that owns the sequence (OWNED
	// BY, a serial or an identity column): dropping the table drops the
	// sequence. Empty for a free-standing sequence.
	OwnedBy  string `json:"owned_by,omitempty"`
	OwnedCol string `json:"owned_col,omitempty"`
	// Identity marks the sequence of an identity column, which only its
	// column's table can drop.
	Identity bool `json:"identity,omitempty"`
}

// SequenceColumns are the columns a sequence shows as a relation.
var SequenceColumns = []ColumnDesc{
	{Name: "last_value", Type: types.New(types.Int8), NotNull: true},
	{Name: "log_cnt", Type: types.New(types.Int8), NotNull: true},
	{Name: "is_called", Type: types.New(types.Bool), NotNull: true},
}

// Kind names the relation kind for messages: table, view or index.
func (t *TableDesc) Kind() string {
	switch {
	case t.View != "":
		return "view"
	case t.IndexOf != "":
		return "index"
	case t.Sequence != nil:
		return "sequence"
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
	// Comment is the index's COMMENT ON text.
	Comment string `json:"comment,omitempty"`
	// NullsNotDistinct makes NULLs equal for a unique index (UNIQUE
	// NULLS NOT DISTINCT): a key with a NULL conflicts with its equal.
	NullsNotDistinct bool `json:"nulls_not_distinct,omitempty"`
}

// ColumnDesc describes one column.
type ColumnDesc struct {
	Name    string  `json:"name"`
	Type    types.T `json:"type"`
	NotNull bool    `json:"not_null,omitempty"`
	// Default is the default expression as SQL text; empty for none.
	Default string `json:"default,omitempty"`
	// Identity is "a" for GENERATED ALWAYS AS IDENTITY, "d" for BY
	// DEFAULT, "" for an ordinary column; IdentitySeq names the identity's
	// sequence.
	Identity    string `json:"identity,omitempty"`
	IdentitySeq string `json:"identity_seq,omitempty"`
	// Comment is the column's COMMENT ON text.
	Comment string `json:"comment,omitempty"`
	// Generated is a GENERATED ALWAYS AS (...) STORED column's
	// expression, as SQL text over the table's other columns; every
	// write computes the column from it.
	Generated string `json:"generated,omitempty"`
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
