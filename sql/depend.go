package sql

import (
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// Views depend on the relations their queries name. DROP refuses to remove
// a relation a view depends on (2BP01) unless CASCADE is given, in which
// case the dependent views go too, as in PostgreSQL. Dependencies are found
// when needed by reading the views' stored queries; nothing else records
// them.

// relationsOf collects the names of the relations a query reads.
func relationsOf(q *ast.SelectStmt, into map[string]bool) {
	if q == nil {
		return
	}
	for _, c := range q.With {
		relationsOf(c.Query, into)
	}
	relationsOf(q.Left, into)
	relationsOf(q.Right, into)
	var fromItem func(te ast.TableExpr)
	fromItem = func(te ast.TableExpr) {
		switch x := te.(type) {
		case *ast.TableRef:
			into[x.Name] = true
		case *ast.JoinExpr:
			fromItem(x.Left)
			fromItem(x.Right)
			relationsInExpr(x.On, into)
		case *ast.SubqueryRef:
			relationsOf(x.Query, into)
		}
	}
	for _, te := range q.From {
		fromItem(te)
	}
	for _, t := range q.Targets {
		relationsInExpr(t.Expr, into)
	}
	for _, e := range []ast.Expr{q.Where, q.Having, q.Limit, q.Offset} {
		relationsInExpr(e, into)
	}
	for _, row := range q.Values {
		for _, e := range row {
			relationsInExpr(e, into)
		}
	}
}

func relationsInExpr(e ast.Expr, into map[string]bool) {
	ast.WalkExpr(e, func(x ast.Expr) bool {
		switch s := x.(type) {
		case *ast.SubqueryExpr:
			relationsOf(s.Query, into)
			return false
		case *ast.InExpr:
			relationsOf(s.Query, into)
		}
		return true
	})
}

// dependency is one edge: view depends on the relation named on.
type dependency struct {
	view *TableDesc
	on   *TableDesc
}

// dependents returns the views that depend on desc, directly or through
// other views, breadth first, leaving out those dropped anyway.
func dependents(x *execCtx, desc *TableDesc, dropping map[string]bool) ([]dependency, error) {
	all, err := x.s.e.cat.all(x.snap)
	if err != nil {
		return nil, err
	}
	uses := make(map[string]map[string]bool) // view name -> relations it reads
	for _, v := range all {
		if v.View == "" {
			continue
		}
		stmts, err := x.s.e.parseStored(v.View)
		if err != nil || len(stmts) != 1 {
			continue
		}
		if q, ok := stmts[0].Stmt.(*ast.SelectStmt); ok {
			rels := make(map[string]bool)
			relationsOf(q, rels)
			uses[v.Name] = rels
		}
	}
	var out []dependency
	seen := map[string]bool{desc.Name: true}
	queue := []*TableDesc{desc}
	for len(queue) > 0 {
		on := queue[0]
		queue = queue[1:]
		for _, v := range all {
			if v.View == "" || seen[v.Name] || dropping[v.Name] || !uses[v.Name][on.Name] {
				continue
			}
			seen[v.Name] = true
			out = append(out, dependency{view: v, on: on})
			queue = append(queue, v)
		}
	}
	return out, nil
}

// dropDependents refuses to drop desc while views depend on it, or, with
// CASCADE, drops those views and returns PostgreSQL's notice.
func dropDependents(x *execCtx, desc *TableDesc, stmt *ast.DropTableStmt) ([]Notice, error) {
	dropping := make(map[string]bool)
	for _, r := range stmt.Tables {
		dropping[r.Name] = true
	}
	deps, err := dependents(x, desc, dropping)
	if err != nil || len(deps) == 0 {
		return nil, err
	}
	if !stmt.Cascade {
		var lines []string
		for _, d := range deps {
			lines = append(lines, "view "+d.view.Name+" depends on "+d.on.kind()+" "+d.on.Name)
		}
		return nil, pgerr.New(pgerr.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", desc.kind(), desc.Name).
			WithDetail(strings.Join(lines, "\n")).
			WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	var lines []string
	for _, d := range deps {
		_, id, err := x.s.e.cat.lookup(x.snap, d.view.Name)
		if err != nil {
			return nil, err
		}
		if err := x.s.e.cat.drop(x.op(), id); err != nil {
			return nil, err
		}
		lines = append(lines, "drop cascades to view "+d.view.Name)
	}
	if len(lines) == 1 {
		return []Notice{{Severity: "NOTICE", Code: "00000", Message: lines[0]}}, nil
	}
	return []Notice{{Severity: "NOTICE", Code: "00000", Message: "drop cascades to " + itoa(len(lines)) + " other objects",
		Detail: strings.Join(lines, "\n")}}, nil
}
