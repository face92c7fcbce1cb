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
}

// Resolver resolves the dotted name of a column reference that may
// name a variable: it returns the 1-based parameter standing for it and
// its type; ok is false when no variable has the name.
type Resolver interface {
	Resolve(names []string) (param int, t types.T, ok bool, err error)
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
