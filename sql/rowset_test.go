package sql

import "testing"

// TestRowStarAssignment: (a, b, ...) = ROW(t.*, ...) in UPDATE's SET and
// ON CONFLICT DO UPDATE expands t.* before counting the columns; a count
// that does not match is 42601, as in PostgreSQL.
func TestRowStarAssignment(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE rt (a int PRIMARY KEY, b text, c int)`)
	mustRun(t, s, `INSERT INTO rt VALUES (1, 'x', 1)`)
	for _, tc := range []struct{ q, want string }{
		{"UPDATE rt SET (b, c) = ROW(t.*) FROM (VALUES ('y', 2)) t(p, q) RETURNING rt.*", "[1 y 2]"},
		{"UPDATE rt SET (a, b, c) = ROW(t.*) FROM (VALUES (5, 'y', 2)) t(p, q) RETURNING rt.*", "[5 y 2]"},
		{"UPDATE rt SET (a, b, c) = ROW(t.*) FROM (VALUES (1, 'x')) t(p, q) RETURNING rt.*", "42601: number of columns does not match number of values"},
		{"UPDATE rt SET (a, b) = ROW(rt.*, 1) RETURNING *", "42601: number of columns does not match number of values"},
		{"INSERT INTO rt VALUES (1, 'z', 3) ON CONFLICT (a) DO UPDATE SET (a, b, c) = ROW(excluded.*) RETURNING *", "[1 z 3]"},
		{"INSERT INTO rt VALUES (1, 'w', 4) ON CONFLICT (a) DO UPDATE SET (c, a, b) = ROW(excluded.c + rt.c, rt.*) RETURNING *", "42601: number of columns does not match number of values"},
		{"INSERT INTO rt VALUES (1, 'w', 4) ON CONFLICT (a) DO UPDATE SET (c, b) = ROW(excluded.c + rt.c, excluded.b) RETURNING *", "[1 w 7]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
