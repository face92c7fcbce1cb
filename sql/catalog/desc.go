package catalog

import (
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/sequence"
	"github.com/cairndb/cairn/sql/types"
)

// TableDesc describes a table.
type TableDesc struct {
	ID uint32 `json:"id"`
	// Storage is the heap id under which the table's rows are stored,
	// when a rewrite gave it one other than ID; read it with StorageID.
	Storage uint32 `json:"storage,omitempty"`
	Name    string `json:"name"`
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
	// ViewOptions are a view's WITH (...) options as pg_class.reloptions
	// lists them: name=value, in the order given.
	ViewOptions []string `json:"view_options,omitempty"`
	// RelOptions are a table's storage parameters (WITH (...), SET
	// (...)) as pg_class.reloptions lists them, ToastOptions those of the
	// toast namespace (toast.name), which PostgreSQL keeps on the table's
	// TOAST table; both are recorded only (sql/reloptions.go).
	RelOptions   []string `json:"rel_options,omitempty"`
	ToastOptions []string `json:"toast_options,omitempty"`
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
	// ClusterOn names the index ALTER TABLE ... CLUSTER ON marked
	// (pg_index.indisclustered); ReplIdent is pg_class.relreplident ("" for
	// d), ReplIdentIndex the index of REPLICA IDENTITY USING INDEX.
	ClusterOn      string `json:"cluster_on,omitempty"`
	ReplIdent      string `json:"repl_ident,omitempty"`
	ReplIdentIndex string `json:"repl_ident_index,omitempty"`
	// Unlogged marks a table created UNLOGGED (pg_class.relpersistence
	// 'u', for its indexes too). cairn still logs its writes: a crash
	// keeps its rows, where PostgreSQL would empty it.
	Unlogged bool `json:"unlogged,omitempty"`
	// PKConstraintComment is the primary key constraint's COMMENT ON
	// CONSTRAINT text.
	PKConstraintComment string `json:"pk_constraint_comment,omitempty"`
	// Checks are the table's CHECK constraints, in creation order.
	Checks []CheckDesc `json:"checks,omitempty"`
	// ForeignKeys are the table's FOREIGN KEY constraints (this table
	// referencing another), in creation order.
	ForeignKeys []ForeignKeyDesc `json:"foreign_keys,omitempty"`
	// Type, when set, makes this entry a user-defined type (typedesc.go),
	// kept under its own key: All and Lookup never return it.
	Type *TypeDesc `json:"user_type,omitempty"`
	// Inherits names the table's parents, in INHERITS order; a
	// partition has one, its partitioned table (partition.go).
	Inherits []string `json:"inherits,omitempty"`
	// OfType is the oid of the composite type a typed table (CREATE
	// TABLE ... OF type, ALTER TABLE ... OF type) takes its columns from,
	// pg_class.reloftype; 0 for other tables.
	OfType uint32 `json:"of_type,omitempty"`
	// Children names the tables inheriting from this one, partitions
	// included, in the order they became its children.
	Children []string `json:"children,omitempty"`
	// PartKey is set for a partitioned table, PartBound for a partition.
	PartKey   *PartitionKey   `json:"part_key,omitempty"`
	PartBound *PartitionBound `json:"part_bound,omitempty"`
	// Owner is the owning role's oid (relowner); 0 for the bootstrap
	// superuser. ACL is relacl when HasACL is set, the default (NULL)
	// otherwise (acl.go).
	Owner  uint32    `json:"owner,omitempty"`
	ACL    []ACLItem `json:"acl,omitempty"`
	HasACL bool      `json:"has_acl,omitempty"`
	// RowSecurity and ForceRowSecurity are pg_class.relrowsecurity and
	// relforcerowsecurity; Policies the table's row security policies,
	// in the order pg_policy lists them (policy.go).
	RowSecurity      bool         `json:"row_security,omitempty"`
	ForceRowSecurity bool         `json:"force_row_security,omitempty"`
	Policies         []PolicyDesc `json:"policies,omitempty"`
	// Triggers are the table's or view's triggers (trigger.go), in the
	// order pg_trigger shows them.
	Triggers []TriggerDesc `json:"triggers,omitempty"`
	// Rules are the table's rewrite rules (CREATE RULE), in no
	// particular order: they apply by name.
	Rules []RuleDesc `json:"rules,omitempty"`
	// FKTriggersDisabled is set by ALTER TABLE ... DISABLE TRIGGER ALL,
	// which in PostgreSQL disables the internal triggers of the foreign
	// keys too: the checks of the table's rows as a referencing table
	// and the actions and checks of them as a referenced one.
	FKTriggersDisabled bool `json:"fk_triggers_disabled,omitempty"`
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
	// InhCount counts the parents the constraint is inherited from;
	// NotLocal marks one the table did not declare itself.
	InhCount int  `json:"inh_count,omitempty"`
	NotLocal bool `json:"not_local,omitempty"`
	// NoInherit marks a NO INHERIT constraint, which children do not
	// get (pg_constraint.connoinherit).
	NoInherit bool `json:"no_inherit,omitempty"`
	// Comment is the constraint's COMMENT ON CONSTRAINT text.
	Comment string `json:"comment,omitempty"`
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
	// Comment is the constraint's COMMENT ON CONSTRAINT text.
	Comment string `json:"comment,omitempty"`
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
	// Exprs holds, per key, an expression key's SQL text over the
	// table's columns, "" for a column key; nil when every key is a
	// column. An expression key's Columns entry is -1.
	Exprs []string `json:"exprs,omitempty"`
	// ExprTypes holds the expression keys' types, as Exprs is laid out.
	ExprTypes []types.T `json:"expr_types,omitempty"`
	// NullsFirst holds per key whether NULLs sort first; nil when every
	// key has the default, NULLS FIRST exactly for DESC keys.
	NullsFirst []bool `json:"nulls_first,omitempty"`
	// Predicate is a partial index's WHERE condition as SQL text over
	// the table's columns: only rows for which it is true have entries,
	// and a unique index checks only among them. "" for a whole-table
	// index.
	Predicate string `json:"predicate,omitempty"`
	// Include lists the INCLUDE columns' indexes, which take no part in
	// the key.
	Include []int `json:"include,omitempty"`
	// Collations and Opclasses hold per key a COLLATE and an operator
	// class written in CREATE INDEX ("" for the default); nil when no key
	// has one. Both order text as cairn always does (by code point), so
	// they are kept for the definition only.
	Collations []string `json:"collations,omitempty"`
	Opclasses  []string `json:"opclasses,omitempty"`
	// Method is the access method, "hash" or "" for btree. A hash index
	// is kept as a btree one: an equality lookup finds the same rows.
	Method string `json:"method,omitempty"`
	// Deferrable and Deferred are a UNIQUE or EXCLUDE constraint's
	// DEFERRABLE and INITIALLY DEFERRED: its entries are written
	// unchecked and the keys checked at the end of the statement or at
	// COMMIT (sql/deferredunique.go).
	Deferrable bool `json:"deferrable,omitempty"`
	Deferred   bool `json:"deferred,omitempty"`
	// Exclusion marks the index of an EXCLUDE constraint whose operators
	// are all =: Unique is set too, as it holds when the keys are unique,
	// but it reports 23P01 and shows as an exclusion constraint.
	Exclusion bool `json:"exclusion,omitempty"`
	// ConstraintComment is the COMMENT ON CONSTRAINT text of the UNIQUE
	// or EXCLUDE constraint the index belongs to (Comment is the
	// index's own).
	ConstraintComment string `json:"constraint_comment,omitempty"`
	// StatTargets are the attstattarget values ALTER INDEX ... ALTER
	// COLUMN n SET STATISTICS gave expression columns, by column number
	// (1-based); recorded for the catalog alone.
	StatTargets map[int]int32 `json:"stat_targets,omitempty"`
}

// KeyExpr returns key i's expression text, or "" for a column key.
func (ix *IndexDesc) KeyExpr(i int) string {
	if i < len(ix.Exprs) {
		return ix.Exprs[i]
	}
	return ""
}

// Computed reports whether ix's entries are computed by more than
// reading columns: it has an expression key or a predicate.
func (ix *IndexDesc) Computed() bool {
	return len(ix.Exprs) > 0 || ix.Predicate != ""
}

// KeyCollation returns key i's COLLATE name, or "".
func (ix *IndexDesc) KeyCollation(i int) string {
	if i < len(ix.Collations) {
		return ix.Collations[i]
	}
	return ""
}

// KeyOpclass returns key i's operator class name, or "".
func (ix *IndexDesc) KeyOpclass(i int) string {
	if i < len(ix.Opclasses) {
		return ix.Opclasses[i]
	}
	return ""
}

// IsDesc reports whether key i is DESC.
func (ix *IndexDesc) IsDesc(i int) bool { return i < len(ix.Desc) && ix.Desc[i] }

// IsNullsFirst reports whether key i sorts NULLs first.
func (ix *IndexDesc) IsNullsFirst(i int) bool {
	if i < len(ix.NullsFirst) {
		return ix.NullsFirst[i]
	}
	return ix.IsDesc(i)
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
	// Options are the column's ALTER COLUMN ... SET (...) options
	// (n_distinct, n_distinct_inherited) as pg_attribute.attoptions
	// lists them.
	Options []string `json:"options,omitempty"`
	// Domain is the oid of the domain the column was declared with; Type
	// is then the domain's base type. 0 for none.
	Domain uint32 `json:"domain,omitempty"`
	// InhCount counts the parents the column is inherited from
	// (pg_attribute.attinhcount); NotLocal marks a column the table did
	// not declare itself (attislocal false), which goes when its last
	// parent drops it.
	InhCount int  `json:"inh_count,omitempty"`
	NotLocal bool `json:"not_local,omitempty"`
	// ACL is the column's own privileges (attacl); nil for none.
	ACL []ACLItem `json:"acl,omitempty"`
	// Storage is the attstorage ALTER COLUMN SET STORAGE chose ("p",
	// "e", "m" or "x"); "" for its type's. StatTarget is SET STATISTICS's
	// attstattarget; nil for the default (-1), which ANALYZE reads.
	// cairn keeps no TOAST: Storage is recorded for the catalog alone.
	Storage    string `json:"storage,omitempty"`
	StatTarget *int32 `json:"stat_target,omitempty"`
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
