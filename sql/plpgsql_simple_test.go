package sql

import (
	"fmt"
	"testing"
)

// TestPLSimpleExprRebind: a routine's simple expressions, evaluated
// without running a query, are still bound again when what they name
// changes: the search path, or the function they call.
func TestPLSimpleExprRebind(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		`CREATE SCHEMA sa`, `CREATE SCHEMA sb`,
		`CREATE FUNCTION sa.val() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
		`CREATE FUNCTION sb.val() RETURNS int LANGUAGE sql AS 'SELECT 2'`,
		`CREATE FUNCTION public.g() RETURNS int LANGUAGE plpgsql AS $$
			DECLARE x int; BEGIN x := val() * 10 + 1; RETURN x; END $$`,
	} {
		mustRun(t, s, q)
	}
	for i, step := range []struct{ set, want string }{
		{`SET search_path = sa, public`, "11"},
		{``, "11"},
		{`SET search_path = sb, public`, "21"},
		{`CREATE OR REPLACE FUNCTION sb.val() RETURNS int LANGUAGE sql AS 'SELECT 3'`, "31"},
		{`SET search_path = sa, public`, "11"},
	} {
		if step.set != "" {
			mustRun(t, s, step.set)
		}
		res := mustRun(t, s, `SELECT public.g()`)
		if got := fmt.Sprint(res.Rows[0][0]); got != step.want {
			t.Errorf("%d: after %q g() = %s, want %s", i, step.set, got, step.want)
		}
	}
}

// TestPLSimpleExprVolatileSnapshot: an expression that reads the
// database through a function sees the writes of the statements before it
// in a VOLATILE routine, and not in a STABLE one's (which sees the calling
// statement's snapshot).
func TestPLSimpleExprVolatileSnapshot(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		`CREATE TABLE vs (a int)`,
		`CREATE FUNCTION vs_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM vs'`,
		`CREATE FUNCTION vs_vol() RETURNS text LANGUAGE plpgsql AS $$
			DECLARE a bigint; b bigint; BEGIN
			a := vs_count(); INSERT INTO vs VALUES (1); b := vs_count();
			RETURN a || ',' || b; END $$`,
	} {
		mustRun(t, s, q)
	}
	for i, want := range []string{"0,1", "1,2"} {
		res := mustRun(t, s, `SELECT vs_vol()`)
		if got := fmt.Sprint(res.Rows[0][0]); got != want {
			t.Errorf("%d: vs_vol() = %s, want %s", i, got, want)
		}
	}
}
