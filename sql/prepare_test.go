package sql

import "testing"

// TestSQLPrepare runs SQL-level PREPARE, EXECUTE and DEALLOCATE.
func TestSQLPrepare(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "create table t (a int, b text)")
	mustRun(t, s, "insert into t values (1, 'x'), (2, 'y'), (3, 'z')")
	cases := []struct{ query, want string }{
		{"prepare q(int) as select b from t where a >= $1 order by a", ""},
		{"execute q(2)", "[y][z]"},
		{"execute q('3')", "[z]"},
		{"execute q", `42601: wrong number of parameters for prepared statement "q"`},
		{"prepare q as select 1", `42P05: prepared statement "q" already exists`},
		{"prepare r(pg_catalog.oid) as select relname from pg_class where oid = $1", ""},
		{"execute r('t'::regclass)", "[t]"},
		{"prepare w(int, text) as insert into t values ($1, $2) returning a", ""},
		{"execute w(4, 'four')", "[4]"},
		{"deallocate q", ""},
		{"execute q(1)", `26000: prepared statement "q" does not exist`},
		{"deallocate all", ""},
		{"execute r(1)", `26000: prepared statement "r" does not exist`},
		{"select count(*) from t", "[4]"},
	}
	for _, c := range cases {
		if got := outcome(s, c.query); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.query, got, c.want)
		}
	}
}
