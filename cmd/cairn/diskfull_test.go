package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestDiskFullTmpfs is PLAN.md (d) on a real file system: the data
// directory is a small tmpfs that fills up while clients insert. The
// statement that meets the full disk fails with 53100 (PostgreSQL's
// message and hint, no absolute path), the server stays up and serves
// reads, writes succeed again once the file system has room (here: it is
// remounted bigger) without a restart, a SIGTERM shutdown exits cleanly,
// and a restart finds every acknowledged row and none of the failed ones.
// It needs to mount a tmpfs (root) and skips otherwise.
func TestDiskFullTmpfs(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a tmpfs with WAL")
	}
	dir := t.TempDir()
	// One 16 MiB WAL segment fits; the next one does not.
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=24m"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	data := dir + "/data"
	s := startServer(t, data)
	c := connect(t, s)
	ctx := context.Background()
	if _, err := c.Exec(ctx, "CREATE TABLE t (id int8 PRIMARY KEY, pad text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	pad := strings.Repeat("p", 1000)
	const perStmt = 1000 // about 1 MiB of WAL per statement
	insert := func(batch int) error {
		_, err := c.Exec(ctx, fmt.Sprintf("INSERT INTO t SELECT g, $1::text FROM generate_series(%d, %d) g",
			batch*perStmt, (batch+1)*perStmt-1), pad)
		return err
	}
	var acked, failed []int
	batch := 0
	for ; ; batch++ {
		if batch > 40 {
			t.Fatal("the tmpfs never filled up")
		}
		err := insert(batch)
		if err == nil {
			acked = append(acked, batch)
			continue
		}
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "53100" || !strings.HasPrefix(pe.Message, `could not extend file "wal/`) ||
			!strings.HasSuffix(pe.Message, ": No space left on device") || pe.Hint != "Check free disk space." {
			t.Fatalf("batch %d on a full disk: %v (hint %q), want 53100", batch, err, hintOf(err))
		}
		if strings.Contains(pe.Message+pe.Detail, dir) {
			t.Fatalf("the client sees the data directory's path: %q", pe.Message)
		}
		failed = append(failed, batch)
		t.Logf("full after %d statements of %d rows: %s", len(acked), perStmt, pe.Message)
		break
	}
	// Still full: writes keep failing the same way, reads go on.
	batch++
	if err := insert(batch); sqlState(err) != "53100" {
		t.Fatalf("insert on a still full disk: %v", err)
	}
	failed = append(failed, batch)
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != int64(len(acked)*perStmt) {
		t.Fatalf("count on a full disk: %d, %v; want %d", n, err, len(acked)*perStmt)
	}
	// Room again, without a restart.
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT, "size=64m"); err != nil {
		t.Fatalf("remount bigger: %v", err)
	}
	for range 3 {
		batch++
		if err := insert(batch); err != nil {
			t.Fatalf("insert after space came back: %v", err)
		}
		acked = append(acked, batch)
	}
	c.Close(ctx)
	s.stop(t) // fails the test unless the exit status is 0

	s = startServer(t, data)
	c = connect(t, s)
	defer c.Close(ctx)
	check := func(b int, want int64) {
		t.Helper()
		var n int64
		if err := c.QueryRow(ctx, "SELECT count(*) FROM t WHERE id >= $1 AND id < $2", b*perStmt, (b+1)*perStmt).Scan(&n); err != nil || n != want {
			t.Fatalf("batch %d after restart: %d rows, %v; want %d", b, n, err, want)
		}
	}
	for _, b := range acked {
		check(b, perStmt)
	}
	for _, b := range failed {
		check(b, 0)
	}
	s.stop(t)
	if _, err := os.Stat(data); err != nil {
		t.Fatal(err)
	}
}

func hintOf(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Hint
	}
	return ""
}
