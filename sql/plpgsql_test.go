package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestDONotices: RAISE below EXCEPTION reaches the client as notices, in
// order, with client_min_messages filtering all but INFO; notices raised
// before an error are kept with it (ErrorNotices).
func TestDONotices(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct {
		setup, do string
		want      []string
		code      string
	}{
		{"", `DO $$ BEGIN RAISE NOTICE 'a %', 1; RAISE WARNING 'w'; RAISE INFO 'i'; RAISE DEBUG 'd'; RAISE LOG 'l'; END $$`,
			[]string{"NOTICE 00000 a 1", "WARNING 01000 w", "INFO 00000 i"}, ""},
		{"SET client_min_messages = warning", `DO $$ BEGIN RAISE NOTICE 'n'; RAISE WARNING 'w'; RAISE INFO 'i'; END $$`,
			[]string{"WARNING 01000 w", "INFO 00000 i"}, ""},
		{"RESET client_min_messages", `DO $$ BEGIN RAISE NOTICE 'before'; RAISE NOTICE 'x' USING ERRCODE = 'division_by_zero'; PERFORM 1/0; END $$`,
			[]string{"NOTICE 00000 before", "NOTICE 22012 x"}, "22012"},
	} {
		if tc.setup != "" {
			mustRun(t, s, tc.setup)
		}
		res, err := run(s, tc.do)
		notices := ErrorNotices(err)
		if res != nil {
			notices = res.Notices
		}
		var got []string
		for _, n := range notices {
			got = append(got, n.Severity+" "+n.Code+" "+n.Message)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || pgerr.Code(err) != pgerr.Code(nil) && pgerr.Code(err) != tc.code {
			t.Errorf("%s: got %q (%v), want %q (%s)", tc.do, got, err, tc.want, tc.code)
		}
	}
}

// TestDOLoopTimeout: a loop that never ends is stopped by
// statement_timeout (57014), and the session goes on.
func TestDOLoopTimeout(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "SET statement_timeout = '50ms'")
	_, err := run(s, "DO $$ BEGIN LOOP END LOOP; END $$")
	if pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("got %v, want 57014", err)
	}
	_, err = run(s, "DO $$ DECLARE i int := 0; BEGIN WHILE true LOOP i := i + 1; END LOOP; END $$")
	if pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("got %v, want 57014", err)
	}
	mustRun(t, s, "RESET statement_timeout")
	mustRun(t, s, "SELECT 1")
}

// TestDONesting: DO inside EXECUTE inside DO, without end, is 54001.
func TestDONesting(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE body (t text)")
	mustRun(t, s, `INSERT INTO body VALUES ('DO $x$ BEGIN EXECUTE (SELECT t FROM body); END $x$')`)
	_, err := run(s, "DO $x$ BEGIN EXECUTE (SELECT t FROM body); END $x$")
	if pgerr.Code(err) != pgerr.StatementTooComplex {
		t.Fatalf("got %v, want 54001", err)
	}
	if got := outcome(s, "SELECT count(*) FROM body"); got == "" {
		t.Fatalf("session unusable after 54001")
	}
}

// TestDOErrorContext: an uncaught error carries PostgreSQL's CONTEXT
// lines and no position into the body's statement.
func TestDOErrorContext(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct{ do, code, where string }{
		{"DO $$ DECLARE x int; BEGIN\nx := 1/0; END $$", "22012",
			"PL/pgSQL assignment \"x := 1/0\"\nPL/pgSQL function inline_code_block line 2 at assignment"},
		{"DO $$ BEGIN PERFORM 1/0; END $$", "22012",
			"SQL statement \"SELECT 1/0\"\nPL/pgSQL function inline_code_block line 1 at PERFORM"},
		{"DO $$ BEGIN IF true THEN\n RAISE EXCEPTION 'boom'; END IF; END $$", "P0001",
			"PL/pgSQL function inline_code_block line 2 at RAISE"},
	} {
		_, err := run(s, tc.do)
		pe := pgerr.Find(err)
		if pe == nil || pgerr.Code(err) != tc.code || pe.Where != tc.where || pe.Position != 0 {
			t.Errorf("%s: got %v (where %q)", tc.do, err, pe)
		}
	}
}
