package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// prepareStmt translates SQL-level PREPARE, keeping the query as text
// (PostgreSQL's deparser's), which the session prepares as a client's
// Parse message would.
func (t *translator) prepareStmt(s *pg.PrepareStmt) (ast.Stmt, error) {
	out := &ast.PrepareStmt{Name: s.Name}
	for _, n := range s.Argtypes {
		tn, err := t.typeName(n.GetTypeName())
		if err != nil {
			return nil, err
		}
		out.Types = append(out.Types, tn)
	}
	text, err := Deparse(&pg.ParseResult{Version: t.version, Stmts: []*pg.RawStmt{{Stmt: s.Query}}})
	if err != nil {
		return nil, err
	}
	out.Query = text
	return out, nil
}

func (t *translator) executeStmt(s *pg.ExecuteStmt) (ast.Stmt, error) {
	out := &ast.ExecuteStmt{Name: s.Name}
	for _, n := range s.Params {
		e, err := t.expr(n)
		if err != nil {
			return nil, err
		}
		out.Params = append(out.Params, e)
	}
	return out, nil
}
