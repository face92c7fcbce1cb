package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// triggerFixture is a table tr with a BEFORE trigger that records the
// TG_ variables it saw and changes the row, and a log table.
var triggerFixture = []string{
	"CREATE TABLE tr (a int PRIMARY KEY, b text)",
	"CREATE TABLE tr_log (n serial, what text)",
	"CREATE FUNCTION tr_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO tr_log (what) VALUES (TG_NAME || ' ' || TG_WHEN || ' ' || TG_LEVEL || ' ' || TG_OP || ' ' || coalesce(TG_ARGV[0], '-') || ' ' || coalesce(TG_ARGV[1], '-')); IF TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN NEW.b := coalesce(NEW.b, '') || '+'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
}

// TestTriggers checks trigger statements and firing, each case on a
// fresh engine with triggerFixture and its own setup.
func TestTriggers(t *testing.T) {
	cases := []struct {
		name  string
		setup []string
		query string
		want  string
	}{
		{"argv from 0", []string{"CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn('x', 'y')", "INSERT INTO tr VALUES (1, 'a')"},
			"SELECT what FROM tr_log", "[t1 BEFORE ROW INSERT x y]"},
		{"before row changes what is stored", []string{"CREATE TRIGGER t1 BEFORE INSERT OR UPDATE ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()", "INSERT INTO tr VALUES (1, 'a')", "UPDATE tr SET b = b || '!'"},
			"SELECT a, b FROM tr", "[1 a+!+]"},
		{"statement trigger for no rows", []string{"CREATE TRIGGER t1 AFTER DELETE ON tr EXECUTE FUNCTION tr_fn()", "DELETE FROM tr"},
			"SELECT what FROM tr_log", "[t1 AFTER STATEMENT DELETE - -]"},
		{"pretty triggerdef qualifies only what the path misses", []string{"CREATE SCHEMA s", "CREATE TABLE s.x (a int)", "CREATE TRIGGER t1 AFTER UPDATE OF a ON s.x FOR EACH ROW WHEN (OLD.a IS DISTINCT FROM NEW.a) EXECUTE FUNCTION tr_fn()"},
			"SELECT pg_get_triggerdef(oid, true) FROM pg_trigger", "[CREATE TRIGGER t1 AFTER UPDATE OF a ON s.x FOR EACH ROW WHEN (old.a IS DISTINCT FROM new.a) EXECUTE FUNCTION tr_fn()]"},
		{"function outside the path is qualified", []string{"CREATE SCHEMA s", "CREATE FUNCTION s.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'", "CREATE TRIGGER t1 AFTER INSERT ON tr EXECUTE FUNCTION s.f()"},
			"SELECT pg_get_triggerdef(oid) FROM pg_trigger", "[CREATE TRIGGER t1 AFTER INSERT ON public.tr FOR EACH STATEMENT EXECUTE FUNCTION s.f()]"},
		{"disabled trigger does not fire", []string{"CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()", "ALTER TABLE tr DISABLE TRIGGER t1", "INSERT INTO tr VALUES (1, 'a')"},
			"SELECT b FROM tr", "[a]"},
		{"replica trigger fires only as replica", []string{"CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()", "ALTER TABLE tr ENABLE REPLICA TRIGGER t1", "INSERT INTO tr VALUES (1, 'a')", "SET session_replication_role = replica", "INSERT INTO tr VALUES (2, 'b')"},
			"SELECT a, b FROM tr ORDER BY a", "[1 a][2 b+]"},
		{"row trigger of a partitioned table fires on the partition", []string{"CREATE TABLE p (a int, b text) PARTITION BY RANGE (a)",
			"CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)", "CREATE TRIGGER t1 BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION tr_fn()",
			"CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20)", "INSERT INTO p VALUES (1, 'a'), (11, 'b')"},
			"SELECT tableoid::regclass::text, b, (SELECT count(*) FROM pg_trigger WHERE tgparentid <> 0) FROM p ORDER BY a", "[p1 a+ 2][p2 b+ 2]"},
		{"a clone cannot be dropped alone", []string{"CREATE TABLE p (a int, b text) PARTITION BY RANGE (a)",
			"CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)", "CREATE TRIGGER t1 BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION tr_fn()"},
			"DROP TRIGGER t1 ON p1", "2BP01: cannot drop trigger t1 on table p1 because trigger t1 on table p requires it"},
		{"a trigger moving a routed row", []string{"CREATE TABLE p (a int, b text) PARTITION BY LIST (a)",
			"CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1)", "CREATE TABLE p2 PARTITION OF p FOR VALUES IN (2)",
			"CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW.a := NEW.a + 1; RETURN NEW; END'",
			"CREATE TRIGGER t1 BEFORE INSERT ON p FOR EACH ROW EXECUTE FUNCTION bump()"},
			"INSERT INTO p VALUES (1, 'a')", "0A000: moving row to another partition during a BEFORE FOR EACH ROW trigger is not supported"},
		{"deferred constraint trigger fires at commit", []string{"CREATE CONSTRAINT TRIGGER t1 AFTER INSERT ON tr DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tr_fn()",
			"BEGIN", "INSERT INTO tr VALUES (1, 'a')", "CREATE TABLE seen AS SELECT count(*) AS n FROM tr_log", "COMMIT"},
			"SELECT (SELECT n FROM seen), what FROM tr_log", "[0 t1 AFTER ROW INSERT - -]"},
		{"constraint trigger not deferrable", []string{"CREATE CONSTRAINT TRIGGER t1 AFTER INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()", "BEGIN"},
			"SET CONSTRAINTS t1 DEFERRED", `42809: constraint "t1" is not deferrable`},
		{"sequence", []string{"CREATE SEQUENCE sq"},
			"CREATE TRIGGER t1 AFTER INSERT ON sq EXECUTE FUNCTION tr_fn()", `42809: relation "sq" cannot have triggers`},
		{"recursion ends in 54001", []string{"CREATE FUNCTION again() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO tr VALUES (NEW.a + 1); RETURN NEW; END'", "CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION again()"},
			"INSERT INTO tr VALUES (1)", "54001: stack depth limit exceeded"},
		{"pg_trigger_depth", []string{"CREATE FUNCTION depth() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW.b := pg_trigger_depth()::text; RETURN NEW; END'", "CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION depth()", "INSERT INTO tr VALUES (1)"},
			"SELECT b, pg_trigger_depth() FROM tr", "[1 0]"},
		{"returned row of another shape", []string{"CREATE FUNCTION bad() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN ROW(1); END'", "CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION bad()"},
			"INSERT INTO tr VALUES (1)", "42804: returned row structure does not match the structure of the triggering table"},
		{"returned row cast to the columns", []string{"CREATE FUNCTION other() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN ROW(7, 42); END $$", "CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION other()", "INSERT INTO tr VALUES (1)"},
			"SELECT a, b FROM tr", "[7 42]"},
		{"after rows see the statement's rows", []string{"CREATE FUNCTION cnt() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO tr_log (what) VALUES ((SELECT count(*) FROM tr)::text); RETURN NULL; END $$", "CREATE TRIGGER t1 AFTER INSERT ON tr FOR EACH ROW EXECUTE FUNCTION cnt()", "INSERT INTO tr VALUES (1), (2), (3)"},
			"SELECT what FROM tr_log ORDER BY n", "[3][3][3]"},
		{"transition table in a nested statement", []string{"CREATE FUNCTION tt() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE n int; BEGIN EXECUTE 'SELECT count(*) FROM nt' INTO n; INSERT INTO tr_log (what) VALUES (n::text); RETURN NULL; END $$", "CREATE TRIGGER t1 AFTER INSERT ON tr REFERENCING NEW TABLE AS nt EXECUTE FUNCTION tt()", "INSERT INTO tr VALUES (1), (2)"},
			"SELECT what FROM tr_log", "[2]"},
		{"a BEFORE trigger changing its own row", []string{"CREATE FUNCTION self() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE tr SET b = 'z' WHERE a = OLD.a; RETURN OLD; END $$", "CREATE TRIGGER t1 BEFORE DELETE ON tr FOR EACH ROW EXECUTE FUNCTION self()", "INSERT INTO tr VALUES (1, 'a')"},
			"DELETE FROM tr", "27000: tuple to be deleted was already modified by an operation triggered by the current command"},
		{"DDL on the table from its trigger", []string{"CREATE FUNCTION ddl() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN CREATE INDEX ON tr (b); RETURN NEW; END'",
			"CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION ddl()"},
			"INSERT INTO tr VALUES (1, 'a')", `55006: cannot CREATE INDEX "tr" because it is being used by active queries in this session`},
		{"MERGE fires row triggers", []string{"CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()",
			"MERGE INTO tr USING (SELECT 1 AS a) s ON tr.a = s.a WHEN NOT MATCHED THEN INSERT VALUES (s.a, 'x')"},
			"SELECT a, b, (SELECT what FROM tr_log) FROM tr", "[1 x+ t1 BEFORE ROW INSERT - -]"},
		{"DROP SCHEMA CASCADE drops the triggers running its functions", []string{"CREATE SCHEMA s", "CREATE FUNCTION s.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'", "CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION s.f()", "DROP SCHEMA s CASCADE"},
			"INSERT INTO tr VALUES (1) RETURNING a", "[1]"},
		{"dropping the table drops its triggers", []string{"CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()", "DROP TABLE tr"},
			"SELECT count(*) FROM pg_trigger", "[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newTestSession(t, newTestEngine(t))
			for _, q := range append(append([]string(nil), triggerFixture...), c.setup...) {
				mustRun(t, s, q)
			}
			if got := outcome(s, c.query); got != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.query, got, c.want)
			}
		})
	}
}

// TestTriggersCopy: COPY FROM fires the table's triggers for each row
// and its statement triggers once.
func TestTriggersCopy(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range triggerFixture {
		mustRun(t, s, q)
	}
	mustRun(t, s, "CREATE TRIGGER t1 BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION tr_fn()")
	mustRun(t, s, "CREATE TRIGGER t2 AFTER INSERT ON tr FOR EACH STATEMENT EXECUTE FUNCTION tr_fn()")
	if _, _, err := copyIn(t, s, "COPY tr FROM STDIN", "1\tone\n2\ttwo\n"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, want string }{
		{"SELECT a, b FROM tr ORDER BY a", "[1 one+][2 two+]"},
		{"SELECT what FROM tr_log ORDER BY n", "[t1 BEFORE ROW INSERT - -][t1 BEFORE ROW INSERT - -][t2 AFTER STATEMENT INSERT - -]"},
	} {
		if got := outcome(s, c.q); got != c.want {
			t.Errorf("%s: got %s, want %s", c.q, got, c.want)
		}
	}
}

// TestNoTriggersNoCost: a table without triggers binds no trigger state,
// so its write path pays one nil check; the INSERT's allocations are
// logged to compare across changes.
func TestNoTriggersNoCost(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE plain (a int PRIMARY KEY, b text)")
	p, err := s.Prepare(context.Background(), "INSERT INTO plain VALUES ($1, 'x')", nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	allocs := testing.AllocsPerRun(200, func() {
		n++
		if _, err := s.Execute(context.Background(), p, []types.Datum{int64(n)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocations per INSERT into a table without triggers: %.0f", allocs)
	ip, ok := p.bound.(*insertPlan)
	if !ok {
		t.Fatalf("INSERT bound as %T", p.bound)
	}
	if ip.trig != nil {
		t.Error("a table without triggers bound trigger state")
	}
}
