package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Routines with polymorphic parameters or results (anyelement,
// anyarray, anycompatible, ...). As PostgreSQL does, a call resolves the
// pseudo-types from the types of its arguments: the anyelement family to
// the one type its arguments share (an anyarray argument giving its
// element type), the anycompatible family to the common type of its
// arguments. The call then runs an instance of the routine whose
// parameters and result carry the resolved types, so that its body is
// compiled and bound per instance, as PostgreSQL caches a PL/pgSQL
// function per actual argument types.

// isElemFamily and isCompatFamily tell the two families apart.
func isElemFamily(id types.ID) bool {
	switch id {
	case types.AnyElement, types.AnyArray, types.AnyNonArray, types.AnyEnum, types.AnyRange, types.AnyMultirange:
		return true
	}
	return false
}

func isCompatFamily(id types.ID) bool {
	switch id {
	case types.AnyCompatible, types.AnyCompatibleArray, types.AnyCompatibleNonArray, types.AnyCompatibleRange, types.AnyCompatibleMultirange:
		return true
	}
	return false
}

// routineIsPolymorphic reports whether d has a polymorphic parameter or
// result.
func routineIsPolymorphic(d *catalog.FuncDesc) bool {
	if types.IsPolymorphic(d.Result.ID) {
		return true
	}
	for _, a := range d.Args {
		if types.IsPolymorphic(a.Type.ID) {
			return true
		}
	}
	return false
}

// checkPolymorphicSignature refuses at CREATE a polymorphic result (or
// OUT parameter) that no input parameter can resolve, with PostgreSQL's
// 42P13 and its detail.
func checkPolymorphicSignature(d *catalog.FuncDesc) error {
	var elemIn, rangeIn, compatIn, compatRangeIn bool
	for _, a := range d.Args {
		if !a.IsInput() {
			continue
		}
		id := a.Type.ID
		elemIn = elemIn || isElemFamily(id)
		rangeIn = rangeIn || id == types.AnyRange || id == types.AnyMultirange
		compatIn = compatIn || isCompatFamily(id)
		compatRangeIn = compatRangeIn || id == types.AnyCompatibleRange || id == types.AnyCompatibleMultirange
	}
	check := func(t types.T) error {
		id := t.ID
		var need string
		switch {
		case (id == types.AnyRange || id == types.AnyMultirange) && !rangeIn:
			need = "anyrange or anymultirange"
		case isElemFamily(id) && !elemIn:
			need = "anyelement, anyarray, anynonarray, anyenum, anyrange, or anymultirange"
		case (id == types.AnyCompatibleRange || id == types.AnyCompatibleMultirange) && !compatRangeIn:
			need = "anycompatiblerange or anycompatiblemultirange"
		case isCompatFamily(id) && !compatIn:
			need = "anycompatible, anycompatiblearray, anycompatiblenonarray, anycompatiblerange, or anycompatiblemultirange"
		default:
			return nil
		}
		return pgerr.New(pgerr.InvalidFunctionDefinition, "cannot determine result data type").
			WithDetail("A result of type " + t.Name() + " requires at least one input of type " + need + ".")
	}
	if err := check(d.Result); err != nil {
		return err
	}
	for _, a := range d.Args {
		if a.Mode == "o" || a.Mode == "t" {
			if err := check(a.Type); err != nil {
				return err
			}
		}
	}
	return nil
}

// polyTypes are the actual types a call resolved a routine's two
// polymorphic families to; a zero ID is a family the routine does not
// use.
type polyTypes struct {
	elem, compat types.T
}

// resolvePolymorphic resolves d's polymorphic types from the types of
// the arguments a call passes to its parameters params (actual[p] for
// params[p]; a zero ID for a parameter left to its default, unknown for
// an untyped literal or NULL). ok is false when the arguments do not fit
// (the routine is then no candidate); err is set when they fit but leave
// a family undetermined (42804).
func (b *binder) resolvePolymorphic(params []catalog.FuncArg, actual []types.T, expanded bool, varFrom int) (pt polyTypes, ok bool, err error) {
	var elem types.T
	var elemUsed, elemUnknown, compatUsed bool
	var compat []expr
	for p, prm := range params {
		id := prm.Type.ID
		if !types.IsPolymorphic(id) {
			continue
		}
		a := actual[p]
		if expanded && p == varFrom {
			// VARIADIC anyarray called with its elements: each is an
			// element.
			switch id {
			case types.AnyArray:
				id = types.AnyElement
			case types.AnyCompatibleArray:
				id = types.AnyCompatible
			}
		}
		if isElemFamily(id) {
			elemUsed = true
		} else {
			compatUsed = true
		}
		if a.ID == 0 {
			continue
		}
		if a.ID == types.Unknown {
			if isElemFamily(id) {
				elemUnknown = true
			} else {
				compat = append(compat, typedPlaceholder{t: a})
			}
			continue
		}
		var cand types.T
		switch id {
		case types.AnyElement:
			cand = a
		case types.AnyNonArray, types.AnyCompatibleNonArray:
			if a.IsArray() {
				return pt, false, nil
			}
			cand = a
		case types.AnyEnum:
			if !a.IsEnum() {
				return pt, false, nil
			}
			cand = a
		case types.AnyArray, types.AnyCompatibleArray:
			e, isArr := a.Elem()
			if !isArr {
				return pt, false, nil
			}
			cand = e
		case types.AnyCompatible:
			cand = a
		default:
			// anyrange and the multirange types: cairn has no range
			// types, so no argument is one.
			return pt, false, nil
		}
		cand.Mod = -1
		if isElemFamily(id) {
			if elem.ID != 0 && (elem.ID != cand.ID || !sameShape(elem, cand)) {
				return pt, false, nil
			}
			elem = cand
		} else {
			compat = append(compat, typedPlaceholder{t: cand})
		}
	}
	if elemUsed {
		if elem.ID == 0 {
			if elemUnknown {
				return pt, true, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
			}
			return pt, false, nil
		}
		pt.elem = elem
	}
	if compatUsed {
		t, _, cerr := b.commonType(compat, "anycompatible", -1)
		if cerr != nil {
			return pt, false, nil
		}
		t.Mod = -1
		pt.compat = t
	}
	return pt, true, nil
}

// sameShape reports whether two record types are the same composite
// type (other types have no shape).
func sameShape(a, b types.T) bool {
	if a.Shape == nil || b.Shape == nil {
		return a.Shape == b.Shape
	}
	return a.Shape == b.Shape || types.Format(a) == types.Format(b)
}

// typedPlaceholder is an expression of a given type, to ask commonType
// about types alone.
type typedPlaceholder struct{ t types.T }

func (p typedPlaceholder) Type() types.T { return p.t }
func (p typedPlaceholder) Eval(*evalCtx, []types.Datum) (types.Datum, error) {
	return nil, pgerr.New(pgerr.InternalError, "a type placeholder was evaluated")
}

// substitute is t with the polymorphic type resolved.
func (pt polyTypes) substitute(t types.T) (types.T, error) {
	arrayOf := func(e types.T) (types.T, error) {
		at, ok := types.ArrayOf(e)
		if !ok {
			return types.T{}, pgerr.New(pgerr.UndefinedObject, "could not find array type for data type %s", e.Name())
		}
		return at, nil
	}
	switch t.ID {
	case types.AnyElement, types.AnyNonArray, types.AnyEnum:
		return pt.elem, nil
	case types.AnyArray:
		return arrayOf(pt.elem)
	case types.AnyCompatible, types.AnyCompatibleNonArray:
		return pt.compat, nil
	case types.AnyCompatibleArray:
		return arrayOf(pt.compat)
	case types.AnyRange, types.AnyMultirange, types.AnyCompatibleRange, types.AnyCompatibleMultirange:
		return types.T{}, pgerr.New(pgerr.FeatureNotSupported, "range types are not supported")
	}
	return t, nil
}

// instantiate returns the instance of polymorphic routine d for the
// resolved types pt: d with its parameters' and result's types resolved.
// Instances are kept per session while the catalog is unchanged, so that
// each is compiled once.
func (b *binder) instantiate(d *catalog.FuncDesc, pt polyTypes) (*catalog.FuncDesc, error) {
	key := polyKey{d: d, sig: types.Format(pt.elem) + "|" + types.Format(pt.compat)}
	if pt.elem.Shape != nil || pt.compat.Shape != nil {
		// Anonymous records differ by shape, not by name.
		key.elemShape, key.compatShape = pt.elem.Shape, pt.compat.Shape
	}
	var st *routineState
	if b.s != nil {
		st = &b.s.routines
		if gen := b.s.e.gen.Load(); st.instGen != gen || st.instances == nil {
			st.instGen, st.instances = gen, make(map[polyKey]*catalog.FuncDesc)
		}
		if inst, ok := st.instances[key]; ok {
			return inst, nil
		}
	}
	inst := *d
	inst.Args = make([]catalog.FuncArg, len(d.Args))
	for i, a := range d.Args {
		t, err := pt.substitute(a.Type)
		if err != nil {
			return nil, err
		}
		a.Type = t
		inst.Args[i] = a
	}
	t, err := pt.substitute(d.Result)
	if err != nil {
		return nil, err
	}
	inst.Result = t
	if st != nil {
		st.instances[key] = &inst
	}
	return &inst, nil
}

// polyKey names one instance of a polymorphic routine.
type polyKey struct {
	d                      *catalog.FuncDesc
	sig                    string
	elemShape, compatShape *types.RecordShape
}

// polymorphicForm resolves the polymorphic types of f's routine for a
// call with args and returns the instance the call runs; nil when the
// arguments do not fit it.
func (b *binder) polymorphicForm(f callForm, args []expr, call bool) (*catalog.FuncDesc, error) {
	params := callParams(f.desc, call)
	actual := make([]types.T, len(params))
	for i, a := range args {
		p := f.slots[i]
		t := a.Type()
		if f.expanded && p == f.varFrom {
			// Each element of an expanded VARIADIC parameter.
			if actual[p].ID != 0 && actual[p].ID != types.Unknown && t.ID != actual[p].ID && t.ID != types.Unknown {
				return nil, nil
			}
			if actual[p].ID != 0 && t.ID == types.Unknown {
				continue
			}
		}
		actual[p] = t
	}
	pt, ok, err := b.resolvePolymorphic(params, actual, f.expanded, f.varFrom)
	if err != nil || !ok {
		return nil, err
	}
	return b.instantiate(f.desc, pt)
}

// routineParamsPolymorphic reports whether r has a polymorphic
// parameter or result.
func routineParamsPolymorphic(r *Routine) bool {
	if types.IsPolymorphic(r.Result.ID) {
		return true
	}
	for _, p := range r.Params {
		if types.IsPolymorphic(p.Type.ID) {
			return true
		}
	}
	return false
}
