package sql

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestTempTableSessions: a temporary table is invisible to other
// sessions, shadows a permanent table of its name in its own, and is
// dropped when its session closes.
func TestTempTableSessions(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE t (a int)")
	mustRun(t, a, "INSERT INTO t VALUES (1)")
	mustRun(t, a, "CREATE TEMP TABLE t (a int)")
	mustRun(t, a, "INSERT INTO t VALUES (2)")
	mustRun(t, a, "CREATE TEMP TABLE only_a (x text)")
	for _, c := range []struct {
		s     *Session
		query string
		want  string
	}{
		{a, "SELECT a FROM t", "[2]"},
		{a, "SELECT a FROM public.t", "[1]"},
		{a, "SELECT a FROM pg_temp.t", "[2]"},
		{b, "SELECT a FROM t", "[1]"},
		{b, "SELECT count(*) FROM only_a", "42P01: relation \"only_a\" does not exist"},
		{b, "SELECT count(*) FROM pg_temp.only_a", "42P01: relation \"pg_temp.only_a\" does not exist"},
		{a, "SELECT relname, relpersistence FROM pg_class WHERE relname = 'only_a'", "[only_a t]"},
	} {
		if got := outcome(c.s, c.query); got != c.want {
			t.Errorf("%s: got %q, want %q", c.query, got, c.want)
		}
	}
	if got := outcome(b, "SELECT count(*) FROM pg_temp_1.only_a"); got != "0A000: cannot access temporary tables of other sessions" {
		t.Errorf("another session's temporary table, qualified: got %q", got)
	}
	a.Close()
	if got := outcome(b, "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'only_a')"); got != "[1]" {
		t.Fatalf("after the session closed pg_class lists %q of t and only_a, want the permanent t alone", got)
	}
	// The next session to take the slot finds it empty.
	c := newTestSession(t, e)
	mustRun(t, c, "CREATE TEMP TABLE other (a int)")
	if got := outcome(c, "SELECT count(*) FROM only_a"); got != "42P01: relation \"only_a\" does not exist" {
		t.Fatalf("a new session sees %q", got)
	}
}

// TestSchemaErrors checks the messages and details of schema errors
// against PostgreSQL 15's.
func TestSchemaErrors(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE SCHEMA s")
	mustRun(t, s, "CREATE TABLE s.t (a int)")
	mustRun(t, s, "CREATE VIEW s.v AS SELECT a FROM s.t")
	mustRun(t, s, "CREATE TABLE s.u (id serial)")
	for _, c := range []struct {
		query, code, message, detail string
	}{
		{"DROP SCHEMA s", pgerr.DependentObjectsStillExist, "cannot drop schema s because other objects depend on it",
			"table s.t depends on schema s\nview s.v depends on schema s\ntable s.u depends on schema s"},
		{"CREATE TABLE x.t (a int)", pgerr.InvalidSchemaName, "schema \"x\" does not exist", ""},
		{"CREATE SCHEMA s", pgerr.DuplicateSchema, "schema \"s\" already exists", ""},
		{"CREATE SCHEMA pg_x", pgerr.ReservedName, "unacceptable schema name \"pg_x\"", "The prefix \"pg_\" is reserved for system schemas."},
		{"CREATE TEMP TABLE s.tt (a int)", pgerr.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema", ""},
		{"CREATE TABLE p (a int) ON COMMIT DROP", pgerr.InvalidTableDefinition, "ON COMMIT can only be used on temporary tables", ""},
		{"SET search_path = nowhere; CREATE TABLE n (a int)", pgerr.InvalidSchemaName, "no schema has been selected to create in", ""},
	} {
		_, err := run(s, c.query)
		pe := pgerr.Find(err)
		if pgerr.Code(err) != c.code || pe == nil || pe.Message != c.message || pe.Detail != c.detail {
			t.Errorf("%s: got %v (detail %q), want %s %q (detail %q)", c.query, err, pe.Detail, c.code, c.message, c.detail)
		}
	}
	mustRun(t, s, "RESET search_path")
	res := mustRun(t, s, "DROP SCHEMA s CASCADE")
	if len(res.Notices) != 1 || res.Notices[0].Detail != "drop cascades to table s.t\ndrop cascades to view s.v\ndrop cascades to table s.u" {
		t.Fatalf("DROP SCHEMA CASCADE notices: %+v", res.Notices)
	}
}

// TestTempPrepareTransaction: a transaction that used a temporary table
// cannot be prepared, even through a statement bound before it began.
func TestTempPrepareTransaction(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TEMP TABLE tt (a int)")
	mustRun(t, s, "CREATE TABLE p (a int)")
	ps, err := s.PrepareAll(context.Background(), "INSERT INTO tt VALUES (1)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(context.Background(), ps[0], nil); err != nil {
		t.Fatal(err)
	}
	mustRun(t, s, "BEGIN")
	if _, err := s.Execute(context.Background(), ps[0], nil); err != nil {
		t.Fatal(err)
	}
	if _, err := run(s, "PREPARE TRANSACTION 'x'"); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Fatalf("PREPARE TRANSACTION after writing a temporary table: %v, want 0A000", err)
	}
	mustRun(t, s, "BEGIN")
	mustRun(t, s, "INSERT INTO p VALUES (1)")
	mustRun(t, s, "PREPARE TRANSACTION 'y'")
	mustRun(t, s, "ROLLBACK PREPARED 'y'")
}
