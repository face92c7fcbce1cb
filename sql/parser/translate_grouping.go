package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// groupClause translates GROUP BY items: expressions, and the grouping
// set constructs ROLLUP, CUBE, GROUPING SETS and (). A parenthesized list
// (a, b) there is one unit (PostgreSQL's implicit row constructor, which
// flatten_grouping_sets takes apart).
func (t *translator) groupClause(list []*pg.Node) ([]ast.Expr, error) {
	out := make([]ast.Expr, 0, len(list))
	for _, n := range list {
		e, err := t.groupItem(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

var groupingSetKinds = map[pg.GroupingSetKind]string{
	pg.GroupingSetKind_GROUPING_SET_EMPTY:  "EMPTY",
	pg.GroupingSetKind_GROUPING_SET_SIMPLE: "LIST",
	pg.GroupingSetKind_GROUPING_SET_ROLLUP: "ROLLUP",
	pg.GroupingSetKind_GROUPING_SET_CUBE:   "CUBE",
	pg.GroupingSetKind_GROUPING_SET_SETS:   "SETS",
}

func (t *translator) groupItem(n *pg.Node) (ast.Expr, error) {
	if gs := n.GetGroupingSet(); gs != nil {
		kind, ok := groupingSetKinds[gs.Kind]
		if !ok {
			return nil, t.unsupported("this grouping set", gs.Location)
		}
		out := &ast.GroupingSet{Kind: kind, Pos: t.pos(gs.Location)}
		for _, c := range gs.Content {
			e, err := t.groupItem(c)
			if err != nil {
				return nil, err
			}
			out.Items = append(out.Items, e)
		}
		return out, nil
	}
	if r := n.GetRowExpr(); r != nil && r.RowFormat == pg.CoercionForm_COERCE_IMPLICIT_CAST {
		items, err := t.exprList(r.Args)
		if err != nil {
			return nil, err
		}
		return &ast.GroupingSet{Kind: "LIST", Items: items, Pos: t.pos(r.Location)}, nil
	}
	return t.expr(n)
}

// groupingFunc translates GROUPING(a, ...).
func (t *translator) groupingFunc(g *pg.GroupingFunc) (ast.Expr, error) {
	args, err := t.exprList(g.Args)
	if err != nil {
		return nil, err
	}
	return &ast.GroupingFunc{Args: args, Pos: t.pos(g.Location)}, nil
}
