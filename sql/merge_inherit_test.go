package sql

import "testing"

// TestMergeHierarchy: MERGE into a table with inheritance children or
// partitions matches the rows of the whole hierarchy (ONLY limits it to
// the table), updates and deletes them in the table that stores them
// (keeping a child's own columns, with that table's constraints),
// moves a partition's row whose new key its bounds no longer admit,
// and inserts through the named table.
func TestMergeHierarchy(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE ip (a int, b text)`)
	mustRun(t, s, `CREATE TABLE ic (c int, b text, a int)`)
	mustRun(t, s, `ALTER TABLE ic INHERIT ip`)
	mustRun(t, s, `CREATE TABLE ig (d int) INHERITS (ic)`)
	mustRun(t, s, `INSERT INTO ip VALUES (1, 'p')`)
	mustRun(t, s, `INSERT INTO ic VALUES (9, 'c', 3)`)
	mustRun(t, s, `INSERT INTO ig VALUES (8, 'g', 4, 7)`)
	mustRun(t, s, `CREATE TABLE mp (a int PRIMARY KEY, b text CONSTRAINT mp_b_check CHECK (b <> 'bad')) PARTITION BY RANGE (a)`)
	mustRun(t, s, `CREATE TABLE mp1 PARTITION OF mp FOR VALUES FROM (0) TO (10)`)
	mustRun(t, s, `CREATE TABLE mp2 (b text CONSTRAINT mp_b_check CHECK (b <> 'bad'), a int NOT NULL)`)
	mustRun(t, s, `ALTER TABLE mp ATTACH PARTITION mp2 FOR VALUES FROM (10) TO (20)`)
	mustRun(t, s, `INSERT INTO mp VALUES (1, 'a'), (11, 'b')`)
	for _, tc := range []struct{ q, want string }{
		{`MERGE INTO ip t USING (VALUES (1, 'x'), (3, 'y'), (4, 'w'), (5, 'z')) s(a, b) ON t.a = s.a
			WHEN MATCHED AND t.tableoid = 'ig'::regclass THEN DELETE
			WHEN MATCHED THEN UPDATE SET b = s.b || t.tableoid::regclass::text
			WHEN NOT MATCHED THEN INSERT VALUES (s.a, s.b)`, ""},
		{"SELECT tableoid::regclass, a, b FROM ip ORDER BY a", "[ip 1 xip][ic 3 yic][ip 5 z]"},
		{"SELECT c, b, a FROM ic", "[9 yic 3]"},
		{"MERGE INTO ip t USING (VALUES (3, 'q'), (3, 'r')) s(a, b) ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b",
			"21000: MERGE command cannot affect row a second time"},
		{"MERGE INTO ONLY ip t USING (VALUES (3, 'q')) s(a, b) ON t.a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.a, 'only')", ""},
		{"SELECT tableoid::regclass, a, b FROM ip WHERE a = 3 ORDER BY 1", "[ip 3 only][ic 3 yic]"},
		{`MERGE INTO mp t USING (VALUES (1, 'x'), (11, 'y'), (12, 'z')) s(a, b) ON t.a = s.a
			WHEN MATCHED THEN UPDATE SET a = t.a + 5, b = s.b WHEN NOT MATCHED THEN INSERT VALUES (s.a, s.b)`, ""},
		{"SELECT tableoid::regclass, a, b FROM mp ORDER BY a", "[mp1 6 x][mp2 12 z][mp2 16 y]"},
		{"MERGE INTO mp t USING (VALUES (6, 'bad')) s(a, b) ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b",
			`23514: new row for relation "mp1" violates check constraint "mp_b_check"`},
		{"MERGE INTO mp t USING (VALUES (6, 'x')) s(a, b) ON t.a = s.a WHEN MATCHED THEN UPDATE SET a = 99",
			`23514: no partition of relation "mp" found for row`},
		{"MERGE INTO mp t USING (VALUES (6, 'x')) s(a, b) ON t.a = s.a WHEN MATCHED THEN UPDATE SET a = 12",
			`23505: duplicate key value violates unique constraint "mp2_pkey"`},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
