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
	expectArray := idxs[0].Type().ID == types.Int4
	args := append([]expr{src, v}, idxs...)
	return &funcExpr{t: jsonbT, args: args, fn: func(a []types.Datum) (types.Datum, error) {
		path := make([]string, len(a)-2)
		for i, s := range a[2:] {
			switch k := s.(type) {
			case nil:
				return nil, pgerr.New(pgerr.NullValueNotAllowed, "jsonb subscript in assignment must not be null")
			case int64:
				path[i] = strconv.FormatInt(k, 10)
			case string:
				path[i] = k
			}
		}
		j, _ := a[0].(*types.JSON)
		if j == nil {
			if expectArray {
				j = &types.JSON{Kind: types.JSONArrayKind}
			} else {
				j = &types.JSON{Kind: types.JSONObject}
			}
		}
		val, _ := a[1].(*types.JSON)
		if val == nil {
			val = types.JSONNullValue
		}
		return builtins.AssignPath(j, path, val)
	}}, nil
}
