package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/sql/ast"
	"github.com/cairndb/cairn/sql/parser"
)

func TestFoldableQual(t *testing.T) {
	for _, tc := range []struct {
		where string
		want  bool
	}{
		{"false", true},
		{"NULL", true},
		{"1 = 0", true},
		{"NULLIF(1, 2) = 2", true},
		{"NULLIF(1, 1) IS NOT NULL", true},
		{"COALESCE(NULL, 1) = 1", true},
		{"CASE WHEN 1 > 2 THEN true ELSE false END", true},
		{"1 IN (2, 3)", true},
		{"'a'::text = 'b'", true},
		{"x = 1", false},
		{"$1 = 1", false},
		{"random() < 0", false},
		{"now() > '2000-01-01'", false},
		{"abs(-1) = 1", false}, // a function call, folded only when known immutable
		{"1 IN (SELECT 1)", false},
		{"EXISTS (SELECT 1)", false},
	} {
		stmts, _, err := parser.ParseStatements(context.Background(), "SELECT 1 FROM t WHERE "+tc.where, parser.Config{})
		if err != nil {
			t.Fatalf("%s: %v", tc.where, err)
		}
		q := stmts[0].Stmt.(*ast.SelectStmt)
		if got := foldableQual(q.Where); got != tc.want {
			t.Errorf("foldableQual(%s) = %v, want %v", tc.where, got, tc.want)
		}
	}
}
