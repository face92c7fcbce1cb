package plpgsql

// The compiled form of a PL/pgSQL function or DO block: what pg_query's
// PL/pgSQL parser reported (parse.go reads its JSON), with each block's
// variables and each expression's scope attached.

// Function is a compiled body.
type Function struct {
	Name string
	// Datums are the function's variables in PostgreSQL's numbering (a
	// statement names its target by that number).
	Datums []*Datum
	// Params are the datums of the parameters, in order (OUT ones
	// included; they are $1, $2, ... too); Found is FOUND's.
	Params []int
	Found  int
	// OutParams are the datums of the OUT, INOUT and TABLE parameters,
	// whose values RETURN NEXT without a value returns as a row and
	// Outcome.Out reports (the caller sets it from the declaration).
	OutParams []int
	Body      *Block
	// Source is the body's text; lines in errors count within it.
	Source string
	// Trigger marks a trigger function, whose Params are TriggerParams.
	Trigger bool
	// exprs counts the numbered expressions (Expr.id).
	exprs int
	// VariableConflict is the body's #variable_conflict directive
	// ("error", "use_variable", "use_column"); "" when it has none.
	VariableConflict string
	// Shadowed are the declarations that hide a name of an enclosing
	// block or a parameter, in order (extrachecks.go).
	Shadowed []Shadow
}

// DatumKind is what a Datum holds.
type DatumKind int

const (
	// DatumVar is a scalar (or composite-typed) variable.
	DatumVar DatumKind = iota
	// DatumRec is a record variable, whose type is that of the row last
	// assigned to it.
	DatumRec
	// DatumRow is a list of variables assigned together (an INTO list).
	DatumRow
	// DatumRecField is one field of a record variable.
	DatumRecField
)

// Datum is one variable, INTO list or record field.
type Datum struct {
	Kind     DatumKind
	Name     string
	TypeName string // DatumVar: as written ("int", "t.c%TYPE", "pg_catalog.int4")
	NotNull  bool
	Const    bool
	Default  *Expr
	Line     int
	// Fields are a DatumRow's variables (datum numbers); Field and Parent
	// name a DatumRecField's field and record.
	Fields []int
	Field  string
	Parent int
	// Cursor is a bound cursor variable's declaration (cursor.go).
	Cursor *CursorDecl
}

// Expr is an expression or SQL statement of the body, as text. Scope is
// the block scope it was written in, which resolves its names.
type Expr struct {
	Query string
	Scope *Scope
	// Assign is the whole assignment an assignment's value was written
	// in ("x := 1/0"), which CONTEXT lines quote.
	Assign string
	// id numbers the function's expressions from 1 (0: not numbered),
	// indexing the statements a Cache keeps.
	id int
}

// Scope is a block's names: the datums it declares (and aliases), its
// label, and the enclosing scope.
type Scope struct {
	Label  string
	Names  map[string]int // lower-cased name → datum number
	Parent *Scope
}

// Stmt is one statement.
type Stmt interface{ line() int }

type stmtBase struct{ Line int }

func (s *stmtBase) line() int { return s.Line }

// Block is BEGIN ... [EXCEPTION ...] END, with the datums it declares
// (initialized each time it is entered, in order).
type Block struct {
	stmtBase
	Label    string
	Decls    []int
	Body     []Stmt
	Handlers []*Handler
	Scope    *Scope
	// SQLState and SQLErrm are the datums of SQLSTATE and SQLERRM that
	// the handlers see (-1 without handlers).
	SQLState, SQLErrm int
}

// Handler is WHEN cond [OR cond] THEN stmts.
type Handler struct {
	Conditions []string // condition names (lower case) or SQLSTATEs; "others"
	Body       []Stmt
}

// Assign is target := expr. Path is what follows the target variable
// in the written target: fields of a composite value and subscripts of
// an array (r.f.g := v, a[i] := v, r.arr[2] := v), assigned within the
// variable's current value.
type Assign struct {
	stmtBase
	Target int
	Path   []AssignStep
	Value  *Expr
}

// AssignStep is a field name or, when Subscript is set, a subscript.
type AssignStep struct {
	Field     string
	Subscript *Expr
}

// If is IF ... ELSIF ... ELSE ... END IF.
type If struct {
	stmtBase
	Conds  []*Expr
	Bodies [][]Stmt
	Else   []Stmt
}

// Case is CASE [expr] WHEN ... END CASE. With an operand, its value is
// stored in the datum Var and each When tests "Var IN (...)".
type Case struct {
	stmtBase
	Operand *Expr
	Var     int
	Whens   []*Expr
	Bodies  [][]Stmt
	HasElse bool
	Else    []Stmt
}

// Loop is LOOP, WHILE (Cond set).
type Loop struct {
	stmtBase
	Label string
	Cond  *Expr
	Body  []Stmt
}

// ForInt is FOR i IN [REVERSE] lower..upper [BY step].
type ForInt struct {
	stmtBase
	Label        string
	Var          int
	Lower, Upper *Expr
	Step         *Expr
	Reverse      bool
	Body         []Stmt
}

// ForQuery is FOR target IN query LOOP, or IN EXECUTE text [USING ...]
// when Dynamic is set.
type ForQuery struct {
	stmtBase
	Label   string
	Target  int
	Query   *Expr
	Dynamic bool
	Using   []*Expr
	Body    []Stmt
}

// ForEach is FOREACH x [SLICE n] IN ARRAY expr.
type ForEach struct {
	stmtBase
	Label string
	Var   int
	Slice int
	Array *Expr
	Body  []Stmt
}

// Exit is EXIT or CONTINUE [label] [WHEN cond].
type Exit struct {
	stmtBase
	Continue bool
	Label    string
	Cond     *Expr
}

// Return is RETURN [expr]; Next marks RETURN NEXT, whose Var, when not
// -1, is the variable returned.
type Return struct {
	stmtBase
	// Implicit marks the RETURN the compiler adds at the end of every
	// body (line 0): it ends a void function, or one with OUT
	// parameters, but is no RETURN of a value.
	Implicit bool
	Next     bool
	Value    *Expr
	Var      int
}

// ReturnQuery is RETURN QUERY query, or RETURN QUERY EXECUTE text
// [USING ...] when Dynamic is set.
type ReturnQuery struct {
	stmtBase
	Query   *Expr
	Dynamic bool
	Using   []*Expr
}

// Raise is RAISE [level] ['format' [, args]] [USING ...], RAISE
// condition, RAISE SQLSTATE 'xxxxx', or a bare RAISE (rethrow).
type Raise struct {
	stmtBase
	Level     int // elog levels: 14 DEBUG, 15 LOG, 17 INFO, 18 NOTICE, 19 WARNING, 21 EXCEPTION
	Condition string
	Message   string
	HasMsg    bool
	Args      []*Expr
	Options   []RaiseOption
}

// RaiseOption is one USING item.
type RaiseOption struct {
	Kind  int // 0 ERRCODE, 1 MESSAGE, 2 DETAIL, 3 HINT, 4 COLUMN, 5 CONSTRAINT, 6 DATATYPE, 7 TABLE, 8 SCHEMA
	Value *Expr
}

// Assert is ASSERT cond [, message].
type Assert struct {
	stmtBase
	Cond    *Expr
	Message *Expr
}

// ExecSQL is a SQL statement, with INTO target when Into is set.
type ExecSQL struct {
	stmtBase
	Query  *Expr
	Into   bool
	Strict bool
	Target int
}

// Perform is PERFORM query.
type Perform struct {
	stmtBase
	Query *Expr
}

// DynExecute is EXECUTE text [INTO [STRICT] target] [USING ...].
type DynExecute struct {
	stmtBase
	Query  *Expr
	Into   bool
	Strict bool
	Target int
	Using  []*Expr
}

// GetDiag is GET [CURRENT|STACKED] DIAGNOSTICS.
type GetDiag struct {
	stmtBase
	Stacked bool
	Items   []DiagItem
}

// DiagItem is target = ITEM.
type DiagItem struct {
	Kind   string // ROW_COUNT, RETURNED_SQLSTATE, MESSAGE_TEXT, ...
	Target int
}

// Null is NULL;.
type Null struct{ stmtBase }

// Commit and Rollback end the transaction from a procedure.
type Commit struct {
	stmtBase
	Rollback bool
	Chain    bool
}

// Call is CALL proc(...) or DO inside the body.
type Call struct {
	stmtBase
	Query *Expr
}
