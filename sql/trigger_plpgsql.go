package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/plpgsql"
	"github.com/cairndb/cairn/sql/types"
)

// PL/pgSQL trigger functions: a firing runs the body with NEW, OLD and
// the TG_ variables as its parameters (plpgsql.TriggerParams).

var _ TriggerRoutine = (*plpgsqlRoutine)(nil)

// triggerOnly is the error of a trigger function called as a function.
func triggerOnly(name string) error {
	return pgerr.New(pgerr.FeatureNotSupported, "trigger functions can only be called as triggers").
		WithWhere("compilation of PL/pgSQL function \"" + name + "\" near line 1")
}

func (c *plpgsqlRoutine) CallTrigger(rt Runtime, td *TriggerData) ([]types.Datum, error) {
	srt, ok := rt.(*sessionRuntime)
	if !ok || !c.fn.Trigger {
		return nil, pgerr.New(pgerr.InternalError, "function %s is not a trigger function", c.r.Name)
	}
	s := srt.x.s
	saved := c.rt
	c.rt.x, c.rt.s, c.rt.srt, c.rt.nested = srt.x, s, srt, true
	defer func() { c.rt.x, c.rt.s, c.rt.srt, c.rt.nested = saved.x, saved.s, saved.srt, saved.nested }()
	if err := c.rt.enter(); err != nil {
		return nil, err
	}
	defer c.rt.leave()
	rowT := types.T{ID: types.Record, Mod: -1, Shape: td.Shape}
	// TG_ARGV is subscripted from 0, and NULL without arguments.
	var argv types.Datum
	if len(td.Args) > 0 {
		elems := make([]types.Datum, len(td.Args))
		for i, a := range td.Args {
			elems[i] = a
		}
		argv = types.NewArray(elems, []int{len(elems)}, []int{0})
	}
	var newV, oldV types.Datum
	if td.New != nil {
		newV = td.New
	}
	if td.Old != nil {
		oldV = td.Old
	}
	name, text := types.New(types.SysName), types.New(types.Text)
	vals := []types.Datum{newV, oldV, td.Name, td.When, td.Level, td.Op, int64(td.RelID), td.RelName, td.RelName,
		td.Schema, int64(len(td.Args)), argv}
	ts := []types.T{rowT, rowT, name, text, text, text, types.New(types.OID), name, name, name,
		types.New(types.Int4), types.New(types.TextArray)}
	out, err := plpgsql.Run(srt.x.ctx, &c.rt, c.fn, &c.cache, vals, ts)
	if err != nil {
		return nil, err
	}
	if !out.Returned {
		return nil, pgerr.New("2F005", "control reached end of trigger procedure without RETURN").
			WithWhere("PL/pgSQL function " + c.fn.Name)
	}
	if out.Value == nil || td.Level != "ROW" || td.When == "AFTER" {
		return nil, nil
	}
	rv, ok := out.Value.(*types.RecordValue)
	if !ok {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot return non-composite value from function returning composite type").
			WithWhere("PL/pgSQL function " + c.fn.Name)
	}
	return c.triggerRow(srt, rv, td.Shape)
}

// triggerRow is the row a trigger function returned, cast to the
// table's column types.
func (c *plpgsqlRoutine) triggerRow(srt *sessionRuntime, rv *types.RecordValue, shape *types.RecordShape) ([]types.Datum, error) {
	mismatch := func(detail string) error {
		return pgerr.New(pgerr.DatatypeMismatch, "returned row structure does not match the structure of the triggering table").
			WithDetail(detail).WithWhere("PL/pgSQL function " + c.fn.Name)
	}
	if len(rv.Fields) != len(shape.Types) {
		return nil, mismatch("Number of returned columns (" + itoa(len(rv.Fields)) + ") does not match expected column count (" + itoa(len(shape.Types)) + ").")
	}
	row := make([]types.Datum, len(rv.Fields))
	copy(row, rv.Fields)
	if rv.Shape == shape || rv.Shape == nil {
		return row, nil
	}
	for i, v := range row {
		if i >= len(rv.Shape.Types) {
			break
		}
		from, to := rv.Shape.Types[i], shape.Types[i]
		if v == nil || from.ID == to.ID && from.Mod == to.Mod || from.ID == types.Unknown {
			continue
		}
		cv, err := c.rt.Cast(srt.x.ctx, v, from, to)
		if err != nil {
			return nil, mismatch("Returned type " + types.Format(from) + " does not match expected type " + types.Format(to) + " in column " + itoa(i+1) + ".")
		}
		row[i] = cv
	}
	return row, nil
}
