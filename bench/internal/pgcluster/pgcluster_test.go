package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCrashAndRestart commits a row, crashes the server and checks that the
// restart recovers the row.
func TestCrashAndRestart(t *testing.T) {
	if _, err := os.Stat(filepath.Join(BinDir, "postgres")); err != nil {
		t.Skip("PostgreSQL 15 is not installed")
	}
	dir, err := os.MkdirTemp("", "pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	c, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start("fsync=off"); err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, c.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	exec("CREATE TABLE t (x int)")
	exec("INSERT INTO t VALUES (42)")
	if err := c.Crash(); err != nil {
		t.Fatal(err)
	}
	if err := c.Start("fsync=off"); err != nil {
		t.Fatal(err)
	}
	ready := time.Now()
	exec("INSERT INTO t VALUES (43)")
	log := c.LogText()
	if !strings.Contains(log, "automatic recovery in progress") {
		t.Errorf("the restart did not recover:\n%s", log)
	}
	// The log's timestamp of "ready to accept connections" against the
	// time Start returned: how late the readiness was seen.
	for line := range strings.SplitSeq(log, "\n") {
		if strings.Contains(line, "ready to accept connections") && len(line) > 23 {
			at, err := time.Parse("2006-01-02 15:04:05.000", line[:23])
			if err == nil {
				t.Logf("Start returned %v after the log says ready", ready.UTC().Sub(at))
			}
		}
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d rows after the restart, want 2", n)
	}
}
