package sql

import (
	"strconv"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// bindJSONBAssign binds SET c[i][j]... = v of a jsonb column: the value of
// src (the column's value so far) with v placed at the subscripts' path
// (builtins.AssignPath). A NULL src starts from an empty array when the
// first subscript is an integer, else from an empty object; a NULL v is
// the JSON null; a NULL subscript is an error.
func (b *binder) bindJSONBAssign(src expr, sc1 ast.SetClause, c catalog.ColumnDesc, sc *scope) (expr, error) {
	idxs, err := b.bindJSONBIndexes(sc1.Subscripts, sc)
	if err != nil {
		return nil, err
	}
	v, err := b.bindExpr(sc1.Expr, sc)
	if err != nil {
		return nil, err
	}
	if vt := v.Type(); vt.ID != types.JSONB {
		if vt.ID != types.Unknown && !assignable(vt, jsonbT) {
			return nil, pgerr.New(pgerr.DatatypeMismatch, "subscripted assignment to \"%s\" requires type jsonb but expression is of type %s", c.Name, b.typeName(vt)).
				WithHint("You will need to rewrite or cast the expression.").WithPosition(sc1.Pos)
		}
		if v, err = b.cast(v, jsonbT, false, sc1.Expr.Position()); err != nil {
			return nil, err
		}
	}
	return &jsonbAssignExpr{src: src, v: v, idxs: idxs, expectArray: idxs[0].Type().ID == types.Int4}, nil
}

// jsonbAssignExpr is src with v placed at the path of idxs. The nulls
// that pad arrays count against the statement's memory.
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
	src, err := e.src.Eval(c, row)
	if err != nil {
		return nil, err
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
