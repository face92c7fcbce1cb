package parser

import (
	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/cairndb/cairn/sql/ast"
)

// reindexStmt translates REINDEX. cairn's index entries are kept exact by
// every write and by VACUUM, so a rebuild has nothing to repair; the
// statement checks its target and succeeds.
func (t *translator) reindexStmt(s *pg.ReindexStmt) (ast.Stmt, error) {
	out := &ast.ReindexStmt{}
	for _, p := range s.Params {
		if d := p.GetDefElem(); d != nil && d.Defname == "concurrently" {
			out.Concurrently = d.Arg == nil || d.Arg.GetBoolean() == nil || d.Arg.GetBoolean().Boolval
		}
		if d := p.GetDefElem(); d != nil && d.Defname == "verbose" {
			out.Verbose = d.Arg == nil || d.Arg.GetBoolean() == nil || d.Arg.GetBoolean().Boolval
		}
	}
	switch s.Kind {
	case pg.ReindexObjectType_REINDEX_OBJECT_INDEX:
		out.Kind = "INDEX"
	case pg.ReindexObjectType_REINDEX_OBJECT_TABLE:
		out.Kind = "TABLE"
	case pg.ReindexObjectType_REINDEX_OBJECT_SCHEMA:
		out.Kind, out.Name.Name = "SCHEMA", TruncateIdent(s.Name)
	case pg.ReindexObjectType_REINDEX_OBJECT_DATABASE:
		out.Kind, out.Name.Name = "DATABASE", TruncateIdent(s.Name)
	case pg.ReindexObjectType_REINDEX_OBJECT_SYSTEM:
		out.Kind, out.Name.Name = "SYSTEM", TruncateIdent(s.Name)
	default:
		return nil, t.unsupported("this REINDEX form", 0)
	}
	if s.Relation != nil {
		ref, err := t.rangeVar(s.Relation)
		if err != nil {
			return nil, err
		}
		out.Name = ref
	}
	return out, nil
}
