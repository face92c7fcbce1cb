package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Assignment to array elements and slices: UPDATE t SET a[i] = v,
// a[lo:hi] = array, INSERT INTO t (a[i]) ..., as PostgreSQL's
// array_set_element and array_set_slice do it.

// maxArraySize is PostgreSQL's MaxArraySize: the most elements an array
// holds.
const maxArraySize = 0x3fffffff / 8

// bindArrayAssign binds column c's new value when sub's subscripts of it
// are assigned val: base is the column's value before (nil: NULL), sc the
// scope of the subscripts.
func (b *binder) bindArrayAssign(c catalog.ColumnDesc, base expr, sub *ast.SubscriptExpr, val expr, pos int32, sc *scope) (expr, error) {
	if len(sub.Indexes) > types.MaxArrayDims {
		return nil, types.TooManyDims(len(sub.Indexes))
	}
	e := &arrayAssignExpr{t: types.Base(c.Type), base: base, slice: sub.Slice}
	var err error
	if e.val, err = b.subscriptValue(c, sub, val, pos); err != nil {
		return nil, err
	}
	bindIdx := func(i ast.Expr) (expr, error) {
		if i == nil {
			return nil, nil
		}
		idx, err := b.bindExpr(i, sc)
		if err != nil {
			return nil, err
		}
		if it := idx.Type(); it.ID != types.Unknown && !it.IsNumeric() {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer").WithPosition(i.Position())
		}
		return b.cast(idx, types.New(types.Int4), false, i.Position())
	}
	for k, i := range sub.Indexes {
		hi, err := bindIdx(i)
		if err != nil {
			return nil, err
		}
		e.hi = append(e.hi, hi)
		if sub.Slice {
			lo, err := bindIdx(sub.Lowers[k])
			if err != nil {
				return nil, err
			}
			e.lo = append(e.lo, lo)
		}
	}
	return e, nil
}

// arrayAssignExpr is an array with elements or a slice replaced. A NULL
// array is taken as an empty one; a NULL slice value leaves the array as
// it is.
type arrayAssignExpr struct {
	t      types.T
	base   expr // nil: NULL
	slice  bool
	lo, hi []expr // lo only for slices; nil where omitted
	val    expr
}

func (e *arrayAssignExpr) Type() types.T { return e.t }
func (e *arrayAssignExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	a := &types.Array{}
	if e.base != nil {
		bv, err := e.base.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if bv != nil {
			a = bv.(*types.Array)
		}
	}
	eval := func(x expr) (int64, bool, error) {
		if x == nil {
			return 0, false, nil
		}
		v, err := x.Eval(c, row)
		if err != nil {
			return 0, false, err
		}
		if v == nil {
			return 0, false, pgerr.New(pgerr.NullValueNotAllowed, "array subscript in assignment must not be null")
		}
		return v.(int64), true, nil
	}
	n := len(e.hi)
	hi, hiGiven := make([]int64, n), make([]bool, n)
	lo, loGiven := make([]int64, n), make([]bool, n)
	for k := range e.hi {
		var err error
		if hi[k], hiGiven[k], err = eval(e.hi[k]); err != nil {
			return nil, err
		}
		if e.slice {
			if lo[k], loGiven[k], err = eval(e.lo[k]); err != nil {
				return nil, err
			}
		}
	}
	v, err := e.val.Eval(c, row)
	if err != nil {
		return nil, err
	}
	if !e.slice {
		return arraySetElement(a, hi, v)
	}
	if v == nil {
		return a, nil
	}
	return arraySetSlice(a, lo, hi, loGiven, hiGiven, v.(*types.Array))
}

func arraySubscriptError(msg string) error {
	return pgerr.New(pgerr.ArraySubscriptError, "%s", msg)
}

func arrayTooManyElems() error {
	return pgerr.New(pgerr.ProgramLimitExceeded, "array size exceeds the maximum allowed (%d)", maxArraySize)
}

// arraySetElement is array_set_element: a with the element at idx set to
// v. An empty array becomes the one element at idx; a one-dimensional
// array grows (with NULLs in any gap) to take a subscript outside it; a
// multi-dimensional one must hold the subscript.
func arraySetElement(a *types.Array, idx []int64, v types.Datum) (types.Datum, error) {
	n := a.NDims()
	if n == 0 {
		dims, lower := make([]int, len(idx)), make([]int, len(idx))
		for k, i := range idx {
			dims[k], lower[k] = 1, int(i)
		}
		return types.NewArray([]types.Datum{v}, dims, lower), nil
	}
	if n != len(idx) {
		return nil, arraySubscriptError("wrong number of array subscripts")
	}
	if n == 1 {
		lo := int64(a.DimLower(0))
		hi := lo + int64(len(a.Elems)) - 1
		newLo, newHi := min(lo, idx[0]), max(hi, idx[0])
		if newHi-newLo+1 > maxArraySize {
			return nil, arrayTooManyElems()
		}
		elems := make([]types.Datum, newHi-newLo+1)
		copy(elems[lo-newLo:], a.Elems)
		elems[idx[0]-newLo] = v
		return types.NewArray(elems, []int{len(elems)}, []int{int(newLo)}), nil
	}
	off := 0
	for d, i := range idx {
		lo, l := int64(a.DimLower(d)), int64(a.DimLen(d))
		if i < lo || i >= lo+l {
			return nil, arraySubscriptError("array subscript out of range")
		}
		off = off*int(l) + int(i-lo)
	}
	elems := append([]types.Datum(nil), a.Elems...)
	elems[off] = v
	return a.WithElems(elems), nil
}

// arraySetSlice is array_set_slice: a with the slice lo..hi (an omitted
// bound being a's own) replaced by src's first elements. An empty array
// takes the slice's shape, which must then be given in full; a
// one-dimensional array grows to take the slice.
func arraySetSlice(a *types.Array, lo, hi []int64, loGiven, hiGiven []bool, src *types.Array) (types.Datum, error) {
	n, ns := a.NDims(), len(hi)
	tooSmall := func(need int64) error {
		if int64(len(src.Elems)) < need {
			return arraySubscriptError("source array too small")
		}
		return nil
	}
	if n == 0 {
		dims, lower := make([]int, ns), make([]int, ns)
		total := int64(1)
		for k := range hi {
			if !loGiven[k] || !hiGiven[k] {
				return nil, pgerr.New(pgerr.ArraySubscriptError, "array slice subscript must provide both boundaries").
					WithDetail("When assigning to a slice of an empty array value, slice boundaries must be fully specified.")
			}
			if hi[k] < lo[k] {
				return nil, arraySubscriptError("upper bound cannot be less than lower bound")
			}
			dims[k], lower[k] = int(hi[k]-lo[k]+1), int(lo[k])
			if total *= int64(dims[k]); total > maxArraySize {
				return nil, arrayTooManyElems()
			}
		}
		if err := tooSmall(total); err != nil {
			return nil, err
		}
		return types.NewArray(append([]types.Datum(nil), src.Elems[:total]...), dims, lower), nil
	}
	if n < ns {
		return nil, arraySubscriptError("wrong number of array subscripts")
	}
	for k := range hi {
		alo := int64(a.DimLower(k))
		if !loGiven[k] {
			lo[k] = alo
		}
		if !hiGiven[k] {
			hi[k] = alo + int64(a.DimLen(k)) - 1
		}
		if lo[k] > hi[k] {
			return nil, arraySubscriptError("upper bound cannot be less than lower bound")
		}
	}
	if n == 1 {
		alo := int64(a.DimLower(0))
		ahi := alo + int64(len(a.Elems)) - 1
		if err := tooSmall(hi[0] - lo[0] + 1); err != nil {
			return nil, err
		}
		newLo, newHi := min(alo, lo[0]), max(ahi, hi[0])
		if newHi-newLo+1 > maxArraySize {
			return nil, arrayTooManyElems()
		}
		elems := make([]types.Datum, newHi-newLo+1)
		copy(elems[alo-newLo:], a.Elems)
		copy(elems[lo[0]-newLo:hi[0]-newLo+1], src.Elems)
		return types.NewArray(elems, []int{len(elems)}, []int{int(newLo)}), nil
	}
	// Several dimensions: the slice must lie within the array.
	from, dims := make([]int, n), make([]int, n)
	total := int64(1)
	for d := 0; d < n; d++ {
		alo, l := int64(a.DimLower(d)), int64(a.DimLen(d))
		if d < ns {
			if lo[d] < alo || hi[d] >= alo+l {
				return nil, arraySubscriptError("array subscript out of range")
			}
			from[d], dims[d] = int(lo[d]-alo), int(hi[d]-lo[d]+1)
		} else {
			from[d], dims[d] = 0, int(l)
		}
		total *= int64(dims[d])
	}
	if err := tooSmall(total); err != nil {
		return nil, err
	}
	elems := append([]types.Datum(nil), a.Elems...)
	k := 0
	forEachIndex(dims, func(idx []int) {
		off := 0
		for d := 0; d < n; d++ {
			off = off*a.DimLen(d) + from[d] + idx[d]
		}
		elems[off] = src.Elems[k]
		k++
	})
	return a.WithElems(elems), nil
}

// bindSubscriptSet binds sc1, a[i] = v (or j['k'] = v for jsonb) of
// UPDATE's SET, on base.
func (b *binder) bindSubscriptSet(c catalog.ColumnDesc, base expr, sc1 ast.SetClause, sc *scope) (expr, error) {
	if c.Generated != "" {
		return nil, generatedUpdate(c)
	}
	if c.Identity == "a" {
		return nil, pgerr.New(pgerr.GeneratedAlways, "column \"%s\" can only be updated to DEFAULT", c.Name).
			WithDetail("Column \"" + c.Name + "\" is an identity column defined as GENERATED ALWAYS.")
	}
	if containsAggregate(sc1.Expr) {
		return nil, pgerr.New(pgerr.GroupingError, "aggregate functions are not allowed in UPDATE").WithPosition(sc1.Expr.Position())
	}
	v, err := b.bindExpr(sc1.Expr, sc)
	if err != nil {
		return nil, err
	}
	if c.Type.ID == types.JSONB {
		if sc1.Subscripts.Slice {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "jsonb subscript does not support slices").WithPosition(sc1.Pos)
		}
		e, err := b.bindJSONBAssign(c, base, sc1.Subscripts.Indexes, v, sc1.Pos, sc)
		if err != nil {
			return nil, err
		}
		return b.assignCol(e, c, sc1.Pos)
	}
	return b.bindArrayAssign(c, base, sc1.Subscripts, v, sc1.Expr.Position(), sc)
}

// insertSubscripts is the subscripts of INSERT's target column j, nil
// when it has none.
func insertSubscripts(s *ast.InsertStmt, j int) *ast.SubscriptExpr {
	if j < len(s.ColumnSubscripts) {
		return s.ColumnSubscripts[j]
	}
	return nil
}

// subscriptValue converts x, a VALUES item for INSERT's target c[sub], to
// the element type of c (its array type for a slice).
func (b *binder) subscriptValue(c catalog.ColumnDesc, sub *ast.SubscriptExpr, x expr, pos int32) (expr, error) {
	elem, ok := c.Type.Elem()
	if !ok || c.Type.ID == types.Int2Vector {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", b.typeName(c.Type)).WithPosition(pos)
	}
	want := types.Base(elem)
	if sub.Slice {
		want = types.Base(c.Type)
	}
	if !assignable(x.Type(), want) {
		return nil, pgerr.New(pgerr.DatatypeMismatch, "subscripted assignment to \"%s\" requires type %s but expression is of type %s", c.Name, b.typeName(want), b.typeName(x.Type())).
			WithHint("You will need to rewrite or cast the expression.").WithPosition(pos)
	}
	return b.cast(x, want, false, pos)
}
