package sql

import "testing"

// TestHierarchyReturningOrder: RETURNING *, t.* and a whole-row t of an
// UPDATE or DELETE through a partitioned table or an inheritance parent
// show a descendant's row in the named table's column order, whatever the
// descendant's own order; another FROM item's columns keep their place.
func TestHierarchyReturningOrder(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE pr (a int, b text, c int) PARTITION BY RANGE (a)`)
	mustRun(t, s, `CREATE TABLE pr1 (c int, a int, b text)`)
	mustRun(t, s, `ALTER TABLE pr ATTACH PARTITION pr1 FOR VALUES FROM (0) TO (1000)`)
	mustRun(t, s, `INSERT INTO pr VALUES (50, 'x', 1)`)
	mustRun(t, s, `CREATE TABLE ir (a int, b text)`)
	mustRun(t, s, `CREATE TABLE irc (z int, b text, a int)`)
	mustRun(t, s, `ALTER TABLE irc INHERIT ir`)
	mustRun(t, s, `INSERT INTO irc VALUES (9, 'c', 3)`)
	for _, tc := range []struct{ q, want string }{
		{"UPDATE pr SET c = 7 RETURNING *", "[50 x 7]"},
		{"UPDATE pr SET c = 8 RETURNING pr.*", "[50 x 8]"},
		{"UPDATE pr SET c = 9 RETURNING pr", "[(50,x,9)]"},
		{"UPDATE pr SET c = 9 FROM (VALUES (1)) t(x) RETURNING *", "[50 x 9 1]"},
		{"UPDATE ir SET b = 'd' RETURNING *", "[3 d]"},
		{"DELETE FROM ir RETURNING ir, *", "[(3,d) 3 d]"},
		{"DELETE FROM pr RETURNING pr.*", "[50 x 9]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestInheritConflictingDefaults: a column two parents give different
// defaults needs a default of the new table's own (42611); the same
// default from both, or the child's own, is fine.
func TestInheritConflictingDefaults(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE fp (d date DEFAULT now()::date + 1, n int DEFAULT 1)`)
	mustRun(t, s, `CREATE TABLE sp (d date DEFAULT  now() :: date  +  1, n int)`)
	mustRun(t, s, `CREATE TABLE tp (d date DEFAULT now()::date - 1, n int DEFAULT 2)`)
	for _, tc := range []struct{ q, want string }{
		{"CREATE TABLE jc () INHERITS (fp, sp)", ""},
		{"CREATE TABLE oc () INHERITS (fp, tp)", `42611: column "d" inherits conflicting default values`},
		{"CREATE TABLE oc (d date DEFAULT now()) INHERITS (fp, tp)", `42611: column "n" inherits conflicting default values`},
		{"CREATE TABLE oc (d date DEFAULT now(), n int DEFAULT 1) INHERITS (fp, tp)", ""},
		{"SELECT column_name, column_default FROM information_schema.columns WHERE table_name = 'oc' ORDER BY 1", "[d now()][n 1]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
