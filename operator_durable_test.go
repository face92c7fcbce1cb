package cairn_test

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// TestOperatorsDurable: user-defined operators survive a clean close
// and a crash: the committed ones resolve again and pg_operator lists
// them, while one dropped, one rolled back and one the crash lost (its
// transaction had not committed) stay gone.
func TestOperatorsDurable(t *testing.T) {
	text := func(s *sql.Session, q string) string {
		t.Helper()
		return fmt.Sprint(mustScript(t, s, q).Rows)
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
		"CREATE FUNCTION add10(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2 * 10'",
		"CREATE OPERATOR <+> (FUNCTION = add10, LEFTARG = int, RIGHTARG = int)",
		"CREATE OPERATOR ## (FUNCTION = textcat, LEFTARG = text, RIGHTARG = text)",
		"CREATE OPERATOR @@@ (FUNCTION = reverse, RIGHTARG = text)",
		"CREATE OPERATOR <-> (FUNCTION = add10, LEFTARG = int, RIGHTARG = int)",
		"DROP OPERATOR <-> (int, int)",
		"BEGIN",
		"CREATE OPERATOR <*> (FUNCTION = add10, LEFTARG = int, RIGHTARG = int)",
		"ROLLBACK",
	} {
		mustScript(t, s, q)
	}
	check := func(s *sql.Session, when string) {
		t.Helper()
		for _, c := range []struct{ q, want string }{
			{"SELECT 1 <+> 2, 'a' ## 'b', @@@ 'abc'", "[[21 ab cba]]"},
			{"SELECT oprname, oprkind FROM pg_operator WHERE oprnamespace = 'public'::regnamespace ORDER BY 1", "[[## b] [<+> b] [@@@ l]]"},
		} {
			if got := text(s, c.q); got != c.want {
				t.Errorf("%s: %s: got %s, want %s", when, c.q, got, c.want)
			}
		}
		for _, q := range []string{"SELECT 1 <-> 2", "SELECT 1 <*> 2", "SELECT 1 <%> 2"} {
			if _, err := runScript(s, q); pgerr.Code(err) != pgerr.UndefinedFunction {
				t.Errorf("%s: %s: %v, want 42883", when, q, err)
			}
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
	if s, err = db.NewSession(); err != nil {
		t.Fatal(err)
	}
	check(s, "after reopen")
	mustScript(t, s, "BEGIN")
	mustScript(t, s, "CREATE OPERATOR <%> (FUNCTION = add10, LEFTARG = int, RIGHTARG = int)")
	crashed := fs.CrashClone()
	db, err = cairn.OpenWithOptions("data", &cairn.Options{FS: crashed})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, err = db.NewSession(); err != nil {
		t.Fatal(err)
	}
	check(s, "after crash")
}
