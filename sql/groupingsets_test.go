package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// TestExpandGroupingSets checks the grouping sets a GROUP BY list stands
// for, in PostgreSQL's expansion order (before it sorts them by size).
func TestExpandGroupingSets(t *testing.T) {
	col := func(n string) ast.Expr { return &ast.ColumnRef{Column: n} }
	gs := func(kind string, items ...ast.Expr) ast.Expr { return &ast.GroupingSet{Kind: kind, Items: items} }
	for _, tc := range []struct {
		name     string
		items    []ast.Expr
		distinct bool
		want     string // sets separated by " | ", columns by ","
		code     string
	}{
		{"rollup", []ast.Expr{gs("ROLLUP", col("a"), col("b"))}, false, "a,b | a | ", ""},
		{"cube", []ast.Expr{gs("CUBE", col("a"), col("b"))}, false, " | a | b | a,b", ""},
		{"sets with empty", []ast.Expr{gs("SETS", col("a"), gs("LIST", col("b"), col("c")), gs("EMPTY"))}, false, "a | b,c | ", ""},
		{"plain and rollup", []ast.Expr{col("a"), gs("ROLLUP", col("b"), col("c"))}, false, "a,b,c | a,b | a", ""},
		{"rollup of a list", []ast.Expr{gs("ROLLUP", gs("LIST", col("a"), col("b")), col("c"))}, false, "a,b,c | a,b | ", ""},
		{"nested sets", []ast.Expr{gs("SETS", col("a"), gs("ROLLUP", col("b")))}, false, "a | b | ", ""},
		{"product", []ast.Expr{gs("ROLLUP", col("a")), gs("ROLLUP", col("a"))}, false, "a,a | a | a | ", ""},
		{"distinct", []ast.Expr{gs("ROLLUP", col("a")), gs("ROLLUP", col("a"))}, true, "a,a | ", ""},
		{"cube too wide", []ast.Expr{gs("CUBE", col("a"), col("a"), col("a"), col("a"), col("a"), col("a"), col("a"),
			col("a"), col("a"), col("a"), col("a"), col("a"), col("a"))}, false, "", pgerr.TooManyColumns},
		{"too many sets", []ast.Expr{gs("CUBE", col("a"), col("a"), col("a"), col("a"), col("a"), col("a"), col("a"),
			col("a"), col("a"), col("a"), col("a"), col("a")), gs("CUBE", col("a"))}, false, "", pgerr.StatementTooComplex},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sets, err := expandGroupingSets(tc.items, tc.distinct)
			if tc.code != "" {
				if pgerr.Code(err) != tc.code {
					t.Fatalf("got error %v, want SQLSTATE %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range sets {
				var names []string
				for _, e := range s {
					names = append(names, e.(*ast.ColumnRef).Column)
				}
				got = append(got, strings.Join(names, ","))
			}
			if g := strings.Join(got, " | "); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}
