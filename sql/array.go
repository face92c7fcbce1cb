package sql

import (
	"fmt"
	"math"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// bindArrayExpr binds ARRAY[a, b, ...]: the elements take their common
// type. Elements that are arrays (ARRAY[[1,2],[3,4]], ARRAY[x, y] of
// int[] x and y) make an array of one more dimension.
func (b *binder) bindArrayExpr(x *ast.ArrayExpr, sc *scope) (expr, error) {
	if len(x.Items) == 0 {
		return nil, pgerr.New(pgerr.IndeterminateDatatype, "cannot determine type of empty array").
			WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[].").WithPosition(x.Pos)
	}
	return b.bindArrayExprItems(x, func(it ast.Expr) (expr, error) { return b.bindExpr(it, sc) })
}

// bindArrayExprItems binds ARRAY[...], its items with bind.
func (b *binder) bindArrayExprItems(x *ast.ArrayExpr, bind func(ast.Expr) (expr, error)) (expr, error) {
	items := make([]expr, len(x.Items))
	for i, it := range x.Items {
		e, err := bind(it)
		if err != nil {
			return nil, err
		}
		items[i] = e
	}
	elem, items, err := b.commonType(items, "ARRAY", x.Pos)
	if err != nil {
		return nil, err
	}
	if elem.IsArray() {
		return &arrayExpr{t: types.Base(elem), items: items, nested: true}, nil
	}
	t, ok := types.ArrayOf(elem)
	if !ok {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "arrays of %s are not supported", elem.Name()).WithPosition(x.Pos)
	}
	return &arrayExpr{t: t, items: items}, nil
}

// bindCastOperand binds the operand of x, a cast. ARRAY[...] cast to an
// array type reads its untyped items as the element type, as PostgreSQL
// does: ARRAY['1', 'NaN']::float8[], ARRAY['today']::timestamptz[].
func (b *binder) bindCastOperand(x *ast.CastExpr, sc *scope) (expr, error) {
	a, ok := x.X.(*ast.ArrayExpr)
	if !ok || !x.Type.Array {
		return b.bindExpr(x.X, sc)
	}
	t, dom, err := b.resolveType(x.Type)
	if err != nil || dom != nil {
		return b.bindExpr(x.X, sc)
	}
	elem, ok := t.Elem()
	if !ok {
		return b.bindExpr(x.X, sc)
	}
	return b.bindArrayExprAs(a, types.Base(elem), sc)
}

// bindArrayExprAs binds ARRAY[...] with its untyped items, nested ones
// too, read as elem.
func (b *binder) bindArrayExprAs(x *ast.ArrayExpr, elem types.T, sc *scope) (expr, error) {
	return b.bindArrayExprItems(x, func(it ast.Expr) (expr, error) {
		switch v := it.(type) {
		case *ast.ArrayExpr:
			if len(v.Items) > 0 {
				return b.bindArrayExprAs(v, elem, sc)
			}
		case *ast.Literal:
			if v.Kind == "string" {
				lit, err := b.bindExpr(v, sc)
				if err != nil {
					return nil, err
				}
				return b.cast(lit, elem, true, v.Pos)
			}
		}
		return b.bindExpr(it, sc)
	})
}

type arrayExpr struct {
	t     types.T
	items []expr
	// nested is set when the items are arrays, the sub-arrays of the
	// result.
	nested bool
}

func (e *arrayExpr) Type() types.T { return e.t }
func (e *arrayExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	vals := make([]types.Datum, len(e.items))
	for i, it := range e.items {
		v, err := it.Eval(c, row)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	if !e.nested {
		return &types.Array{Elems: vals}, nil
	}
	return stackArrays(vals)
}

// stackArrays is ExecEvalArrayExpr over sub-arrays: an array of one more
// dimension whose elements are the sub-arrays', which must have the same
// dimensions and bounds. A NULL sub-array counts as empty; if all are empty
// the result is empty.
func stackArrays(subs []types.Datum) (types.Datum, error) {
	mismatch := func() error {
		return pgerr.New(pgerr.ArraySubscriptError, "multidimensional arrays must have array expressions with matching dimensions")
	}
	var first *types.Array
	var elems []types.Datum
	n, haveEmpty := 0, false
	for _, v := range subs {
		if v == nil {
			haveEmpty = true
			continue
		}
		a := v.(*types.Array)
		if a.NDims() == 0 {
			haveEmpty = true
			continue
		}
		if first == nil {
			first = a
		} else if !sameArrayShape(first, a) {
			return nil, mismatch()
		}
		elems = append(elems, a.Elems...)
		n++
	}
	if first == nil {
		return &types.Array{}, nil
	}
	if haveEmpty {
		return nil, mismatch()
	}
	d, l := first.Shape()
	if len(d)+1 > types.MaxArrayDims {
		return nil, types.TooManyDims(len(d) + 1)
	}
	return types.NewArray(elems, append([]int{n}, d...), append([]int{1}, l...)), nil
}

// accumArrays is accumArrayResultArr and makeArrayResultArr: the arrays
// subs (at least one), which must be non-NULL and non-empty with the same
// dimensions and bounds, as one array of one more dimension.
func accumArrays(subs []types.Datum) (types.Datum, error) {
	var first *types.Array
	var elems []types.Datum
	for _, v := range subs {
		if v == nil {
			return nil, pgerr.New(pgerr.NullValueNotAllowed, "cannot accumulate null arrays")
		}
		a := v.(*types.Array)
		if a.NDims() == 0 {
			return nil, pgerr.New(pgerr.ArraySubscriptError, "cannot accumulate empty arrays")
		}
		if first == nil {
			if a.NDims()+1 > types.MaxArrayDims {
				return nil, types.TooManyDims(a.NDims() + 1)
			}
			first = a
		} else if !sameArrayShape(first, a) {
			return nil, pgerr.New(pgerr.ArraySubscriptError, "cannot accumulate arrays of different dimensionality")
		}
		if len(elems)+len(a.Elems) > maxArraySize {
			return nil, arrayTooManyElems()
		}
		elems = append(elems, a.Elems...)
	}
	d, l := first.Shape()
	return types.NewArray(elems, append([]int{len(subs)}, d...), append([]int{1}, l...)), nil
}

// commonArrayType is the array type of the common type of the elements
// of array types x and y.
func (b *binder) commonArrayType(x, y types.T) (types.T, bool) {
	xe, _ := x.Elem()
	ye, _ := y.Elem()
	c, _, err := b.commonType([]expr{&colExpr{t: types.Base(xe)}, &colExpr{t: types.Base(ye)}}, "", 0)
	if err != nil {
		return types.T{}, false
	}
	return types.ArrayOf(c)
}

// sameArrayShape reports whether a and b have the same dimensions and
// lower bounds.
func sameArrayShape(a, b *types.Array) bool {
	if a.NDims() != b.NDims() {
		return false
	}
	for d := 0; d < a.NDims(); d++ {
		if a.DimLen(d) != b.DimLen(d) || a.DimLower(d) != b.DimLower(d) {
			return false
		}
	}
	return true
}

// bindSubscript binds a[i] (and a[i][j]...) and the slices a[lo:hi]...
// Subscripts are converted to integer as an assignment would; a NULL
// array or subscript gives NULL, and so does a subscript outside the
// array or a count of subscripts other than its dimensions.
func (b *binder) bindSubscript(x *ast.SubscriptExpr, sc *scope) (expr, error) {
	arr, err := b.bindExpr(x.X, sc)
	if err != nil {
		return nil, err
	}
	if arr.Type().ID == types.JSONB {
		return b.bindJSONBSubscript(arr, x, sc)
	}
	if e, ok, err := b.bindGeoSubscript(arr, x, sc); ok {
		return e, err
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
	if len(x.Indexes) > types.MaxArrayDims {
		return nil, types.TooManyDims(len(x.Indexes))
	}
	bindIdx := func(i ast.Expr) (expr, error) {
		if i == nil {
			return nil, nil
		}
		idx, err := b.bindExpr(i, sc)
		if err != nil {
			return nil, err
		}
		it := idx.Type()
		if it.ID != types.Unknown && !it.IsNumeric() {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer").WithPosition(i.Position())
		}
		return b.cast(idx, types.New(types.Int4), false, i.Position())
	}
	lower := types.LowerBound(arr.Type())
	if x.Slice {
		if name || lower != 1 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "slices of %s are not supported", arr.Type().Name()).WithPosition(x.Pos)
		}
		sl := &sliceExpr{t: types.Base(arr.Type()), arr: arr}
		for k := range x.Indexes {
			lo, err := bindIdx(x.Lowers[k])
			if err != nil {
				return nil, err
			}
			hi, err := bindIdx(x.Indexes[k])
			if err != nil {
				return nil, err
			}
			sl.lo, sl.hi = append(sl.lo, lo), append(sl.hi, hi)
		}
		return sl, nil
	}
	args := []expr{arr}
	for _, i := range x.Indexes {
		idx, err := bindIdx(i)
		if err != nil {
			return nil, err
		}
		args = append(args, idx)
	}
	return &funcExpr{t: types.Base(elem), args: args, strict: true, fn: func(a []types.Datum) (types.Datum, error) {
		if name {
			if len(a) > 2 {
				return nil, nil
			}
			s, i := a[0].(string), a[1].(int64)
			switch {
			case i < 0 || i >= nameDataLen:
				return nil, nil
			case i >= int64(len(s)):
				return "", nil // the padding's zero bytes
			}
			return s[i : i+1], nil
		}
		idx := make([]int64, len(a)-1)
		for k := range idx {
			idx[k] = a[k+1].(int64)
		}
		// int2vector counts from 0, arrays from their lower bounds.
		idx[0] += 1 - lower
		return types.ArrayElement(a[0].(*types.Array), idx), nil
	}}, nil
}

// sliceExpr is a[lo:hi][lo:hi]...: the part of a within the bounds, from
// 1 in every dimension; an omitted bound is the array's own. A NULL array
// or bound gives NULL; no element in range, or more bounds than the
// array's dimensions, an empty array.
type sliceExpr struct {
	t      types.T
	arr    expr
	lo, hi []expr // nil where omitted
}

func (e *sliceExpr) Type() types.T { return e.t }
func (e *sliceExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	av, err := e.arr.Eval(c, row)
	if err != nil || av == nil {
		return nil, err
	}
	a := av.(*types.Array)
	lo, hi, null, err := evalSliceBounds(c, row, a, e.lo, e.hi)
	if err != nil || null {
		return nil, err
	}
	return arraySlice(a, lo, hi), nil
}

// evalSliceBounds evaluates a slice's bounds against a, an omitted bound
// taking a's own (0 and -1 past its dimensions); null reports a NULL
// bound.
func evalSliceBounds(c *evalCtx, row []types.Datum, a *types.Array, los, his []expr) (lo, hi []int64, null bool, err error) {
	lo, hi = make([]int64, len(his)), make([]int64, len(his))
	for k := range his {
		lo[k] = int64(a.DimLower(k))
		hi[k] = int64(a.DimLower(k)) + int64(a.DimLen(k)) - 1
		for _, side := range []struct {
			x   expr
			out *int64
		}{{los[k], &lo[k]}, {his[k], &hi[k]}} {
			if side.x == nil {
				continue
			}
			v, err := side.x.Eval(c, row)
			if err != nil {
				return nil, nil, false, err
			}
			if v == nil {
				return nil, nil, true, nil
			}
			*side.out = v.(int64)
		}
	}
	return lo, hi, false, nil
}

// arraySlice is array_get_slice: the elements of a within lo..hi in the
// first len(lo) dimensions (all of the others), renumbered from 1.
func arraySlice(a *types.Array, lo, hi []int64) *types.Array {
	n := a.NDims()
	if n == 0 || len(lo) > n {
		return &types.Array{}
	}
	from, to := make([]int, n), make([]int, n) // offsets within each dimension
	dims := make([]int, n)
	for d := 0; d < n; d++ {
		l, h := int64(a.DimLower(d)), int64(a.DimLower(d))+int64(a.DimLen(d))-1
		if d < len(lo) {
			l, h = max(l, lo[d]), min(h, hi[d])
		}
		if l > h {
			return &types.Array{}
		}
		from[d], to[d] = int(l)-a.DimLower(d), int(h)-a.DimLower(d)
		dims[d] = to[d] - from[d] + 1
	}
	var elems []types.Datum
	forEachIndex(dims, func(idx []int) {
		off := 0
		for d := 0; d < n; d++ {
			off = off*a.DimLen(d) + from[d] + idx[d]
		}
		elems = append(elems, a.Elems[off])
	})
	return types.NewArray(elems, dims, nil)
}

// forEachIndex calls fn with every index (from 0) of an array of the
// dimensions dims, in row-major order.
func forEachIndex(dims []int, fn func(idx []int)) {
	total := 1
	for _, d := range dims {
		total *= d
	}
	idx := make([]int, len(dims))
	for i := 0; i < total; i++ {
		fn(idx)
		for d := len(dims) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < dims[d] {
				break
			}
			idx[d] = 0
		}
	}
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
	switch x.Op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
	default:
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

// bindAnyArrayOp binds x op ANY|ALL (array) of an operator other than
// the comparisons (LIKE, ILIKE, ...): op applied to x and each element,
// which must yield boolean.
func (b *binder) bindAnyArrayOp(x *ast.InExpr, left, arr expr, elem types.T) (expr, error) {
	op, err := b.bindOperator(x.Op, &colExpr{t: left.Type(), idx: 0}, &colExpr{t: types.Base(elem), idx: 1}, x.Pos)
	if err != nil {
		return nil, err
	}
	if op.Type().ID != types.Bool {
		return nil, pgerr.New(pgerr.WrongObjectType, "op ANY/ALL (array) requires operator to yield boolean").WithPosition(x.Pos)
	}
	return &anyArrayOpExpr{left: left, arr: arr, op: op, all: x.All}, nil
}

// anyArrayOpExpr is x op ANY|ALL (array) of any boolean operator op,
// bound on the row (x, element): ANY is true when op is for some element,
// ALL false when it is not for some, else NULL when op gave NULL.
type anyArrayOpExpr struct {
	left, arr, op expr
	all           bool
}

func (e *anyArrayOpExpr) Type() types.T { return types.New(types.Bool) }
func (e *anyArrayOpExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	x, err := e.left.Eval(c, row)
	if err != nil {
		return nil, err
	}
	av, err := e.arr.Eval(c, row)
	if err != nil || av == nil {
		return nil, err
	}
	sawNull := false
	pair := make([]types.Datum, 2)
	for _, el := range av.(*types.Array).Elems {
		pair[0], pair[1] = x, el
		v, err := e.op.Eval(c, pair)
		if err != nil {
			return nil, err
		}
		switch {
		case v == nil:
			sawNull = true
		case v.(bool) != e.all:
			return !e.all, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.all, nil
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
	case "array_position", "array_positions", "array_remove", "array_replace", "array_ndims", "array_dims":
		e, err := b.bindArraySearch(name, args, pos)
		return e, true, err
	case "string_to_array":
		e, err := b.bindStringToArray(args, pos)
		return e, true, err
	case "array_fill":
		e, err := b.bindArrayFill(args, pos)
		return e, true, err
	case "trim_array":
		e, err := b.bindTrimArray(args, pos)
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
	// dim is the dimension asked for, from 0, when the array has it.
	dim := func(a *types.Array, rest []types.Datum) (int, bool) {
		d := rest[0].(int64)
		if d < 1 || d > int64(a.NDims()) {
			return 0, false
		}
		return int(d - 1), true
	}
	// int2vector's subscripts start at 0.
	shift := types.LowerBound(args[0].Type()) - 1
	switch name {
	case "array_upper", "array_length", "array_lower":
		return strict(int4T, func(a *types.Array, rest []types.Datum) types.Datum {
			d, ok := dim(a, rest)
			switch {
			case !ok:
				return nil
			case name == "array_length":
				return int64(a.DimLen(d))
			case name == "array_lower":
				return int64(a.DimLower(d)) + shift
			}
			return int64(a.DimLower(d)) + int64(a.DimLen(d)) - 1 + shift
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
	switch {
	case lt.IsArray() && rt.IsArray():
		if lt.ID != rt.ID {
			at, ok := b.commonArrayType(lt, rt)
			if !ok {
				return nil, mismatch()
			}
			if l, err = b.cast(l, at, false, pos); err != nil {
				return nil, err
			}
			if r, err = b.cast(r, at, false, pos); err != nil {
				return nil, err
			}
			lt = at
		}
		return &funcExpr{t: types.Base(lt), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			if a[0] == nil || a[1] == nil {
				if a[0] == nil {
					return a[1], nil
				}
				return a[0], nil
			}
			return arrayCat(a[0].(*types.Array), a[1].(*types.Array))
		}}, nil
	case lt.IsArray():
		elem, _ := lt.Elem()
		if r, err = b.coerce(r, types.Base(elem), "argument of ||", pos); err != nil {
			return nil, mismatch()
		}
		return &funcExpr{t: types.Base(lt), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			return arrayPush(a[0], a[1], false)
		}}, nil
	default:
		elem, _ := rt.Elem()
		if l, err = b.coerce(l, types.Base(elem), "argument of ||", pos); err != nil {
			return nil, mismatch()
		}
		return &funcExpr{t: types.Base(rt), args: []expr{l, r}, fn: func(a []types.Datum) (types.Datum, error) {
			return arrayPush(a[1], a[0], true)
		}}, nil
	}
}

// arrayCat is array_cat of two non-NULL arrays: arrays of the same
// dimensions join along the first, and an array of one dimension less
// than the other is added as one more element of its first dimension.
func arrayCat(x, y *types.Array) (types.Datum, error) {
	n1, n2 := x.NDims(), y.NDims()
	switch {
	case n1 == 0:
		return y, nil
	case n2 == 0:
		return x, nil
	}
	incompatible := func(detail string) error {
		return pgerr.New(pgerr.ArraySubscriptError, "cannot concatenate incompatible arrays").WithDetail(detail)
	}
	var dims, lower []int
	switch n1 - n2 {
	case 0:
		dims, lower = x.Shape()
		dims[0] += y.DimLen(0)
		for d := 1; d < n1; d++ {
			if x.DimLen(d) != y.DimLen(d) || x.DimLower(d) != y.DimLower(d) {
				return nil, incompatible("Arrays with differing element dimensions are not compatible for concatenation.")
			}
		}
	case -1, 1:
		outer, inner := x, y
		if n1 < n2 {
			outer, inner = y, x
		}
		dims, lower = outer.Shape()
		dims[0]++
		for d := 0; d < inner.NDims(); d++ {
			if inner.DimLen(d) != dims[d+1] || inner.DimLower(d) != lower[d+1] {
				return nil, incompatible("Arrays with differing dimensions are not compatible for concatenation.")
			}
		}
	default:
		return nil, incompatible(fmt.Sprintf("Arrays of %d and %d dimensions are not compatible for concatenation.", n1, n2))
	}
	elems := make([]types.Datum, 0, len(x.Elems)+len(y.Elems))
	elems = append(append(elems, x.Elems...), y.Elems...)
	return types.NewArray(elems, dims, lower), nil
}

// arrayPush is array_append (or array_prepend when front is set) of
// element e to array a, NULL acting as an empty array: the new element
// goes after the last subscript (or before the first, the lower bound
// staying where it was).
func arrayPush(av, e types.Datum, front bool) (types.Datum, error) {
	a := &types.Array{}
	if av != nil {
		a = av.(*types.Array)
	}
	switch a.NDims() {
	case 0:
		return &types.Array{Elems: []types.Datum{e}}, nil
	case 1:
	default:
		return nil, pgerr.New(pgerr.DataException, "argument must be empty or one-dimensional array")
	}
	lo := a.DimLower(0)
	if !front && int64(lo)+int64(len(a.Elems)) > math.MaxInt32 || front && int64(lo)-1 < math.MinInt32 {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "integer out of range")
	}
	elems := make([]types.Datum, 0, len(a.Elems)+1)
	if front {
		elems = append(append(elems, e), a.Elems...)
	} else {
		elems = append(append(elems, a.Elems...), e)
	}
	return types.NewArray(elems, []int{len(elems)}, []int{lo}), nil
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
	n := map[string][2]int{"array_position": {2, 3}, "array_positions": {2, 2}, "array_remove": {2, 2}, "array_replace": {3, 3}, "array_ndims": {1, 1}, "array_dims": {1, 1}}[name]
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
	if len(args) > 2 && name == "array_replace" {
		c, err := b.coerce(args[2], types.Base(elem), "argument of "+name, pos)
		if err != nil {
			if args[2].Type().ID == types.Unknown {
				return nil, err
			}
			return nil, undefinedFunction(name, args, pos)
		}
		args[2] = c
	} else if len(args) > 2 {
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
			if a.NDims() == 0 {
				return nil, nil
			}
			if name == "array_ndims" {
				return int64(a.NDims()), nil
			}
			var sb strings.Builder
			for d := 0; d < a.NDims(); d++ {
				lo := a.DimLower(d)
				sb.WriteString("[" + itoa(lo) + ":" + itoa(lo+a.DimLen(d)-1) + "]")
			}
			return sb.String(), nil
		}}, nil
	case "array_remove", "array_replace":
		return &funcExpr{t: types.Base(args[0].Type()), args: args, fn: func(v []types.Datum) (types.Datum, error) {
			if v[0] == nil {
				return nil, nil
			}
			a := v[0].(*types.Array)
			if name == "array_replace" {
				elems := make([]types.Datum, len(a.Elems))
				for i, e := range a.Elems {
					if elems[i] = e; same(e, v[1]) {
						elems[i] = v[2]
					}
				}
				return a.WithElems(elems), nil
			}
			if a.NDims() > 1 {
				return nil, pgerr.New(pgerr.FeatureNotSupported, "removing elements from multidimensional arrays is not supported")
			}
			var elems []types.Datum
			for _, e := range a.Elems {
				if !same(e, v[1]) {
					elems = append(elems, e)
				}
			}
			return types.NewArray(elems, []int{len(elems)}, []int{a.DimLower(0)}), nil
		}}, nil
	}
	// array_position and array_positions.
	t := int4T
	if name == "array_positions" {
		t, _ = types.ArrayOf(int4T)
	}
	return &funcExpr{t: t, args: args, fn: func(v []types.Datum) (types.Datum, error) {
		if v[0] == nil {
			return nil, nil
		}
		a := v[0].(*types.Array)
		if a.NDims() > 1 {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "searching for elements in multidimensional arrays is not supported")
		}
		lo := int64(a.DimLower(0))
		if a.NDims() == 0 {
			lo = 1
		}
		start := lo
		if len(v) == 3 {
			if v[2] == nil {
				return nil, pgerr.New(pgerr.NullValueNotAllowed, "initial position must not be null")
			}
			start = v[2].(int64)
		}
		var all []types.Datum
		for i, e := range a.Elems {
			if p := lo + int64(i); p >= start && same(e, v[1]) {
				if name == "array_position" {
					return p, nil
				}
				all = append(all, p)
			}
		}
		if name == "array_position" {
			return nil, nil
		}
		return &types.Array{Elems: all}, nil
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
		return &types.Array{Elems: splitString(v)}, nil
	}}, nil
}

// splitString is string_to_array's and string_to_table's split of v[0]
// (not NULL) at the delimiter v[1], with fields equal to v[2] (when
// given and not NULL) made NULL.
func splitString(v []types.Datum) []types.Datum {
	s := v[0].(string)
	if s == "" {
		return nil
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
	out := make([]types.Datum, len(parts))
	for i, p := range parts {
		if len(v) == 3 && v[2] != nil && p == v[2].(string) {
			continue
		}
		out[i] = p
	}
	return out
}

// nameDataLen is PostgreSQL's NAMEDATALEN: the bytes of a name value,
// its terminating zero included.
const nameDataLen = 64
