package sql

import (
	"github.com/cockroachdb/apd/v3"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Set-returning functions. They are bound as FROM items (a FuncRef),
// producing one column, plus an ordinality column numbering the rows from
// 1 under WITH ORDINALITY. Their arguments may name columns of enclosing
// queries but not of other items of the same FROM list. A query that is
// nothing but one such call, SELECT f(args), is read as
// SELECT f FROM f(args), which is what PostgreSQL computes for it.

// isTableFunc reports whether name is a set-returning function cairn has.
func isTableFunc(name string) bool {
	switch name {
	case "generate_series", "unnest", "pg_partition_ancestors", "pg_partition_tree", "pg_options_to_table",
		"regexp_matches", "regexp_split_to_table", "_pg_expandarray", "pg_listening_channels",
		"string_to_table", "generate_subscripts", "aclexplode":
		return true
	}
	return isJSONTableFunc(name) || name == "json_populate_recordset" || name == "jsonb_populate_recordset"
}

// multiColumn reports whether a set-returning function makes rows of
// several columns (in a select list, each row is a record).
func multiColumn(name string) bool {
	return name == "pg_options_to_table" || name == "pg_partition_tree" || name == "aclexplode" || name == "_pg_expandarray" || jsonTableColumns(name) > 1 || isPopulateFunc(name)
}

// srfQuery rewrites SELECT f(args) [AS name], with no FROM, WHERE,
// grouping or DISTINCT, into SELECT f [AS name] FROM f(args). It returns
// nil for any other query.
func srfQuery(q *ast.SelectStmt) *ast.SelectStmt {
	if len(q.From) != 0 || len(q.Targets) != 1 || q.Where != nil || len(q.GroupBy) > 0 || q.Having != nil || q.Distinct {
		return nil
	}
	t := q.Targets[0]
	call, ok := t.Expr.(*ast.FuncCall)
	if !ok || !isTableFunc(call.Name) || multiColumn(call.Name) || t.Star {
		return nil
	}
	out := *q
	// The call's column is renamed after the function, whatever the
	// function's own name for it, as the select list names it.
	out.From = []ast.TableExpr{&ast.FuncRef{Call: call, Columns: []string{call.Name}}}
	alias := t.Alias
	if alias == "" {
		alias = call.Name
	}
	out.Targets = []ast.Target{{Expr: &ast.ColumnRef{Table: call.Name, Column: call.Name, Pos: t.Pos}, Alias: alias, Pos: t.Pos}}
	return &out
}

// funcScanNode runs a set-returning function once per execution (its
// arguments see only enclosing queries' rows).
type funcScanNode struct {
	args []expr
	// gen produces the function's values, counting those it makes
	// against the statement's memory and observing cancellation.
	gen        func(x *execCtx, a []types.Datum) ([]types.Datum, error)
	ordinality bool
	cols       []Column
	// calledOnNull marks a function that is not strict (gen sees NULL
	// arguments): the populate functions.
	calledOnNull bool
	// nullArgs marks a function that takes NULL arguments after the
	// first (string_to_table's delimiter and null string).
	nullArgs bool
}

func (n *funcScanNode) columns() []Column                        { return n.cols }
func (n *funcScanNode) run(ec *evalCtx) ([][]types.Datum, error) { return n.runFor(ec, nil) }

// runFor runs the function with its arguments evaluated on row (of the
// FROM list of a query whose select list is the call).
func (n *funcScanNode) runFor(ec *evalCtx, row []types.Datum) ([][]types.Datum, error) {
	vals := make([]types.Datum, len(n.args))
	for i, a := range n.args {
		v, err := a.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == nil && !n.calledOnNull && (i == 0 || !n.nullArgs) {
			// A strict function (but for calledOnNull, and nullArgs
			// after the first argument): a NULL argument gives no rows.
			return nil, nil
		}
		vals[i] = v
	}
	out, err := n.gen(ec.exec, vals)
	if err != nil {
		return nil, err
	}
	// The rows, without the values gen counted (an ordinality adds its
	// own), counted before they are made.
	width := len(n.cols)
	size := rowsOverhead(len(out), width)
	if n.ordinality {
		size += int64(len(out)) * wordBytes
	}
	if err := ec.grow(size); err != nil {
		return nil, err
	}
	rows := make([][]types.Datum, len(out))
	for i, v := range out {
		if err := ec.tick(); err != nil {
			return nil, err
		}
		row, multi := v.(srfRow)
		if !multi {
			row = srfRow{v}
		}
		if n.ordinality {
			row = append(row[:len(row):len(row)], int64(i+1))
		}
		rows[i] = row
	}
	return rows, nil
}

func tooManyFunctionRows(name string) error {
	return pgerr.New(pgerr.ProgramLimitExceeded, "%s would return more than %d rows", name, functionRowsMax)
}

// bindTableFunc binds a function in FROM.
func (b *binder) bindTableFunc(f *ast.FuncRef, sc *scope) (plan, []scopeCol, error) {
	x := f.Call
	if x.Star || x.Distinct || x.Filter != nil || len(x.OrderBy) > 0 {
		return nil, nil, pgerr.New(pgerr.WrongObjectType, "%s is not an aggregate function", x.Name).WithPosition(x.Pos)
	}
	if n, cols, ok, err := b.bindRoutineTable(f, sc); ok {
		return n, cols, err
	}
	if !isTableFunc(x.Name) && !isPopulateFunc(x.Name) {
		if isAggregate(x.Name) {
			return nil, nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in functions in FROM").WithPosition(x.Pos)
		}
		return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "function %s is not supported in FROM", x.Name).WithPosition(x.Pos)
	}
	argScope := &scope{parent: sc.parent}
	if b.srfArgs != nil {
		argScope = b.srfArgs
	} else if b.latArgs != nil {
		argScope = b.latArgs
	}
	args := make([]expr, len(x.Args))
	for i, a := range x.Args {
		if containsAggregate(a) {
			return nil, nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in functions in FROM").WithPosition(a.Position())
		}
		e, err := b.bindExpr(a, argScope)
		if err != nil {
			// PostgreSQL reads a function in FROM as LATERAL: its
			// arguments may name earlier FROM items. cairn does not.
			if _, lateralErr := b.bindExpr(a, &scope{cols: sc.cols, parent: sc.parent}); lateralErr == nil {
				return nil, nil, pgerr.New(pgerr.FeatureNotSupported, "arguments of %s cannot refer to other items of the same FROM list", x.Name).WithPosition(a.Position())
			}
			return nil, nil, err
		}
		args[i] = e
	}
	if argScope.correlated {
		sc.correlated = true
	}
	if len(f.ColDefs) > 0 && !isRecordFunc(x.Name) {
		return nil, nil, pgerr.New(pgerr.SyntaxError, "a column definition list is only allowed for functions returning \"record\"").WithPosition(f.ColDefs[0].Pos)
	}
	n := &funcScanNode{args: args, ordinality: f.Ordinality}
	if b.explain != nil {
		b.explain.funcs[n] = explainFunc{name: x.Name, alias: f.Alias}
	}
	var t types.T
	var err error
	var jsonCols []Column
	switch x.Name {
	case "jsonb_to_record", "jsonb_to_recordset", "json_to_record", "json_to_recordset":
		if jsonCols, err = b.bindJSONToRecord(n, x, f.ColDefs); err == nil {
			t = jsonCols[0].Type
		}
	case "json_populate_record", "jsonb_populate_record", "json_populate_recordset", "jsonb_populate_recordset":
		if jsonCols, err = b.bindJSONPopulate(n, x, f.ColDefs); err == nil {
			t = jsonCols[0].Type
		}
	case "generate_series":
		t, err = b.bindGenerateSeries(n, x)
	case "unnest":
		t, err = b.bindUnnest(n, x)
	case "pg_partition_ancestors", "pg_partition_tree":
		// A partition's ancestors, or a partitioned table's or index's
		// tree of partitions (catalog/partitiontree.go).
		if len(args) != 1 {
			return nil, nil, undefinedFunction(x.Name, args, x.Pos)
		}
		if args[0].Type().IsString() {
			// The argument is a regclass: a name or an oid.
			if n.args[0], _, err = b.bindCatalogCast(args[0], ast.TypeName{Name: "regclass", Pos: x.Pos}); err != nil {
				return nil, nil, err
			}
		} else if err = b.coerceArg(n.args, 0, oidT, x.Name, x.Pos); err != nil {
			return nil, nil, err
		}
		t = types.New(types.Regclass)
		n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
			oid := regOID(a[0])
			r, err := ex.Relations()
			if err != nil {
				return nil, err
			}
			parent := partitionIndexParent(ex, r)
			if x.Name == "pg_partition_ancestors" {
				return catalog.PartitionAncestors(ex, oid, parent)
			}
			rows, err := catalog.PartitionTree(ex, oid, parent)
			out := make([]types.Datum, len(rows))
			for i, r := range rows {
				out[i] = srfRow(r)
			}
			return out, err
		}
	case "jsonb_each", "jsonb_each_text", "json_each", "json_each_text", "jsonb_array_elements", "jsonb_array_elements_text",
		"json_array_elements", "json_array_elements_text", "jsonb_object_keys", "json_object_keys", "jsonb_path_query":
		if jsonCols, err = b.bindJSONTableFunc(n, x); err == nil {
			t = jsonCols[0].Type
		}
	case "regexp_matches", "regexp_split_to_table":
		t, err = b.bindRegexpTableFunc(n, x)
	case "string_to_table":
		t, err = b.bindStringToTable(n, x)
	case "generate_subscripts":
		t, err = b.bindGenerateSubscripts(n, x)
	case "_pg_expandarray":
		t, err = b.bindExpandArray(n, x)
	case "pg_listening_channels":
		if len(args) != 0 {
			return nil, nil, undefinedFunction(x.Name, args, x.Pos)
		}
		t, n.gen = textT, listeningChannels
	case "aclexplode":
		// aclexplode(aclitem[]): one (grantor, grantee, privilege_type,
		// is_grantable) row per privilege (aclitem.go).
		if len(args) != 1 {
			return nil, nil, undefinedFunction(x.Name, args, x.Pos)
		}
		if n.args[0].Type().ID == types.Unknown {
			if n.args[0], err = b.bindACLItemCast(n.args[0], ast.TypeName{Name: "aclitem", Array: true, Pos: x.Pos}); err != nil {
				return nil, nil, err
			}
		}
		if n.args[0].Type().ID != types.AclitemArray {
			return nil, nil, undefinedFunction(x.Name, args, x.Pos)
		}
		t, n.gen = oidT, aclExplode
	case "pg_options_to_table":
		// The name=value options of a reloptions-style array, as
		// (option_name, option_value) rows.
		if len(args) != 1 {
			return nil, nil, undefinedFunction(x.Name, args, x.Pos)
		}
		if err = b.coerceArg(n.args, 0, textArrayT, x.Name, x.Pos); err != nil {
			return nil, nil, err
		}
		t = textT
		n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
			var out []types.Datum
			for _, e := range a[0].(*types.Array).Elems {
				s, ok := e.(string)
				if !ok {
					continue
				}
				if err := ex.grow(int64(len(s)) + 2*interfaceBytes); err != nil {
					return nil, err
				}
				name, value, found := strings.Cut(s, "=")
				row := srfRow{name, nil}
				if found {
					row[1] = value
				}
				out = append(out, row)
			}
			return out, nil
		}
	}
	if err != nil {
		return nil, nil, err
	}
	// chooseScalarFunctionAlias: the function's OUT parameter name if it
	// has one, else the alias, else the function's name.
	table := f.TableName()
	colName := x.Name
	switch {
	case x.Name == "pg_partition_ancestors":
		colName = "relid"
	case len(jsonCols) > 0 && jsonCols[0].Name != "":
		colName = jsonCols[0].Name
	case f.Alias != "":
		colName = f.Alias
	}
	names := []string{colName}
	colTypes := []types.T{t}
	switch x.Name {
	case "pg_options_to_table":
		names, colTypes = []string{"option_name", "option_value"}, []types.T{textT, textT}
	case "aclexplode":
		names, colTypes = []string{"grantor", "grantee", "privilege_type", "is_grantable"}, []types.T{oidT, oidT, textT, boolT}
	case "pg_partition_tree":
		names, colTypes = []string{"relid", "parentrelid", "isleaf", "level"}, []types.T{t, t, boolT, int4T}
	case "_pg_expandarray":
		names, colTypes = []string{"x", "n"}, []types.T{t, int4T}
	case "unnest":
		if len(n.args) > 1 {
			names, colTypes = unnestManyColumns(n)
		}
	}
	for _, c := range jsonCols[min(1, len(jsonCols)):] {
		names, colTypes = append(names, c.Name), append(colTypes, c.Type)
	}
	if f.Ordinality {
		names = append(names, "ordinality")
		colTypes = append(colTypes, types.New(types.Int8))
	}
	cols := make([]scopeCol, len(names))
	for i := range names {
		cols[i] = scopeCol{table: table, name: names[i], t: colTypes[i]}
	}
	if err := renameColumns(cols, table, f.Columns); err != nil {
		return nil, nil, err
	}
	n.cols = make([]Column, len(cols))
	for i, c := range cols {
		n.cols[i] = Column{Name: c.name, Type: c.t}
	}
	return n, cols, nil
}

// bindGenerateSeries binds generate_series(start, stop [, step]) over
// integer or bigint.
func (b *binder) bindGenerateSeries(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	if len(n.args) != 2 && len(n.args) != 3 {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	if e, ok, err := b.bindTimestampSeries(n, x); ok {
		return e, err
	}
	t := int4T
	for _, a := range n.args {
		at := a.Type()
		switch {
		case at.ID == types.Unknown || at.ID == types.Int2 || at.ID == types.Int4:
		case at.ID == types.Int8:
			if t.ID != types.Numeric {
				t = types.New(types.Int8)
			}
		case at.ID == types.Numeric:
			t = types.New(types.Numeric)
		default:
			return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
		}
	}
	if t.ID == types.Numeric {
		for i, a := range n.args {
			c, err := b.cast(a, t, false, x.Pos)
			if err != nil {
				return types.T{}, err
			}
			n.args[i] = c
		}
		n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) { return numericSeries(ex, x.Name, a) }
		return t, nil
	}
	for i, a := range n.args {
		c, err := b.cast(a, t, false, x.Pos)
		if err != nil {
			return types.T{}, err
		}
		n.args[i] = c
	}
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		start, stop, step := a[0].(int64), a[1].(int64), int64(1)
		if len(a) == 3 {
			step = a[2].(int64)
		}
		if step == 0 {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
		}
		var out []types.Datum
		for v := start; step > 0 && v <= stop || step < 0 && v >= stop; v += step {
			if len(out) == functionRowsMax {
				return nil, tooManyFunctionRows(x.Name)
			}
			if err := ex.tick(); err != nil {
				return nil, err
			}
			if err := ex.grow(interfaceBytes + wordBytes); err != nil {
				return nil, err
			}
			out = append(out, v)
			if step > 0 && v > (1<<63-1)-step || step < 0 && v < -(1<<63)-step {
				break // the next value would overflow int8: the series ends
			}
		}
		return out, nil
	}
	return t, nil
}

// bindUnnest binds unnest(array): one row per element.
func (b *binder) bindUnnest(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	if len(n.args) > 1 {
		return b.bindUnnestMany(n, x)
	}
	if len(n.args) != 1 {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	if n.args[0].Type().ID == types.Unknown {
		// unnest(anyarray) and unnest(anymultirange) both take it.
		return types.T{}, pgerr.New(pgerr.AmbiguousFunction, "function unnest(unknown) is not unique").
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.").WithPosition(x.Pos)
	}
	elem, ok := n.args[0].Type().Elem()
	if !ok {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	n.gen = func(_ *execCtx, a []types.Datum) ([]types.Datum, error) {
		return a[0].(*types.Array).Elems, nil
	}
	return types.Base(elem), nil
}

// bindExpandArray binds information_schema._pg_expandarray(anyarray):
// a row (x, n) per element, x the element and n its position from 1.
func (b *binder) bindExpandArray(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	if len(n.args) != 1 || x.Schema != "information_schema" {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	at := n.args[0].Type()
	if at.ID == types.Unknown {
		return types.T{}, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(x.Pos)
	}
	elem, ok := at.Elem()
	if !ok {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		elems := a[0].(*types.Array).Elems
		if err := ex.grow(int64(len(elems)) * (3*interfaceBytes + wordBytes)); err != nil {
			return nil, err
		}
		out := make([]types.Datum, len(elems))
		for i, e := range elems {
			out[i] = srfRow{e, int64(i + 1)}
		}
		return out, nil
	}
	return types.Base(elem), nil
}

// numericSeries is generate_series over numeric: start, start+step, ...
// while not past stop. NaN bounds or step are refused as PostgreSQL does.
func numericSeries(x *execCtx, name string, a []types.Datum) ([]types.Datum, error) {
	start, stop := a[0].(*apd.Decimal), a[1].(*apd.Decimal)
	step := apd.New(1, 0)
	if len(a) == 3 {
		step = a[2].(*apd.Decimal)
	}
	for i, d := range []*apd.Decimal{start, stop, step} {
		if d.Form == apd.Finite {
			continue
		}
		what := [...]string{"start", "stop", "step size"}[i]
		if d.Form == apd.Infinite {
			return nil, pgerr.New(pgerr.InvalidParameterValue, "%s value cannot be infinity", what)
		}
		return nil, pgerr.New(pgerr.InvalidParameterValue, "%s value cannot be NaN", what)
	}
	if step.IsZero() {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "step size cannot equal zero")
	}
	var out []types.Datum
	v := new(apd.Decimal).Set(start)
	for {
		c := v.Cmp(stop)
		if step.Negative && c < 0 || !step.Negative && c > 0 {
			return out, nil
		}
		if len(out) == functionRowsMax {
			return nil, tooManyFunctionRows(name)
		}
		if err := x.tick(); err != nil {
			return nil, err
		}
		d := new(apd.Decimal).Set(v)
		if err := x.grow(interfaceBytes + datumBytes(d)); err != nil {
			return nil, err
		}
		out = append(out, d)
		if _, err := types.NumericContext().Add(v, v, step); err != nil {
			return nil, pgerr.Wrapf(err, pgerr.NumericValueOutOfRange, "generate_series")
		}
	}
}

// srfRow is a row of a set-returning function with several columns, as
// its gen returns it in place of a single value.
type srfRow []types.Datum

// Set-returning functions in the select list of a query (SELECT name,
// unnest(a) FROM t, or (information_schema._pg_expandarray(i.indkey)).n)
// run once per row of FROM and WHERE, their arguments seeing the row. As
// PostgreSQL's ProjectSet does, the calls of one select list advance
// together: a FROM row makes as many result rows as the longest call
// returns, a call that has run out giving NULL, and none when every call
// returns no rows. A call may sit anywhere in a target's expression but
// not inside another call's arguments; a function with several output
// columns yields records. Queries with DISTINCT, grouping or aggregates
// refuse them; ORDER BY sorts by the output columns (srfSorted).

// srfTarget reports whether q is such a query, and returns its calls.
func srfTarget(q *ast.SelectStmt) ([]*ast.FuncCall, bool) {
	if q.Distinct || len(q.GroupBy) > 0 || q.Having != nil {
		return nil, false
	}
	var calls []*ast.FuncCall
	for _, t := range q.Targets {
		if t.Star || containsAggregate(t.Expr) {
			return nil, false
		}
		ast.WalkExpr(t.Expr, func(e ast.Expr) bool {
			call, ok := e.(*ast.FuncCall)
			if !ok || call.Over != nil || !isTableFunc(call.Name) {
				return true
			}
			calls = append(calls, call)
			return false
		})
	}
	return calls, len(calls) > 0
}

// srfSorted rewrites a query srfTarget takes that has ORDER BY into one
// that sorts the rows of the query without it, so ORDER BY sees its
// output columns, by name or position.
func srfSorted(q *ast.SelectStmt) *ast.SelectStmt {
	inner := *q
	inner.OrderBy, inner.Limit, inner.Offset, inner.With = nil, nil, nil, nil
	return &ast.SelectStmt{Targets: []ast.Target{{Star: true}}, From: []ast.TableExpr{&ast.SubqueryRef{Query: &inner, Alias: "srf"}},
		OrderBy: q.OrderBy, Limit: q.Limit, Offset: q.Offset}
}

// srfSlot is the current value of one set-returning call of a select
// list: srfProjectNode appends the calls' values to each FROM row, so
// the slot reads column idx of the extended row.
type srfSlot struct {
	call *ast.FuncCall
	t    types.T
	idx  int
}

// bindSRFTarget binds q, whose select list makes calls, over from, whose
// columns sc holds.
func (b *binder) bindSRFTarget(q *ast.SelectStmt, calls []*ast.FuncCall, from plan, sc *scope) (plan, error) {
	for _, t := range q.Targets {
		if err := srfInConditional(t.Expr); err != nil {
			return nil, err
		}
	}
	width := len(from.columns())
	n := &srfProjectNode{in: from, width: width}
	slots := make([]srfSlot, len(calls))
	for j, call := range calls {
		for _, a := range call.Args {
			var nested *ast.FuncCall
			ast.WalkExpr(a, func(e ast.Expr) bool {
				if c, ok := e.(*ast.FuncCall); ok && isTableFunc(c.Name) && nested == nil {
					nested = c
				}
				return nested == nil
			})
			if nested != nil {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "set-returning function %s in the arguments of another is not supported", nested.Name).WithPosition(nested.Pos)
			}
		}
		b.srfArgs = sc
		fn, _, err := b.bindTableFunc(&ast.FuncRef{Call: call}, sc)
		b.srfArgs = nil
		if err != nil {
			return nil, err
		}
		f := fn.(*funcScanNode)
		t := f.cols[0].Type
		var shape *types.RecordShape
		if len(f.cols) > 1 {
			names, ts := make([]string, len(f.cols)), make([]types.T, len(f.cols))
			for i, c := range f.cols {
				names[i], ts[i] = c.Name, c.Type
			}
			t = types.RecordOf(names, ts)
			shape = t.Shape
		}
		n.fns = append(n.fns, f)
		n.shapes = append(n.shapes, shape)
		slots[j] = srfSlot{call: call, t: t, idx: width + j}
	}
	saved := b.srfSlots
	b.srfSlots = slots
	defer func() { b.srfSlots = saved }()
	targets, err := b.expandTargets(q.Targets, sc)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		e, err := b.bindExpr(t.Expr, sc)
		if err != nil {
			return nil, err
		}
		if e.Type().ID == types.Unknown {
			if e, err = b.cast(e, textT, false, t.Pos); err != nil {
				return nil, err
			}
		}
		n.exprs = append(n.exprs, e)
		n.cols = append(n.cols, b.outputColumn(t, e, sc))
	}
	return b.bindLimit(q, n, sc)
}

// srfInConditional refuses a set-returning call inside CASE or COALESCE,
// whose branches PostgreSQL would evaluate for every row.
func srfInConditional(e ast.Expr) error {
	var err error
	ast.WalkExpr(e, func(x ast.Expr) bool {
		what := ""
		switch c := x.(type) {
		case *ast.CaseExpr:
			what = "CASE"
		case *ast.FuncCall:
			if c.Name == "coalesce" {
				what = "COALESCE"
			}
		}
		if what == "" || err != nil {
			return err == nil
		}
		ast.WalkExpr(x, func(y ast.Expr) bool {
			if c, ok := y.(*ast.FuncCall); ok && isTableFunc(c.Name) && err == nil {
				err = pgerr.New(pgerr.FeatureNotSupported, "set-returning functions are not allowed in %s", what).
					WithHint("You might be able to move the set-returning function into a LATERAL FROM item.").WithPosition(c.Pos)
			}
			return err == nil
		})
		return false
	})
	return err
}

// srfSlotExpr returns the slot of call when it is one of the select-list
// calls being bound.
func (b *binder) srfSlotExpr(call *ast.FuncCall) (expr, bool) {
	for _, s := range b.srfSlots {
		if s.call == call {
			return &colExpr{t: s.t, idx: s.idx}, true
		}
	}
	return nil, false
}

type srfProjectNode struct {
	in    plan
	width int // the columns of in's rows
	fns   []*funcScanNode
	// shapes are the record shapes of the calls with several columns,
	// nil for the others.
	shapes []*types.RecordShape
	exprs  []expr
	cols   []Column
}

func (n *srfProjectNode) columns() []Column { return n.cols }

func (n *srfProjectNode) run(ec *evalCtx) ([][]types.Datum, error) {
	rows, err := n.in.run(ec)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	results := make([][][]types.Datum, len(n.fns))
	for _, r := range rows {
		most := 0
		for j, fn := range n.fns {
			if results[j], err = fn.runFor(ec, r); err != nil {
				return nil, err
			}
			most = max(most, len(results[j]))
		}
		if most == 0 {
			continue
		}
		if err := ec.grow(rowsOverhead(most, len(n.cols)+len(n.fns))); err != nil {
			return nil, err
		}
		ext := make([]types.Datum, n.width+len(n.fns))
		copy(ext, r)
		for i := 0; i < most; i++ {
			if err := ec.tick(); err != nil {
				return nil, err
			}
			for j, vals := range results {
				var v types.Datum
				switch {
				case i >= len(vals):
				case n.shapes[j] != nil:
					v = &types.RecordValue{Shape: n.shapes[j], Fields: vals[i][:len(n.shapes[j].Names)]}
				default:
					v = vals[i][0]
				}
				ext[n.width+j] = v
			}
			row := make([]types.Datum, len(n.exprs))
			for k, e := range n.exprs {
				if row[k], err = e.Eval(ec, ext); err != nil {
					return nil, err
				}
			}
			out = append(out, row)
		}
	}
	return out, nil
}

// regOID is the oid a regclass (or oid) argument holds.
func regOID(v types.Datum) int64 {
	if r, ok := v.(*types.RegValue); ok {
		return r.OID
	}
	oid, _ := v.(int64)
	return oid
}
