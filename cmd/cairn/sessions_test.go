package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// waitFatal blocks until the server sends c a FATAL error, and returns
// its SQLSTATE and message.
func waitFatal(t *testing.T, c *pgx.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		msg, err := c.PgConn().ReceiveMessage(ctx)
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return pe.Severity + " " + pe.Code + " " + pe.Message
		}
		if err != nil {
			return "error: " + err.Error()
		}
		t.Logf("unexpected message %T", msg)
	}
}

func connectURL(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// TestSessionTimeouts: idle_session_timeout and
// idle_in_transaction_session_timeout end an idle connection with
// PostgreSQL 15's FATAL errors.
func TestSessionTimeouts(t *testing.T) {
	s := startServer(t, ":memory:")
	ctx := context.Background()
	idle := connect(t, s)
	if _, err := idle.Exec(ctx, "set idle_session_timeout = '100ms'"); err != nil {
		t.Fatal(err)
	}
	if got := waitFatal(t, idle); got != "FATAL 57P05 terminating connection due to idle-session timeout" {
		t.Errorf("idle session: %s", got)
	}
	inTx := connect(t, s)
	if _, err := inTx.Exec(ctx, "set idle_in_transaction_session_timeout = '100ms'"); err != nil {
		t.Fatal(err)
	}
	if _, err := inTx.Exec(ctx, "begin"); err != nil {
		t.Fatal(err)
	}
	if got := waitFatal(t, inTx); got != "FATAL 25P03 terminating connection due to idle-in-transaction timeout" {
		t.Errorf("idle in transaction: %s", got)
	}
}

// TestSignalBackends: pg_cancel_backend cancels another session's
// statement, pg_terminate_backend ends its connection; a role that is not
// a superuser may signal its own role's sessions only.
func TestSignalBackends(t *testing.T) {
	s := startServer(t, ":memory:")
	ctx := context.Background()
	admin := connect(t, s)
	if _, err := admin.Exec(ctx, "create user worker; create user other"); err != nil {
		t.Fatal(err)
	}
	url := func(user string) string {
		return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", user, s.port)
	}
	pidOf := func(c *pgx.Conn) int32 {
		var pid int32
		if err := c.QueryRow(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if pid != int32(c.PgConn().PID()) {
			t.Fatalf("pg_backend_pid %d, BackendKeyData %d", pid, c.PgConn().PID())
		}
		return pid
	}

	sleeper := connectURL(t, url("worker"))
	sleeperPID := pidOf(sleeper)
	done := make(chan error, 1)
	go func() {
		_, err := sleeper.Exec(ctx, "select pg_sleep(60)")
		done <- err
	}()
	var cancelled bool
	// The sleeper's statement may not have started yet: cancel until it
	// ends (a cancel between statements cancels nothing).
	for i := 0; i < 1000 && !cancelled; i++ {
		if err := admin.QueryRow(ctx, "select pg_cancel_backend($1)", sleeperPID).Scan(&cancelled); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "57014" {
				t.Fatalf("cancelled pg_sleep: %v", err)
			}
			cancelled = true
		default:
			cancelled = false
		}
	}
	if !cancelled {
		t.Fatal("pg_cancel_backend did not cancel pg_sleep")
	}

	worker2 := connectURL(t, url("worker"))
	other := connectURL(t, url("other"))
	for _, c := range []struct {
		query string
		pid   int32
		want  string
	}{
		{"select pg_terminate_backend($1)", pidOf(admin), "42501 must be a superuser to terminate superuser process"},
		{"select pg_cancel_backend($1)", pidOf(admin), "42501 must be a superuser to cancel superuser query"},
		{"select pg_terminate_backend($1)", pidOf(other), "42501 must be a member of the role whose process is being terminated or member of pg_signal_backend"},
		{"select pg_terminate_backend($1, -1)", pidOf(other), "22023 \"timeout\" must not be negative"},
	} {
		_, err := worker2.Exec(ctx, c.query, c.pid)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code+" "+pe.Message != c.want {
			t.Errorf("%s: %v, want %s", c.query, err, c.want)
		}
	}
	var ok bool
	if err := admin.QueryRow(ctx, "select pg_cancel_backend(999999)").Scan(&ok); err != nil || ok {
		t.Errorf("pg_cancel_backend of no backend: %v %v", ok, err)
	}
	// A worker may end another session of its own role; waiting for
	// it to go returns once it has.
	if err := worker2.QueryRow(ctx, "select pg_terminate_backend($1, 10000)", sleeperPID).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend: %v %v", ok, err)
	}
	if got := waitFatal(t, sleeper); got != "FATAL 57P01 terminating connection due to administrator command" {
		t.Errorf("terminated session: %s", got)
	}
}

// TestMaxConnectionsFlag: --max-connections bounds the sessions.
func TestMaxConnectionsFlag(t *testing.T) {
	s := startServer(t, ":memory:", "--max-connections", "2", "--superuser-reserved-connections", "0")
	connect(t, s)
	connect(t, s)
	_, err := pgx.Connect(context.Background(), s.url)
	if err == nil || !strings.Contains(err.Error(), "sorry, too many clients already (SQLSTATE 53300)") {
		t.Errorf("third connection: %v", err)
	}
}
