package cairn_test

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// TestFunctionsDurable: user-defined functions and procedures survive a
// clean close and a crash (the file system losing what was not synced):
// the committed ones come back callable with their attributes, ACL and
// comment, one whose creation rolled back and one dropped stay gone, and
// one created after the last commit the crash lost is gone too.
func TestFunctionsDurable(t *testing.T) {
	run := runScript
	must := func(s *sql.Session, q string) *sql.Result {
		t.Helper()
		return mustScript(t, s, q)
	}
	text := func(s *sql.Session, q string) string {
		t.Helper()
		res := must(s, q)
		return fmt.Sprint(res.Rows)
	}
	fs := vfs.NewMem()
	db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE t (a int, b text)",
		"INSERT INTO t VALUES (1, 'one'), (2, 'two')",
		"CREATE SCHEMA app",
		"CREATE FUNCTION app.twice(x int DEFAULT 21) RETURNS int LANGUAGE sql IMMUTABLE STRICT AS 'SELECT x * 2'",
		"CREATE FUNCTION names(lo int) RETURNS TABLE (n text) LANGUAGE sql STABLE RETURN (SELECT b FROM t WHERE a >= lo LIMIT 1)",
		"CREATE FUNCTION rows_from(lo int) RETURNS SETOF t LANGUAGE sql BEGIN ATOMIC SELECT * FROM t WHERE a >= lo ORDER BY a; END",
		"CREATE PROCEDURE add_row(a int, b text) LANGUAGE sql AS $$INSERT INTO t VALUES (a, b)$$",
		"COMMENT ON FUNCTION app.twice(int) IS 'doubles'",
		"REVOKE EXECUTE ON FUNCTION app.twice(int) FROM PUBLIC",
		"CREATE FUNCTION dropped() RETURNS int LANGUAGE sql AS 'SELECT 1'",
		"DROP FUNCTION dropped()",
		"BEGIN",
		"CREATE FUNCTION rolled_back() RETURNS int LANGUAGE sql AS 'SELECT 1'",
		"ROLLBACK",
	} {
		must(s, q)
	}
	check := func(s *sql.Session, when string) {
		t.Helper()
		for _, c := range []struct{ q, want string }{
			{"SELECT app.twice(4), app.twice()", "[[8 42]]"},
			{"SELECT * FROM rows_from(1) LIMIT 1", "[[1 one]]"},
			{"SELECT names(2)", "[[two]]"},
			{"SELECT proname, provolatile, proisstrict, pronargdefaults FROM pg_proc WHERE proname IN ('twice', 'rows_from') ORDER BY 1",
				"[[rows_from v false 0] [twice i true 1]]"},
			{"SELECT obj_description('app.twice'::regproc, 'pg_proc')", "[[doubles]]"},
			{"SELECT proacl IS NOT NULL FROM pg_proc WHERE proname = 'twice'", "[[true]]"},
			{"SELECT count(*) FROM pg_proc WHERE proname IN ('dropped', 'rolled_back', 'lost')", "[[0]]"},
		} {
			if got := text(s, c.q); got != c.want {
				t.Errorf("%s: %s: got %s, want %s", when, c.q, got, c.want)
			}
		}
		if _, err := run(s, "SELECT rolled_back()"); pgerr.Code(err) != pgerr.UndefinedFunction {
			t.Errorf("%s: rolled_back(): %v, want 42883", when, err)
		}
	}
	check(s, "before close")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	s, err = db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	check(s, "after reopen")
	must(s, "CALL add_row(3, 'three')")
	if got := text(s, "SELECT * FROM rows_from(3)"); got != "[[3 three]]" {
		t.Errorf("after CALL: %s", got)
	}
	// A routine created in a transaction that has not committed when the
	// machine crashes is lost with it.
	must(s, "BEGIN")
	must(s, "CREATE FUNCTION lost() RETURNS int LANGUAGE sql AS 'SELECT 1'")
	crashed := fs.CrashClone()
	_ = db // abandoned, as a crashed process would be

	db, err = cairn.OpenWithOptions("data", &cairn.Options{FS: crashed})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err = db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	check(s, "after crash")
	if got := text(s, "SELECT * FROM rows_from(3)"); got != "[[3 three]]" {
		t.Errorf("after crash, the committed CALL's row: %s", got)
	}
}
