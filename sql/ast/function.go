package ast

// User-defined functions and procedures.

// Parameter modes, as pg_proc.proargmodes spells them.
const (
	ParamIn       = "i"
	ParamOut      = "o"
	ParamInOut    = "b"
	ParamVariadic = "v"
	ParamTable    = "t" // a column of RETURNS TABLE (...)
)

// FuncParam is one parameter of CREATE FUNCTION or PROCEDURE: its name
// ("" when unnamed), type, mode and DEFAULT expression (nil for none;
// DefaultSQL its text).
type FuncParam struct {
	Name       string
	Type       TypeName
	Mode       string
	Default    Expr
	DefaultSQL string
}

// CreateFunctionStmt is CREATE [OR REPLACE] FUNCTION or PROCEDURE.
type CreateFunctionStmt struct {
	Procedure bool
	Replace   bool
	Schema    string // "" when the name is not qualified
	Name      string
	Params    []FuncParam
	// Returns is the declared result type; nil for a procedure, and for a
	// function with OUT parameters and no RETURNS clause. SetOf is RETURNS
	// SETOF (and RETURNS TABLE, whose columns are Params of mode "t").
	Returns *TypeName
	SetOf   bool
	// Language is the LANGUAGE clause in lower case ("" when absent).
	Language string
	// Body is the AS string (the function's source text); SQLBody, when
	// set, the statements of a SQL-standard body (RETURN expr as one
	// "SELECT expr", BEGIN ATOMIC ... END as its statements), each as SQL
	// text, and Return marks the RETURN form.
	Body    string
	HasBody bool
	SQLBody []string
	Return  bool
	// ReturnStmts lists the statements of a BEGIN ATOMIC body that were
	// written RETURN expr (stored as SELECT expr), by index.
	ReturnStmts []int
	// Options holds the other clauses (FuncOptions).
	Options FuncOptions
	Pos     int32
}

func (s *CreateFunctionStmt) Tag() string {
	if s.Procedure {
		return "CREATE PROCEDURE"
	}
	return "CREATE FUNCTION"
}
func (*CreateFunctionStmt) WritesDatabase() {}

// FuncOptions are the clauses of CREATE FUNCTION that ALTER FUNCTION may
// change too; a nil pointer is a clause not written.
type FuncOptions struct {
	Volatility *string // "i", "s" or "v"
	Strict     *bool
	SecDef     *bool
	Leakproof  *bool
	Parallel   *string // "s", "r" or "u"
	Cost, Rows *float64
	Window     bool
	// Set are SET name = value / FROM CURRENT clauses as "name=value";
	// Reset are RESET name ("all" for RESET ALL).
	Set   []FuncSetting
	Reset []string
}

// FuncSetting is a SET clause of a function: the value as text; FromCurrent
// for SET name FROM CURRENT.
type FuncSetting struct {
	Name, Value string
	FromCurrent bool
}

// DropFunctionStmt is DROP FUNCTION, PROCEDURE or ROUTINE [IF EXISTS] name
// [(argtypes)], ... [CASCADE | RESTRICT]. Kind is "function",
// "procedure", "routine" or "aggregate" (DROP AGGREGATE).
type DropFunctionStmt struct {
	Kind     string
	Funcs    []FuncSig
	IfExists bool
	Cascade  bool
}

func (s *DropFunctionStmt) Tag() string {
	switch s.Kind {
	case "procedure":
		return "DROP PROCEDURE"
	case "routine":
		return "DROP ROUTINE"
	case "aggregate":
		return "DROP AGGREGATE"
	}
	return "DROP FUNCTION"
}
func (*DropFunctionStmt) WritesDatabase() {}

// AlterFunctionStmt is ALTER FUNCTION / PROCEDURE / ROUTINE sig followed by
// one of: RENAME TO (RenameTo), OWNER TO (Owner, "" for CURRENT_USER),
// SET SCHEMA (SetSchema), or option clauses (Options). IsComment makes it
// COMMENT ON FUNCTION sig IS Comment (nil for NULL).
type AlterFunctionStmt struct {
	Kind      string
	Func      FuncSig
	RenameTo  string
	Owner     *string
	SetSchema string
	Options   *FuncOptions
	IsComment bool
	Comment   *string
}

func (s *AlterFunctionStmt) Tag() string {
	if s.IsComment {
		return "COMMENT"
	}
	switch s.Kind {
	case "procedure":
		return "ALTER PROCEDURE"
	case "routine":
		return "ALTER ROUTINE"
	case "aggregate":
		return "ALTER AGGREGATE"
	}
	return "ALTER FUNCTION"
}
func (*AlterFunctionStmt) WritesDatabase() {}

// CallStmt is CALL proc(args).
type CallStmt struct {
	Call *FuncCall
}

// CALL is no writer itself: the statements of the procedure's body are
// checked as they run, as PostgreSQL checks them.
func (*CallStmt) Tag() string { return "CALL" }
