package sql

import (
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/builtins"
	"github.com/cairndb/cairn/sql/types"
)

// bindRegexpTableFunc binds regexp_matches(s, pattern [, flags]), one
// text[] row per match, and regexp_split_to_table(s, pattern [, flags]),
// one text row per piece.
func (b *binder) bindRegexpTableFunc(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	if len(n.args) != 2 && len(n.args) != 3 {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	for i := range n.args {
		if !n.args[i].Type().IsString() {
			return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
		}
		if err := b.coerceArg(n.args, i, textT, x.Name, x.Pos); err != nil {
			return types.T{}, err
		}
	}
	matches := x.Name == "regexp_matches"
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		flags := ""
		if len(a) == 3 {
			flags = a[2].(string)
		}
		var out []types.Datum
		var err error
		if matches {
			out, err = builtins.RegexpMatches(a[0].(string), a[1].(string), flags)
		} else {
			out, err = builtins.RegexpSplit(a[0].(string), a[1].(string), flags, "regexp_split_to_table()")
		}
		if err != nil {
			return nil, err
		}
		size := int64(0)
		for _, v := range out {
			size += datumBytes(v)
		}
		if err := ex.grow(size); err != nil {
			return nil, err
		}
		return out, nil
	}
	if matches {
		return types.New(types.TextArray), nil
	}
	return textT, nil
}

// bindStringToTable binds string_to_table(s, delimiter [, null_string]):
// one text row per field of string_to_array's split.
func (b *binder) bindStringToTable(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	if len(n.args) != 2 && len(n.args) != 3 {
		return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
	}
	for i := range n.args {
		if err := b.coerceArg(n.args, i, textT, x.Name, x.Pos); err != nil {
			return types.T{}, err
		}
	}
	n.nullArgs = true
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		out := splitString(a)
		size := int64(0)
		for _, v := range out {
			size += datumBytes(v)
		}
		if err := ex.grow(size); err != nil {
			return nil, err
		}
		return out, nil
	}
	return textT, nil
}
