package parser

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/ast"
)

// TestMergePostgres15: MERGE translates as PostgreSQL 15 has it, and the
// PostgreSQL 17 forms the grammar also accepts get 15's syntax error at
// 15's position.
func TestMergePostgres15(t *testing.T) {
	stmts, _, err := ParseStatements(context.Background(), `MERGE INTO t AS x USING s ON x.id = s.id
		WHEN MATCHED AND s.del THEN DELETE
		WHEN MATCHED THEN UPDATE SET (a, b) = (s.a, DEFAULT), c = (SELECT 1)
		WHEN NOT MATCHED AND s.a > 0 THEN INSERT (id, a) OVERRIDING SYSTEM VALUE VALUES (s.id, DEFAULT)
		WHEN NOT MATCHED THEN DO NOTHING`, Config{})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := stmts[0].Stmt.(*ast.MergeStmt)
	if !ok {
		t.Fatalf("translated to %T", stmts[0].Stmt)
	}
	if m.Table.Alias != "x" || len(m.When) != 4 {
		t.Fatalf("target %+v, %d WHEN clauses", m.Table, len(m.When))
	}
	upd := m.When[1]
	if !upd.Matched || upd.Action != "UPDATE" || len(upd.Set) != 3 || upd.Set[1].Column != "b" || upd.Set[1].Expr != nil {
		t.Errorf("WHEN MATCHED THEN UPDATE: %+v", upd)
	}
	ins := m.When[2]
	if ins.Matched || ins.Action != "INSERT" || ins.Overriding != "system" || len(ins.Columns) != 2 || len(ins.Values) != 2 {
		t.Errorf("WHEN NOT MATCHED THEN INSERT: %+v", ins)
	}
	if _, ok := ins.Values[1].(*ast.DefaultExpr); !ok {
		t.Errorf("INSERT's DEFAULT: %T", ins.Values[1])
	}
	if m.When[3].Action != "NOTHING" {
		t.Errorf("DO NOTHING: %+v", m.When[3])
	}

	for _, tc := range []struct {
		query string
		pos   int32
	}{
		{"MERGE INTO t USING s ON t.id = s.id RETURNING *", 37},
		{"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE returning t.id", 62},
		{"MERGE INTO t USING s ON t.id = s.id WHEN NOT  MATCHED\n BY SOURCE THEN DELETE", 56},
	} {
		_, _, err := ParseStatements(context.Background(), tc.query, Config{})
		if pgerr.Code(err) != pgerr.SyntaxError || pgerr.Find(err).Position != tc.pos {
			t.Errorf("%q: %v (position %d), want 42601 at %d", tc.query, err, pgerr.Find(err).Position, tc.pos)
		}
	}
}

// TestMultipleColumnSet: (a, b) = (x, y) becomes one clause per column and
// (a, b) = (SELECT ...) clauses sharing one subquery; other sources are
// PostgreSQL's errors.
func TestMultipleColumnSet(t *testing.T) {
	stmts, _, err := ParseStatements(context.Background(), "UPDATE t SET (a, b) = (1, 2), (c, d) = (SELECT 3, 4), e = 5", Config{})
	if err != nil {
		t.Fatal(err)
	}
	set := stmts[0].Stmt.(*ast.UpdateStmt).Set
	if len(set) != 5 || set[1].Column != "b" || set[1].Expr == nil || set[2].Sub == nil || set[2].Sub != set[3].Sub ||
		set[3].SubCol != 1 || set[3].SubCols != 2 || set[4].Sub != nil {
		t.Fatalf("SET list: %+v", set)
	}
	for _, tc := range []struct {
		query string
		code  string
	}{
		{"UPDATE t SET (a, b) = (1, 2, 3)", pgerr.SyntaxError},
		{"UPDATE t SET (a) = (1)", pgerr.FeatureNotSupported},
		{"UPDATE t SET (a, b) = (1)", pgerr.FeatureNotSupported},
	} {
		if _, _, err := ParseStatements(context.Background(), tc.query, Config{}); pgerr.Code(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.query, err, tc.code)
		}
	}
}
