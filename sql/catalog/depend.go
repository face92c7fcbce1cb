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
			uses[v.Key()] = rels
		}
	}
	reads := func(v, on *TableDesc) bool { return readsRelation(uses[v.Key()], v, on) }
	var out []Dependency
	seen := map[string]bool{desc.Key(): true}
	queue := []*TableDesc{desc}
	for len(queue) > 0 {
		on := queue[0]
		queue = queue[1:]
		for _, v := range all {
			if v.View == "" || seen[v.Key()] || dropping[v.Key()] || !reads(v, on) {
				continue
			}
			seen[v.Key()] = true
			out = append(out, Dependency{View: v, On: on})
			queue = append(queue, v)
		}
	}
	return out
}

// readsRelation reports whether one of the names view v's query reads
// names relation on.
func readsRelation(names map[string]bool, v, on *TableDesc) bool {
	for name := range names {
		if namesRelation(name, v, on) {
			return true
		}
	}
	return false
}

// NamesRelation reports whether name, as view v's query writes it, names
// relation on.
func NamesRelation(name string, v, on *TableDesc) bool { return namesRelation(name, v, on) }

// namesRelation reports whether name, as view v's query writes it, names
// relation on: a qualified name its schema's, a bare one a relation of
// public or of the view's own schema (a temporary relation only for a
// temporary view).
func namesRelation(name string, v, on *TableDesc) bool {
	schema, bare := SplitName(name)
	if bare != on.Name {
		return false
	}
	switch {
	case schema == "pg_temp":
		return on.Temp()
	case schema != "":
		return schema == on.SchemaName()
	case on.Temp():
		return v.Temp()
	}
	return on.Schema == "" || on.Schema == v.Schema
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
			if c.Type.Name != "regclass" || c.Type.Array {
				// 'seq'::text is looked up when it runs: the
				// default does not depend on the sequence.
				return true
			}
			arg = c.X
		}
		if l, ok := arg.(*ast.Literal); ok && l.Kind == "string" {
			out = append(out, regclassText(l.Text))
		}
		return true
	})
	return out
}

// regclassText is the relation a regclass literal names, bare or
// qualified (QualifiedName), each part lower-cased unless double-quoted.
func regclassText(s string) string {
	parts := SplitQualifiedName(s)
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return QualifiedName(parts[len(parts)-2], parts[len(parts)-1])
}

// SplitQualifiedName splits a dotted name as PostgreSQL's
// SplitIdentifierString does: each part lower-cased unless double-quoted.
// It does not check the syntax (validRegclassText does).
func SplitQualifiedName(s string) []string {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t\n\r\f\v")
		if s == "" {
			return out
		}
		var part string
		if s[0] == '"' {
			end := 1
			for end < len(s) {
				if s[end] == '"' {
					if end+1 < len(s) && s[end+1] == '"' {
						end += 2
						continue
					}
					break
				}
				end++
			}
			part = strings.ReplaceAll(s[1:min(end, len(s))], `""`, `"`)
			s = s[min(end+1, len(s)):]
		} else {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				i = len(s)
			}
			part = strings.ToLower(strings.TrimRight(s[:i], " \t\n\r\f\v"))
			s = s[i:]
		}
		out = append(out, part)
		s = strings.TrimLeft(s, " \t\n\r\f\v")
		if s == "" || s[0] != '.' {
			return out
		}
		s = s[1:]
	}
}
