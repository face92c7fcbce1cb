package sql

import (
	"fmt"
	"testing"
)

// TestKeyExprLookups: a WHERE comparing a key column with an expression
// over PL/pgSQL variables, routine parameters, constants and casts reads
// the table through its index (pg_stat_user_tables counts index scans,
// no sequential ones), and finds what a sequential scan finds.
func TestKeyExprLookups(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE kx (k int PRIMARY KEY, b bigint, v text NOT NULL)`)
	mustRun(t, s, `CREATE INDEX kx_b ON kx (b)`)
	mustRun(t, s, `INSERT INTO kx SELECT g, g * 10, 'v' || g FROM generate_series(1, 50) g`)
	for i, tc := range []struct {
		fn, call, want string
	}{
		{`CREATE FUNCTION f0(n int) RETURNS text LANGUAGE plpgsql AS $$
			DECLARE x text; BEGIN SELECT v INTO x FROM kx WHERE k = n % 50 + 1; RETURN x; END $$`,
			`SELECT f0(60)`, "v11"},
		{`CREATE FUNCTION f1(n bigint) RETURNS text LANGUAGE plpgsql AS $$
			DECLARE x text; i int := 3; BEGIN SELECT v INTO x FROM kx WHERE k = (n - i)::int; RETURN x; END $$`,
			`SELECT f1(10)`, "v7"},
		{`CREATE FUNCTION f2(n int) RETURNS text LANGUAGE plpgsql AS $$
			DECLARE r record; BEGIN SELECT * INTO r FROM kx WHERE k = n; RETURN (SELECT v FROM kx WHERE b = r.b * 2); END $$`,
			`SELECT f2(4)`, "v8"},
		{`CREATE FUNCTION f3(n int) RETURNS bigint LANGUAGE sql AS $$
			SELECT count(*) FROM kx WHERE b >= n * 10 AND b < (n + 5) * 10 $$`,
			`SELECT f3(46)`, "5"},
		{`CREATE FUNCTION f4(n int) RETURNS text LANGUAGE plpgsql AS $$
			DECLARE x text; BEGIN SELECT v INTO x FROM kx WHERE k = n + NULL; RETURN coalesce(x, 'none'); END $$`,
			`SELECT f4(1)`, "none"},
	} {
		mustRun(t, s, tc.fn)
		before := tableScans(t, s, "kx")
		res := mustRun(t, s, tc.call)
		if got := fmt.Sprint(res.Rows[0][0]); got != tc.want {
			t.Errorf("%d: %s = %s, want %s", i, tc.call, got, tc.want)
		}
		after := tableScans(t, s, "kx")
		if after[0] != before[0] || after[1] == before[1] {
			t.Errorf("%d: %s: seq_scan, idx_scan went from %v to %v, want index scans only", i, tc.call, before, after)
		}
	}
}

// TestKeyExprNotVolatile: a key compared with a function call is not
// looked up once per scan, since the function may be volatile.
func TestKeyExprNotVolatile(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE kv (k int PRIMARY KEY)`)
	mustRun(t, s, `INSERT INTO kv SELECT generate_series(1, 20)`)
	before := tableScans(t, s, "kv")
	mustRun(t, s, `SELECT count(*) FROM kv WHERE k = (random() * 0)::int + 3`)
	after := tableScans(t, s, "kv")
	if after[0] == before[0] {
		t.Errorf("seq_scan, idx_scan went from %v to %v, want a sequential scan", before, after)
	}
}

func tableScans(t *testing.T, s *Session, table string) [2]int64 {
	t.Helper()
	res := mustRun(t, s, `SELECT seq_scan, idx_scan FROM pg_stat_user_tables WHERE relname = '`+table+`'`)
	return [2]int64{res.Rows[0][0].(int64), res.Rows[0][1].(int64)}
}
