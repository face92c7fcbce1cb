package sql

import (
	"slices"

	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// A routine whose result or parameters are a table's row type stores the
// type as it was at CREATE; PostgreSQL resolves it when the routine is
// called, so a routine returning SETOF t follows ALTER TABLE t ADD or
// DROP COLUMN. currentRowTypes gives a call the routine with the row
// types as the relations are now, kept per session while the catalog is
// unchanged (so that it is compiled once).

// currentRowTypes returns d with the relation row types of its result
// and parameters brought up to date; d itself when none changed.
func (b *binder) currentRowTypes(d *catalog.FuncDesc) (*catalog.FuncDesc, error) {
	if b.s == nil || !usesRowType(d) {
		return d, nil
	}
	st := &b.s.routines
	if gen := b.s.e.gen.Load(); st.instGen != gen || st.instances == nil {
		st.instGen, st.instances = gen, make(map[polyKey]*catalog.FuncDesc)
	}
	key := polyKey{d: d, sig: "row types"}
	if inst, ok := st.instances[key]; ok {
		return inst, nil
	}
	all, err := b.s.e.cat.All(b.snap)
	if err != nil {
		return nil, err
	}
	current := func(t types.T) types.T {
		if t.ID != types.Record || t.Shape == nil || t.Shape.OID&catalog.RowTypeBit == 0 {
			return t
		}
		rel := t.Shape.OID &^ catalog.RowTypeBit
		for _, r := range all {
			if r.ID == rel && r.HasRowType() {
				return r.RowType()
			}
		}
		return t
	}
	inst := *d
	changed := false
	if rt := current(d.Result); !sameRowType(rt, d.Result) {
		inst.Result, changed = rt, true
	}
	inst.Args = slices.Clone(d.Args)
	for i, a := range inst.Args {
		if at := current(a.Type); !sameRowType(at, a.Type) {
			inst.Args[i].Type, changed = at, true
		}
	}
	out := d
	if changed {
		out = &inst
	}
	st.instances[key] = out
	return out, nil
}

// usesRowType reports whether d's result or a parameter is a relation's
// row type.
func usesRowType(d *catalog.FuncDesc) bool {
	isRow := func(t types.T) bool {
		return t.ID == types.Record && t.Shape != nil && t.Shape.OID&catalog.RowTypeBit != 0
	}
	if isRow(d.Result) {
		return true
	}
	return slices.ContainsFunc(d.Args, func(a catalog.FuncArg) bool { return isRow(a.Type) })
}

// sameRowType reports whether two row types have the same fields.
func sameRowType(a, b types.T) bool {
	if a.Shape == nil || b.Shape == nil {
		return a.Shape == b.Shape
	}
	return slices.Equal(a.Shape.Names, b.Shape.Names) && slices.EqualFunc(a.Shape.Types, b.Shape.Types, func(x, y types.T) bool {
		return x.ID == y.ID && x.Mod == y.Mod
	})
}
