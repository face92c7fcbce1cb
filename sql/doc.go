// Package sql is the session and engine of cairn's SQL: it takes query
// strings, binds, plans and executes their statements over the
// transactional heap, and keeps each client's transaction, settings,
// prepared statements and portals.
//
// # Pipeline
//
//	text ──parser.ParseStatements (PostgreSQL's grammar)──▶ AST (package ast)
//	     ──binder (names, types, parameters)──────────────▶ plan (plan.go, dml.go, ddl.go)
//	     ──execute under a transaction snapshot───────────▶ Result
//
// Package parser turns query text into cairn's AST; nothing here sees the
// parser's node types. Parse trees are cached by query text; a prepared
// statement keeps its bound plan and rebinds only when the catalog changed
// since (Engine.gen counts catalog changes).
//
// This package still holds the binder (bind.go, selectbind.go, join.go,
// ...), the planner and the executor (plan.go, index.go, agg.go, ...), and
// the built-in functions that are not in package builtins yet (funcs.go,
// array.go, bpchar.go, tablefunc.go, pgcatalog.go): the parts
// docs/ARCHITECTURE.md plans to move to sql/analyze, sql/plan, sql/exec
// and sql/builtins. A function package builtins registers is bound by
// bindBuiltinCall (builtincall.go) before the switch that binds the
// others: strict overloads as a funcExpr, the others (not strict, or
// with a VARIADIC "any" parameter, f(..., VARIADIC arr) included) as a
// builtinCallExpr. An operator the binder does not know itself is looked
// up among the registry's operators (the integer bitwise ones, |/, ||/).
// regexpsrf.go binds regexp_matches and regexp_split_to_table in FROM,
// aggvariance.go the variance and stddev aggregates. groupingsets.go
// expands GROUP BY ROLLUP, CUBE and GROUPING SETS into the sets one
// aggregation groups by, and binds GROUPING(); window.go computes window
// functions over the rows a query level leaves, in the frames
// windowframe.go computes (ROWS, RANGE with offsets by the type's
// in_range rule, GROUPS, EXCLUDE). Sorts use PostgreSQL's own quicksort
// (pgsort.go), so that rows that compare equal come out in its order.
//
// PL/pgSQL (plpgsql.go, plpgsql_bind.go, funcplpgsql.go): a DO block,
// or the body of a LANGUAGE plpgsql routine, is compiled by package
// plpgsql and interpreted over plRuntime, which runs its statements in
// the session's transaction (a routine's as funcruntime.go runs a SQL
// function's: the calling statement's snapshot unless VOLATILE): they are bound with the body's
// variables as parameters (bindPLVar; a name that is also a column is
// 42702), exception blocks are unnamed savepoints, RAISE's notices join
// the statement's (and precede its error, ErrorNotices), and COMMIT or
// ROLLBACK in a top-level DO outside a transaction block ends the
// transaction and starts another. Nested bodies stop at plDepthMax (54001).
//
// # Types and values
//
// Package types defines the supported types by their PostgreSQL OIDs, the
// Go form of each value (types.Datum), their text input and output, casts
// and comparison. Numeric arithmetic (builtins/arith.go) uses apd with
// PostgreSQL's result-scale rules. Arrays have up to six dimensions with
// any lower bounds (array.go: constructors, subscripts and slices, the
// array functions); tablefunc.go has the set-returning
// functions (generate_series, unnest, information_schema._pg_expandarray,
// and the JSON ones of json.go), in FROM and in select lists. record.go
// binds row constructors as record values, whole-row references and
// field selection; bitwise.go the integer bitwise operators; network.go
// sends the operators of inet, cidr, macaddr and macaddr8 to package
// builtins, and lets cidr meet inet in comparisons and foreign keys
// (macaddr against macaddr8 is ambiguous, 42725, as in PostgreSQL); dbsize.go
// the object size functions (pg_relation_size, pg_database_size, ...)
// over heap's measurements; pgproc.go the functions psql's \df calls on
// pg_proc, which lists the registered built-in functions
// (catalog/pgproc.go). json.go binds the json and jsonb operators (-> ->> #> #>> @>
// <@ ? ?| ?& || - #- @? @@), jsonb subscripts, and the JSON functions
// whose arguments are of any type or variable in number (to_json,
// json_build_object, ...); agg.go has json_agg and json_object_agg
// beside the other aggregates; jsonassign.go binds UPDATE's SET
// j[i][j]... = v of a jsonb column (builtins.AssignPath) for
// arrayassign.go, which assigns a[i] = v and a[lo:hi] = v; jsonpopulate.go
// json_populate_record(set) of anonymous records (with a column
// definition list in FROM); jsonpopulate_field.go turns one JSON value
// into a value of one type for all the populate and to_record functions
// (nested composites, arrays of any depth, domains checked, NULL
// included).
//
// A parameter the client leaves untyped takes its type from its first use
// that gives one, and is text where nothing constrains it; as in
// PostgreSQL, Prepare refuses one that is never used, or used only where
// nothing types it (IS NULL, pg_typeof), with 42P18, and one used so
// before a later use typed it with 42P08 (binder.checkParams).
//
// # User-defined functions and procedures
//
// CREATE FUNCTION and CREATE PROCEDURE (function.go) store a routine as a
// catalog.FuncDesc; DROP, ALTER and COMMENT ON FUNCTION / PROCEDURE /
// ROUTINE and CALL are in functionalter.go. A call in an expression
// (funccall.go) resolves among the routines of the search path as
// PostgreSQL's func_get_detail does, after pg_catalog's built-in
// functions, and evaluates as a routineCallExpr; a STRICT routine's call
// with a NULL argument is NULL without running it. Nested calls deeper
// than routineDepthMax are 54001.
//
// A routine's language is a registered implementation of the Language
// interface (funclang.go, the hook other languages plug into with
// RegisterLanguage): given the routine's descriptor (Routine: name,
// parameters with names, types and modes, result type, body text) it
// validates the body at CREATE (when check_function_bodies is on) and
// compiles it at a session's first call; the compiled routine is cached
// per session until the catalog changes, and each call runs with the
// argument values and a Runtime (funcruntime.go) that binds and runs SQL
// statements in the calling session and transaction: a VOLATILE
// routine's statements each see what the ones before wrote, a STABLE or
// IMMUTABLE one's run under the calling statement's snapshot and may not
// write. LANGUAGE sql (funcsql.go) is the first implementation; a
// language that is not registered (plpgsql until its handler is, c,
// internal) is 0A000 at CREATE.
//
// # Transactions
//
// A Session is one client's state. Statements outside BEGIN run in their own
// transaction (autocommit). Under READ COMMITTED each statement takes a new
// snapshot; under REPEATABLE READ and SERIALIZABLE the first statement's
// snapshot serves the whole transaction, and SERIALIZABLE adds serializable
// snapshot isolation (txn/ssi.go): reads leave SIREAD marks (a row for a
// primary-key lookup, the table for other scans) and dangerous structures of
// read-write antidependencies abort a transaction with 40001. A write that
// meets a row held by a running transaction waits for it (heap); under READ
// COMMITTED it then re-checks the newest version of the row against the
// statement's WHERE clause, as PostgreSQL does, and under the other levels it
// fails with 40001. Command ids keep a statement from seeing its own writes. A failed
// statement inside BEGIN puts the transaction in the aborted state (25P02)
// until ROLLBACK. pg_export_snapshot() and SET TRANSACTION SNAPSHOT
// (snapshot.go) let several transactions share one snapshot while the
// exporting transaction runs, as pg_dump -j's workers do.
//
// # Writing rows
//
// INSERT (dml.go; ON CONFLICT in onconflict.go), UPDATE, DELETE and MERGE
// (merge.go) collect the rows they write first, then write them, so a
// statement never sees its own writes. UPDATE ... FROM and DELETE ...
// USING (dmljoin.go) join the target, scanned with each row's tuple id, to
// the other FROM items as a SELECT's FROM is planned; a target row joined
// to several rows is written once, for the first of them, as PostgreSQL
// writes it for an arbitrary one. Under READ COMMITTED the re-check of a
// row changed by a concurrent transaction joins its newest version to the
// same rows of the other items and evaluates WHERE again. MERGE joins its
// source (a table, subquery or VALUES) to the target, hashing the target
// on the equalities of ON; a target row a second source row would update
// or delete again is 21000; under READ COMMITTED a matched row changed
// concurrently is matched again on its newest version, and goes to WHEN
// NOT MATCHED when it was deleted or no longer satisfies ON (PostgreSQL
// 15's rules). UPDATE's SET (a, b) = (x, y) assigns a row, and
// (a, b) = (SELECT ...) a subquery run once per row written.
// Data-modifying WITH queries (dmlcte.go), at the top of a statement or
// of CREATE TABLE AS's or COPY's query, run once per execution, when first
// read or after the main statement, under its snapshot and command id, so
// none sees another's writes; references read their RETURNING rows.
//
// # Table locks
//
// Statements that write rows take a ROW EXCLUSIVE table lock, CREATE INDEX a
// SHARE lock and ALTER TABLE / DROP TABLE an ACCESS EXCLUSIVE lock, held to
// the end of the transaction (txn/tablelock.go). A writer that waited for
// its lock while DDL on the table committed is bound again before it writes
// anything, so it maintains an index created meanwhile; DDL that waited
// takes a new snapshot under READ COMMITTED to see the rows the writers
// committed. LOCK TABLE (lock.go) takes ACCESS SHARE, ROW EXCLUSIVE,
// SHARE or ACCESS EXCLUSIVE explicitly.
//
// # Cursors and COPY TO
//
// DECLARE runs its query at once and keeps the rows for FETCH and MOVE
// (cursor.go), counted against the memory budget until the cursor
// closes. COPY ... TO STDOUT (copyto.go) writes its lines to the
// CopySink that Session.CopyOut is given, which pgwire sends as the COPY
// sub-protocol; COPY ... FROM STDIN (copy.go) reads a CopySource. Text and
// CSV are read and written here; binary COPY (copybinary.go) frames rows
// here and leaves each value's binary form to the source or sink
// (CopyDecoder, CopyEncoder), since those forms are the wire protocol's.
// Errors while reading carry PostgreSQL's CONTEXT ("COPY t, line 3,
// column c: ...").
// With WITH RECURSIVE (cte.go), DECLARE and COPY TO, PostgreSQL 15's
// pg_dump dumps a cairn database (plain, custom format, --inserts) and its
// output restores into cairn and into PostgreSQL.
//
// # Catalog
//
// Table descriptors are rows of a heap table (package catalog), so DDL is
// transactional and survives restarts with the data. DROP TABLE removes the
// descriptor; the dropped table's rows stay on disk until a later range
// delete or vacuum reclaims them.
//
// A descriptor's catalog key is its schema and name, and descriptors refer
// to one another by key; ALTER ... RENAME TO and SET SCHEMA give a relation
// a new key and rewrite every reference to the old one, the text of the
// views that name it included (rename.go). ALTER TABLE's SET STORAGE and
// SET LOGGED/UNLOGGED change only what the catalog records
// (alter_columnattr.go, alter_persistence.go): cairn has no TOAST and
// logs unlogged tables too. SET STATISTICS sets how much the next ANALYZE
// samples and keeps of the column (analyze.go).
//
// ALTER TABLE ... ADD PRIMARY KEY rewrites the table into new storage
// (alter.go, catalog.TableDesc.StorageID): the new descriptor first, then
// the rows sorted by key, ingested into the LSM as tables (heap.LoadRows),
// with no dead versions left behind. The old storage stays for snapshots that still see the old
// descriptor and is deleted by one range delete (reclaimDropped, reclaim.go)
// once none does, by VACUUM or the background vacuum. Such a snapshot reads
// the table as it was, where PostgreSQL, whose rewrites are not MVCC-safe,
// shows it empty; if its transaction writes to the table it fails with
// 40001, where PostgreSQL writes into the new storage. A READ COMMITTED
// writer that waited for the rewrite binds again and writes into the new
// storage.
//
// The pg_catalog relations psql's describe commands read (pg_class,
// pg_attribute, pg_index ...) are package catalog's, computed from the
// catalog when a query reads them, through the statement's execCtx (a
// catalog.Reader); the catalog functions and casts to the reg types are
// bound in pgcatalog.go. The two relations that show the transaction
// manager's state are here: pg_prepared_xacts (twophase.go) and pg_locks
// (backends.go), which shows the locks and waits as they are at the moment
// it is read.
//
// # Sequences
//
// CREATE, ALTER and DROP SEQUENCE, nextval, currval, setval, lastval,
// serial columns and identity columns are PostgreSQL 15's (sequence.go,
// identity.go; the arithmetic is package sequence). A sequence's options
// are its catalog descriptor, under MVCC; its current value is shared by
// all sessions and outside MVCC: nextval and setval are not undone by a
// rollback. Each sequence has its own mutex and nothing else is shared on
// the path of nextval. Its durable state (heap/sequence.go) is written
// only when nextval logs values ahead (32 at a time, as PostgreSQL's
// log_cnt), without waiting for the disk; the session keeps the log
// position of the newest record its values depend on, and a synchronous
// commit returns only once the log is durable through it too (endTxn), so
// a value returned to a committed transaction is never handed out again
// after a crash. A sequence reads as a one-row relation (last_value,
// log_cnt, is_called). Column defaults name sequences by name in their
// text (nextval('s'::regclass)); renaming a sequence rewrites the
// defaults that call nextval on it, and DROP SEQUENCE finds the defaults
// that use it by reading them (2BP01, or CASCADE drops the defaults).
// One difference from PostgreSQL: the value set by ALTER SEQUENCE ...
// RESTART and TRUNCATE ... RESTART IDENTITY is not undone by a rollback
// (PostgreSQL gives the sequence new storage in the transaction); the
// options ALTER SEQUENCE sets are, with the catalog. ALTER SEQUENCE writes
// the descriptor without holding the sequence's mutex, so a nextval never
// waits for DDL.
//
// # Backends
//
// Every session is given a process id when it starts (backends.go), unique
// among the engine's live sessions: pg_backend_pid() returns it, pg_locks
// names each lock's holder or waiter by it, and pgwire sends it to the
// client in BackendKeyData (Session.BackendPID). pg_cancel_backend and
// pg_terminate_backend ask the server through the Signaler it registers
// (backendfuncs.go); a role that is not a superuser may signal only its
// own role's sessions, never a superuser's. SetConnInfo tells a session
// about its connection (SHOW ssl, pg_stat_ssl, max_connections, the
// client and server addresses of pg_stat_activity and inet_client_addr()
// and friends). pg_stat_activity (activity.go) shows what each session
// reported when its latest statement started and ended (state, query and
// times) and what it waits for in the lock manager; a role sees only the
// sessions of roles whose privileges it has in full.
//
// # Backups
//
// cairn_backup(dir) writes an online backup into a directory on the
// server (absolute path, 42602 otherwise) and returns its label;
// cairn_switch_wal() ends the current WAL segment so that it is archived.
// Both are for superusers only (42501), and run through the Backuper the
// database registers (Engine.SetBackuper; 55000 without one). PostgreSQL
// takes base backups over the replication protocol instead.
//
// # Row security
//
// CREATE, ALTER and DROP POLICY and ALTER TABLE ... ROW LEVEL SECURITY
// (policy.go) keep policies in the table's descriptor; rowsecurity.go
// binds them into the plans of the statements that read and write the
// table, as PostgreSQL 15 applies them: a filter under the scan for
// SELECT, UPDATE and DELETE, checks of the new rows INSERT and UPDATE
// write (42501), the conflict checks of ON CONFLICT DO UPDATE, and the
// view owner's policies inside a view; MERGE matches only the target
// rows the SELECT policies show and checks each action's rows. COPY FROM
// into a table under policies is 0A000.
//
// # Roles
//
// Roles live in a catalog of their own (catalog.RoleStore; roles.go):
// CREATE, ALTER and DROP ROLE (USER, GROUP) are transactional, with
// PostgreSQL 15's checks of who may run them (superusers; CREATEROLE for
// roles that are not superusers; anyone for their own password), and the
// bootstrap superuser postgres may not lose SUPERUSER (as in PostgreSQL
// 16) nor LOGIN, nor be renamed: embedded sessions log in as it. Passwords
// are stored as password_encryption says (scram-sha-256 or md5,
// internal/scram), or as given when given hashed. NewSession refuses a
// role that does not exist or cannot log in (28000); current_user and
// session_user name the session's role, is_superuser says whether it is
// one. pg_roles, pg_user, pg_authid and pg_shadow (the last two for
// superusers only, 42501) are computed from the catalog (roleviews.go).
// Role membership (GRANT role TO role, pg_auth_members, pg_has_role), SET
// ROLE and SET SESSION AUTHORIZATION (setrole.go) and object privileges
// (GRANT and REVOKE on relations, columns, sequences and schemas, kept as
// ACLs in the descriptors and shown as aclitem text; grant.go; EXECUTE on
// the built-in functions, checked when a call is bound: funcacl.go) follow
// PostgreSQL 15. Reads and writes are checked under the current role as
// they execute, relations inside a view under the view owner's; DDL
// needs ownership (privileges.go); ALTER DEFAULT PRIVILEGES is
// defaultprivs.go. Not done: row-level security.
//
// # Settings
//
// Run-time parameters (settings.go) are set by SET, by set_config and by
// the startup message, and read by SHOW and current_setting. As in
// PostgreSQL they are transactional (gucstack.go): a change made in a
// transaction, or under a savepoint, is undone when that rolls back, and
// SET LOCAL or set_config(..., true) lasts until the transaction ends. A
// reported parameter changed back is reported with the next result. Names
// with a dot are custom parameters, accepted with any value. RESET, SET
// ... TO DEFAULT and RESET ALL restore the value the startup message gave,
// else the built-in default; DISCARD ALL (discard.go) resets the whole
// session as PostgreSQL's does.
//
// A transaction's modes (txnmodes.go) follow PostgreSQL's rules: the
// isolation level and [NOT] DEFERRABLE are fixed by the first query and
// not set under a savepoint; a read-only transaction cannot turn
// read-write after its first query or under a savepoint (25001); RELEASE
// and ROLLBACK TO give back the access mode the savepoint began with.
// COMMIT AND CHAIN and ROLLBACK AND CHAIN start a new block with the same
// modes, and outside a block (implicit ones too) are 25P01. A read-only
// transaction may INSERT, UPDATE, DELETE and MERGE temporary tables.
//
// # Advisory locks
//
// The pg_advisory_lock family (advisory.go) takes locks in the
// transaction manager's advisory lock table (txn/advisory.go), the session
// being their owner: session-level locks are counted and last until
// unlocked or until Session.Close, transaction-level ones until the
// transaction ends or the savepoint that took them rolls back. A waiting
// lock honours lock_timeout, statement_timeout and cancel requests, and
// joins deadlock detection with row and table waits (40P01). Unlocking a
// lock not held returns false with PostgreSQL's WARNING, which reaches the
// client with the statement's result (execCtx.notices). PREPARE
// TRANSACTION refuses a transaction holding transaction-level advisory
// locks (0A000), which PostgreSQL would hand to the prepared transaction.
//
// # Notifications
//
// LISTEN, UNLISTEN, NOTIFY and pg_notify (notify.go) act when their
// transaction commits: a notification reaches every session listening on
// its channel then, never on rollback, a transaction's notifications
// deduplicated and in order, notifying commits serialized so that every
// listener sees them in commit order. The engine's hub keeps each
// listening session's inbox; Session.Notifications drains it, and the
// waker of SetNotifyWaker tells a server (or an embedded program) that
// something arrived. pg_listening_channels lists the committed LISTENs.
//
// # Indexes
//
// Secondary indexes (index.go) are described in their table's descriptor
// and reserve their name with a catalog row of their own. INSERT and UPDATE
// add entries (heap/doc.go); entries are never removed, so a scan through an
// index re-reads each row's visible version and the scan's filter re-checks
// the whole WHERE clause: an index only narrows which rows are read. The
// planner uses the primary key when WHERE fixes it, else the index whose
// leading columns WHERE constrains most (column = constant, IN, ranges),
// for single-table queries, UPDATE, DELETE and each table of a join. Unique
// indexes are checked as primary keys are (23505), NULLs never conflicting.
// CREATE INDEX takes a SHARE table lock (see Table locks), so every row is
// either seen by the build or written by a statement that maintains the
// new index.
//
// An index key may be an expression, and an index may be partial (CREATE
// INDEX ... WHERE): the catalog keeps both as SQL text, which writers bind
// with their plan (indexexpr.go); only immutable functions are allowed
// (42P17). A row is in a partial index while its predicate is true, and a
// unique partial index checks only among those rows. The planner matches
// an expression key against the same expression in WHERE, and considers a
// partial index only when WHERE implies its predicate (indexplan.go);
// INSERT ... ON CONFLICT infers such indexes as PostgreSQL does and checks
// its arbiters before the other unique indexes. DESC, NULLS FIRST/LAST,
// INCLUDE, COLLATE and operator classes are recorded for the definition
// (cairn's keys order text by code point either way), USING hash is kept
// as a btree index, USING gin on arrays and USING gist on box, point,
// polygon and circle keep entries of their own (indexam.go), other access
// methods are refused; WITH (fillfactor, deduplicate_items and the GIN and
// GiST parameters) is checked and has nothing to act on. REINDEX rebuilds
// an index into new storage (reindex.go). A DEFERRABLE
// UNIQUE constraint writes its entries unchecked and checks the keys at
// the end of the statement, or at COMMIT (or SET CONSTRAINTS ...
// IMMEDIATE) when deferred; EXCLUDE (col WITH =, ...) over btree or hash
// is a unique index reporting 23P01 (deferredunique.go). ALTER TABLE ...
// ADD PRIMARY KEY | UNIQUE USING INDEX gives an existing unique index to
// the constraint (constraint_using_index.go). A DEFERRABLE
// primary key is refused: rows are stored under their key. CREATE TABLE ...
// (LIKE source INCLUDING ...) copies columns, defaults, constraints,
// indexes, identity and comments (createlike.go).
//
// # CHECK and FOREIGN KEY constraints
//
// Both live in the table's descriptor (catalog.CheckDesc, ForeignKeyDesc),
// under MVCC with the rest of the catalog. A statement that writes a table
// binds its CHECK conditions and foreign keys with its plan (tableWriter):
// CHECK is evaluated on every new row version after NOT NULL
// (check_constraint.go). A foreign key change queues an RI event that runs
// when the statement's own work is done, or at COMMIT for a deferred
// constraint (foreignkey.go, which states the concurrency rules: FOR KEY
// SHARE on the parent row, the snapshots each check reads). ALTER TABLE's
// constraint subcommands are in constraint_ddl.go; DROP TABLE and TRUNCATE
// refuse a referenced table unless told CASCADE. A NO INHERIT CHECK stays
// on its table; COMMENT ON CONSTRAINT keeps its text in the constraint's
// description (comment_constraint.go). UNLOGGED tables show relpersistence
// u but are logged like the others: a crash keeps their rows.
//
// # Enums and domains
//
// CREATE TYPE ... AS ENUM, ALTER TYPE, CREATE/ALTER DOMAIN and DROP
// TYPE/DOMAIN are typeddl.go and domainddl.go; usertype.go is how the
// binder resolves a written type name among the catalog's types, casts to
// an enum (its labels are read while binding, kept by the plan, and any
// DDL invalidates plans) and wraps a value cast or assigned to a domain in
// the domain's checks (domainExpr: 23502, 23514). A domain has no type of
// its own in expressions: values have its base type, so operators and
// functions see the base type, and a domain column's default falls back to
// the domain's. Enum parameters stay text until the statement runs, which
// reads them under its snapshot (Session.userParams). Rows keep an enum
// value's label beside its sort order, so ALTER TYPE RENAME VALUE rewrites
// the rows that hold the label (keys hold only the order and stay).
//
// # Composite types
//
// CREATE TYPE name AS (...) and ALTER TYPE's ADD, DROP, ALTER and RENAME
// ATTRIBUTE are composite.go. A composite type is a record type whose
// shape names it (types.RecordShape.OID), so its values are records and
// field selection, comparison and output are record.go's; casts to it read
// its text form or convert a record field by field. The columns (and
// other composite types) that hold its values keep a copy of its shape,
// which ALTER TYPE and RENAME carry to them; DROP ATTRIBUTE rewrites the
// stored values, and ALTER ATTRIBUTE TYPE is refused while a column uses
// the type, as in PostgreSQL. assignpath.go assigns to part of a column
// through a field, INSERT INTO t (c.f, a[2].f) and UPDATE t SET c.f = ...,
// c[1][2].f = ..., a NULL record or array on the way made anew (an array
// element set as arrayassign.go sets it); a target of subscripts only,
// a[2] or a[1:2], is arrayassign.go's.
//
// A table's or view's name names its row type (rowtype.go), a composite
// type of its columns that needs no entry of its own: casts and columns
// of it and its array work as for CREATE TYPE's, a whole-row reference to
// a table has it, and ALTER TABLE's ADD, DROP and RENAME COLUMN carry the
// change into the columns that hold its values, while ALTER COLUMN TYPE
// and DROP of the relation are refused (or DROP ... CASCADE drops those
// columns) as in PostgreSQL.
//
// # Inheritance and partitioning
//
// CREATE TABLE ... INHERITS builds a child from its parents' columns
// and CHECK constraints (inherit_ddl.go); a scan of a table reads its
// descendants' rows too, mapped to its columns by name, unless the query
// says ONLY, and every table scan has the tableoid system column
// (inherit.go). UPDATE and DELETE of a table with children are bound once
// per table of the hierarchy and run as one statement (inherit_dml.go).
// PARTITION BY and PARTITION OF make partitioned tables and their
// partitions; rows written to a partitioned table are routed to their
// partitions, an UPDATE through it moves rows whose key leaves their
// partition, and scans skip the partitions the WHERE clause's conditions
// on the key exclude (partition.go; hash partitions use PostgreSQL's
// hash functions, partition_hash.go). A key may be an expression,
// PARTITION BY LIST (lower(a)), computed from the row where it routes or
// checks one and left alone by pruning (partition_expr.go); routing reads
// the key's columns without needing SELECT on them. A key column may
// name an operator class of the strategy's access method that takes its
// type (btree for RANGE and LIST, hash for HASH); the classes cairn
// knows order and hash as the type's default does. A partitioned table
// whose key column is of a type goes with it in DROP TYPE/DOMAIN
// CASCADE (typedrop_partkey.go). ALTER TABLE's
// INHERIT, NO INHERIT,
// ATTACH and DETACH PARTITION are in inherit_alter.go; the column and
// CHECK subcommands reach children as in PostgreSQL (inherit_propagate.go).
// INSERT ... ON CONFLICT into a partitioned table resolves conflicts in
// the leaf partitions (onconflict_part.go), and CREATE INDEX on one
// reaches its partitions (partindex.go).
// SELECT ... FOR UPDATE/SHARE locks the descendants' rows too
// (locking.go), and MERGE matches, updates and deletes them in the tables
// that store them (merge_inherit.go). EXPLAIN lists every member a scan may
// read: pruning happens as the scan runs.
// SQL-level PREPARE, EXECUTE and DEALLOCATE are in prepare.go; the
// session's named statements of both kinds, as pg_prepared_statements
// lists them, in prepstmts.go.
//
// # EXPLAIN
//
// explain.go, explain_describe.go and their siblings describe the plan
// the executor runs, in PostgreSQL's layout and formats; binding an
// EXPLAIN records where the plan's expressions came from, which ordinary
// binding skips, and EXPLAIN ANALYZE runs the statement with counters
// around the described nodes. The parser prints the expressions
// (parser.ExplainSource) as PostgreSQL's EXPLAIN does.
//
// # Errors and limits
//
// Every error a client can cause carries a SQLSTATE (internal/pgerr), with a
// character position where the cause has one. Expression nesting is limited
// (limits.go) in the translator, binder and evaluator, so hostile input gets
// 54001 rather than a stack overflow. A panic during a statement is turned
// into an XX000 error for that statement by Session.
//
// Text values stop below 1 GB as in PostgreSQL (allocBytesMax): ||,
// concat, replace, array_to_string, string_agg and COPY's line buffer
// fail with 54000 "out of memory" and PostgreSQL's string-buffer detail
// ("Cannot enlarge string buffer containing N bytes by M more bytes."),
// repeat with 54000 "requested length too large", array_agg past 2^26
// values or 1 GB with 54000 "array size exceeds the maximum allowed".
// (PostgreSQL's || fails there with XX000 "invalid memory alloc request
// size"; cairn keeps the internal-error code for its own bugs.)
//
// # Memory and cancellation
//
// Scans, filters, projections, LIMIT, UNION ALL, joins, recursive WITH
// queries and aggregates' inputs stream their rows one at a time
// (stream.go); other nodes (sort, DISTINCT, window, set operations,
// set-returning functions) materialize theirs ([][]Datum). A top-level
// query run by Session.ExecuteStream, and the query of COPY TO STDOUT,
// hand their rows to the caller's sink one at a time and hold none of
// them (rowsink.go, copyto.go). A join of FROM
// items pipelines its rows through one hash table (or row list) per item
// after the first (joinexec.go); an outer or USING join hashes its right
// side on the equalities of its condition (joinnode.go); a correlated
// scan keyed on outer values, and an uncorrelated IN list, are hashed once
// per statement (scanmemo.go). A LIMIT stops the nodes below it, an
// endless recursive query among them. What a statement holds is counted
// against the engine's memory budget (Options.Memory, shared by every
// session; memory.go): materialized rows, VALUES, join hash tables, aggregate groups and their states (string_agg's text,
// array_agg's values, DISTINCT sets), DISTINCT and set operations' hash
// sets, set-returning functions, the rows UPDATE and DELETE will write,
// RETURNING rows, COPY's line buffer, and subquery and WITH results (a
// WITH query runs as a subquery in FROM at each reference; nothing is
// materialized for it apart from its nodes' rows). Estimates are
// per-value (datumsize.go), and nodes that pass rows through (filter,
// sort, limit) add nothing. A node that has consumed its input drops the
// input's bytes from the count; a correlated subquery drops its rows after
// each outer row; an uncorrelated one keeps its cached rows to the end of
// the statement. The statement reserves from the budget in 1 MiB steps
// without waiting, and when the budget refuses, the statement fails with
// 53200 "out of memory" (DETAIL "Failed on request of size N in memory
// context "ExecutorState"."). The reservation follows the statement's
// peak while it runs; when it ends, what it reserved beyond its final
// count (its result) goes back, and the rest when the session starts its
// next statement or closes, since the caller holds the Result's rows until
// then, or when the caller says it is done with them
// (Session.ReleaseResult; the database/sql driver does when its rows are
// closed). A failed statement releases at once, a panic included. A portal
// of the extended protocol that is suspended while another statement runs
// is no longer counted. A sort, a hash aggregate (GROUP BY, DISTINCT) and
// a hash join hold at most work_mem of that each; past it they write to
// temporary files and read them back (spill.go, spillsort.go,
// spillagg.go, spilldistinct.go, spilljoin.go, spilljoin_multi.go).
//
// The same places count rows towards a cancellation check: every 1024
// rows, or comparisons of a sort, the statement looks at its context, and
// a cancel request, a lost client or statement_timeout ends it with 57014
// ("canceling statement due to user request" / "... due to statement
// timeout").
//
// # Monitoring
//
// stats.go, statstatements.go and stattables.go: Engine.Stats
// counts statements' times by kind, sessions by state and autovacuum's
// work, with txn's counters; every completed statement is counted in
// pg_stat_statements (normalized as PostgreSQL 15 does; a statement that
// carries a password is kept without its text), and scans, written
// versions and maintenance per table in pg_stat_user_tables.
// dbstats.go: pg_stat_database counts each database's transactions, rows
// read and written, deadlocks, sessions and their time by state;
// pg_stat_reset() zeroes them and the database's tables' counters.
// progress.go: VACUUM, CREATE INDEX and COPY register a progress entry
// while they run, which pg_stat_progress_vacuum, _create_index and _copy
// read.
// log_min_duration_statement logs a statement's text and duration (never
// a bound parameter's value), log_lock_waits a lock wait longer than
// deadlock_timeout; Options.Settings are the server's values of settings
// (log_connections, log_disconnections and log_checkpoints only there).
//
// # Imports
//
// sql imports sql/catalog, sql/parser, sql/builtins, sql/types, sql/ast,
// heap, txn and internal packages. Nothing in the module below it (catalog, parser,
// types, ast, storage) imports it; pgwire and the cairn package do.
package sql
