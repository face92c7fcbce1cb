package sql

import (
	"strconv"

	"github.com/cairndb/cairn/sql/ast"
)

// Set-returning functions over a grouped query's results: SELECT g,
// unnest(array_agg(x)) FROM t GROUP BY g. PostgreSQL runs the calls of
// the select list (ProjectSet) above the aggregation, once per group.
// srfGrouped rewrites such a query into a select-list call over a
// subquery that does the grouping:
//
//	SELECT srf_g.srf_g1 AS g, unnest(srf_g.srf_g2)
//	FROM (SELECT g AS srf_g1, array_agg(x) AS srf_g2 FROM t GROUP BY g) srf_g
//
// which the select-list calls (bindSRFTarget) then run over. It takes the
// queries whose set-returning calls are whole targets (not inside
// another expression, their arguments free of other such calls), without
// window functions, and whose ORDER BY names output columns by name or
// position; others keep their 0A000. DISTINCT applies to the calls' rows.

// srfGroupedAlias names the grouping subquery and, numbered, its columns.
const srfGroupedAlias = "srf_g"

// srfGrouped returns the rewritten query, or nil when q is not one it
// takes.
func srfGrouped(q *ast.SelectStmt) *ast.SelectStmt {
	if len(q.Values) > 0 || q.Op != "" || q.Locking != nil {
		return nil
	}
	grouped := len(q.GroupBy) > 0 || q.Having != nil
	hasSRF := false
	names := make(map[string]bool)
	for _, t := range q.Targets {
		if t.Star || hasWindowCall(t.Expr) {
			return nil
		}
		grouped = grouped || containsAggregate(t.Expr)
		if call, ok := t.Expr.(*ast.FuncCall); ok && isTableFunc(call.Name) {
			if call.Star || call.Distinct || call.Filter != nil || len(call.OrderBy) > 0 || call.Over != nil {
				return nil
			}
			for _, a := range call.Args {
				if containsTableFunc(a) {
					return nil
				}
			}
			hasSRF = true
		} else if containsTableFunc(t.Expr) {
			return nil
		}
		names[targetName(t)] = true
	}
	if !hasSRF || !grouped {
		return nil
	}
	for _, o := range q.OrderBy {
		switch x := o.Expr.(type) {
		case *ast.ColumnRef:
			if x.Table != "" || !names[x.Column] {
				return nil
			}
		case *ast.Literal:
		default:
			return nil
		}
	}
	inner := *q
	inner.Targets, inner.OrderBy, inner.Limit, inner.Offset, inner.With = nil, nil, nil, nil, nil
	column := func(e ast.Expr, pos int32) ast.Expr {
		name := srfGroupedAlias + strconv.Itoa(len(inner.Targets)+1)
		inner.Targets = append(inner.Targets, ast.Target{Expr: e, Alias: name, Pos: pos})
		return &ast.ColumnRef{Table: srfGroupedAlias, Column: name, Pos: pos}
	}
	outer := &ast.SelectStmt{OrderBy: q.OrderBy, Limit: q.Limit, Offset: q.Offset}
	for _, t := range q.Targets {
		name := targetName(t)
		if call, ok := t.Expr.(*ast.FuncCall); ok && isTableFunc(call.Name) {
			c := *call
			c.Args = make([]ast.Expr, len(call.Args))
			for i, a := range call.Args {
				c.Args[i] = column(a, a.Position())
			}
			outer.Targets = append(outer.Targets, ast.Target{Expr: &c, Alias: name, Pos: t.Pos})
			continue
		}
		outer.Targets = append(outer.Targets, ast.Target{Expr: column(t.Expr, t.Pos), Alias: name, Pos: t.Pos})
	}
	outer.From = []ast.TableExpr{&ast.SubqueryRef{Query: &inner, Alias: srfGroupedAlias}}
	if q.Distinct {
		// DISTINCT applies to the calls' rows: one more level.
		outer.OrderBy, outer.Limit, outer.Offset = nil, nil, nil
		return &ast.SelectStmt{Distinct: true, Targets: []ast.Target{{Star: true}},
			From:    []ast.TableExpr{&ast.SubqueryRef{Query: outer, Alias: srfGroupedAlias + "d"}},
			OrderBy: q.OrderBy, Limit: q.Limit, Offset: q.Offset}
	}
	return outer
}

// targetName is the output column name of select-list item t.
func targetName(t ast.Target) string {
	if t.Alias != "" {
		return t.Alias
	}
	return defaultName(t.Expr)
}

// containsTableFunc reports whether e calls a set-returning function.
func containsTableFunc(e ast.Expr) bool {
	found := false
	ast.WalkExpr(e, func(x ast.Expr) bool {
		if c, ok := x.(*ast.FuncCall); ok && c.Over == nil && isTableFunc(c.Name) {
			found = true
		}
		return !found
	})
	return found
}
