package cairn_test

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// TestTriggersDurable: triggers survive a clean close and a crash with
// their table: the committed ones come back and fire, with their
// enabled state and name; one whose creation rolled back, one dropped
// and one created in a transaction the crash lost stay gone.
func TestTriggersDurable(t *testing.T) {
	must := func(s *sql.Session, q string) *sql.Result {
		t.Helper()
		return mustScript(t, s, q)
	}
	text := func(s *sql.Session, q string) string {
		t.Helper()
		return fmt.Sprint(must(s, q).Rows)
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
		"CREATE TABLE log (what text)",
		"CREATE FUNCTION upcase() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.b := upper(NEW.b); RETURN NEW; END $$",
		"CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO log VALUES (TG_NAME || ' ' || TG_OP); RETURN NULL; END $$",
		"CREATE TRIGGER t_upcase BEFORE INSERT OR UPDATE OF b ON t FOR EACH ROW WHEN (NEW.b IS NOT NULL) EXECUTE FUNCTION upcase()",
		"CREATE TRIGGER t_note AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION note('x')",
		"CREATE TRIGGER t_off AFTER DELETE ON t FOR EACH ROW EXECUTE FUNCTION note()",
		"ALTER TABLE t DISABLE TRIGGER t_off",
		"CREATE TRIGGER t_gone AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION note()",
		"DROP TRIGGER t_gone ON t",
		"CREATE TRIGGER renamed_from AFTER UPDATE ON t FOR EACH ROW EXECUTE FUNCTION note()",
		"ALTER TRIGGER renamed_from ON t RENAME TO t_renamed",
		"BEGIN",
		"CREATE TRIGGER t_rolled_back AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION note()",
		"ROLLBACK",
	} {
		must(s, q)
	}
	const defs = "[[t_note CREATE TRIGGER t_note AFTER INSERT ON public.t FOR EACH STATEMENT EXECUTE FUNCTION note('x') O] " +
		"[t_off CREATE TRIGGER t_off AFTER DELETE ON public.t FOR EACH ROW EXECUTE FUNCTION note() D] " +
		"[t_renamed CREATE TRIGGER t_renamed AFTER UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION note() O] " +
		"[t_upcase CREATE TRIGGER t_upcase BEFORE INSERT OR UPDATE OF b ON public.t FOR EACH ROW WHEN ((new.b IS NOT NULL)) EXECUTE FUNCTION upcase() O]]"
	check := func(s *sql.Session, when string, key int) {
		t.Helper()
		if got := text(s, "SELECT tgname, pg_get_triggerdef(oid), tgenabled FROM pg_trigger ORDER BY tgname"); got != defs {
			t.Errorf("%s: triggers: got %s, want %s", when, got, defs)
		}
		must(s, "DELETE FROM log")
		if got := text(s, fmt.Sprintf("INSERT INTO t VALUES (%d, 'abc') RETURNING b", key)); got != "[[ABC]]" {
			t.Errorf("%s: BEFORE trigger: got %s", when, got)
		}
		must(s, fmt.Sprintf("DELETE FROM t WHERE a = %d", key))
		if got := text(s, "SELECT what FROM log"); got != "[[t_note INSERT]]" {
			t.Errorf("%s: fired: got %s", when, got)
		}
	}
	check(s, "before close", 1)
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
	check(s, "after reopen", 2)
	must(s, "BEGIN")
	must(s, "CREATE TRIGGER t_lost AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION note()")
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
	check(s, "after crash", 3)
}
