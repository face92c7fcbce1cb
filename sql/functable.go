package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// User-defined functions in FROM. A set-returning function gives its
// rows; any other gives one row (of NULLs when it returns none). Its
// columns are its OUT or TABLE parameters, its composite result's fields,
// a column definition list for RETURNS record without OUT parameters
// (required there, 42601, and refused elsewhere), or its one scalar
// value, named by its OUT parameter, the alias or the function's name.
// SELECT f(args) of a set-returning routine, alone, is read as SELECT f
// FROM f(args) f, as srfQuery reads the built-in ones.

// bindRoutineTable binds a user routine called in FROM; ok is false when
// f names none (or a built-in set-returning function).
func (b *binder) bindRoutineTable(f *ast.FuncRef, sc *scope) (plan, []scopeCol, bool, error) {
	x := f.Call
	if x.Schema == "" && (isTableFunc(x.Name) || isPopulateFunc(x.Name)) || x.Schema == "information_schema" {
		return nil, nil, false, nil
	}
	cands, err := b.visibleRoutines(x.Schema, x.Name)
	if err != nil {
		return nil, nil, true, err
	}
	if len(cands) == 0 {
		if x.Schema != "" {
			return nil, nil, true, routineNotFound(x, nil, false)
		}
		return nil, nil, false, nil
	}
	argScope := &scope{parent: sc.parent}
	if b.srfArgs != nil {
		argScope = b.srfArgs
	} else if b.latArgs != nil {
		argScope = b.latArgs
	}
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		e, err := b.bindExpr(a, argScope)
		if err != nil {
			if _, lateralErr := b.bindExpr(a, &scope{cols: sc.cols, parent: sc.parent}); lateralErr == nil {
				return nil, nil, true, pgerr.New(pgerr.FeatureNotSupported, "arguments of %s cannot refer to other items of the same FROM list", x.Name).WithPosition(a.Position())
			}
			return nil, nil, true, err
		}
		args[i] = e
	}
	if argScope.correlated {
		sc.correlated = true
	}
	form, err := b.resolveRoutine(x, cands, args, false)
	if err != nil {
		if pgerr.Code(err) == pgerr.UndefinedFunction && x.Schema == "" && (isTableFunc(x.Name) || isPopulateFunc(x.Name) || isAggregate(x.Name)) {
			// Perhaps a built-in function of the same name.
			return nil, nil, false, nil
		}
		return nil, nil, true, err
	}
	d := form.desc
	if d.Kind == catalog.KindProcedure {
		return nil, nil, true, pgerr.New(pgerr.WrongObjectType, "%s is a procedure", routineSigText(d, true)).
			WithHint("To call a procedure, use CALL.").WithPosition(x.Pos)
	}
	if err := b.checkRoutineExecute(d); err != nil {
		return nil, nil, true, err
	}
	conv, err := b.routineArgs(form, args, false, x.Pos)
	if err != nil {
		return nil, nil, true, err
	}
	rcols := routineResultColumns(d)
	var names []string
	var colTypes []types.T
	switch {
	case rcols != nil:
		if len(f.ColDefs) > 0 {
			return nil, nil, true, pgerr.New(pgerr.SyntaxError, "a column definition list is redundant for a function with OUT parameters").WithPosition(f.ColDefs[0].Pos)
		}
		for _, c := range rcols {
			names, colTypes = append(names, c.Name), append(colTypes, c.Type)
		}
	case d.Result.ID == types.Record && !d.Result.IsArray():
		if len(f.ColDefs) == 0 {
			return nil, nil, true, pgerr.New(pgerr.SyntaxError, "a column definition list is required for functions returning \"record\"").WithPosition(x.Pos)
		}
		for _, c := range f.ColDefs {
			t, _, err := b.resolveType(c.Type)
			if err != nil {
				return nil, nil, true, err
			}
			names, colTypes = append(names, c.Name), append(colTypes, t)
		}
	default:
		if len(f.ColDefs) > 0 {
			return nil, nil, true, pgerr.New(pgerr.SyntaxError, "a column definition list is only allowed for functions returning \"record\"").WithPosition(f.ColDefs[0].Pos)
		}
		name := x.Name
		if outs := d.OutputArgs(); len(outs) == 1 && outs[0].Name != "" {
			name = outs[0].Name
		} else if f.Alias != "" {
			name = f.Alias
		}
		names, colTypes = []string{name}, []types.T{d.Result}
	}
	width := len(names)
	// A function returning record may give its row as one record value.
	wholeRecord := rcols == nil && d.Result.ID == types.Record && !d.Result.IsArray()
	n := &funcScanNode{args: conv, ordinality: f.Ordinality, calledOnNull: !d.Strict}
	n.gen = func(ex *execCtx, vals []types.Datum) ([]types.Datum, error) {
		rows, err := ex.s.callRoutine(ex, d, vals)
		if err != nil {
			return nil, err
		}
		if !d.SetOf && len(rows) == 0 {
			rows = [][]types.Datum{make([]types.Datum, width)}
		}
		out := make([]types.Datum, len(rows))
		for i, row := range rows {
			if _, whole := row[0].(*types.RecordValue); len(row) == 1 && (width > 1 || whole && wholeRecord) {
				// A whole row of the composite result.
				rv, _ := row[0].(*types.RecordValue)
				row = make([]types.Datum, width)
				if rv != nil {
					copy(row, rv.Fields)
				}
			}
			if len(row) != width {
				return nil, pgerr.New(pgerr.DatatypeMismatch, "function return row and query-specified return row do not match").
					WithDetail("Returned row contains " + itoa(len(row)) + " attributes, but query expects " + itoa(width) + ".")
			}
			if width == 1 {
				out[i] = row[0]
			} else {
				out[i] = srfRow(row)
			}
		}
		return out, nil
	}
	if f.Ordinality {
		names = append(names, "ordinality")
		colTypes = append(colTypes, types.New(types.Int8))
	}
	table := f.TableName()
	cols := make([]scopeCol, len(names))
	for i := range names {
		cols[i] = scopeCol{table: table, name: names[i], t: colTypes[i]}
	}
	if err := renameColumns(cols, table, f.Columns); err != nil {
		return nil, nil, true, err
	}
	n.cols = make([]Column, len(cols))
	for i, c := range cols {
		n.cols[i] = Column{Name: c.name, Type: c.t}
	}
	return n, cols, true, nil
}

// routineSRFQuery rewrites SELECT f(args) [AS name] of a set-returning
// user routine, with no FROM, WHERE, grouping or DISTINCT, into SELECT f
// FROM f(args) f: its rows, a scalar's values or a row type's records.
func (b *binder) routineSRFQuery(q *ast.SelectStmt) *ast.SelectStmt {
	if len(q.From) != 0 || len(q.Targets) != 1 || q.Where != nil || len(q.GroupBy) > 0 || q.Having != nil || q.Distinct {
		return nil
	}
	t := q.Targets[0]
	call, ok := t.Expr.(*ast.FuncCall)
	if !ok || t.Star || call.Over != nil || call.Schema == "" && (isTableFunc(call.Name) || isAggregate(call.Name)) {
		return nil
	}
	cands, err := b.visibleRoutines(call.Schema, call.Name)
	if err != nil || len(cands) == 0 {
		return nil
	}
	for _, d := range cands {
		if !d.SetOf {
			return nil
		}
	}
	out := *q
	alias := t.Alias
	if alias == "" {
		alias = call.Name
	}
	ref := &ast.FuncRef{Call: call, Alias: call.Name}
	if routineResultColumns(cands[0]) == nil && cands[0].Result.ID != types.Record {
		ref.Columns = []string{call.Name}
		out.Targets = []ast.Target{{Expr: &ast.ColumnRef{Table: call.Name, Column: call.Name, Pos: t.Pos}, Alias: alias, Pos: t.Pos}}
	} else {
		out.Targets = []ast.Target{{Expr: &ast.ColumnRef{Column: call.Name, Pos: t.Pos}, Alias: alias, Pos: t.Pos}}
	}
	out.From = []ast.TableExpr{ref}
	return &out
}
