package sql

import (
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// bindUnnestMany binds unnest(a1, a2, ...) in FROM: the arrays side by
// side, a row per position up to the longest, the shorter ones (and a
// NULL array) giving NULLs, as ROWS FROM (unnest(a1), unnest(a2), ...).
func (b *binder) bindUnnestMany(n *funcScanNode, x *ast.FuncCall) (types.T, error) {
	for _, a := range n.args {
		if _, ok := a.Type().Elem(); !ok || a.Type().ID == types.Unknown {
			return types.T{}, undefinedFunction(x.Name, n.args, x.Pos)
		}
	}
	n.calledOnNull = true
	width := len(n.args)
	n.gen = func(ex *execCtx, a []types.Datum) ([]types.Datum, error) {
		rows := 0
		for _, v := range a {
			if arr, ok := v.(*types.Array); ok {
				rows = max(rows, len(arr.Elems))
			}
		}
		if err := ex.grow(int64(rows) * int64(width+1) * interfaceBytes); err != nil {
			return nil, err
		}
		out := make([]types.Datum, rows)
		for i := range out {
			row := make(srfRow, width)
			for j, v := range a {
				if arr, ok := v.(*types.Array); ok && i < len(arr.Elems) {
					row[j] = arr.Elems[i]
				}
			}
			out[i] = row
		}
		return out, nil
	}
	elem, _ := n.args[0].Type().Elem()
	return types.Base(elem), nil
}

// unnestManyColumns names and types the columns of unnest(a1, a2, ...).
func unnestManyColumns(n *funcScanNode) ([]string, []types.T) {
	names := make([]string, len(n.args))
	ts := make([]types.T, len(n.args))
	for i, a := range n.args {
		elem, _ := a.Type().Elem()
		names[i], ts[i] = "unnest", types.Base(elem)
	}
	return names, ts
}
