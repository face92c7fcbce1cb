package sql

import (
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestUserAggregateStrictRules: a strict transition function skips rows
// with a NULL input, takes the first input as its state when there is no
// INITCOND, and keeps a state it made NULL; a non-strict one sees every
// row; a strict final function gives NULL for a NULL state; the running
// result of a window aggregate does not disturb its state.
func TestUserAggregateStrictRules(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE v (i int, x int)`)
	mustRun(t, s, `INSERT INTO v VALUES (1, NULL), (2, 5), (3, NULL), (4, 7), (5, 1)`)
	mustRun(t, s, `CREATE FUNCTION st(int, int) RETURNS int LANGUAGE sql STRICT AS 'SELECT $1 * 10 + $2'`)
	mustRun(t, s, `CREATE FUNCTION ns(int, int) RETURNS int LANGUAGE sql AS 'SELECT coalesce($1, 0) * 10 + coalesce($2, 9)'`)
	mustRun(t, s, `CREATE FUNCTION nullify(int, int) RETURNS int LANGUAGE sql STRICT AS 'SELECT CASE WHEN $2 = 7 THEN NULL ELSE $1 + $2 END'`)
	mustRun(t, s, `CREATE FUNCTION fin(int) RETURNS text LANGUAGE sql STRICT AS 'SELECT ''<'' || $1 || ''>'''`)
	mustRun(t, s, `CREATE AGGREGATE a_strict(int) (SFUNC = st, STYPE = int)`)
	mustRun(t, s, `CREATE AGGREGATE a_strict_init(int) (SFUNC = st, STYPE = int, INITCOND = '4')`)
	mustRun(t, s, `CREATE AGGREGATE a_ns(int) (SFUNC = ns, STYPE = int)`)
	mustRun(t, s, `CREATE AGGREGATE a_null(int) (SFUNC = nullify, STYPE = int, FINALFUNC = fin)`)
	mustRun(t, s, `CREATE AGGREGATE a_fin(int) (SFUNC = st, STYPE = int, FINALFUNC = fin)`)
	for _, tc := range []struct{ q, want string }{
		// 5, then 5*10+7, then 57*10+1.
		{"SELECT a_strict(x ORDER BY i) FROM v", "[571]"},
		{"SELECT a_strict_init(x ORDER BY i) FROM v", "[4571]"},
		// Every row: 9, 95, 959, 9597, 95971.
		{"SELECT a_ns(x ORDER BY i) FROM v", "[95971]"},
		// The state becomes NULL at 7 and stays NULL.
		{"SELECT a_null(x ORDER BY i) FROM v", "[<nil>]"},
		{"SELECT a_fin(x) FROM v WHERE x IS NULL", "[<nil>]"},
		{"SELECT a_fin(x ORDER BY i) FROM v", "[<571>]"},
		{"SELECT i, a_fin(x) OVER (ORDER BY i) FROM v ORDER BY i", "[1 <nil>][2 <5>][3 <5>][4 <57>][5 <571>]"},
		{"SELECT a_strict(DISTINCT x) FROM v", "[157]"},
		{"SELECT a_strict(x) FILTER (WHERE i > 3) FROM v", "[71]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

// TestUserAggregateDefinitionErrors: bad definitions fail with
// PostgreSQL's SQLSTATEs.
func TestUserAggregateDefinitionErrors(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE FUNCTION f2(text, int) RETURNS text LANGUAGE sql AS 'SELECT $1'`)
	for _, tc := range []struct{ q, code string }{
		{"CREATE AGGREGATE a(int) (STYPE = int)", "42P13"},
		{"CREATE AGGREGATE a(int) (SFUNC = int4pl)", "42P13"},
		{"CREATE AGGREGATE a(int) (SFUNC = nope, STYPE = int)", "42883"},
		{"CREATE AGGREGATE a(int) (SFUNC = int4pl, STYPE = int, FINALFUNC = nope)", "42883"},
		{"CREATE AGGREGATE a(int) (SFUNC = int8pl, STYPE = int8)", "42804"},
		{"CREATE AGGREGATE a(int) (SFUNC = f2, STYPE = text, INITCOND = '')", ""},
		{"CREATE AGGREGATE b(int) (SFUNC = f2, STYPE = int)", "42883"},
		{"CREATE AGGREGATE c(int) (SFUNC = int4pl, STYPE = int, INITCOND = 'x')", "22P02"},
		{"CREATE AGGREGATE d(int) (BASETYPE = int, SFUNC = int4pl, STYPE = int)", "42P13"},
		{"CREATE AGGREGATE d (SFUNC = int4pl, STYPE = int)", "42P13"},
		{"CREATE AGGREGATE d(int) (SFUNC = int4pl, STYPE = int, MSFUNC = int4pl)", "42P13"},
		{"CREATE AGGREGATE d(int) (SFUNC = int4pl, STYPE = int, MSTYPE = int, MSFUNC = int4pl)", "42P13"},
		{"CREATE AGGREGATE d(int) (SFUNC = int4pl, STYPE = int, MSTYPE = int, MSFUNC = int4pl, MINVFUNC = int8mi)", "42804"},
		{"CREATE AGGREGATE d(int) (SFUNC = int4pl, STYPE = int, SORTOP = <)", "0A000"},
		{"CREATE AGGREGATE a(int) (SFUNC = f2, STYPE = text)", "42723"},
		{"DROP FUNCTION a(int)", "42809"},
		{"DROP AGGREGATE f2(text, int)", "42809"},
		{"DROP AGGREGATE nope(int)", "42883"},
		{"DROP FUNCTION f2(text, int)", "2BP01"},
		{"SELECT a(1) FROM (VALUES (1)) v(x) WHERE a(x) IS NULL", "42803"},
		{"CREATE TABLE bad (x int CHECK (a(x) = ''))", "42803"},
	} {
		_, err := run(s, tc.q)
		got := ""
		if err != nil {
			got = pgerr.Code(err)
		}
		if got != tc.code {
			t.Errorf("%s: got %q (%v), want %q", tc.q, got, err, tc.code)
		}
	}
}

// TestUserAggregateSurvivesRestart: an aggregate is stored with the
// functions, and works after the store is opened again.
func TestUserAggregateSurvivesRestart(t *testing.T) {
	fs := vfs.NewMem()
	open := func() (*checkpoint.Store, *Session) {
		store, err := checkpoint.Open(fs, "db", checkpoint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(store, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.NewSession("postgres", "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		return store, s
	}
	store, s := open()
	mustRun(t, s, `CREATE FUNCTION add3(int, int) RETURNS int LANGUAGE sql STRICT AS 'SELECT $1 + $2 * 3'`)
	mustRun(t, s, `CREATE AGGREGATE sum3(int) (SFUNC = add3, STYPE = int, INITCOND = '0')`)
	mustRun(t, s, `BEGIN; CREATE AGGREGATE gone(int) (SFUNC = add3, STYPE = int); ROLLBACK`)
	s.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store, s = open()
	defer store.Close()
	defer s.Close()
	for _, tc := range []struct{ q, want string }{
		{"SELECT sum3(x) FROM (VALUES (1), (2)) v(x)", "[9]"},
		{"SELECT prokind FROM pg_proc WHERE proname = 'sum3'", "[a]"},
		{"SELECT aggtransfn, agginitval FROM pg_aggregate", "[add3 0]"},
		{"SELECT gone(1)", "42883: function gone(integer) does not exist"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}
