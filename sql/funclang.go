package sql

import (
	"sync"

	"github.com/cairndb/cairn/sql/types"
)

// Function languages. A user-defined function or procedure names its
// language (LANGUAGE sql, LANGUAGE plpgsql, ...); the language is a
// registered implementation of Language that the session hands the
// routine's descriptor to:
//
//   - at CREATE FUNCTION / PROCEDURE (and CREATE OR REPLACE), when
//     check_function_bodies is on, Validate checks the body as
//     PostgreSQL's validator function does: a syntax error, a name that
//     does not resolve, a result that does not match the declared type
//     (42P13) fail the CREATE;
//   - at the first call in a session, Compile turns the body into a
//     CompiledRoutine, which the session caches by the routine's oid
//     until the catalog changes (any DDL: the cache is keyed by the
//     catalog generation, as prepared statements are);
//   - each call runs CompiledRoutine.Call with the input arguments'
//     values and a Runtime, through which the body runs SQL in the
//     calling session, in its transaction.
//
// A LANGUAGE clause naming no registered language is 42704 "language
// "x" does not exist", as in PostgreSQL; the languages PostgreSQL
// always has (internal, c) and plpgsql, until its handler is registered,
// are 0A000.
//
// Register a language with RegisterLanguage, in an init function, before
// any session starts. LANGUAGE sql (funcsql.go) is the first
// implementation.

// Language is a function language's implementation.
type Language interface {
	// Validate checks r's body when r is created. rt runs no statement
	// for it: it binds them (RuntimeStmt.Columns), so names and types
	// are checked against the catalog as it is at CREATE.
	Validate(rt Runtime, r *Routine) error
	// Compile prepares r for calls; it may fail as Validate does (a
	// body created with check_function_bodies off is checked here).
	Compile(rt Runtime, r *Routine) (CompiledRoutine, error)
}

// CompiledRoutine is a routine ready to be called.
type CompiledRoutine interface {
	// Call runs the routine with args, the values of its input
	// parameters (Routine.InputParams, in order; nil is NULL), and
	// returns its result as rows: for a function returning a scalar (or
	// a procedure or function returning void) rows of one value (void:
	// none needed); for one returning a row type, a record or OUT
	// parameters (and for a procedure with OUT or INOUT parameters),
	// rows of Routine.ResultColumns' width. A function not returning a
	// set returns at most one row; none means NULL. A STRICT routine is
	// not called with a NULL argument: the caller makes the result NULL
	// (or no rows) itself.
	Call(rt Runtime, args []types.Datum) ([][]types.Datum, error)
}

// Routine is what a language is given of a user-defined function or
// procedure.
type Routine struct {
	OID          uint32
	Schema, Name string
	Procedure    bool
	Language     string
	// Params are all the declared parameters, OUT and TABLE ones
	// included, in order.
	Params []RoutineParam
	// Result is the declared result type: void, a scalar, a composite
	// (a table's row type), or record (several OUT parameters, or
	// RETURNS record, whose columns a call's column definition list
	// gives); ReturnsSet is RETURNS SETOF / TABLE.
	Result     types.T
	ReturnsSet bool
	// ResultColumns are the columns of a row result: the OUT, INOUT and
	// TABLE parameters when there are several (or a procedure has any),
	// a composite's fields; nil for a scalar result and for a record
	// without OUT parameters.
	ResultColumns []Column
	// Volatility is "i", "s" or "v" (IMMUTABLE, STABLE, VOLATILE).
	Volatility string
	Strict     bool
	// Body is the AS string; SQLBody the statements of a SQL-standard
	// body (RETURN expr as its one statement, "SELECT expr").
	Body    string
	SQLBody []string
}

// RoutineParam is one parameter of a routine.
type RoutineParam struct {
	Name string // "" when unnamed
	Type types.T
	// Mode is "i", "o", "b" (INOUT), "v" (VARIADIC) or "t" (a RETURNS
	// TABLE column).
	Mode string
}

// InputParams are the parameters a call passes (IN, INOUT, VARIADIC), in
// order: Call's args match them.
func (r *Routine) InputParams() []RoutineParam {
	var out []RoutineParam
	for _, p := range r.Params {
		if p.Mode == "i" || p.Mode == "b" || p.Mode == "v" {
			out = append(out, p)
		}
	}
	return out
}

// Runtime runs SQL for a routine's body in the session and transaction
// of the call. It is valid during the Validate, Compile or Call it is
// passed to (a CompiledRoutine must not keep it).
type Runtime interface {
	// Prepare parses and binds one SQL statement. params name and type
	// what the statement may refer to as $1, $2, ... and, where a name
	// does not resolve to a column, by name (a routine's parameters, or
	// a language's variables); RuntimeStmt.Run takes their values.
	Prepare(sql string, params []RoutineParam) (RuntimeStmt, error)
	// Parse splits a body into its statements' SQL text, without
	// binding them (a statement may use what an earlier one creates).
	Parse(body string) ([]string, error)
	// Notice sends a message to the client with the statement's
	// results.
	Notice(n Notice)
	// Volatile reports whether statements run with a new snapshot each
	// (a VOLATILE routine) or with the calling statement's.
	Volatile() bool
}

// RuntimeStmt is a prepared statement of a routine's body.
type RuntimeStmt interface {
	// Columns describes the rows the statement returns; nil when it
	// returns none.
	Columns() []Column
	// Tag is the statement's command tag verb (SELECT, INSERT, ...).
	Tag() string
	// Run executes the statement in rt (the Runtime of the current
	// call, which may not be the one that prepared it: a compiled
	// routine keeps its statements from call to call) with the values
	// of its params. It binds the statement again when the catalog
	// changed since. Under a VOLATILE routine each run sees what the
	// runs before it wrote.
	Run(rt Runtime, args []types.Datum) (*Result, error)
}

var languages = struct {
	mu sync.RWMutex
	m  map[string]Language
}{m: map[string]Language{}}

// RegisterLanguage makes name (lower case) a function language. A second
// registration of a name replaces the first.
func RegisterLanguage(name string, l Language) {
	languages.mu.Lock()
	defer languages.mu.Unlock()
	languages.m[name] = l
}

// lookupLanguage returns the language called name.
func lookupLanguage(name string) (Language, bool) {
	languages.mu.RLock()
	defer languages.mu.RUnlock()
	l, ok := languages.m[name]
	return l, ok
}
