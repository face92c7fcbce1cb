package cairn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/pgwire"
)

// TestWirePredefinedRoles: over the wire, with another role's statement
// running, a role without privileges sees '<insufficient privilege>' for
// it in pg_stat_activity and may not cancel it; a member of pg_monitor
// (so of pg_read_all_stats) sees its text; a member of pg_signal_backend
// cancels it, as in PostgreSQL 15.
func TestWirePredefinedRoles(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{
		"create role victim login", "create role plain login", "create role watcher login", "create role killer login",
		"grant pg_monitor to watcher", "grant pg_signal_backend to killer",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	connect := func(role string) *pgx.Conn {
		t.Helper()
		c, err := pgx.Connect(ctx, "postgres://"+role+"@"+addr+"/postgres?sslmode=disable")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	victim, plain, watcher, killer := connect("victim"), connect("plain"), connect("watcher"), connect("killer")
	var pid int32
	if err := victim.QueryRow(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	const sleep = "select pg_sleep(20) /* long */"
	done := make(chan error, 1)
	go func() {
		_, err := victim.Exec(ctx, sleep)
		done <- err
	}()
	for {
		var state string
		if err := admin.QueryRow(ctx, "select coalesce(state, '') from pg_stat_activity where pid = $1", pid).Scan(&state); err != nil {
			t.Fatal(err)
		}
		if state == "active" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	query := func(c *pgx.Conn) string {
		t.Helper()
		var q string
		if err := c.QueryRow(ctx, "select query from pg_stat_activity where pid = $1", pid).Scan(&q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	if got := query(plain); got != "<insufficient privilege>" {
		t.Errorf("plain sees %q", got)
	}
	if got := query(watcher); got != sleep {
		t.Errorf("pg_monitor's member sees %q, want the query", got)
	}
	var pgErr *pgconn.PgError
	_, err = plain.Exec(ctx, "select pg_cancel_backend($1)", pid)
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("plain cancelling: got %v, want 42501", err)
	}
	_, err = watcher.Exec(ctx, "select pg_cancel_backend($1)", pid)
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("pg_monitor's member cancelling: got %v, want 42501", err)
	}
	var ok bool
	if err := killer.QueryRow(ctx, "select pg_cancel_backend($1)", pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_signal_backend's member cancelling: %v, %v", ok, err)
	}
	select {
	case err := <-done:
		if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
			t.Errorf("the cancelled statement: got %v, want 57014", err)
		}
	case <-ctx.Done():
		t.Fatal("the statement was not cancelled")
	}
	// pg_signal_backend does not reach a superuser's session.
	var adminPID int32
	if err := admin.QueryRow(ctx, "select pg_backend_pid()").Scan(&adminPID); err != nil {
		t.Fatal(err)
	}
	_, err = killer.Exec(ctx, "select pg_terminate_backend($1)", adminPID)
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("terminating a superuser's session: got %v, want 42501", err)
	}
}
