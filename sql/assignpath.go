package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// Assignments to part of a column through a field: INSERT INTO t (c.f,
// a[2].f) and UPDATE t SET c.f = ..., c[1].f[2] = .... (A target of
// subscripts only, a[2] = ..., is arrayassign.go's.) A path of fields (of
// a composite type) and subscripts (of an array, consecutive ones naming
// one element of a multi-dimensional array) leads from the column to
// the part assigned; the new value of the column is the old one (NULL in
// an INSERT) with that part replaced, a NULL record or array along the
// way made anew. Several assignments to parts of one column apply in the
// order written.

// pathStep is one bound step of an assignment path.
type pathStep struct {
	// in is the type the step applies to: a composite type for a field
	// (field is its index), an array for subscripts (index, int4, one
	// per dimension: consecutive subscripts are one step).
	in    types.T
	field int
	index []expr
}

// bindAssignPath binds the path of an assignment to part of column c and
// returns the type of the part it reaches.
func (b *binder) bindAssignPath(c catalog.ColumnDesc, path []ast.PathStep, sc *scope) ([]pathStep, types.T, error) {
	t := c.Type
	var out []pathStep
	for i, st := range path {
		if st.Index == nil {
			if !t.IsComposite() {
				return nil, types.T{}, pgerr.New(pgerr.DatatypeMismatch, "cannot assign to field \"%s\" of column \"%s\" because its type %s is not a composite type",
					st.Field, c.Name, b.typeName(t)).WithPosition(st.Pos)
			}
			f := t.Shape.Field(st.Field)
			if f < 0 {
				return nil, types.T{}, pgerr.New(pgerr.UndefinedColumn, "cannot assign to field \"%s\" of column \"%s\" because there is no such column in data type %s",
					st.Field, c.Name, t.Name()).WithPosition(st.Pos)
			}
			out = append(out, pathStep{in: t, field: f})
			t = t.Shape.Types[f]
			continue
		}
		// A subscript after a subscript is the array's next dimension.
		more := i > 0 && path[i-1].Index != nil
		if !more {
			elem, ok := t.Elem()
			if !ok || t.ID == types.Int2Vector {
				return nil, types.T{}, pgerr.New(pgerr.DatatypeMismatch, "cannot subscript type %s because it does not support subscripting", b.typeName(t)).WithPosition(st.Pos)
			}
			out = append(out, pathStep{in: t, field: -1})
			t = elem
		}
		last := &out[len(out)-1]
		if len(last.index) == types.MaxArrayDims {
			return nil, types.T{}, types.TooManyDims(len(last.index) + 1)
		}
		idx, err := b.bindExpr(st.Index, sc)
		if err != nil {
			return nil, types.T{}, err
		}
		if it := idx.Type(); it.ID != types.Unknown && !it.IsNumeric() {
			return nil, types.T{}, pgerr.New(pgerr.DatatypeMismatch, "array subscript must have type integer").WithPosition(st.Index.Position())
		}
		if idx, err = b.cast(idx, types.New(types.Int4), false, st.Index.Position()); err != nil {
			return nil, types.T{}, err
		}
		last.index = append(last.index, idx)
	}
	return out, t, nil
}

// pathAssignExpr is base with the part path leads to replaced by val.
type pathAssignExpr struct {
	base  expr
	steps []pathStep
	val   expr
}

func (e *pathAssignExpr) Type() types.T { return e.base.Type() }
func (e *pathAssignExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	cur, err := e.base.Eval(c, row)
	if err != nil {
		return nil, err
	}
	v, err := e.val.Eval(c, row)
	if err != nil {
		return nil, err
	}
	return setPath(c, row, cur, e.steps, v)
}

// setPath returns cur with the part steps lead to set to v.
func setPath(c *evalCtx, row []types.Datum, cur types.Datum, steps []pathStep, v types.Datum) (types.Datum, error) {
	if len(steps) == 0 {
		return v, nil
	}
	st := steps[0]
	if st.field >= 0 {
		fields := make([]types.Datum, len(st.in.Shape.Types))
		if r, ok := cur.(*types.RecordValue); ok {
			copy(fields, r.Fields)
		}
		nv, err := setPath(c, row, fields[st.field], steps[1:], v)
		if err != nil {
			return nil, err
		}
		fields[st.field] = nv
		return &types.RecordValue{Shape: st.in.Shape, Fields: fields}, nil
	}
	// Subscripts: the element they name (NULL outside the array) with
	// its part set, stored back as array_set_element does, for any shape
	// and lower bounds.
	idx := make([]int64, len(st.index))
	for k, x := range st.index {
		iv, err := x.Eval(c, row)
		if err != nil {
			return nil, err
		}
		if iv == nil {
			return nil, pgerr.New(pgerr.NullValueNotAllowed, "array subscript in assignment must not be null")
		}
		idx[k] = iv.(int64)
	}
	a, ok := cur.(*types.Array)
	if !ok {
		a = &types.Array{}
	}
	nv, err := setPath(c, row, types.ArrayElement(a, idx), steps[1:], v)
	if err != nil {
		return nil, err
	}
	return arraySetElement(a, idx, nv)
}

// assignParts binds the assignment of val to the part of column c that
// path leads to, on top of base (the column's value so far); val is
// converted to the part's type.
func (b *binder) assignParts(base, val expr, c catalog.ColumnDesc, path []ast.PathStep, sc *scope, pos int32) (expr, error) {
	steps, t, err := b.bindAssignPath(c, path, sc)
	if err != nil {
		return nil, err
	}
	if val, err = b.assign(val, t, c.Name, pos); err != nil {
		return nil, err
	}
	if base == nil {
		base = &constExpr{t: c.Type}
	}
	return &pathAssignExpr{base: base, steps: steps, val: val}, nil
}

// insertPath is the path of INSERT target column j, nil when the column
// is assigned whole.
func insertPath(s *ast.InsertStmt, j int) []ast.PathStep {
	if j < len(s.Paths) {
		return s.Paths[j]
	}
	return nil
}

// untypedSelectLiteral reports whether output column j of INSERT's query
// q is a string literal of a plain SELECT list (not VALUES, which binds
// against the target columns, nor a set operation), which PostgreSQL
// leaves untyped for the target column to type.
func untypedSelectLiteral(q *ast.SelectStmt, j int) bool {
	if q == nil || q.Op != "" || q.Values != nil || j >= len(q.Targets) {
		return false
	}
	for _, t := range q.Targets[:j+1] {
		if t.Star {
			return false // SELECT *, 'x': the targets are not the columns
		}
		if ref, ok := t.Expr.(*ast.ColumnRef); ok && ref.Column == "*" {
			return false
		}
		if f, ok := t.Expr.(*ast.FieldExpr); ok && f.Star {
			return false
		}
	}
	lit, ok := q.Targets[j].Expr.(*ast.Literal)
	return ok && lit.Kind == "string"
}

// defaultToPart is PostgreSQL's error for DEFAULT assigned to part of a
// column, named by the path's first step.
func defaultToPart(path []ast.PathStep) error {
	if path[0].Index != nil {
		return pgerr.New(pgerr.FeatureNotSupported, "cannot set an array element to DEFAULT").WithPosition(path[0].Pos)
	}
	return pgerr.New(pgerr.FeatureNotSupported, "cannot set a subfield to DEFAULT").WithPosition(path[0].Pos)
}
