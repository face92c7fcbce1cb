// Package catalog describes the relations of a cairn database and keeps
// those descriptions: table, view and index descriptors, their storage in
// a heap table, the dependencies of views on what they read, and the
// pg_catalog relations and functions computed from them.
//
// # Descriptors and their storage
//
// A TableDesc describes a table (columns, primary key, secondary indexes),
// a view (its query as SQL text, no rows), a sequence (Sequence: its
// options and owning column; its current value is outside MVCC, package
// sql keeps it) or, with IndexOf set, reserves
// an index's name in the relation namespace that tables, views and indexes
// of one schema share, as in PostgreSQL. Descriptors are rows of a heap
// table (TableID), encoded as JSON and keyed by Key: a public relation by
// its name (as before schemas, so older data directories read unchanged),
// any other by schema, NUL, name (schema.go), so DDL is transactional and
// survives restarts with the data: a Store reads them under the caller's
// snapshot and writes them in the caller's transaction. Lookup takes a key;
// resolving a name a statement writes through the search path is the
// session's (package sql). Descriptors name each other by key
// (ForeignKeyDesc.RefTable, IndexOf, SequenceDesc.OwnedBy,
// ColumnDesc.IdentitySeq), so two schemas may hold the same names. The
// schemas users create are SchemaDescs in a second heap table
// (SchemaTableID); public, pg_catalog, information_schema and pg_toast are
// built in, and a session's temporary schema pg_temp_N is not stored: its
// relations carry its name (TableDesc.Schema, Temp), and pg_class shows
// them with relpersistence 't'.
// The catalog takes no part in serializable snapshot isolation, as
// PostgreSQL's system catalogs do not. Decoded descriptors are cached by
// tuple version, which is never rewritten, and are shared: callers must
// not modify a descriptor they read (they write a changed copy).
//
// # Dependencies
//
// Views depend on the relations their queries read (depend.go). Nothing
// records the edges: Dependents finds them when DROP needs them, by
// reading the views' stored queries. A sequence owned by a column (OWNED
// BY, serial, identity) names its column in its descriptor; pg_depend
// shows those edges ('a', or 'i' for an identity) and no others. A
// column's identity names its sequence (ColumnDesc.IdentitySeq).
//
// # pg_catalog
//
// The pg_catalog relations psql's describe commands and pg_dump read, and
// the functions those queries call (pg_get_indexdef, pg_get_viewdef, ...),
// are computed from the descriptors when a statement reads them
// (pgcatalog.go says where their values differ from PostgreSQL's;
// pgdepend.go has pg_depend and the catalogs of objects cairn lacks,
// served empty). They read through a Reader, which the statement
// implements: the relations it sees, once per statement and snapshot, with
// the schemas and the search path (Relations.SetNamespaces: pg_namespace,
// relnamespace, pg_table_is_visible, and regclass, which qualifies a name
// only when the path would not find it), the databases the engine
// accepts, and stored view queries parsed. The
// catalogs have PostgreSQL's oids (sysoids.go): 'pg_class'::regclass is
// 1259, and a catalog's rows carry its oid in the tableoid system column.
// The relations that show session and transaction manager state,
// pg_locks, pg_prepared_xacts and pg_settings, are the session's (package
// sql).
//
// # Imports
//
// catalog imports heap and txn (to keep descriptors), sql/types, sql/ast,
// sql/sequence (a sequence's options) and sql/parser (to read and render stored queries and defaults). It must
// not import package sql: the session, binder and executor use the
// catalog, never the other way round.
package catalog
