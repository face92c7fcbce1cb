package cairn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/pgwire"
)

// TestProtocolStatementNames: prepared statements of the extended
// protocol share their names with SQL's PREPARE and DEALLOCATE, as in
// PostgreSQL: PREPARE of a name a Parse took is 42P05 (and the reverse),
// DEALLOCATE name drops a protocol statement (psycopg 3 evicts its cache
// that way), DEALLOCATE ALL and DISCARD ALL drop them all (what poolers
// send), and a dropped name can be prepared again.
func TestProtocolStatementNames(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	pc := c.PgConn()
	code := func(err error) string {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return pe.Code
		}
		if err != nil {
			return err.Error()
		}
		return "ok"
	}
	exec := func(q string) string {
		_, err := pc.Exec(ctx, q).ReadAll()
		return code(err)
	}
	prepare := func(name string) string {
		_, err := pc.Prepare(ctx, name, "SELECT 1", nil)
		return code(err)
	}
	run := func(name string) string {
		_, err := pc.ExecPrepared(ctx, name, nil, nil, nil).Close()
		return code(err)
	}
	for i, step := range []struct{ got, want string }{
		{prepare("p1"), "ok"},
		{exec("PREPARE p1 AS SELECT 2"), "42P05"},
		{exec("DEALLOCATE p1"), "ok"},
		{run("p1"), "26000"},
		{prepare("p1"), "ok"},
		{run("p1"), "ok"},
		{exec("PREPARE s1 AS SELECT 3"), "ok"},
		{prepare("s1"), "42P05"},
		{prepare("p2"), "ok"},
		{exec("DEALLOCATE ALL"), "ok"},
		{run("p1") + " " + run("p2") + " " + exec("EXECUTE s1"), "26000 26000 26000"},
		{prepare("p1"), "ok"},
		{exec("DISCARD ALL"), "ok"},
		{run("p1"), "26000"},
		{prepare("p1") + " " + run("p1"), "ok ok"},
		{exec("DEALLOCATE nothing"), "26000"},
	} {
		if step.got != step.want {
			t.Errorf("step %d: got %s, want %s", i+1, step.got, step.want)
		}
	}
}

// TestProtocolStatementsInSQL: a statement a Parse message named is listed
// in pg_prepared_statements (from_sql false, with the Parse's query
// string and inferred parameter types) beside those PREPARE made, and SQL
// EXECUTE runs it, as in PostgreSQL.
func TestProtocolStatementsInSQL(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	pc := c.PgConn()
	if _, err := pc.Prepare(ctx, "ps", "SELECT $1::int + 1, $2::text", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Exec(ctx, "PREPARE sq(date) AS SELECT $1").ReadAll(); err != nil {
		t.Fatal(err)
	}
	var sum int
	var s string
	if err := c.QueryRow(ctx, "EXECUTE ps(41, 'x')", pgx.QueryExecModeSimpleProtocol).Scan(&sum, &s); err != nil {
		t.Fatal(err)
	}
	if sum != 42 || s != "x" {
		t.Errorf("EXECUTE ps(41, 'x') = %d, %q", sum, s)
	}
	rows, err := c.Query(ctx, `SELECT name, statement, parameter_types::text, from_sql, generic_plans + custom_plans
		FROM pg_prepared_statements ORDER BY name`, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var name, stmt, types string
		var fromSQL bool
		var runs int64
		if err := rows.Scan(&name, &stmt, &types, &fromSQL, &runs); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%t|%d", name, stmt, types, fromSQL, runs))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ps|SELECT $1::int + 1, $2::text|{integer,text}|false|1",
		"sq|PREPARE sq(date) AS SELECT $1|{date}|true|0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pg_prepared_statements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := pc.Exec(ctx, "DEALLOCATE ps").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Exec(ctx, "EXECUTE ps(1, 'y')").ReadAll(); err == nil || !strings.Contains(err.Error(), "26000") {
		t.Errorf("EXECUTE of a deallocated statement: %v, want 26000", err)
	}
}

// TestExecuteCursorPortal: a cursor DECLAREd in SQL is a portal the
// extended protocol's Execute fetches from, as in PostgreSQL: a batch
// that fills MaxRows is suspended, the rest ends with SELECT n, and an
// exhausted cursor answers SELECT 0.
func TestExecuteCursorPortal(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx := context.Background()
	c, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "BEGIN; DECLARE cur CURSOR FOR SELECT g FROM generate_series(1, 5) g"); err != nil {
		t.Fatal(err)
	}
	fe := c.PgConn().Frontend()
	for _, tc := range []struct {
		max  uint32
		want string
	}{
		{2, "1 2 suspended T"},
		{0, "3 4 5 SELECT 3 T"},
		{0, "SELECT 0 T"},
		{3, "SELECT 0 T"},
	} {
		fe.Send(&pgproto3.Execute{Portal: "cur", MaxRows: tc.max})
		fe.Send(&pgproto3.Sync{})
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		var got []string
		for done := false; !done; {
			m, err := fe.Receive()
			if err != nil {
				t.Fatal(err)
			}
			switch m := m.(type) {
			case *pgproto3.DataRow:
				got = append(got, string(m.Values[0]))
			case *pgproto3.PortalSuspended:
				got = append(got, "suspended")
			case *pgproto3.CommandComplete:
				got = append(got, string(m.CommandTag))
			case *pgproto3.ErrorResponse:
				got = append(got, "ERROR "+m.Code)
			case *pgproto3.ReadyForQuery:
				got = append(got, string(m.TxStatus))
				done = true
			}
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("Execute cur (max %d): got %s, want %s", tc.max, g, tc.want)
		}
	}
}
