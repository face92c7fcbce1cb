package sql

import (
	"fmt"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// json_populate_record and json_populate_recordset (and their jsonb
// forms): a record of the base argument's type whose fields take the
// values of the object's keys of their names, the fields without a key
// keeping the base's (NULL for a NULL base). In a select list
// json_populate_record is a scalar function and json_populate_recordset
// a set-returning one, both of the base's record type; in FROM their
// columns are the base type's fields or, for record, the column
// definition list's.

// isPopulateFunc reports whether name is one of the populate functions.
func isPopulateFunc(name string) bool {
	switch name {
	case "json_populate_record", "jsonb_populate_record", "json_populate_recordset", "jsonb_populate_recordset":
		return true
	}
	return false
}

// populateJSONType is the type of a populate function's json argument.
func populateJSONType(name string) types.T {
	if strings.HasPrefix(name, "jsonb") {
		return jsonbT
	}
	return jsonT
}

// noRowType is the error for a populate function whose base is of the
// type record, without fields to fill.
func noRowType(name string, pos int32) error {
	return pgerr.New(pgerr.FeatureNotSupported, "could not determine row type for result of %s", name).
		WithHint("Provide a non-null record argument, or call the function in the FROM clause using a column definition list.").WithPosition(pos)
}

// namedRowType reports whether t is a row type with a name (not record):
// a populate function of one has its fields as columns in FROM.
func namedRowType(t types.T) bool { return t.IsComposite() }

func notARowType(name string, pos int32) error {
	return pgerr.New(pgerr.DatatypeMismatch, "first argument of %s must be a row type", name).WithPosition(pos)
}

// bindPopulateRecord binds json_populate_record(base, from_json) in an
// expression.
func (b *binder) bindPopulateRecord(name string, args []expr, pos int32) (expr, error) {
	if len(args) != 2 {
		return nil, undefinedFunction(name, args, pos)
	}
	bt := args[0].Type()
	if bt.ID != types.Record && bt.Shape == nil {
		return nil, notARowType(name, pos)
	}
	if bt.Shape == nil {
		return nil, noRowType(name, pos)
	}
	if err := b.coerceArg(args, 1, populateJSONType(name), name, pos); err != nil {
		return nil, err
	}
	p, err := b.populatorFor(bt, 0)
	if err != nil {
		return nil, err
	}
	return rewrapDomain(args[0], &populateExpr{p: p, args: args, name: name}), nil
}

// populateExpr is json_populate_record(base, from_json) in an expression.
type populateExpr struct {
	p    *populator
	args []expr
	name string
}

func (e *populateExpr) Type() types.T { return e.p.t }
func (e *populateExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	base, err := e.args[0].Eval(c, row)
	if err != nil {
		return nil, err
	}
	js, err := e.args[1].Eval(c, row)
	if err != nil || js == nil {
		return base, err
	}
	j, err := readJSON(js)
	if err != nil {
		return nil, err
	}
	if err := populateObject(j, e.name); err != nil {
		return nil, err
	}
	rec, _ := base.(*types.RecordValue)
	fields, err := e.p.record(c, j, rec)
	if err != nil {
		return nil, err
	}
	return &types.RecordValue{Shape: e.p.t.Shape, Fields: fields}, nil
}

// populateObject refuses a JSON value other than an object as the
// argument of populate function name.
func populateObject(j *types.JSON, name string) error {
	switch j.Kind {
	case types.JSONObject:
		return nil
	case types.JSONArrayKind:
		return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on an array", name)
	}
	return pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", name)
}

// bindJSONPopulate binds a populate function in FROM (or, for
// json_populate_recordset, in a select list, where b.srfArgs is set):
// its columns and rows.
func (b *binder) bindJSONPopulate(n *funcScanNode, x *ast.FuncCall, defs []ast.ColumnDef) ([]Column, error) {
	name := x.Name
	if len(n.args) != 2 {
		return nil, undefinedFunction(name, n.args, x.Pos)
	}
	bt := n.args[0].Type()
	if bt.ID != types.Record && bt.Shape == nil {
		return nil, notARowType(name, x.Pos)
	}
	if err := b.coerceArg(n.args, 1, populateJSONType(name), name, x.Pos); err != nil {
		return nil, err
	}
	var cols []Column
	var pops []*populator
	switch {
	case len(defs) > 0:
		if namedRowType(bt) {
			return nil, pgerr.New(pgerr.SyntaxError, "a column definition list is only allowed for functions returning \"record\"").WithPosition(defs[0].Pos)
		}
		var err error
		if cols, pops, err = b.definitionPopulators(defs); err != nil {
			return nil, err
		}
	case bt.Shape != nil && (namedRowType(bt) || b.srfArgs != nil):
		p, err := b.populatorFor(bt, 0)
		if err != nil {
			return nil, err
		}
		for i, f := range bt.Shape.Names {
			cols = append(cols, Column{Name: f, Type: bt.Shape.Types[i]})
		}
		pops = p.fields
	case bt.ID == types.Record && b.srfArgs != nil:
		return nil, noRowType(name, x.Pos)
	default:
		return nil, pgerr.New(pgerr.SyntaxError, "a column definition list is required for functions returning \"record\"").WithPosition(x.Pos)
	}
	set := strings.HasSuffix(name, "set")
	n.calledOnNull = true
	// A base cast to a domain over its composite type: each row is
	// checked against the domain.
	rowCheck := rewrapDomain(n.args[0], &colExpr{t: bt})
	if _, plain := rowCheck.(*colExpr); plain {
		rowCheck = nil
	}
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		ec := &evalCtx{exec: ex}
		base, _ := a[0].(*types.RecordValue)
		names := make([]string, len(cols))
		ts := make([]types.T, len(cols))
		for i, c := range cols {
			names[i], ts[i] = c.Name, c.Type
		}
		if base != nil && base.Shape != nil && len(defs) > 0 {
			// The base's fields are filled, and must be what the
			// definition list says.
			if err := rowTypesMatch(base.Shape.Types, ts); err != nil {
				return nil, err
			}
			names = base.Shape.Names
		}
		if a[1] == nil {
			if set {
				return nil, nil
			}
			if base == nil {
				return []types.Datum{make(srfRow, len(cols))}, nil
			}
			return []types.Datum{srfRow(append([]types.Datum{}, base.Fields...))}, nil
		}
		j, err := readJSON(a[1])
		if err != nil {
			return nil, err
		}
		objs := []*types.JSON{j}
		if set {
			if j.Kind != types.JSONArrayKind {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a non-array", name)
			}
			objs = j.Elems
		}
		out := make([]types.Datum, 0, len(objs))
		for _, o := range objs {
			if set && o.Kind != types.JSONObject {
				return nil, pgerr.New(pgerr.InvalidParameterValue, "argument of %s must be an array of objects", name)
			}
			if err := populateObject(o, name); err != nil {
				return nil, err
			}
			fields, err := fillRecord(ec, names, pops, o, base)
			if err != nil {
				return nil, err
			}
			if rowCheck != nil {
				if _, err := rowCheck.Eval(ec, []types.Datum{&types.RecordValue{Shape: bt.Shape, Fields: fields}}); err != nil {
					return nil, err
				}
			}
			row := srfRow(fields)
			if err := ex.grow(rowBytes(row)); err != nil {
				return nil, err
			}
			out = append(out, row)
		}
		return out, nil
	}
	return cols, nil
}

// definitionPopulators reads a column definition list: its columns, and
// the populators of their types (a column of a domain checks it).
func (b *binder) definitionPopulators(defs []ast.ColumnDef) ([]Column, []*populator, error) {
	cols := make([]Column, len(defs))
	pops := make([]*populator, len(defs))
	for i, d := range defs {
		t, dom, err := b.resolveType(d.Type)
		if err != nil {
			return nil, nil, err
		}
		var domID uint32
		if dom != nil {
			domID = dom.ID
		}
		if pops[i], err = b.populatorFor(t, domID); err != nil {
			return nil, nil, err
		}
		cols[i] = Column{Name: d.Name, Type: t}
	}
	return cols, pops, nil
}

// rowTypesMatch is tupledesc_match: a function's returned row against
// the column definition list's types.
func rowTypesMatch(got, want []types.T) error {
	if len(got) != len(want) {
		unit := "attributes"
		if len(got) == 1 {
			unit = "attribute"
		}
		return pgerr.New(pgerr.DatatypeMismatch, "function return row and query-specified return row do not match").
			WithDetail(fmt.Sprintf("Returned row contains %d %s, but query expects %d.", len(got), unit, len(want)))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			return pgerr.New(pgerr.DatatypeMismatch, "function return row and query-specified return row do not match").
				WithDetail(fmt.Sprintf("Returned type %s at ordinal position %d, but query expects %s.", got[i].Name(), i+1, want[i].Name()))
		}
	}
	return nil
}
