package cairn_test

import (
	"context"
	stdsql "database/sql"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn"
)

// TestServeTerminateThenCommandFails holds PostgreSQL's contract for
// pg_terminate_backend across the embedded and wire sessions of one
// database: once it returned true for a wire session's process id, the
// next command that session sends fails with FATAL 57P01, every time.
func TestServeTerminateThenCommandFails(t *testing.T) {
	db, err := cairn.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sdb := stdsql.OpenDB(cairn.NewConnector(db))
	t.Cleanup(func() { sdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := startServe(t, db, nil)

	rounds := 200
	if testing.Short() {
		rounds = 20
	}
	for i := 0; i < rounds; i++ {
		victim, err := pgx.Connect(ctx, s.url("postgres", "", "sslmode=disable"))
		if err != nil {
			t.Fatal(err)
		}
		var pid int32
		if err := victim.QueryRow(ctx, "select pg_backend_pid()").Scan(&pid); err != nil {
			t.Fatal(err)
		}
		var ended bool
		if err := sdb.QueryRowContext(ctx, "select pg_terminate_backend($1)", pid).Scan(&ended); err != nil || !ended {
			t.Fatalf("round %d: pg_terminate_backend(%d): %v, %v; want true", i, pid, ended, err)
		}
		err = victim.Ping(ctx)
		victim.Close(context.Background())
		if err == nil || !strings.Contains(err.Error(), "57P01") {
			t.Fatalf("round %d: the terminated session's next command: %v, want 57P01", i, err)
		}
	}
}
