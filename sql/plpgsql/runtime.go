package plpgsql

import (
	"context"

	"github.com/cairndb/cairn/sql/types"
)

// Runtime is what the interpreter needs of the SQL engine that runs it.
// The engine (package sql) implements it over a session, inside the
// session's current transaction.
type Runtime interface {
	// Prepare binds one SQL statement. Parameters $1..$n have the
	// given types; a name that is no column is offered to names (nil for
	// a dynamic EXECUTE), which gives the parameter standing for it.
	Prepare(ctx context.Context, query string, params []types.T, names Resolver) (Query, error)
	// Type resolves a declared type as the parser wrote it: "int",
	// "pg_catalog.int4", "t.c%TYPE", "t%ROWTYPE", "varchar(10)[]".
	Type(ctx context.Context, name string) (types.T, error)
	// DomainCheck returns what checks a value against the domain a
	// declared type name names; nil when it names no domain.
	DomainCheck(ctx context.Context, name string) (func(context.Context, types.Datum) error, error)
	// Cast converts v of type from to type to as an assignment does.
	Cast(ctx context.Context, v types.Datum, from, to types.T) (types.Datum, error)
	// Savepoint starts a subtransaction for a block with handlers.
	Savepoint(ctx context.Context) (Subtransaction, error)
	// Notice sends a RAISE below EXCEPTION to the client (the engine
	// filters by client_min_messages).
	Notice(n Notice)
	// Format renders v as text, as RAISE prints its arguments.
	Format(t types.T, v types.Datum) string
	// EndTransaction commits (or rolls back) the transaction and starts
	// a new one, for COMMIT and ROLLBACK in a body; the engine refuses
	// (2D000) where the body does not own the transaction. subtxn says
	// an exception block is active.
	EndTransaction(ctx context.Context, commit, chain, subtxn bool) error
	// OpenCursor opens a cursor of the session over rows under name, or
	// a generated name when name is "", and returns the name; a cursor
	// of that name already open is 42P03. noScroll refuses moving
	// backwards.
	OpenCursor(ctx context.Context, name string, rows *Rows, noScroll bool) (string, error)
	// CursorOpen reports whether the session has a cursor named name.
	CursorOpen(name string) bool
	// FetchCursor moves cursor name as FETCH or MOVE does (direction
	// FORWARD, BACKWARD, ABSOLUTE or RELATIVE, with count) and returns
	// the rows fetched (none for a move) and, in Count, how many rows it
	// moved over; a cursor not open is 34000.
	FetchCursor(ctx context.Context, name, direction string, count int64, move bool) (*Rows, error)
	// Setting is the value of a run-time parameter (plpgsql.extra_errors).
	Setting(name string) string
	// CloseCursor closes cursor name (34000 when not open).
	CloseCursor(ctx context.Context, name string) error
}

// Resolver resolves the dotted name of a column reference that may
// name a variable: it returns the 1-based parameter standing for it and
// its type; ok is false when no variable has the name.
type Resolver interface {
	Resolve(names []string) (param int, t types.T, ok bool, err error)
	// Names reports whether a variable has the dotted name, without
	// making it a parameter.
	Names(names []string) bool
	// Conflict is how a name that is both a variable and a column
	// resolves: "error" (42702), "use_variable" or "use_column"
	// (#variable_conflict, else plpgsql.variable_conflict).
	Conflict() string
}

// Query is a bound statement.
type Query interface {
	// Run executes the statement with the parameters' values.
	Run(ctx context.Context, params []types.Datum) (*Rows, error)
}

// Rows is what a statement returned: its columns and rows, and the
// number of rows it processed (returned, or inserted, updated, deleted).
type Rows struct {
	Names []string
	Types []types.T
	Rows  [][]types.Datum
	Count int64
}

// Subtransaction is the savepoint of a block with exception handlers.
type Subtransaction interface {
	Release() error
	Rollback() error
}

// Notice is a message of RAISE below EXCEPTION.
type Notice struct {
	Severity string // DEBUG, LOG, INFO, NOTICE, WARNING
	Code     string
	Message  string
	Detail   string
	Hint     string
	Where    string
}

// ScalarQuery is implemented by a Query that can evaluate a statement
// of one expression (an expression of the body, SELECT expr) without
// running it as a query, as PostgreSQL's plpgsql evaluates its simple
// expressions.
type ScalarQuery interface {
	// Scalar returns the expression's value and type; ok is false when
	// the statement is not such an expression now, and Run must run it.
	Scalar(ctx context.Context, params []types.Datum) (v types.Datum, t types.T, ok bool, err error)
}
