package sql

import (
	"testing"
)

// TestStreamingExecution checks queries whose intermediate rows are far
// more than the statement may hold, and recursive queries a LIMIT ends:
// before rows were streamed between plan nodes, the first failed on an
// intermediate row cap (or the memory budget) and the others ran until
// the statement timed out.
func TestStreamingExecution(t *testing.T) {
	e, _ := newBudgetEngine(t, 16<<20)
	s := newTestSession(t, e)
	for _, tbl := range []string{"sa", "sb", "sc"} {
		mustRun(t, s, "CREATE TABLE "+tbl+" (id int PRIMARY KEY, k int)")
		mustRun(t, s, "INSERT INTO "+tbl+" SELECT i, i % 39 FROM generate_series(1, 2000) i")
	}
	mustRun(t, s, "SET statement_timeout = '20s'")
	for _, tc := range []struct{ query, want string }{
		// 11 keys with 52 rows each and 28 with 51: 11*52^3 + 28*51^3.
		{"SELECT count(*) FROM sa JOIN sb ON sa.k = sb.k JOIN sc ON sb.k = sc.k", "[5260916]"},
		{"SELECT count(*) FROM sa, sb, sc WHERE sa.k = sb.k AND sc.k = sb.k AND sc.id > 0", "[5260916]"},
		// A cross product of 8,000,000 rows, counted as they pass.
		{"SELECT count(*) FROM generate_series(1, 200) a, generate_series(1, 200) b, generate_series(1, 200) c", "[8000000]"},
		{"SELECT count(*) FROM sa LEFT JOIN sb ON sa.k = sb.k AND sb.id < 1000", "[51235]"},
		{"SELECT count(*) FROM sa FULL JOIN sb ON sa.id = sb.k", "[3962]"},
		{"WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n + 1 FROM t) SELECT * FROM t LIMIT 3", "[1][2][3]"},
		{"WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t WHERE n % 1000 = 0 LIMIT 2 OFFSET 1", "[2000][3000]"},
		{"WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT EXISTS (SELECT FROM t WHERE n = 5000)", "[t]"},
		{"SELECT * FROM (WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t) s LIMIT 1", "[1]"},
	} {
		if got := outcome(s, tc.query); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.query, got, tc.want)
		}
	}
}

// TestEndlessRecursionTimesOut checks that a recursive query without an
// end observes statement_timeout.
func TestEndlessRecursionTimesOut(t *testing.T) {
	e, _ := newBudgetEngine(t, 64<<20)
	s := newTestSession(t, e)
	mustRun(t, s, "SET statement_timeout = '300ms'")
	for _, q := range []string{
		"WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
		"WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t ORDER BY n LIMIT 1",
	} {
		got := outcome(s, q)
		if len(got) < 5 || got[:5] != "57014" {
			t.Errorf("%s: got %s, want 57014", q, got)
		}
	}
}
