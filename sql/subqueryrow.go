package sql

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/types"
)

// (a, b, ...) IN (subquery), and = ANY, compares the row with each of the
// subquery's rows column by column, as PostgreSQL's row comparison does:
// a pair of unequal non-NULL values makes the rows unequal, else a NULL
// makes the comparison NULL. IN is true when some row is equal, NULL when
// none is but some comparison is NULL, else false.

// rowIn holds the columns of a row IN: the row's values and the
// subquery's columns, each converted to the pair's common type.
type rowIn struct{ lefts, convs []expr }

func (b *binder) bindRowIn(x *ast.InExpr, row *ast.RowExpr, sc *scope) (expr, error) {
	sub, err := b.bindSubqueryPlan(x.Query, sc, x.Pos)
	if err != nil {
		return nil, err
	}
	cols := sub.p.columns()
	if len(cols) > len(row.Items) {
		return nil, pgerr.New(pgerr.SyntaxError, "subquery has too many columns").WithPosition(x.Pos)
	}
	if len(cols) < len(row.Items) {
		return nil, pgerr.New(pgerr.SyntaxError, "subquery has too few columns").WithPosition(x.Pos)
	}
	ri := &rowIn{}
	for i, item := range row.Items {
		left, err := b.bindExpr(item, sc)
		if err != nil {
			return nil, err
		}
		l, r, _, err := b.unify(left, &colExpr{t: cols[i].Type, idx: i}, "=", x.Pos)
		if err != nil {
			return nil, err
		}
		ri.lefts = append(ri.lefts, l)
		ri.convs = append(ri.convs, r)
	}
	sub.kind = subIn
	sub.not = x.Not
	sub.rowIn = ri
	return sub, nil
}

// evalRowIn is the row IN's value over the subquery's rows.
func (e *subqueryExpr) evalRowIn(c *evalCtx, row []types.Datum, rows [][]types.Datum) (types.Datum, error) {
	lefts := make([]types.Datum, len(e.rowIn.lefts))
	for i, l := range e.rowIn.lefts {
		v, err := l.Eval(c, row)
		if err != nil {
			return nil, err
		}
		lefts[i] = v
	}
	sawNull := false
	for _, r := range rows {
		equal, null := true, false
		for i, conv := range e.rowIn.convs {
			v, err := conv.Eval(c, r)
			if err != nil {
				return nil, err
			}
			if lefts[i] == nil || v == nil {
				null = true
				continue
			}
			if types.Compare(lefts[i], v) != 0 {
				equal = false
				break
			}
		}
		switch {
		case !equal:
		case null:
			sawNull = true
		default:
			return !e.not, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.not, nil
}
