package sql

import (
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// bindJSONBAssign binds column c's new value when its subscripts idx
// are assigned v, as SET c[i][j]... = v does: base is the column's value
// before (nil: NULL), sc the scope of the subscripts. The value is
// base's with v placed at the subscripts' path (builtins.AssignPath). A
// NULL base starts from an empty array when the first subscript is an
// integer, else from an empty object; a NULL v is the JSON null; a NULL
// subscript is an error.
func (b *binder) bindJSONBAssign(c catalog.ColumnDesc, base expr, idx []ast.Expr, v expr, pos int32, sc *scope) (expr, error) {
	idxs, err := b.bindJSONBIndexes(idx, sc)
	if err != nil {
		return nil, err
	}
	if vt := v.Type(); vt.ID != types.JSONB {
		if vt.ID != types.Unknown && !assignable(vt, jsonbT) {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "subscripted assignment to \"%s\" requires type jsonb but expression is of type %s", c.Name, b.typeName(vt)).
				WithHint("You will need to rewrite or cast the expression.").WithPosition(pos)
		}
		if v, err = b.cast(v, jsonbT, false, pos); err != nil {
			return nil, err
		}
	}
	return &jsonbAssignExpr{src: base, v: v, idxs: idxs, expectArray: idxs[0].Type().ID == types.Int4}, nil
}

// jsonbAssignExpr is src (nil: NULL) with v placed at the path of idxs.
// The nulls that pad arrays count against the statement's memory.
type jsonbAssignExpr struct {
	src, v      expr
	idxs        []expr
	expectArray bool
}

func (e *jsonbAssignExpr) Type() types.T { return jsonbT }

func (e *jsonbAssignExpr) Eval(c *evalCtx, row []types.Datum) (types.Datum, error) {
	path := make([]string, len(e.idxs))
	for i, x := range e.idxs {
		s, err := x.Eval(c, row)
		if err != nil {
			return nil, err
		}
		switch k := s.(type) {
		case nil:
			return nil, pgerr.New(pgerr.NullValueNotAllowed, "jsonb subscript in assignment must not be null")
		case int64:
			path[i] = strconv.FormatInt(k, 10)
		case string:
			path[i] = k
		}
	}
	var src types.Datum
	if e.src != nil {
		var err error
		if src, err = e.src.Eval(c, row); err != nil {
			return nil, err
		}
	}
	j, _ := src.(*types.JSON)
	if j == nil {
		if e.expectArray {
			j = &types.JSON{Kind: types.JSONArrayKind}
		} else {
			j = &types.JSON{Kind: types.JSONObject}
		}
	}
	v, err := e.v.Eval(c, row)
	if err != nil {
		return nil, err
	}
	val, _ := v.(*types.JSON)
	if val == nil {
		val = types.JSONNullValue
	}
	var pad func(int) error
	if c != nil {
		pad = func(nulls int) error { return c.exec.grow(int64(nulls) * interfaceBytes) }
	}
	return builtins.AssignPath(j, path, val, pad)
}
