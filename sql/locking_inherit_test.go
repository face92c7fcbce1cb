package sql

import "testing"

// TestLockingHierarchy: SELECT ... FOR UPDATE / SHARE of a table with
// inheritance children or partitions locks the descendants' rows too
// (ONLY limits it to the table), reports a locked row under the name of
// the table that stores it, and a row locked elsewhere that was updated
// meanwhile is re-read in the locked table's columns.
func TestLockingHierarchy(t *testing.T) {
	e := newTestEngine(t)
	s1, s2 := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, s1, `CREATE TABLE ip (a int, b text)`)
	mustRun(t, s1, `CREATE TABLE ic (c int, b text, a int)`)
	mustRun(t, s1, `ALTER TABLE ic INHERIT ip`)
	mustRun(t, s1, `CREATE TABLE mp (a int, b text) PARTITION BY LIST (a)`)
	mustRun(t, s1, `CREATE TABLE mp1 PARTITION OF mp FOR VALUES IN (1, 2)`)
	mustRun(t, s1, `CREATE TABLE mp2 PARTITION OF mp FOR VALUES IN (3, 4)`)
	mustRun(t, s1, `INSERT INTO ip VALUES (1, 'p')`)
	mustRun(t, s1, `INSERT INTO ic VALUES (9, 'c', 3)`)
	mustRun(t, s1, `INSERT INTO mp VALUES (1, 'a'), (3, 'b')`)
	for _, tc := range []struct {
		s       *Session
		q, want string
	}{
		{s1, "BEGIN", ""},
		{s1, "SELECT tableoid::regclass, * FROM ip ORDER BY a FOR UPDATE", "[ip 1 p][ic 3 c]"},
		{s2, "SELECT * FROM ic FOR UPDATE NOWAIT", `55P03: could not obtain lock on row in relation "ic"`},
		{s2, "SELECT * FROM ONLY ip FOR SHARE NOWAIT", `55P03: could not obtain lock on row in relation "ip"`},
		{s1, "COMMIT", ""},
		{s1, "BEGIN", ""},
		{s1, "SELECT * FROM ONLY ip FOR UPDATE", "[1 p]"},
		{s2, "SELECT * FROM ic FOR UPDATE NOWAIT", "[9 c 3]"},
		{s1, "COMMIT", ""},
		{s1, "BEGIN", ""},
		{s1, "SELECT a, b FROM mp WHERE a = 3 FOR UPDATE", "[3 b]"},
		{s2, "SELECT * FROM mp FOR UPDATE SKIP LOCKED", "[1 a]"},
		{s2, "SELECT * FROM mp2 FOR UPDATE NOWAIT", `55P03: could not obtain lock on row in relation "mp2"`},
		{s1, "COMMIT", ""},
	} {
		if got := outcome(tc.s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
