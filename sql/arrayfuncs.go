package sql

import (
	"slices"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// bindArrayFill binds array_fill(value, dims int[] [, lower int[]]): an
// array of the given dimensions and lower bounds (1 when not given) with
// every element value.
func (b *binder) bindArrayFill(args []expr, pos int32) (expr, error) {
	if len(args) != 2 && len(args) != 3 {
		return nil, undefinedFunction("array_fill", args, pos)
	}
	if args[0].Type().ID == types.Unknown {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
	}
	t, ok := types.ArrayOf(types.Base(args[0].Type()))
	if !ok || args[0].Type().IsArray() {
		return nil, undefinedFunction("array_fill", args, pos)
	}
	int4Array, _ := types.ArrayOf(int4T)
	for i := 1; i < len(args); i++ {
		if err := b.coerceArg(args, i, int4Array, "array_fill", pos); err != nil {
			return nil, err
		}
	}
	return &funcExpr{t: t, args: args, fn: func(v []types.Datum) (types.Datum, error) {
		if v[1] == nil || len(v) == 3 && v[2] == nil {
			return nil, pgerr.New(pgerr.NullValueNotAllowed, "dimension array or low bound array cannot be null")
		}
		ints := func(d types.Datum) ([]int, error) {
			a := d.(*types.Array)
			if a.NDims() > 1 {
				return nil, pgerr.New(pgerr.ArraySubscriptError, "wrong number of array subscripts").WithDetail("Dimension array must be one dimensional.")
			}
			out := make([]int, len(a.Elems))
			for i, e := range a.Elems {
				if e == nil {
					return nil, pgerr.New(pgerr.NullValueNotAllowed, "dimension values cannot be null")
				}
				out[i] = int(e.(int64))
			}
			return out, nil
		}
		dims, err := ints(v[1])
		if err != nil {
			return nil, err
		}
		lower := make([]int, len(dims))
		for i := range lower {
			lower[i] = 1
		}
		if len(v) == 3 {
			if lower, err = ints(v[2]); err != nil {
				return nil, err
			}
			if len(lower) != len(dims) {
				return nil, pgerr.New(pgerr.ArraySubscriptError, "wrong number of array subscripts").WithDetail("Low bound array has different size than dimensions array.")
			}
		}
		if len(dims) > types.MaxArrayDims {
			return nil, types.TooManyDims(len(dims))
		}
		total := int64(1)
		for _, d := range dims {
			if d < 0 {
				return nil, arrayTooManyElems()
			}
			if total *= int64(d); total > maxArraySize {
				return nil, arrayTooManyElems()
			}
		}
		if len(dims) == 0 || total == 0 {
			return &types.Array{}, nil
		}
		for i := range dims {
			if int64(lower[i])+int64(dims[i])-1 > 1<<31-1 {
				return nil, pgerr.New(pgerr.ProgramLimitExceeded, "array lower bound is too large: %d", lower[i])
			}
		}
		elems := make([]types.Datum, total)
		for i := range elems {
			elems[i] = v[0]
		}
		return types.NewArray(elems, dims, lower), nil
	}}, nil
}

// bindTrimArray binds trim_array(array, n): the array without its last n
// elements of the first dimension, from 1.
func (b *binder) bindTrimArray(args []expr, pos int32) (expr, error) {
	if len(args) != 2 {
		return nil, undefinedFunction("trim_array", args, pos)
	}
	if args[0].Type().ID == types.Unknown {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
	}
	if !args[0].Type().IsArray() {
		return nil, undefinedFunction("trim_array", args, pos)
	}
	if err := b.coerceArg(args, 1, int4T, "trim_array", pos); err != nil {
		return nil, err
	}
	return &funcExpr{t: types.Base(args[0].Type()), args: args, strict: true, fn: func(v []types.Datum) (types.Datum, error) {
		a, n := v[0].(*types.Array), v[1].(int64)
		first := int64(a.DimLen(0))
		if n < 0 || n > first {
			return nil, pgerr.New(pgerr.ArraySubscriptError, "number of elements to trim must be between 0 and %d", first)
		}
		lo := make([]int64, 1)
		hi := []int64{int64(a.DimLower(0)) + first - n - 1}
		lo[0] = int64(a.DimLower(0))
		return arraySlice(a, lo, hi), nil
	}}, nil
}

// bindWidthBucketArray binds width_bucket(operand, thresholds): the
// number of thresholds (sorted, without NULLs) at or below operand.
func (b *binder) bindWidthBucketArray(args []expr, pos int32) (expr, error) {
	l, r := args[0], args[1]
	var err error
	lt, rt := l.Type(), r.Type()
	switch {
	case rt.ID == types.Unknown && lt.ID == types.Unknown:
		return nil, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(pos)
	case rt.ID == types.Unknown:
		at, ok := types.ArrayOf(types.Base(lt))
		if !ok {
			return nil, undefinedFunction("width_bucket", args, pos)
		}
		if r, err = b.cast(r, at, false, pos); err != nil {
			return nil, err
		}
	case !rt.IsArray():
		return nil, undefinedFunction("width_bucket", args, pos)
	}
	elem, _ := r.Type().Elem()
	c, items, err := b.commonType([]expr{l, &colExpr{t: types.Base(elem)}}, "width_bucket", pos)
	if err != nil {
		return nil, undefinedFunction("width_bucket", args, pos)
	}
	l = items[0]
	if at, ok := types.ArrayOf(c); ok && at.ID != types.Base(r.Type()).ID {
		if r, err = b.cast(r, at, false, pos); err != nil {
			return nil, err
		}
	}
	return &funcExpr{t: int4T, args: []expr{l, r}, strict: true, fn: func(v []types.Datum) (types.Datum, error) {
		x, a := v[0], v[1].(*types.Array)
		if a.NDims() > 1 {
			return nil, pgerr.New(pgerr.ArraySubscriptError, "thresholds must be one-dimensional array")
		}
		for _, e := range a.Elems {
			if e == nil {
				return nil, pgerr.New(pgerr.NullValueNotAllowed, "thresholds array must not contain NULLs")
			}
		}
		left, right := 0, len(a.Elems)
		for left < right {
			mid := (left + right) / 2
			if types.Compare(x, a.Elems[mid]) < 0 {
				right = mid
			} else {
				left = mid + 1
			}
		}
		return int64(left), nil
	}}, nil
}

// bindGenerateSubscripts binds generate_subscripts(array, dim [,
// reverse]): the subscripts of dimension dim, from the lower bound up (or
// down when reverse); none when the array lacks the dimension.
func (b *binder) bindGenerateSubscripts(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	if len(n.args) != 2 && len(n.args) != 3 {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	if n.args[0].Type().ID == types.Unknown {
		return types.T{}, pgerr.New(pgerr.DatatypeMismatch, "could not determine polymorphic type because input has type unknown").WithPosition(x.Pos)
	}
	if !n.args[0].Type().IsArray() {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	if err := b.coerceArg(n.args, 1, int4T, x.Name, x.Pos); err != nil {
		return types.T{}, err
	}
	if len(n.args) == 3 {
		if err := b.coerceArg(n.args, 2, boolT, x.Name, x.Pos); err != nil {
			return types.T{}, err
		}
	}
	shift := types.LowerBound(n.args[0].Type()) - 1
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		arr, d := a[0].(*types.Array), a[1].(int64)
		if d < 1 || d > int64(arr.NDims()) {
			return nil, nil
		}
		l := arr.DimLen(int(d - 1))
		if err := ex.grow(int64(l) * interfaceBytes); err != nil {
			return nil, err
		}
		out := make([]types.Datum, l)
		for i := range out {
			out[i] = int64(arr.DimLower(int(d-1))+i) + shift
		}
		if len(a) == 3 && a[2].(bool) {
			slices.Reverse(out)
		}
		return out, nil
	}
	return int4T, nil
}
