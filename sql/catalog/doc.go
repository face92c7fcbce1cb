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
// # User-defined types
//
// Enums and domains (typedesc.go) are descriptors too: a TableDesc whose
// Type is set, stored under a key of its own so that Lookup and All (the
// relations) never return one, and LookupType, Types and TypeByOID (the
// types) return nothing else. Types and relations still share their names,
// as a relation's row type takes its name in PostgreSQL: the sql package
// checks both before it makes either. A table's or view's row type has no
// descriptor (rowtype.go): its oid is the relation's with RowTypeBit set,
// its fields the relation's columns, and pg_type shows it. An enum keeps its labels with their
// sort orders (the float the rows and keys hold, never renumbered, and the
// float4 pg_enum shows, which follows PostgreSQL's renumbering) and the
// transaction that added each; its array type's oid is its own with
// types.UserArrayBit set. A domain keeps its base type (flattened through
// a domain it is declared over, BaseDomain), NOT NULL, default and CHECK
// constraints over VALUE. A column declared with a domain holds the base
// type (ColumnDesc.Type) and the domain's oid (ColumnDesc.Domain).
// A composite type (composite.go) keeps its attributes as the desc's
// Columns and a pg_class oid of its own (TypeDesc.RelOID).
// pgusertypes.go shows them in pg_type, pg_enum, pg_constraint (contypid),
// pg_attribute.atttypid, information_schema.domains and columns; a
// composite type has a pg_class row (relkind 'c') and pg_attribute rows.
//
// # Storage ids
//
// A table's rows are stored in the heap under its storage id,
// TableDesc.StorageID(), which is the table's OID until a rewrite (ALTER
// TABLE ... ADD PRIMARY KEY) writes the rows under a new id and swaps the
// descriptor in the same transaction, as PostgreSQL gives a rewritten
// table a new relfilenode. Every heap call that reads or writes a table's
// rows (Scan, ScanKey, Insert*, Update, ScanIndex, InsertUniqueIndexEntry,
// Vacuum, ...) must pass StorageID(), never ID: after a rewrite the OID
// names storage that VACUUM deletes once no snapshot sees the old
// descriptor. Table locks, pg_catalog and everything else that names the
// relation keep using ID. Storage ids come from the same counter as OIDs,
// so no storage id is ever another relation's OID.
//
// # Roles
//
// Roles are kept apart, in a heap table of their own (RolesTableID,
// roles.go), one JSON row per role keyed by name, read and written the
// same way; the bootstrap superuser postgres (oid 10) and the
// predefined roles (pg_database_owner, pg_monitor, ...) exist without
// being stored. A role's entry lists the
// roles it is a member of (pg_auth_members). Earlier versions kept roles
// in the schemas' table; MoveLegacyRoles moves them at start-up
// (legacyroles.go).
//
// # Privileges
//
// Access control lists (acl.go) are kept where their object is: a
// relation's (relacl) and its columns' (attacl) in its TableDesc with
// its owner's oid, a schema's in its SchemaDesc. Databases, not stored,
// keep a changed ACL in a heap table of their own (DatabaseACLTableID,
// dbacl.go), and so do the built-in schemas (BuiltinSchemaACLTableID,
// dbacl.go too) and the built-in functions (FunctionACLTableID,
// funcacl.go); ALTER DEFAULT PRIVILEGES' entries live in another
// (DefaultPrivTableID, defacl.go). The system heap tables are
// heap.SystemTable (descriptors), +1 (schemas), +2 (roles), +3 (database
// ACLs), +4 (default privileges), +5 (built-in schemas' ACLs), +6
// (pg_db_role_setting, dbrolesetting.go), +8 (built-in functions' ACLs),
// +10 (user-defined functions and procedures, FuncDesc, funcdesc.go)
// and +12 (ANALYZE's statistics, pg_statistic, statistic.go);
// rows of
// tables that share an id would collide, as their keys are encoded alike.
//
// # User-defined routines
//
// Functions and procedures users create are FuncDescs (funcdesc.go) in a
// heap table of their own, keyed by schema and signature (name and input
// types), decoded once per tuple version like the relations. pg_proc
// lists them after the built-in functions, with pg_language's four
// languages, pg_depend rows on their schema and the user types they name
// (and a table's row type on its table, which pg_dump orders by),
// pg_description their comments, and pg_get_functiondef and its kin
// print them (pgprocuser.go).
//
// # Row security
//
// A table's row security flags (relrowsecurity, relforcerowsecurity) and
// its policies (PolicyDesc, policy.go) are kept in its TableDesc, so
// dropping the table drops them; a policy names its roles by oid and
// keeps its USING and WITH CHECK expressions as SQL text over the
// table's columns, which a column rename rewrites. pg_policy and the
// pg_policies view show them.
//
// # Triggers
//
// A table's or view's triggers (TriggerDesc, trigger.go) are kept in its
// TableDesc like its policies, so they are transactional, durable and
// dropped with it; a trigger names its function by oid and keeps its
// WHEN condition as SQL text over old.col and new.col. pg_trigger,
// information_schema.triggers and pg_get_triggerdef show them.
//
// # Inheritance and partitions
//
// A child table names its parents (TableDesc.Inherits, in INHERITS
// order) and a parent its children (Children), both kept in step by the
// DDL that links or unlinks them. A column or CHECK constraint counts
// the parents it is inherited from (InhCount) and whether the table
// declared it too (NotLocal false), as pg_attribute's attinhcount and
// attislocal do. A partitioned table has a PartitionKey (strategy and key
// columns, or expressions kept as SQL text with their types) and stores
// no rows; a partition is a child with one parent and
// a PartitionBound whose values are kept in their columns' text form
// (partition.go). pg_inherits, pg_partitioned_table, pg_class's relkind
// 'p', relispartition, relpartbound and relhassubclass,
// pg_get_partkeydef and pg_get_partition_constraintdef (partconstraint.go)
// show them as PostgreSQL does.
//
// # Dependencies
//
// Views depend on the relations their queries read (depend.go). A view
// stores its query as SQL text, rendered at creation as pg_get_viewdef
// prints it without pretty (* expanded, columns qualified), and rewritten
// when a column it reads is renamed, added or dropped; its WITH options
// are kept as pg_class.reloptions lists them (TableDesc.ViewOptions). Nothing
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
