// Package sql parses, binds, plans and executes SQL statements over the
// transactional heap.
//
// # Pipeline
//
//	text ──Parse (PostgreSQL's grammar via pg_query)──▶ AST (package ast)
//	     ──binder (names, types, parameters)──────────▶ plan (plan.go, dml.go, ddl.go)
//	     ──execute under a transaction snapshot───────▶ Result
//
// Package parser translates PostgreSQL's parse trees into cairn's AST
// (package ast) and renders stored defaults and view queries as
// pg_get_expr and pg_get_viewdef do; nothing here sees the parser's node
// types. Parse trees are cached by query text; a prepared
// statement keeps its bound plan and rebinds only when the catalog changed
// since (Engine.gen counts catalog changes).
//
// # Types and values
//
// types.go lists the supported types by their PostgreSQL OIDs and defines the
// Go form of each value (Datum). Text input and output follow PostgreSQL's
// formats; numeric arithmetic uses apd with PostgreSQL's result-scale rules.
// array.go adds one-dimensional arrays of those types, for expressions,
// results and the catalog (not table columns); catalogtypes.go the
// catalog's own types (oid, name, "char", regclass and the other reg
// types); tablefunc.go the set-returning functions in FROM
// (generate_series, unnest).
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
// until ROLLBACK.
//
// # Table locks
//
// Statements that write rows take a ROW EXCLUSIVE table lock, CREATE INDEX a
// SHARE lock and ALTER TABLE / DROP TABLE an ACCESS EXCLUSIVE lock, held to
// the end of the transaction (txn/tablelock.go). A writer that waited for
// its lock while DDL on the table committed is bound again before it writes
// anything, so it maintains an index created meanwhile; DDL that waited
// takes a new snapshot under READ COMMITTED to see the rows the writers
// committed.
//
// # Catalog
//
// Table descriptors are rows of a heap table (catalog.go), so DDL is
// transactional and survives restarts with the data. DROP TABLE removes the
// descriptor; the dropped table's rows stay on disk until a later range
// delete or vacuum reclaims them.
//
// pg_catalog relations (pg_prepared_xacts in twophase.go; pg_class,
// pg_attribute, pg_index and the others psql's describe commands read in
// pgcatalog.go) are computed from the catalog when a query reads them;
// pgcatalog.go says where their values differ from PostgreSQL's.
// pg_locks (backends.go) shows the locks and waits of the transaction
// manager as they are at the moment it is read.
//
// # Backends
//
// Every session is given a process id when it starts (backends.go), unique
// among the engine's live sessions: pg_backend_pid() returns it, pg_locks
// names each lock's holder or waiter by it, and pgwire sends it to the
// client in BackendKeyData (Session.BackendPID).
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
// The executor materializes each plan node's rows ([][]Datum); joins are
// hash joins or nested loops. Those are the places to make faster, behind
// the plan interface. What a statement materializes is counted against the
// engine's memory budget (Options.Memory, shared by every session;
// memory.go): scans (each row kept), VALUES, projections, join outputs
// and hash tables, aggregate groups and their states (string_agg's text,
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
// is no longer counted. cairn does not spill to disk: work_mem is accepted
// and ignored.
//
// The same places count rows towards a cancellation check: every 1024
// rows, or comparisons of a sort, the statement looks at its context, and
// a cancel request, a lost client or statement_timeout ends it with 57014
// ("canceling statement due to user request" / "... due to statement
// timeout").
package sql
