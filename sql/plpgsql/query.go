package plpgsql

import (
	"context"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// compiled is a bound statement of the body and the variables its
// parameters stand for (after the function's own arguments, $1..$n).
type compiled struct {
	text string
	sel  bool // text is SELECT of the expression
	q    Query
	refs []varRef
	// types are the refs' types when it was bound: a record variable
	// that now holds a row of another shape needs it bound again.
	types []types.T
	// buf holds the parameter values while the expression is being
	// evaluated (evaluating) as a scalar.
	buf        []types.Datum
	evaluating bool
}

// varRef is a variable, or a field of a record variable.
type varRef struct {
	datum int
	field string // "" for the whole variable
}

// resolver resolves the names of one statement against its scope.
type resolver struct {
	f   *frame
	sc  *Scope
	c   *compiled
	ctx context.Context
}

// Resolve implements Resolver: name, label.name, record.field,
// label.record.field.
func (r *resolver) Resolve(names []string) (int, types.T, bool, error) {
	ref, ok := r.lookup(names)
	if !ok {
		return 0, types.T{}, false, nil
	}
	t, err := r.f.refType(r.ctx, ref)
	if err != nil {
		return 0, types.T{}, true, err
	}
	for i, x := range r.c.refs {
		if x == ref {
			r.c.types[i] = t
			return len(r.f.argTypes) + i + 1, t, true, nil
		}
	}
	r.c.refs = append(r.c.refs, ref)
	r.c.types = append(r.c.types, t)
	return len(r.f.argTypes) + len(r.c.refs), t, true, nil
}

// Names implements Resolver.
func (r *resolver) Names(names []string) bool {
	_, ok := r.lookup(names)
	return ok
}

// Conflict implements Resolver.
func (r *resolver) Conflict() string {
	if c := r.f.fn.VariableConflict; c != "" {
		return c
	}
	if c := r.f.rt.Setting("plpgsql.variable_conflict"); c != "" {
		return c
	}
	return "error"
}

func (r *resolver) lookup(names []string) (varRef, bool) {
	if len(names) == 0 || len(names) > 3 {
		return varRef{}, false
	}
	if len(names) == 1 {
		if d, ok := lookupName(r.sc, names[0]); ok {
			return varRef{datum: d}, r.f.fn.Datums[d].Kind != DatumRow
		}
		return varRef{}, false
	}
	// label.name [.field]
	for s := r.sc; s != nil; s = s.Parent {
		if s.Label != "" && s.Label == names[0] {
			if d, ok := labelLookup(s, names[1]); ok {
				if len(names) == 2 {
					return varRef{datum: d}, true
				}
				if r.f.isComposite(d) {
					return varRef{datum: d, field: names[2]}, true
				}
			}
		}
	}
	if len(names) == 2 {
		if d, ok := lookupName(r.sc, names[0]); ok && r.f.isComposite(d) {
			return varRef{datum: d, field: names[1]}, true
		}
	}
	return varRef{}, false
}

// labelLookup finds name in the scope labelled by s (a block's scope
// may be followed by the scopes of its loops, which carry no names of
// their own for the label).
func labelLookup(s *Scope, name string) (int, bool) {
	d, ok := s.Names[name]
	return d, ok
}

func (f *frame) isComposite(d int) bool {
	dt := f.fn.Datums[d]
	if dt.Kind == DatumRec {
		return true
	}
	if dt.Kind != DatumVar {
		return false
	}
	t, ok := f.cache.typeOf(d)
	return ok && t.Shape != nil
}

// refType is the type of a reference now.
func (f *frame) refType(ctx context.Context, ref varRef) (types.T, error) {
	dt := f.fn.Datums[ref.datum]
	val := f.vals[ref.datum]
	if dt.Kind == DatumRec && !val.assigned {
		return types.T{}, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "record \"%s\" is not assigned yet", dt.Name).
			WithDetail("The tuple structure of a not-yet-assigned record is indeterminate.")
	}
	t := val.t
	if dt.Kind == DatumVar {
		var err error
		if t, err = f.varType(ctx, ref.datum); err != nil {
			return types.T{}, err
		}
	}
	if ref.field == "" {
		return t, nil
	}
	shape := t.Shape
	if rv, ok := val.v.(*types.RecordValue); ok {
		shape = rv.Shape
	}
	if shape == nil {
		return types.T{}, pgerr.New(pgerr.ObjectNotInPrerequisiteState, "record \"%s\" is not assigned yet", dt.Name)
	}
	i := fieldIndex(shape, ref.field)
	if i < 0 {
		return types.T{}, pgerr.New(pgerr.UndefinedColumn, "record \"%s\" has no field \"%s\"", dt.Name, ref.field)
	}
	return shape.Types[i], nil
}

// refValue is the value of a reference now.
func (f *frame) refValue(ref varRef) types.Datum {
	val := f.vals[ref.datum]
	if ref.field == "" {
		return val.v
	}
	rv, ok := val.v.(*types.RecordValue)
	if !ok {
		return nil
	}
	if i := fieldIndex(rv.Shape, ref.field); i >= 0 {
		return rv.Fields[i]
	}
	return nil
}

// compiledFor returns the bound statement written at e: SELECT e.Query
// when sel (an expression), else e.Query. It binds it on first use, and
// again when a variable it reads now has another type.
func (f *frame) compiledFor(ctx context.Context, e *Expr, sel bool) (*compiled, error) {
	c := f.cache.statement(e)
	if c != nil && c.sel == sel {
		for i, ref := range c.refs {
			t, err := f.refType(ctx, ref)
			if err != nil {
				return nil, err
			}
			if !sameType(t, c.types[i]) {
				c = nil
				break
			}
		}
	} else {
		c = nil
	}
	if c != nil {
		return c, nil
	}
	text := e.Query
	if sel {
		text = "SELECT " + e.Query
	}
	c = &compiled{text: text, sel: sel}
	q, err := f.rt.Prepare(ctx, text, f.argTypes, &resolver{f: f, sc: e.Scope, c: c, ctx: ctx})
	if err != nil {
		// PostgreSQL names the statement of a compile error in its
		// QUERY field, not in CONTEXT.
		return nil, err
	}
	c.q = q
	f.cache.setStatement(e, c)
	return c, nil
}

// appendParams appends the values of c's parameters to dst: the
// function's arguments, then the variables the statement reads.
func (f *frame) appendParams(dst []types.Datum, c *compiled) []types.Datum {
	for _, d := range f.fn.Params {
		dst = append(dst, f.vals[d].v)
	}
	for _, ref := range c.refs {
		dst = append(dst, f.refValue(ref))
	}
	return dst
}

// run binds (once, or again when a variable changed type) and runs the
// statement written at e: SELECT e.Query when sel, else e.Query.
func (f *frame) run(ctx context.Context, e *Expr, sel bool) (*Rows, error) {
	c, err := f.compiledFor(ctx, e, sel)
	if err != nil {
		return nil, err
	}
	return f.runCompiled(ctx, e, c)
}

// runCompiled runs c, the statement bound for e.
func (f *frame) runCompiled(ctx context.Context, e *Expr, c *compiled) (*Rows, error) {
	params := f.appendParams(make([]types.Datum, 0, len(f.fn.Params)+len(c.refs)), c)
	rows, err := c.q.Run(ctx, params)
	if err != nil {
		return nil, &sqlError{err: err, where: f.queryContext(e, c.text)}
	}
	return rows, nil
}

// scalar evaluates the expression at e without running it as a query
// when the engine can (ScalarQuery); ok is false when it cannot. The
// parameter values go in a buffer the statement keeps, unless a call
// inside the expression is evaluating it already (recursion).
func (f *frame) scalar(ctx context.Context, e *Expr, c *compiled) (types.Datum, types.T, bool, error) {
	sq, ok := c.q.(ScalarQuery)
	if !ok {
		return nil, types.T{}, false, nil
	}
	var params []types.Datum
	if c.evaluating {
		params = f.appendParams(nil, c)
	} else {
		c.buf = f.appendParams(c.buf[:0], c)
		params = c.buf
		c.evaluating = true
		defer func() { c.evaluating = false; clear(c.buf) }()
	}
	v, t, ok, err := sq.Scalar(ctx, params)
	if err != nil {
		return nil, types.T{}, true, &sqlError{err: err, where: f.queryContext(e, c.text)}
	}
	return v, t, ok, nil
}

// queryContext is the CONTEXT line naming a failed statement.
func (f *frame) queryContext(e *Expr, text string) string {
	if strings.HasPrefix(text, "SELECT ") && text[len("SELECT "):] == e.Query {
		if e.Assign != "" {
			return "PL/pgSQL assignment \"" + e.Assign + "\""
		}
		return "SQL expression \"" + e.Query + "\""
	}
	return "SQL statement \"" + text + "\""
}

// eval evaluates an expression: SELECT expr, one column, at most one
// row (none is NULL).
func (f *frame) eval(ctx context.Context, e *Expr) (types.Datum, types.T, error) {
	c, err := f.compiledFor(ctx, e, true)
	if err != nil {
		return nil, types.T{}, err
	}
	if v, t, ok, err := f.scalar(ctx, e, c); ok || err != nil {
		return v, t, err
	}
	rows, err := f.runCompiled(ctx, e, c)
	if err != nil {
		return nil, types.T{}, err
	}
	if len(rows.Types) != 1 {
		return nil, types.T{}, pgerr.New(pgerr.SyntaxError, "query \"SELECT %s\" returned %d columns", e.Query, len(rows.Types))
	}
	if len(rows.Rows) > 1 {
		return nil, types.T{}, pgerr.New(pgerr.CardinalityViolation, "query \"SELECT %s\" returned more than one row", e.Query)
	}
	if len(rows.Rows) == 0 {
		return nil, rows.Types[0], nil
	}
	return rows.Rows[0][0], rows.Types[0], nil
}

// query runs a query of the body, or, when dynamic, the text e
// evaluates to with the USING values as $1..$n.
func (f *frame) query(ctx context.Context, e *Expr, dynamic bool, using []*Expr) (*Rows, error) {
	if !dynamic {
		return f.run(ctx, e, false)
	}
	v, t, err := f.eval(ctx, e)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, pgerr.New(pgerr.NullValueNotAllowed, "query string argument of EXECUTE is null")
	}
	text := f.rt.Format(t, v)
	var vals []types.Datum
	var ts []types.T
	for _, u := range using {
		uv, ut, err := f.eval(ctx, u)
		if err != nil {
			return nil, err
		}
		if ut.ID == types.Unknown {
			ut = types.New(types.Text)
		}
		vals, ts = append(vals, uv), append(ts, ut)
	}
	q, err := f.rt.Prepare(ctx, text, ts, nil)
	if err != nil {
		return nil, &sqlError{err: err, where: "SQL statement \"" + text + "\""}
	}
	rows, err := q.Run(ctx, vals)
	if err != nil {
		return nil, &sqlError{err: err, where: "SQL statement \"" + text + "\""}
	}
	return rows, nil
}
