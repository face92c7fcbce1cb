package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// doStmt translates DO [LANGUAGE name] 'body'.
func (t *translator) doStmt(s *pg.DoStmt) (ast.Stmt, error) {
	out := &ast.DoStmt{Language: "plpgsql"}
	haveBody := false
	for _, o := range s.Args {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "as":
			out.Body = d.Arg.GetString_().GetSval()
			out.BodyPos = t.pos(d.Location)
			haveBody = true
		case "language":
			out.Language = d.Arg.GetString_().GetSval()
		}
	}
	if !haveBody {
		return nil, pgerr.New(pgerr.SyntaxError, "no inline code specified")
	}
	return out, nil
}
