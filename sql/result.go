package sql

import (
	"sync/atomic"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
)

// Prepared is a parsed, bound and planned statement, ready to execute any
// number of times with different parameters. It belongs to the session that
// made it.
type Prepared struct {
	// SQL is the statement's text.
	SQL string
	// ParamTypes are the types of $1..$n, inferred from context or given
	// by the client.
	ParamTypes []types.T
	// Columns describes the rows the statement returns; nil when it returns
	// none (INSERT without RETURNING, DDL, BEGIN ...).
	Columns []Column
	// Tag is the command tag's verb ("SELECT", "INSERT", "CREATE TABLE").
	Tag string
	// ParseNotices are what the scanner reported while reading the query
	// string (an identifier truncated to 63 bytes); PostgreSQL sends them
	// before anything runs. PrepareAll puts a string's notices on its first
	// statement.
	ParseNotices []Notice

	stmt  ast.Stmt
	bound boundStmt
	gen   uint64 // catalog generation the plan was bound at
	path  string // the search_path it was bound under
	role  string // the current role it was bound under
	// rowSecOff says row_security was off when it was bound.
	rowSecOff bool
	// binder keeps the parameter types the plan's expressions share.
	binder *binder
	// source is the query string the statement was parsed from, and
	// runs counts its executions (pg_prepared_statements, prepstmts.go).
	source string
	runs   int64
	// plNames resolves the PL/pgSQL variables a statement of a body
	// names (plpgsql.go); nil elsewhere.
	plNames plpgsql.Resolver
	// norm is the statement's pg_stat_statements text and queryid, worked
	// out on its first run (statementStats.normalize): its text never
	// changes, so later runs need neither the engine's shared cache nor
	// its lock.
	norm atomic.Pointer[normalized]
}

// Result is what executing one statement produced.
type Result struct {
	Columns []Column
	Rows    [][]types.Datum
	// Streamed is set when the rows went to ExecuteStream's RowSink
	// instead of Rows.
	Streamed bool
	// Tag is the complete command tag: "SELECT 3", "INSERT 0 2", "BEGIN".
	Tag string
	// ParameterChanges lists reported run-time parameters (GUCs) whose value
	// this statement changed, for ParameterStatus messages.
	ParameterChanges []Parameter
	// Notices are messages for the client that are not errors (a WARNING
	// for COMMIT outside a transaction, for instance).
	Notices []Notice
	// Format is how the rows' values print as text (types.FormatTextStyle):
	// the session's output settings when the statement ended.
	Format types.Style
	// Deallocated names the protocol-level prepared statement DEALLOCATE
	// dropped, and DeallocatedAll is set by DEALLOCATE ALL and DISCARD
	// ALL, which drop every named one: the server forgets them
	// (protostmt.go).
	Deallocated    string
	DeallocatedAll bool
}

// Parameter is a run-time parameter's name and value.
type Parameter struct{ Name, Value string }

// Notice is a non-error message with a SQLSTATE and severity.
type Notice struct{ Severity, Code, Message, Detail, Hint, Where string }

// Transaction status, as ReadyForQuery reports it.
const (
	TxIdle   byte = 'I'
	TxActive byte = 'T'
	TxFailed byte = 'E'
)

// Column describes one result column.
type Column struct {
	Name string
	Type types.T
	// TableID and Attr name the source table column, or 0 for computed columns.
	TableID uint32
	Attr    int16
}
