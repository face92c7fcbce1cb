package cairn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/pgwire"
)

// TestNotifyWire: pgx's WaitForNotification receives what other
// connections NOTIFY, while it waits idle; notifications reach a client
// only after the notifier's commit, in commit order, and a listener inside
// a transaction receives them when the transaction ends (before its
// ReadyForQuery), as PostgreSQL sends them.
func TestNotifyWire(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	connect := func() *pgx.Conn {
		c, err := pgx.Connect(ctx, wireURL(addr))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	exec := func(c *pgx.Conn, q string) {
		t.Helper()
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	listener, notifier := connect(), connect()
	exec(listener, "LISTEN jobs")
	notifierPID := notifier.PgConn().PID()

	// Delivered while the listener waits idle.
	type got struct {
		n   *pgconn.Notification
		err error
	}
	waiting := make(chan got, 1)
	go func() {
		n, err := listener.WaitForNotification(ctx)
		waiting <- got{n, err}
	}()
	exec(notifier, "NOTIFY jobs, 'first'")
	g := <-waiting
	if g.err != nil || g.n.Channel != "jobs" || g.n.Payload != "first" || g.n.PID != notifierPID {
		t.Fatalf("idle delivery: %+v %v", g.n, g.err)
	}

	// A transaction's notifications, after its commit, deduplicated; two
	// transactions in commit order; nothing from a rollback.
	exec(notifier, "BEGIN")
	exec(notifier, "SELECT pg_notify('jobs', 'a')")
	exec(notifier, "NOTIFY jobs, 'b'")
	exec(notifier, "NOTIFY jobs, 'a'")
	exec(listener, "SELECT 1")
	if n := pending(listener); n != "" {
		t.Fatalf("delivered before the commit: %s", n)
	}
	exec(notifier, "COMMIT")
	exec(notifier, "BEGIN; NOTIFY jobs, 'lost'; ROLLBACK")
	exec(notifier, "NOTIFY jobs, 'c'; NOTIFY jobs, 'c'")
	want := "a b c"
	if got := collect(t, ctx, listener, 3); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}

	// A listener inside a transaction gets them when it ends, with the
	// ReadyForQuery of its COMMIT (the idle wait does not see them).
	exec(listener, "BEGIN")
	exec(notifier, "NOTIFY jobs, 'during'")
	exec(listener, "SELECT 1")
	if n := pending(listener); n != "" {
		t.Fatalf("delivered inside the listener's transaction: %s", n)
	}
	exec(listener, "COMMIT")
	if n := pending(listener); n != "during" {
		t.Fatalf("after the listener's commit: %q", n)
	}

	// Its own notifications come with its own statement's result.
	exec(listener, "NOTIFY jobs, 'self'")
	if n := pending(listener); n != "self" {
		t.Fatalf("own notification: %q", n)
	}

	// Many notifiers at once: every commit is seen once, and each
	// notifier's in its own commit order.
	const writers, each = 4, 25
	errs := make(chan error, writers)
	for w := range writers {
		c := connect()
		go func() {
			for i := range each {
				if _, err := c.Exec(ctx, fmt.Sprintf("NOTIFY jobs, '%d %d'", w, i)); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	next := make([]int, writers)
	for range writers * each {
		n, err := listener.WaitForNotification(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var w, i int
		fmt.Sscanf(n.Payload, "%d %d", &w, &i)
		if i != next[w] {
			t.Fatalf("writer %d: got %d, want %d", w, i, next[w])
		}
		next[w]++
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// pending returns the payloads pgx received with the results of earlier
// statements, without reading more (the context is already done).
func pending(c *pgx.Conn) string {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out []string
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return strings.Join(out, " ")
		}
		out = append(out, n.Payload)
	}
}

func collect(t *testing.T, ctx context.Context, c *pgx.Conn, n int) string {
	t.Helper()
	var out []string
	for range n {
		note, err := c.WaitForNotification(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, note.Payload)
	}
	return strings.Join(out, " ")
}
