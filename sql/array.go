package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// bindArrayExpr binds ARRAY[a, b, ...]: the elements take their common
// type.
func (b *binder) bindArrayExpr(x *ast.ArrayExpr, sc *scope) (expr, error) {
	if len(x.Items) == 0 {
		return nil, pgerr.New(pgerr.IndeterminateDatatype, "cannot determine type of empty array").
			WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[].").WithPosition(x.Pos)
	}
	items := make([]expr, len(x.Items))
	for i, it := range x.Items {
		if _, nested := it.(*ast.ArrayExpr); nested {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "multidimensional arrays are not supported").WithPosition(it.Position())
		}
		e, err := b.bindExpr(it, sc)
		if err != nil {
			return nil, err
		}
		items[i] = e
	}
	elem, items, err := b.commonType(items, "ARRAY", x.Pos)
	if err != nil {
		return nil, err
	}
	t, ok := types.ArrayOf(elem)
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "arrays of %s are not supported", elem.Name()).WithPosition(x.Pos)
	}
	return &arrayExpr{t: t, items: items}, nil
}

type arrayExpr struct {
	t     types.T
	items []expr
}

func (e *arrayExpr) Type() types.T { return e.t }
func (e *arrayExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	out := &types.Array{Elems: make([]types.Datum, len(e.items))}
	for i, it := range e.items {
		v, err := it.Eval(c, row)
		if err != nil {
			return nil, err
		}
		out.Elems[i] = v
	}
	return out, nil
}

// bindSubscript binds a[i] (and a[i][j]...). Subscripts are converted to
// integer as an assignment would; a NULL array or subscript gives NULL, and
// so does a second subscript, as cairn's arrays have one dimension.
func (b *binder) bindSubscript(x *ast.SubscriptExpr, sc *scope) (expr, error) {
	arr, err := b.bindExpr(x.X, sc)
	if err != nil {
		return nil, err
	}
	if arr.Type().ID == types.JSONB {
		return b.bindJSONBSubscript(arr, x, sc)
	}
	elem, ok := arr.Type().Elem()
	name := arr.Type().ID == types.SysName
	if name {
		// name is a fixed-length array of NAMEDATALEN "char"s, from 0.
		elem, ok = types.New(types.Char), true
	}
	if !ok {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", arr.Type().Name()).WithPosition(x.Pos)
	}
	lower := types.LowerBound(arr.Type())
	args := []expr{arr}
	for _, i := range x.Indexes {
		idx, err := b.bindExpr(i, sc)
		if err != nil {
			return nil, err
		}
		it := idx.Type()
		if it.ID != types.Unknown && !it.IsNumeric() {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer").WithPosition(i.Position())
		}
		if idx, err = b.cast(idx, types.New(types.Int4), false, i.Position()); err != nil {
			return nil, err
		}
		args = append(args, idx)
	}
	return &funcExpr{t: types.Base(elem), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		if len(a) > 2 {
			return nil, nil
		}
		if name {
			s, i := a[0].(string), a[1].(int64)
			switch {
			case i < 0 || i >= nameDataLen:
				return nil, nil
			case i >= int64(len(s)):
				return "", nil // the padding's zero bytes
			}
			return s[i : i+1], nil
		}
		// int2vector counts from 0, arrays from 1.
		return types.ArraySubscript(a[0].(*types.Array), a[1].(int64)+1-lower), nil
	}}, nil
}

// bindAnyArray binds x op ANY (array) and x op ALL (array). An untyped
// array literal takes the array type of x's type; an untyped x takes the
// array's element type.
func (b *binder) bindAnyArray(x *ast.InExpr, left expr, sc *scope) (expr, error) {
	arr, err := b.bindExpr(x.Array, sc)
	if err != nil {
		return nil, err
	}
	if arr.Type().ID == types.Unknown {
		lt := types.Base(left.Type())
		if lt.ID == types.Unknown {
			lt = types.New(types.Text)
		}
		at, ok := types.ArrayOf(lt)
		if !ok {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "arrays of %s are not supported", lt.Name()).WithPosition(x.Pos)
		}
		if arr, err = b.cast(arr, at, false, x.Array.Position()); err != nil {
			return nil, err
		}
	}
	elem, ok := arr.Type().Elem()
	if !ok {
		return nil, pgerr.New(pgerr.WrongObjectType, "op ANY/ALL (array) requires array on right side").WithPosition(x.Pos)
	}
	if !isComparisonOp(x.Op) {
		return b.bindAnyArrayOp(x, left, arr, elem)
	}
	probe := &colExpr{t: elem}
	l, conv, t, err := b.unify(left, probe, x.Op, x.Pos)
	if err != nil {
		return nil, err
	}
	if t.ID == types.Bpchar {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "ANY/ALL over arrays of character is not supported").WithPosition(x.Pos)
	}
	return &anyArrayExpr{left: l, arr: arr, conv: conv, cmp: comparison(x.Op), all: x.All}, nil
}

// anyArrayExpr is x op ANY|ALL (array), with quantifiedResult's NULL
// rules; a NULL array gives NULL.
type anyArrayExpr struct {
	left, arr expr
	// conv converts an element (column 0 of a one-value row) to the
	// comparison type.
	conv expr
	cmp  func(int) bool
	all  bool
}

func (e *anyArrayExpr) Type() types.T { return types.New(types.Bool) }
func (e *anyArrayExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	x, err := e.left.Eval(c, row)
	if err != nil {
		return nil, err
	}
	av, err := e.arr.Eval(c, row)
	if err != nil || av == nil {
		return nil, err
	}
	a := av.(*types.Array)
	vals := make([]types.Datum, len(a.Elems))
	for i, el := range a.Elems {
		if vals[i], err = e.conv.Eval(c, []types.Datum{el}); err != nil {
			return nil, err
		}
	}
	return quantifiedResult(x, vals, e.cmp, e.all), nil
}

// bindArrayFunc binds the array functions (array_to_string, array_upper,
// array_lower, array_length, cardinality, array_cat, array_append,
// array_prepend, array_position, array_remove, array_ndims, array_dims,
// string_to_array). ok is false when name is none of them.
func (b *binder) bindArrayFunc(name string, args []expr, pos int32) (e expr, ok bool, err error) {
	switch name {
	case "array_to_string", "array_upper", "array_lower", "array_length", "cardinality":
	case "array_cat":
		if len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		e, err := b.bindArrayConcat(args[0], args[1], pos)
		return e, true, err
	case "array_append", "array_prepend":
		if len(args) != 2 {
			return nil, true, undefinedFunction(name, args, pos)
		}
		arr, el := 0, 1
		if name == "array_prepend" {
			arr, el = 1, 0
		}
		if !args[arr].Type().IsArray() || args[el].Type().IsArray() {
			return nil, true, undefinedFunction(name, args, pos)
		}
		if elem, _ := args[arr].Type().Elem(); args[el].Type().ID == types.Unknown {
			// (anycompatiblearray, anycompatible): an untyped element
			// takes the array's element type.
			c, err := b.cast(args[el], types.Base(elem), false, pos)
			if err != nil {
				return nil, true, err
			}
			args[el] = c
		}
		e, err := b.bindArrayConcat(args[0], args[1], pos)
		return e, true, err
	case "array_position", "array_remove", "array_ndims", "array_dims":
		e, err := b.bindArraySearch(name, args, pos)
		return e, true, err
	case "string_to_array":
		e, err := b.bindStringToArray(args, pos)
		return e, true, err
	default:
		return nil, false, nil
	}
	wantArgs := map[string][]int{"array_to_string": {2, 3}, "array_upper": {2}, "array_lower": {2}, "array_length": {2}, "cardinality": {1}}[name]
	if len(args) < wantArgs[0] || len(args) > wantArgs[len(wantArgs)-1] {
		return nil, true, undefinedFunction(name, args, pos)
	}
	if args[0].Type().ID == types.Unknown {
		return nil, true, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
	}
	elem, isArr := args[0].Type().Elem()
	if !isArr {
		return nil, true, undefinedFunction(name, args, pos)
	}
	for i := 1; i < len(args); i++ {
		want := textT
		if name != "array_to_string" {
			want = int4T
		}
		if err := b.coerceArg(args, i, want, name, pos); err != nil {
			return nil, true, err
		}
	}
	strict := func(t types.T, f func(a *types.Array, rest []types.Datum) types.Datum) (expr, bool, error) {
		return &funcExpr{t: t, args: args, strict: true, fn: func(v []types.Datum) (types.Datum, error) {
			return f(v[0].(*types.Array), v[1:]), nil
		}}, true, nil
	}
	// dim1 reports whether the dimension asked for is the array's one
	// dimension; an empty array has none.
	dim1 := func(a *types.Array, rest []types.Datum) bool { return len(a.Elems) > 0 && rest[0].(int64) == 1 }
	// int2vector's subscripts start at 0.
	lower := types.LowerBound(args[0].Type())
	switch name {
	case "array_upper", "array_length":
		last := int64(0)
		if name == "array_upper" {
			last = lower - 1
		}
		return strict(int4T, func(a *types.Array, rest []types.Datum) types.Datum {
			if !dim1(a, rest) {
				return nil
			}
			return int64(len(a.Elems)) + last
		})
	case "array_lower":
		return strict(int4T, func(a *types.Array, rest []types.Datum) types.Datum {
			if !dim1(a, rest) {
				return nil
			}
			return lower
		})
	case "cardinality":
		return strict(int4T, func(a *types.Array, _ []types.Datum) types.Datum { return int64(len(a.Elems)) })
	}
	// array_to_string: NULL elements are skipped, or replaced by the
	// third argument when it is given and not NULL.
	return &funcExpr{t: textT, args: args, fn: func(v []types.Datum) (types.Datum, error) {
		if v[0] == nil || v[1] == nil {
			return nil, nil
		}
		a, sep := v[0].(*types.Array), v[1].(string)
		var null types.Datum
		if len(v) == 3 {
			null = v[2]
		}
		var sb strings.Builder
		first := true
		for _, el := range a.Elems {
			var s string
			switch {
			case el != nil:
				s = types.FormatText(elem, el)
			case null != nil:
				s = null.(string)
			default:
				continue
			}
			if !first {
				if err := enlargeText(sb.Len(), len(sep)); err != nil {
					return nil, err
				}
				sb.WriteString(sep)
			}
			first = false
			if err := enlargeText(sb.Len(), len(s)); err != nil {
				return nil, err
			}
			sb.WriteString(s)
		}
		return sb.String(), nil
	}}, true, nil
}

// bindArrayConcat binds || with an array on either side: array_cat for
// two arrays (an untyped literal beside an array is read as one), else
// array_append or array_prepend. None of them is strict: a NULL array
// acts as an empty one, and a NULL element is added as NULL.
func (b *binder) bindArrayConcat(l, r expr, pos int32) (expr, error) {
	var err error
	lt, rt := l.Type(), r.Type()
	switch {
	case lt.ID == types.Unknown:
		if l, err = b.cast(l, types.Base(rt), false, pos); err != nil {
			return nil, err
		}
	case rt.ID == types.Unknown:
		if r, err = b.cast(r, types.Base(lt), false, pos); err != nil {
			return nil, err
		}
	}
	lt, rt = l.Type(), r.Type()
	mismatch := func() error {
		return pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s || %s", lt.Name(), rt.Name()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	elems := func(d types.Datum) []types.Datum {
		if d == nil {
			return nil
		}
		return d.(*types.Array).Elems
	}
	switch {
	case lt.IsArray() && rt.IsArray():
		if lt.ID != rt.ID {
			return nil, mismatch()
		}
		return &funcExpr{t: types.Base(lt), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				if a[0] == nil {
					return a[1], nil
				}
				return a[0], nil
			}
			return &types.Array{Elems: append(append([]types.Datum(nil), elems(a[0])...), elems(a[1])...)}, nil
		}}, nil
	case lt.IsArray():
		elem, _ := lt.Elem()
		if r, err = b.coerce(r, types.Base(elem), "argument of ||", pos); err != nil {
			return nil, mismatch()
		}
		return &funcExpr{t: types.Base(lt), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			return &types.Array{Elems: append(append([]types.Datum(nil), elems(a[0])...), a[1])}, nil
		}}, nil
	default:
		elem, _ := rt.Elem()
		if l, err = b.coerce(l, types.Base(elem), "argument of ||", pos); err != nil {
			return nil, mismatch()
		}
		return &funcExpr{t: types.Base(rt), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			return &types.Array{Elems: append([]types.Datum{a[0]}, elems(a[1])...)}, nil
		}}, nil
	}
}

// bindArrayContainment binds @> (contains), <@ (is contained by) and &&
// (overlaps). Elements compare with =, so a NULL element matches nothing.
func (b *binder) bindArrayContainment(op string, l, r expr, pos int32) (expr, error) {
	var err error
	switch {
	case l.Type().ID == types.Unknown:
		if l, err = b.cast(l, r.Type(), false, pos); err != nil {
			return nil, err
		}
	case r.Type().ID == types.Unknown:
		if r, err = b.cast(r, l.Type(), false, pos); err != nil {
			return nil, err
		}
	}
	if !l.Type().IsArray() || types.Base(l.Type()).ID != types.Base(r.Type()).ID {
		return nil, pgerr.New(pgerr.UndefinedFunction, "operator does not exist: %s %s %s", l.Type().Name(), op, r.Type().Name()).
			WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").WithPosition(pos)
	}
	// contains: every element of sub is a non-NULL element of a.
	has := func(a *types.Array, v types.Datum) bool {
		for _, e := range a.Elems {
			if e != nil && types.Compare(e, v) == 0 {
				return true
			}
		}
		return false
	}
	contains := func(a, sub *types.Array) bool {
		for _, v := range sub.Elems {
			if v == nil || !has(a, v) {
				return false
			}
		}
		return true
	}
	return &funcExpr{t: boolT, args: []expr{l, r}, strict: true, fn: func(v []types.Datum) (types.Datum, error) {
		x, y := v[0].(*types.Array), v[1].(*types.Array)
		switch op {
		case "@>":
			return contains(x, y), nil
		case "<@":
			return contains(y, x), nil
		}
		for _, e := range y.Elems {
			if e != nil && has(x, e) {
				return true, nil
			}
		}
		return false, nil
	}}, nil
}

// bindArraySearch binds array_position, array_remove, array_ndims and
// array_dims. array_position and array_remove compare with IS NOT
// DISTINCT FROM: a NULL finds a NULL.
func (b *binder) bindArraySearch(name string, args []expr, pos int32) (expr, error) {
	n := map[string][2]int{"array_position": {2, 3}, "array_remove": {2, 2}, "array_ndims": {1, 1}, "array_dims": {1, 1}}[name]
	if len(args) < n[0] || len(args) > n[1] {
		return nil, undefinedFunction(name, args, pos)
	}
	if args[0].Type().ID == types.Unknown && len(args) > 1 && args[1].Type().ID != types.Unknown {
		// The array's type follows from the element's.
		if at, ok := types.ArrayOf(types.Base(args[1].Type())); ok {
			c, err := b.cast(args[0], at, false, pos)
			if err != nil {
				return nil, err
			}
			args[0] = c
		}
	}
	if args[0].Type().ID == types.Unknown {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
	}
	elem, ok := args[0].Type().Elem()
	if !ok {
		return nil, undefinedFunction(name, args, pos)
	}
	if len(args) > 1 {
		c, err := b.coerce(args[1], types.Base(elem), "argument of "+name, pos)
		if err != nil {
			if args[1].Type().ID == types.Unknown {
				return nil, err
			}
			return nil, undefinedFunction(name, args, pos)
		}
		args[1] = c
	}
	if len(args) > 2 {
		if err := b.coerceArg(args, 2, int4T, name, pos); err != nil {
			return nil, err
		}
	}
	same := func(x, y types.Datum) bool {
		return x == nil && y == nil || x != nil && y != nil && types.Compare(x, y) == 0
	}
	switch name {
	case "array_ndims", "array_dims":
		t := int4T
		if name == "array_dims" {
			t = textT
		}
		return &funcExpr{t: t, args: args, strict: true, fn: func(v []types.Datum) (types.Datum, error) {
			a := v[0].(*types.Array)
			if len(a.Elems) == 0 {
				return nil, nil
			}
			if name == "array_ndims" {
				return int64(1), nil
			}
			return "[1:" + itoa(len(a.Elems)) + "]", nil
		}}, nil
	case "array_remove":
		return &funcExpr{t: types.Base(args[0].Type()), args: args, fn: func(v []types.Datum) (types.Datum, error) {
			if v[0] == nil {
				return nil, nil
			}
			out := &types.Array{}
			for _, e := range v[0].(*types.Array).Elems {
				if !same(e, v[1]) {
					out.Elems = append(out.Elems, e)
				}
			}
			return out, nil
		}}, nil
	}
	return &funcExpr{t: int4T, args: args, fn: func(v []types.Datum) (types.Datum, error) {
		if v[0] == nil {
			return nil, nil
		}
		start := int64(1)
		if len(v) == 3 {
			if v[2] == nil {
				return nil, pgerr.New(pgerr.NullValueNotAllowed, "initial position must not be null")
			}
			start = v[2].(int64)
		}
		for i, e := range v[0].(*types.Array).Elems {
			if int64(i+1) >= start && same(e, v[1]) {
				return int64(i + 1), nil
			}
		}
		return nil, nil
	}}, nil
}

// bindStringToArray binds string_to_array(text, delimiter [, null_string]):
// a NULL delimiter splits into characters, an empty one gives the whole
// string, an empty input no elements; fields equal to null_string are
// NULL.
func (b *binder) bindStringToArray(args []expr, pos int32) (expr, error) {
	if len(args) != 2 && len(args) != 3 {
		return nil, undefinedFunction("string_to_array", args, pos)
	}
	for i := range args {
		if err := b.coerceArg(args, i, textT, "string_to_array", pos); err != nil {
			return nil, err
		}
	}
	return &funcExpr{t: textArrayT, args: args, fn: func(v []types.Datum) (types.Datum, error) {
		if v[0] == nil {
			return nil, nil
		}
		s := v[0].(string)
		out := &types.Array{}
		if s == "" {
			return out, nil
		}
		var parts []string
		switch {
		case v[1] == nil:
			for _, r := range s {
				parts = append(parts, string(r))
			}
		case v[1].(string) == "":
			parts = []string{s}
		default:
			parts = strings.Split(s, v[1].(string))
		}
		for _, p := range parts {
			if len(v) == 3 && v[2] != nil && p == v[2].(string) {
				out.Elems = append(out.Elems, nil)
				continue
			}
			out.Elems = append(out.Elems, p)
		}
		return out, nil
	}}, nil
}

// nameDataLen is PostgreSQL's NAMEDATALEN: the bytes of a name value,
// its terminating zero included.
const nameDataLen = 64
