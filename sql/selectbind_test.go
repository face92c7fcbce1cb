package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
)

// TestFigureName checks result column names against PostgreSQL's
// FigureColname, which prefers names from columns and functions to the
// type name of a cast.
func TestFigureName(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"SELECT true", "?column?"},
		{"SELECT 3.7::float8::int", "int4"},
		{"SELECT a::int", "a"},
		{"SELECT lower(a)::text", "lower"},
		{"SELECT CASE WHEN true THEN 1 ELSE a END", "a"},
		{"SELECT CASE WHEN true THEN 1 END::text", "text"},
		{"SELECT (SELECT 1)::int", "?column?"},
		{"SELECT (SELECT a FROM t)::int", "a"},
		{"SELECT a COLLATE \"C\"", "a"},
		{"SELECT EXISTS (SELECT 1)", "exists"},
	} {
		stmts, _, err := parser.ParseStatements(context.Background(), tc.sql, parser.Config{})
		if err != nil {
			t.Fatalf("%s: %v", tc.sql, err)
		}
		if got := defaultName(stmts[0].Stmt.(*ast.SelectStmt).Targets[0].Expr); got != tc.want {
			t.Errorf("%s: named %q, want %q", tc.sql, got, tc.want)
		}
	}
}
