package sql

import (
	"context"
	"fmt"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/types"
)

// LANGUAGE sql: a body is a list of SQL statements run in order; the
// last one's rows are the result (its first row for a function not
// returning a set), converted to the declared result type by assignment
// casts, as PostgreSQL's check_sql_fn_retval allows. Statements are bound
// one by one as they first run, so that one may use what an earlier one
// of the same body created; Validate binds them in order until the first
// statement that is neither a query nor INSERT, UPDATE, DELETE or MERGE
// (after DDL, later statements may name what it makes), as PostgreSQL's
// validator does not analyze a body with utility statements either.

func init() { RegisterLanguage("sql", sqlLanguage{}) }

type sqlLanguage struct{}

func (sqlLanguage) Validate(rt Runtime, r *Routine) error {
	stmts, err := sqlBodyStatements(rt, r)
	if err != nil {
		return err
	}
	params := r.InputParams()
	var last RuntimeStmt
	lastTag := ""
	for _, text := range stmts {
		kind, err := sqlStmtKind(text)
		if err != nil {
			return err
		}
		if kind == sqlUtility || routineParamsPolymorphic(r) {
			// What follows may use what this creates; and a body over
			// polymorphic parameters has types only per call, so it is
			// checked then, as PostgreSQL's validator leaves it.
			// What follows may use what this creates.
			return nil
		}
		if last, err = rt.Prepare(text, params); err != nil {
			return err
		}
		lastTag = last.Tag()
	}
	var cols []Column
	if last != nil {
		cols = last.Columns()
	}
	_, err = sqlResultCasts(r, cols, last != nil && (lastTag == "SELECT" || cols != nil))
	return err
}

func (sqlLanguage) Compile(rt Runtime, r *Routine) (CompiledRoutine, error) {
	stmts, err := sqlBodyStatements(rt, r)
	if err != nil {
		return nil, err
	}
	return &sqlRoutine{r: r, text: stmts, stmts: make([]RuntimeStmt, len(stmts))}, nil
}

// sqlBodyStatements are the statements of r's body as SQL text.
func sqlBodyStatements(rt Runtime, r *Routine) ([]string, error) {
	if r.SQLBody != nil {
		return r.SQLBody, nil
	}
	return rt.Parse(r.Body)
}

const (
	sqlQuery = iota
	sqlUtility
)

// sqlStmtKind says whether text is a query (SELECT, INSERT, UPDATE,
// DELETE, MERGE) or another statement.
func sqlStmtKind(text string) (int, error) {
	stmts, _, err := parser.ParseStatements(context.Background(), text, parser.Config{})
	if err != nil {
		return 0, err
	}
	for _, st := range stmts {
		switch st.Stmt.(type) {
		case *ast.SelectStmt, *ast.InsertStmt, *ast.UpdateStmt, *ast.DeleteStmt, *ast.MergeStmt:
		default:
			return sqlUtility, nil
		}
	}
	return sqlQuery, nil
}

// sqlResultCasts checks the last statement's columns against r's result,
// as check_sql_fn_retval does, and returns the type each column is cast
// to (nil when the result takes the rows as they are). returnsRows is
// whether the last statement is a SELECT or has RETURNING.
func sqlResultCasts(r *Routine, cols []Column, returnsRows bool) ([]types.T, error) {
	if r.Procedure && len(r.ResultColumns) == 0 || r.Result.ID == types.Void {
		return nil, nil
	}
	declared := routineTypeName(r.Result)
	mismatch := func(detail string) error {
		return pgerr.New(pgerr.InvalidFunctionDefinition, "return type mismatch in function declared to return %s", declared).WithDetail(detail)
	}
	if !returnsRows {
		return nil, mismatch("Function's final statement must be SELECT or INSERT/UPDATE/DELETE RETURNING.")
	}
	want := r.ResultColumns
	if want == nil {
		if r.Result.ID == types.Record {
			// Its columns come from the call's column definition list.
			return nil, nil
		}
		if len(cols) != 1 {
			return nil, mismatch("Final statement must return exactly one column.")
		}
		if !sqlAssignable(cols[0].Type, r.Result) {
			return nil, mismatch(fmt.Sprintf("Actual return type is %s.", routineTypeName(cols[0].Type)))
		}
		return []types.T{r.Result}, nil
	}
	if len(cols) == 1 && len(want) > 1 && cols[0].Type.ID == r.Result.ID && r.Result.ID != types.Record {
		// SELECT of a whole row of the composite type.
		return nil, nil
	}
	if len(cols) == 1 && sameNamedRowType(cols[0].Type, r.Result) {
		// SELECT of a whole row of the table's (or composite) row type.
		return nil, nil
	}
	if len(cols) > len(want) {
		return nil, mismatch("Final statement returns too many columns.")
	}
	if len(cols) < len(want) {
		return nil, mismatch("Final statement returns too few columns.")
	}
	out := make([]types.T, len(want))
	for i, c := range cols {
		if !sqlAssignable(c.Type, want[i].Type) {
			return nil, mismatch(fmt.Sprintf("Final statement returns %s instead of %s at column %d.", routineTypeName(c.Type), routineTypeName(want[i].Type), i+1))
		}
		out[i] = want[i].Type
	}
	return out, nil
}

// sameNamedRowType is whether a and b are the row type of one table or
// named composite type.
func sameNamedRowType(a, b types.T) bool {
	return a.ID == types.Record && b.ID == types.Record && a.Shape != nil && b.Shape != nil &&
		a.Shape.OID != 0 && a.Shape.OID == b.Shape.OID
}

// sqlAssignable is whether a body's column of type from may be returned as
// to: the same type, or an assignment cast.
func sqlAssignable(from, to types.T) bool {
	if from.ID == to.ID || from.ID == types.Unknown {
		return true
	}
	if from.IsUser() || to.IsUser() || from.ID == types.Record || to.ID == types.Record {
		return false
	}
	return assignable(from, to)
}

// routineTypeName is a type's name as PostgreSQL's messages print it.
func routineTypeName(t types.T) string { return types.Format(t) }

// sqlRoutine is a compiled LANGUAGE sql routine: its statements, bound
// on first run.
type sqlRoutine struct {
	r     *Routine
	text  []string
	stmts []RuntimeStmt
	casts []types.T
	// checked is set once the result has been checked against the
	// last statement's columns.
	checked bool
}

func (c *sqlRoutine) Call(rt Runtime, args []types.Datum) ([][]types.Datum, error) {
	params := c.r.InputParams()
	var res *Result
	for i, text := range c.text {
		where := fmt.Sprintf("SQL function \"%s\" statement %d", c.r.Name, i+1)
		if c.stmts[i] == nil {
			st, err := rt.Prepare(text, params)
			if err != nil {
				return nil, bodyError(err, where)
			}
			c.stmts[i] = st
		}
		var err error
		if res, err = c.stmts[i].Run(rt, args); err != nil {
			return nil, bodyError(err, where)
		}
	}
	if c.r.Result.ID == types.Void || res == nil || (c.r.Procedure && len(c.r.ResultColumns) == 0) {
		return nil, nil
	}
	if !c.checked {
		last := c.stmts[len(c.stmts)-1]
		casts, err := sqlResultCasts(c.r, res.Columns, last.Tag() == "SELECT" || res.Columns != nil)
		if err != nil {
			return nil, err
		}
		c.casts, c.checked = casts, true
	}
	rows := res.Rows
	if !c.r.ReturnsSet && len(rows) > 1 {
		rows = rows[:1]
	}
	if len(res.Columns) == 1 && len(c.r.ResultColumns) > 0 && sameNamedRowType(res.Columns[0].Type, c.r.Result) {
		// A whole row of the result type: its fields are the result's
		// columns.
		out := make([][]types.Datum, len(rows))
		for i, row := range rows {
			out[i] = make([]types.Datum, len(c.r.ResultColumns))
			if rv, ok := row[0].(*types.RecordValue); ok {
				copy(out[i], rv.Fields)
			}
		}
		return out, nil
	}
	if c.casts == nil {
		return rows, nil
	}
	out := make([][]types.Datum, len(rows))
	for i, row := range rows {
		conv := make([]types.Datum, len(row))
		for j, v := range row {
			if v == nil || j >= len(c.casts) || res.Columns[j].Type.ID == c.casts[j].ID {
				conv[j] = v
				continue
			}
			cv, err := types.Cast(v, res.Columns[j].Type, c.casts[j], false)
			if err != nil {
				return nil, err
			}
			conv[j] = cv
		}
		out[i] = conv
	}
	return out, nil
}
