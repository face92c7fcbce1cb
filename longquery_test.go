package cairn_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/pgwire"
)

// longQueryStatements is the number of statements in the one Query message
// of TestLongQueryStops: 1.8 MB of "SELECT 1;", some 15 s of work.
const longQueryStatements = 200_000

// TestLongQueryStops: one Query message holding a long string of statements
// stops soon after a cancel request, and soon after its client goes away,
// instead of running to its end.
func TestLongQueryStops(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 200,000 statements")
	}
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	url := wireURL(addr)
	long := strings.Repeat("SELECT 1;", longQueryStatements)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	t.Run("cancel", func(t *testing.T) {
		conn, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		mrr := conn.Exec(ctx, long)
		results := 0
		var cancelled time.Time
		var lastErr error
		for mrr.NextResult() {
			if _, err := mrr.ResultReader().Close(); err != nil {
				lastErr = err
				break
			}
			results++
			if results == 1 {
				// The statements run: ask for a cancel.
				cancelled = time.Now()
				if err := conn.CancelRequest(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := mrr.Close(); err != nil && lastErr == nil {
			lastErr = err
		}
		var pe *pgconn.PgError
		if !errors.As(lastErr, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
			t.Fatalf("after %d statements: %v, want 57014 canceling statement due to user request", results, lastErr)
		}
		if results >= longQueryStatements {
			t.Fatalf("all %d statements ran despite the cancel", results)
		}
		t.Logf("stopped %v after the cancel request, after %d of %d statements", time.Since(cancelled), results, longQueryStatements)
	})

	t.Run("client gone", func(t *testing.T) {
		// One statement of some 100 s (5 million rows of 10 kB each),
		// which checks for cancellation every 1,024 rows.
		const slow = "SELECT sum(length(repeat('x', 10000) || g)) FROM generate_series(1, 5000000) g"
		watcher, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer watcher.Close(ctx)
		conn, err := pgconn.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pid := conn.PID()
		conn.Exec(ctx, slow)
		// The statement runs once its transaction shows in pg_locks.
		running := func() bool {
			res := watcher.ExecParams(ctx, "SELECT count(*) FROM pg_locks WHERE pid = $1",
				[][]byte{[]byte(strconv.FormatUint(uint64(pid), 10))}, nil, nil, nil).Read()
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			return string(res.Rows[0][0]) != "0"
		}
		deadline := time.Now().Add(time.Minute)
		for !running() {
			if time.Now().After(deadline) {
				t.Fatal("the statement did not start within a minute")
			}
			time.Sleep(5 * time.Millisecond)
		}
		// The client goes.
		left := time.Now()
		conn.Conn().Close()
		deadline = time.Now().Add(15 * time.Second)
		for running() {
			if time.Now().After(deadline) {
				t.Fatal("the statement of a client that left still runs 15 s later")
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("the statement stopped %v after its client left", time.Since(left))
	})
}
