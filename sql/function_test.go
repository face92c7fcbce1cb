package sql

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestRoutineResolution: calls of user-defined functions resolve as
// PostgreSQL's func_get_detail does, after the built-in functions, and
// fail with its SQLSTATEs.
func TestRoutineResolution(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, q := range []string{
		"CREATE FUNCTION ov(int) RETURNS text LANGUAGE sql AS 'SELECT ''int'''",
		"CREATE FUNCTION ov(text) RETURNS text LANGUAGE sql AS 'SELECT ''text'''",
		"CREATE FUNCTION ov(numeric) RETURNS text LANGUAGE sql AS 'SELECT ''numeric'''",
		"CREATE FUNCTION amb(int, text) RETURNS int LANGUAGE sql AS 'SELECT 1'",
		"CREATE FUNCTION amb(text, int) RETURNS int LANGUAGE sql AS 'SELECT 2'",
		"CREATE FUNCTION dflt(a int, b int DEFAULT 10) RETURNS int LANGUAGE sql AS 'SELECT a + b'",
		"CREATE FUNCTION var(VARIADIC xs int[]) RETURNS int LANGUAGE sql AS 'SELECT array_length(xs, 1)'",
		"CREATE FUNCTION abs(int) RETURNS int LANGUAGE sql AS 'SELECT 42'",
		"CREATE SCHEMA other",
		"CREATE FUNCTION other.ov(int) RETURNS text LANGUAGE sql AS 'SELECT ''other'''",
		"CREATE PROCEDURE proc(x int) LANGUAGE sql AS 'SELECT x'",
		"CREATE FUNCTION rec(n int) RETURNS int LANGUAGE sql AS 'SELECT rec(n + 1)'",
	} {
		mustRun(t, s, q)
	}
	for _, c := range []struct{ query, want, code string }{
		{"SELECT ov(1), ov('x'), ov(1.5), ov(1::int8)", "[[int text numeric numeric]]", ""},
		{"SELECT other.ov(1), public.ov(1)", "[[other int]]", ""},
		{"SET search_path = other, public; SELECT ov(1), ov('x')", "[[other text]]", ""},
		{"RESET search_path; SELECT dflt(1), dflt(1, 2), dflt(b => 5, a => 1), dflt(2, b := 3)", "[[11 3 6 5]]", ""},
		{"SELECT var(1, 2, 3), var(VARIADIC ARRAY[1, 2])", "[[3 2]]", ""},
		{"SELECT abs(-3), public.abs(-3)", "[[3 42]]", ""},
		{"SELECT amb('1', '2')", "", pgerr.AmbiguousFunction},
		{"SELECT ov(true)", "", pgerr.UndefinedFunction},
		{"SELECT dflt(1, 2, 3)", "", pgerr.UndefinedFunction},
		{"SELECT dflt(c => 1)", "", pgerr.UndefinedFunction},
		{"SELECT var(ARRAY[1])", "", pgerr.UndefinedFunction},
		{"SELECT nowhere.ov(1)", "", pgerr.UndefinedFunction},
		{"SELECT proc(1)", "", pgerr.WrongObjectType},
		{"CALL ov(1)", "", pgerr.WrongObjectType},
		{"CALL random()", "", pgerr.WrongObjectType},
		{"SELECT rec(1)", "", pgerr.StatementTooComplex},
		{"CREATE FUNCTION ov(int) RETURNS text LANGUAGE sql AS 'SELECT ''again'''", "", pgerr.DuplicateFunction},
		{"CREATE FUNCTION bad() RETURNS int LANGUAGE sql AS 'SELECT ''a''::text'", "", pgerr.InvalidFunctionDefinition},
		{"CREATE FUNCTION bad() RETURNS int LANGUAGE plpgsql AS 'BEGIN RETURN; END'", "", pgerr.SyntaxError},
		{"CREATE FUNCTION bad() RETURNS int LANGUAGE c AS 'x'", "", pgerr.FeatureNotSupported},
		{"CREATE FUNCTION bad() RETURNS int LANGUAGE nosuch AS 'x'", "", pgerr.UndefinedObject},
		{"DROP FUNCTION nosuch(int)", "", pgerr.UndefinedFunction},
		{"DROP FUNCTION ov", "", pgerr.AmbiguousFunction},
	} {
		res, err := run(s, c.query)
		if c.code != "" {
			if pgerr.Code(err) != c.code {
				t.Errorf("%s: %v, want SQLSTATE %s", c.query, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		if got := fmt.Sprint(res.Rows); got != c.want {
			t.Errorf("%s: %s, want %s", c.query, got, c.want)
		}
	}
}

// echoLanguage is a function language for the test of the language
// hook: its body is a SQL expression over $1, which it evaluates through
// the Runtime, and it records what it was given.
type echoLanguage struct{ validated, compiled *[]string }

func (l echoLanguage) Validate(rt Runtime, r *Routine) error {
	*l.validated = append(*l.validated, r.Name)
	_, err := rt.Prepare("SELECT "+r.Body, r.InputParams())
	return err
}

func (l echoLanguage) Compile(rt Runtime, r *Routine) (CompiledRoutine, error) {
	*l.compiled = append(*l.compiled, r.Name)
	st, err := rt.Prepare("SELECT "+r.Body, r.InputParams())
	if err != nil {
		return nil, err
	}
	return echoRoutine{st: st}, nil
}

type echoRoutine struct{ st RuntimeStmt }

func (c echoRoutine) Call(rt Runtime, args []types.Datum) ([][]types.Datum, error) {
	res, err := c.st.Run(rt, args)
	if err != nil {
		return nil, err
	}
	return res.Rows, nil
}

// TestLanguageHook: a registered language validates a body at CREATE,
// compiles it once per session until the catalog changes, and runs SQL
// in the caller's transaction through its Runtime.
func TestLanguageHook(t *testing.T) {
	var validated, compiled []string
	RegisterLanguage("echo_test", echoLanguage{&validated, &compiled})
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE t (a int)")
	mustRun(t, s, "CREATE FUNCTION twice(x int) RETURNS int LANGUAGE echo_test AS 'x * 2'")
	if _, err := run(s, "CREATE FUNCTION broken(x int) RETURNS int LANGUAGE echo_test AS 'nosuch + x'"); pgerr.Code(err) != pgerr.UndefinedColumn {
		t.Fatalf("CREATE with a bad body: %v, want 42703", err)
	}
	for i := 0; i < 3; i++ {
		res := mustRun(t, s, "SELECT twice(21)")
		if fmt.Sprint(res.Rows) != "[[42]]" {
			t.Fatalf("twice(21) = %v", res.Rows)
		}
	}
	mustRun(t, s, "CREATE TABLE u (a int)") // a catalog change
	mustRun(t, s, "SELECT twice(1)")
	if got := strings.Join(validated, ","); got != "twice,broken" {
		t.Errorf("validated %s, want twice,broken", got)
	}
	if got := strings.Join(compiled, ","); got != "twice,twice" {
		t.Errorf("compiled %s, want twice,twice (once, then again after the catalog changed)", got)
	}
	// The body's statements see the caller's transaction.
	mustRun(t, s, "CREATE FUNCTION counted() RETURNS bigint LANGUAGE echo_test AS '(SELECT count(*) FROM t)'")
	mustRun(t, s, "BEGIN")
	mustRun(t, s, "INSERT INTO t VALUES (1), (2)")
	if res := mustRun(t, s, "SELECT counted()"); fmt.Sprint(res.Rows) != "[[2]]" {
		t.Errorf("counted() inside the transaction = %v, want 2", res.Rows)
	}
	mustRun(t, s, "ROLLBACK")
}
