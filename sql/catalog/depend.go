package catalog

import (
	"strings"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
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

// Dependency is one edge: view depends on the relation named on.
type Dependency struct {
	View *TableDesc
	On   *TableDesc
}

// Dependents returns the views among all that depend on desc, directly or
// through other views, breadth first, leaving out those dropped anyway.
// parse reads a view's stored query; a view whose query does not parse
// depends on nothing.
func Dependents(all []*TableDesc, desc *TableDesc, dropping map[string]bool, parse func(text string) ([]parser.Statement, error)) []Dependency {
	uses := make(map[string]map[string]bool) // view name -> relations it reads
	for _, v := range all {
		if v.View == "" {
			continue
		}
		stmts, err := parse(v.View)
		if err != nil || len(stmts) != 1 {
			continue
		}
		if q, ok := stmts[0].Stmt.(*ast.SelectStmt); ok {
			rels := make(map[string]bool)
			relationsOf(q, rels)
			uses[v.Name] = rels
		}
	}
	var out []Dependency
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
			out = append(out, Dependency{View: v, On: on})
			queue = append(queue, v)
		}
	}
	return out
}

// SequencesInDefault returns the sequences a stored default expression
// names in a call of a sequence function (nextval('s')), as PostgreSQL
// records the dependency of a default on the regclass constants in it.
// parse reads the stored text; a default that does not parse names none.
func SequencesInDefault(parse func(text string) ([]parser.Statement, error), text string) []string {
	stmts, err := parse("SELECT " + text)
	if err != nil || len(stmts) != 1 {
		return nil
	}
	sel, ok := stmts[0].Stmt.(*ast.SelectStmt)
	if !ok || len(sel.Targets) != 1 {
		return nil
	}
	var out []string
	ast.WalkExpr(sel.Targets[0].Expr, func(x ast.Expr) bool {
		f, ok := x.(*ast.FuncCall)
		if !ok || len(f.Args) == 0 {
			return true
		}
		switch f.Name {
		case "nextval", "currval", "setval":
		default:
			return true
		}
		arg := f.Args[0]
		if c, ok := arg.(*ast.CastExpr); ok {
			arg = c.X
		}
		if l, ok := arg.(*ast.Literal); ok && l.Kind == "string" {
			out = append(out, regclassText(l.Text))
		}
		return true
	})
	return out
}

// regclassText is the relation a regclass literal names: [public.]name,
// lower-cased unless double-quoted.
func regclassText(s string) string {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "public."); ok {
		s = rest
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.ToLower(s)
}
