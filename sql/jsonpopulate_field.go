package sql

import (
	"fmt"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// How the populate functions (json_populate_record and _recordset,
// json_to_record and _recordset, and their jsonb forms) turn one JSON
// value into a value of one SQL type: PostgreSQL's populate_record_field.
//
//   - null, or a key the object lacks, is NULL;
//   - json and jsonb take the value itself (json its text);
//   - a composite type takes an object field by field (over the fields of
//     a default record, for a nested field of a populate base), or a
//     string through record_in; an array or another scalar is 22023;
//   - an array type takes a JSON array of any depth, its dimensions read
//     from the nesting (sub-arrays must match: 22P02), or a string
//     through array_in; anything else is 22P02 "expected JSON array";
//   - any other type reads a string's contents, or the JSON text of
//     anything else, through its input function with the typmod;
//   - a domain, after its base type's conversion, checks its NOT NULL and
//     CHECK constraints, NULL included (23502, 23514).
//
// The populators are built while binding (the domains' checks are bound
// then, and the composite types' fields read from the catalog) and run
// with the statement's evalCtx.

// populator converts JSON values to one SQL type.
type populator struct {
	t types.T
	// domain checks a converted value against a domain's constraints:
	// it reads the value as column 0 of its row. nil for no domain.
	domain expr
	// elem is an array type's element's populator.
	elem *populator
	// fields are a composite type's fields' populators, in its order.
	fields []*populator
}

// populatorFor builds the populator of type t, declared with the domain
// of oid domain (0 for none).
func (b *binder) populatorFor(t types.T, domain uint32) (*populator, error) {
	return b.populatorDepth(t, domain, 0)
}

func (b *binder) populatorDepth(t types.T, domain uint32, depth int) (*populator, error) {
	if depth > typeDepthMax {
		return nil, pgerr.New(pgerr.StatementTooComplex, "composite types nest too deeply")
	}
	p := &populator{t: t}
	if domain != 0 && b.s != nil {
		d, _, err := b.s.e.cat.TypeByOID(b.snap, domain)
		if err != nil {
			return nil, err
		}
		if d != nil && d.IsDomain() {
			chk, err := b.toDomain(&colExpr{t: t}, d)
			if err != nil {
				return nil, err
			}
			if _, plain := chk.(*colExpr); !plain {
				p.domain = chk
			}
		}
	}
	if t.ID == types.JSONType || t.ID == types.JSONB {
		return p, nil
	}
	if et, ok := t.Elem(); ok {
		elem, err := b.populatorDepth(et, 0, depth+1)
		if err != nil {
			return nil, err
		}
		p.elem = elem
		return p, nil
	}
	if t.ID != types.Record || t.Shape == nil {
		return p, nil
	}
	// A composite type: its fields' domains are in the catalog (a row
	// type of a table, or a record with a shape of its own, has only
	// the shape's types).
	domains := make([]uint32, len(t.Shape.Types))
	if t.Shape.OID != 0 && b.s != nil {
		d, _, err := b.s.e.cat.TypeByOID(b.snap, t.Shape.OID)
		if err != nil {
			return nil, err
		}
		if d != nil && d.IsComposite() && len(d.Columns) == len(domains) {
			for i, c := range d.Columns {
				domains[i] = c.Domain
			}
		}
	}
	p.fields = make([]*populator, len(t.Shape.Types))
	for i, ft := range t.Shape.Types {
		f, err := b.populatorDepth(ft, domains[i], depth+1)
		if err != nil {
			return nil, err
		}
		p.fields[i] = f
	}
	return p, nil
}

// populate converts v (nil: the key is missing) to p's type; def is the
// value a composite type fills over, colname the key v was found at ("":
// an array element), for messages.
func (p *populator) populate(c *evalCtx, v *types.JSON, def types.Datum, colname string) (types.Datum, error) {
	d, err := p.convert(c, v, def, colname)
	if err != nil {
		return nil, err
	}
	if p.domain != nil {
		if _, err := p.domain.Eval(c, []types.Datum{d}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (p *populator) convert(c *evalCtx, v *types.JSON, def types.Datum, colname string) (types.Datum, error) {
	t := p.t
	switch {
	case v == nil || v.Kind == types.JSONNull:
		return nil, nil
	case t.ID == types.JSONB:
		return v, nil
	case t.ID == types.JSONType:
		return v.Text(), nil
	case p.elem != nil:
		if v.Kind == types.JSONString {
			return inputText(t, v.Str)
		}
		f := arrayFill{c: c, elem: p.elem, colname: colname}
		return f.fill(v)
	case t.ID == types.Record:
		if !t.IsComposite() || p.fields == nil {
			// A field of an anonymous record type: PostgreSQL has
			// no registered type to fill it by.
			return nil, pgerr.New(pgerr.WrongObjectType, "record type has not been registered")
		}
		switch v.Kind {
		case types.JSONObject:
			base, _ := def.(*types.RecordValue)
			fields, err := p.record(c, v, base)
			if err != nil {
				return nil, err
			}
			return &types.RecordValue{Shape: t.Shape, Fields: fields}, nil
		case types.JSONString:
			return inputText(t, v.Str)
		case types.JSONArrayKind:
			return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on an array", "populate_composite")
		}
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot call %s on a scalar", "populate_composite")
	}
	s := v.Text()
	if v.Kind == types.JSONString {
		s = v.Str
	}
	return inputText(t, s)
}

// inputText reads s through type t's input function with t's typmod
// (a value too long for a varchar(n) is 22001, as for a cast from an
// unknown literal in an assignment).
func inputText(t types.T, s string) (types.Datum, error) {
	bare := t
	bare.Mod = -1
	d, err := types.ParseText(bare, s)
	if err != nil {
		return nil, err
	}
	return types.Cast(d, bare, t, false)
}

// record fills p's composite type's fields from object obj over base.
func (p *populator) record(c *evalCtx, obj *types.JSON, base *types.RecordValue) ([]types.Datum, error) {
	return fillRecord(c, p.t.Shape.Names, p.fields, obj, base)
}

// fillRecord is populate_record: the fields of the given names, each
// populated by its populator from the key of its name in object obj. A
// key the object lacks keeps base's value when there is a base, and is
// populated from nothing (NULL, checked by its domain) when there is not.
func fillRecord(c *evalCtx, names []string, fields []*populator, obj *types.JSON, base *types.RecordValue) ([]types.Datum, error) {
	out := make([]types.Datum, len(names))
	for i, n := range names {
		var def types.Datum
		if base != nil && i < len(base.Fields) {
			def = base.Fields[i]
		}
		v := obj.Get(n)
		if v == nil && base != nil {
			out[i] = def
			continue
		}
		d, err := fields[i].populate(c, v, def, n)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// rewrapDomain is e under the domain casts arg ends in: the populate
// functions return the type of their base argument, and when that
// argument is cast to a domain (over a composite type), the result is
// checked against the domain as well.
func rewrapDomain(arg, e expr) expr {
	d, ok := arg.(*domainExpr)
	if !ok {
		return e
	}
	cp := *d
	cp.x = rewrapDomain(d.x, e)
	return &cp
}

// arrayFill is populate_array: it reads a JSON array of arrays into an
// array of p's element type, taking the number of dimensions from the
// first innermost value or empty array met, and each dimension's length
// from its first sub-array.
type arrayFill struct {
	c       *evalCtx
	elem    *populator
	colname string
	ndims   int   // 0 until known
	dims    []int // -1 until known
	sizes   []int // elements seen so far in the current sub-array of each dimension
	elems   []types.Datum
}

func (f *arrayFill) fill(v *types.JSON) (types.Datum, error) {
	if err := f.dim(v, 1); err != nil {
		return nil, err
	}
	if f.ndims > types.MaxArrayDims {
		return nil, types.TooManyDims(f.ndims)
	}
	f.dims[0] = f.sizes[0]
	for _, n := range f.dims {
		if n == 0 {
			return types.NewArray(nil, nil, nil), nil
		}
	}
	return types.NewArray(f.elems, f.dims, nil), nil
}

// dim reads v as a sub-array at dimension ndim (1 is the outermost).
func (f *arrayFill) dim(v *types.JSON, ndim int) error {
	if v.Kind != types.JSONArrayKind {
		return f.expectedArray(ndim - 1)
	}
	if f.ndims <= 0 && (len(v.Elems) == 0 || v.Elems[0].Kind != types.JSONArrayKind) {
		f.assignNDims(ndim)
	}
	for _, e := range v.Elems {
		if f.ndims > 0 && ndim >= f.ndims {
			d, err := f.elem.populate(f.c, e, nil, "")
			if err != nil {
				return err
			}
			f.elems = append(f.elems, d)
			f.sizes[ndim-1]++
			continue
		}
		if err := f.dim(e, ndim+1); err != nil {
			return err
		}
		if err := f.checkDimension(ndim); err != nil {
			return err
		}
	}
	return nil
}

func (f *arrayFill) assignNDims(n int) {
	f.ndims = n
	f.dims = make([]int, n)
	f.sizes = make([]int, n)
	for i := range f.dims {
		f.dims[i] = -1
	}
}

// checkDimension closes a sub-array of dimension ndim+1 (0-based ndim):
// its length must be that of the dimension's other sub-arrays.
func (f *arrayFill) checkDimension(ndim int) error {
	n := f.sizes[ndim]
	switch f.dims[ndim] {
	case -1:
		f.dims[ndim] = n
	case n:
	default:
		return pgerr.New(pgerr.InvalidTextRepresentation, "malformed JSON array").
			WithDetail("Multidimensional arrays must have sub-arrays with matching dimensions.")
	}
	f.sizes[ndim] = 0
	f.sizes[ndim-1]++
	return nil
}

// expectedArray is the error for a non-array where dimension ndim+1
// expects a sub-array; the hint locates it.
func (f *arrayFill) expectedArray(ndim int) error {
	err := pgerr.New(pgerr.InvalidTextRepresentation, "expected JSON array")
	var at strings.Builder
	for i := 0; i < ndim && i < len(f.sizes); i++ {
		fmt.Fprintf(&at, "[%d]", f.sizes[i])
	}
	switch {
	case ndim <= 0 && f.colname != "":
		return err.WithHint(fmt.Sprintf("See the value of key \"%s\".", f.colname))
	case ndim <= 0:
		return err
	case f.colname != "":
		return err.WithHint(fmt.Sprintf("See the array element %s of key \"%s\".", at.String(), f.colname))
	}
	return err.WithHint(fmt.Sprintf("See the array element %s.", at.String()))
}
