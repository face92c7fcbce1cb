package cairn_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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
