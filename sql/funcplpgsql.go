package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/parser"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
)

// LANGUAGE plpgsql: functions and procedures whose bodies package
// plpgsql compiles (at CREATE, to validate; at a session's first call, to
// run) and interprets over plRuntime.

func init() { RegisterLanguage("plpgsql", plpgsqlLanguage{}) }

type plpgsqlLanguage struct{}

func (plpgsqlLanguage) Validate(rt Runtime, r *Routine) error {
	fn, injected, err := compileRoutine(rt, r)
	if err != nil {
		return err
	}
	if srt, ok := rt.(*sessionRuntime); ok {
		// The checks of plpgsql.extra_warnings that are made at compile
		// time warn at CREATE, as PostgreSQL's validator compiles.
		return reportShadows(srt.x.s, fn, injected, srt.Notice)
	}
	return nil
}

func (plpgsqlLanguage) Compile(rt Runtime, r *Routine) (CompiledRoutine, error) {
	fn, _, err := compileRoutine(rt, r)
	if err != nil {
		return nil, err
	}
	return &plpgsqlRoutine{r: r, fn: fn}, nil
}

// compileRoutine parses r's body as PostgreSQL compiles it: within the
// CREATE statement its declaration makes. injected are the names it
// declared itself (cursorParamDecls).
func compileRoutine(rt Runtime, r *Routine) (fn *plpgsql.Function, injected []string, err error) {
	var head strings.Builder
	kind := "FUNCTION"
	if r.Procedure {
		kind = "PROCEDURE"
	}
	head.WriteString("CREATE " + kind + " " + parser.QuoteIdent(r.Name) + "(")
	var table []string
	n := 0
	for _, p := range r.Params {
		decl := ""
		if p.Name != "" {
			decl = parser.QuoteIdent(p.Name) + " "
		}
		decl += plTypeName(p.Type)
		if p.Mode == "t" {
			table = append(table, decl)
			continue
		}
		if n > 0 {
			head.WriteString(", ")
		}
		n++
		switch p.Mode {
		case "o":
			head.WriteString("OUT ")
		case "b":
			head.WriteString("INOUT ")
		case "v":
			head.WriteString("VARIADIC ")
		}
		head.WriteString(decl)
	}
	head.WriteString(")")
	switch {
	case len(table) > 0:
		head.WriteString(" RETURNS TABLE(" + strings.Join(table, ", ") + ")")
	case r.Procedure:
	case r.ReturnsSet:
		head.WriteString(" RETURNS SETOF " + plTypeName(r.Result))
	default:
		head.WriteString(" RETURNS " + plTypeName(r.Result))
	}
	head.WriteString(" LANGUAGE plpgsql AS ")
	body, injected := cursorParamDecls(r, r.Body)
	var typed []plpgsql.TypeRef
	if srt, ok := rt.(*sessionRuntime); ok {
		var rowParams []string
		body, rowParams = rowParamDecls(srt.x.s, srt.snapshot(), r, body)
		injected = append(injected, rowParams...)
		body, typed = rowTypedDecls(srt.x.s, srt.snapshot(), body)
	}
	fn, err = compilePLpgSQLNamed(r.Name+"("+plSignature(r)+")", r.Name, head.String(), body, 0)
	if err != nil {
		return nil, nil, err
	}
	typeRecords(fn, typed)
	rk := plpgsql.ResultValue
	for _, p := range r.Params {
		if p.Mode == "o" || p.Mode == "b" || p.Mode == "t" {
			rk = plpgsql.ResultOut
		}
	}
	switch {
	case r.ReturnsSet:
		rk = plpgsql.ResultSet
	case r.Procedure:
		rk = plpgsql.ResultProcedure
	case r.Result.ID == types.Void:
		rk = plpgsql.ResultVoid
	}
	if err := fn.CheckReturns(rk, r.Name); err != nil {
		return nil, nil, err
	}
	rowTyped := func(d int) bool {
		for i, p := range fn.Params {
			if p == d && i < len(r.Params) {
				return r.Params[i].Type.IsComposite()
			}
		}
		return false
	}
	if err := fn.CheckDiagTargets(rowTyped, r.Name); err != nil {
		return nil, nil, err
	}
	for i, p := range r.Params {
		if i < len(fn.Params) && (p.Mode == "o" || p.Mode == "b" || p.Mode == "t") {
			fn.OutParams = append(fn.OutParams, fn.Params[i])
		}
	}
	return fn, injected, nil
}

// plTypeName writes t for the PL/pgSQL parser, which only needs to tell
// records, sets and scalars apart.
func plTypeName(t types.T) string {
	switch {
	case t.ID == types.Void:
		return "void"
	case t.ID == types.Record && !t.IsComposite():
		return "record"
	case t.IsComposite():
		return "record"
	}
	return types.Format(t)
}

// plSignature is the argument list CONTEXT lines name a function by:
// "f(integer,text)".
func plSignature(r *Routine) string {
	var out []string
	for _, p := range r.Params {
		if p.Mode == "o" || p.Mode == "t" {
			continue
		}
		out = append(out, types.Format(p.Type))
	}
	return strings.Join(out, ",")
}

// plpgsqlRoutine is a compiled PL/pgSQL routine of one session. rt is
// the runtime of the call running (calls nest: each saves and restores
// it); cache keeps its statements bound between calls.
type plpgsqlRoutine struct {
	r     *Routine
	fn    *plpgsql.Function
	rt    plRuntime
	cache plpgsql.Cache
}

func (c *plpgsqlRoutine) Call(rt Runtime, args []types.Datum) ([][]types.Datum, error) {
	srt, ok := rt.(*sessionRuntime)
	if !ok {
		return nil, pgerr.New(pgerr.InternalError, "a PL/pgSQL routine ran outside its session")
	}
	if c.fn.Trigger {
		return nil, triggerOnly(c.r.Name)
	}
	s := srt.x.s
	saved := c.rt
	c.rt.x, c.rt.s, c.rt.srt = srt.x, s, srt
	c.rt.nested = !c.r.Procedure || s.routines.depth > 1
	defer func() { c.rt.x, c.rt.s, c.rt.srt, c.rt.nested = saved.x, saved.s, saved.srt, saved.nested }()
	if err := c.rt.enter(); err != nil {
		return nil, err
	}
	defer c.rt.leave()
	// The values of all parameters, OUT ones NULL.
	vals := make([]types.Datum, len(c.r.Params))
	ts := make([]types.T, len(c.r.Params))
	in := 0
	for i, p := range c.r.Params {
		ts[i] = p.Type
		if p.Mode == "i" || p.Mode == "b" || p.Mode == "v" {
			if in < len(args) {
				vals[i] = args[in]
			}
			in++
		}
	}
	if len(ts) > len(c.fn.Params) {
		ts, vals = ts[:len(c.fn.Params)], vals[:len(c.fn.Params)]
	}
	out, err := plpgsql.Run(srt.x.ctx, &c.rt, c.fn, &c.cache, vals, ts)
	if err != nil {
		return nil, err
	}
	return c.result(srt, out)
}

// result turns what the body returned into the rows Call returns.
func (c *plpgsqlRoutine) result(srt *sessionRuntime, out *plpgsql.Outcome) ([][]types.Datum, error) {
	ctx := srt.x.ctx
	r := c.r
	cols := r.ResultColumns
	castRow := func(row []types.Datum, rowTypes []types.T) ([]types.Datum, error) {
		if cols == nil {
			return row, nil
		}
		if len(row) != len(cols) {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "structure of query does not match function result type").
				WithDetail("Number of returned columns (" + itoa(len(row)) + ") does not match expected column count (" + itoa(len(cols)) + ").")
		}
		outRow := make([]types.Datum, len(row))
		for i, v := range row {
			outRow[i] = v
			if v != nil && rowTypes != nil && i < len(rowTypes) && rowTypes[i] != cols[i].Type && rowTypes[i].ID != types.Unknown {
				cv, err := c.rt.Cast(ctx, v, rowTypes[i], cols[i].Type)
				if err != nil {
					return nil, err
				}
				outRow[i] = cv
			}
		}
		return outRow, nil
	}
	if r.Procedure {
		if cols == nil {
			return nil, nil
		}
		return [][]types.Datum{out.Out}, nil
	}
	if r.ReturnsSet {
		rows := make([][]types.Datum, 0, len(out.Set))
		for _, row := range out.Set {
			if cols == nil && len(row) == 1 && r.Result.ID != types.Record {
				v := row[0]
				rows = append(rows, []types.Datum{v})
				continue
			}
			cr, err := castRow(row, nil)
			if err != nil {
				return nil, err
			}
			rows = append(rows, cr)
		}
		return rows, nil
	}
	if len(c.fn.OutParams) > 0 {
		if cols == nil {
			return [][]types.Datum{{out.Out[0]}}, nil
		}
		return [][]types.Datum{out.Out}, nil
	}
	if r.Result.ID == types.Void {
		// void's one value is the empty string, not NULL.
		return [][]types.Datum{{""}}, nil
	}
	if !out.Returned {
		return nil, pgerr.New("2F005", "control reached end of function without RETURN").
			WithWhere("PL/pgSQL function " + c.fn.Name)
	}
	v := out.Value
	if rv, isRow := v.(*types.RecordValue); isRow && cols == nil && r.Result.ID != types.Record {
		// A row returned from a function returning a scalar converts by
		// its text, as PostgreSQL's I/O conversion does: "(1,hello)" is
		// no integer (22P02).
		cv, err := c.rt.Cast(ctx, c.rt.Format(out.Type, rv), types.New(types.Text), r.Result)
		if err != nil {
			return nil, err
		}
		return [][]types.Datum{{cv}}, nil
	}
	if rv, ok := v.(*types.RecordValue); ok && (cols != nil || r.Result.ID == types.Record) {
		return castRowValues(c, ctx, rv, cols)
	}
	if v != nil && out.Type != r.Result && out.Type.ID != types.Unknown && cols == nil {
		cv, err := c.rt.Cast(ctx, v, out.Type, r.Result)
		if err != nil {
			return nil, err
		}
		v = cv
	}
	if cols != nil {
		if v == nil {
			return nil, nil
		}
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot return non-composite value from function returning composite type")
	}
	return [][]types.Datum{{v}}, nil
}

// castRowValues returns a record's fields as the result row, cast to the
// result's columns.
func castRowValues(c *plpgsqlRoutine, ctx interface{ Done() <-chan struct{} }, rv *types.RecordValue, cols []Column) ([][]types.Datum, error) {
	if cols == nil {
		// RETURNS record: the record itself, with its shape, which a
		// call in an expression yields whole and a FROM item with a
		// column definition list takes apart.
		return [][]types.Datum{{rv}}, nil
	}
	if len(rv.Fields) != len(cols) {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "returned record type does not match expected record type").
			WithDetail("Number of returned columns (" + itoa(len(rv.Fields)) + ") does not match expected column count (" + itoa(len(cols)) + ").")
	}
	row := make([]types.Datum, len(cols))
	copy(row, rv.Fields)
	return [][]types.Datum{row}, nil
}
