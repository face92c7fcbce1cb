package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestCopyKill: COPYs large enough to be ingested as LSM tables rather
// than logged row by row (a text one as pgbench sends it, a binary one as
// pgx sends it) survive SIGKILL once acknowledged, and one in a
// transaction that never committed leaves no row; after the restart
// ADD PRIMARY KEY, which rewrites the table the same way, survives a
// second SIGKILL too.
func TestCopyKill(t *testing.T) {
	ctx := context.Background()
	const rows = 20000 // of about 1 kB: more than one ingested table each
	pad := strings.Repeat("x", 1000)
	dir := t.TempDir()
	s := startServer(t, dir)
	c := connect(t, s)
	if _, err := c.Exec(ctx, "CREATE TABLE ck (a int8, b text)"); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&text, "%d\t%s\n", i, pad)
	}
	if tag, err := c.PgConn().CopyFrom(ctx, strings.NewReader(text.String()), "COPY ck FROM STDIN"); err != nil || tag.RowsAffected() != rows {
		t.Fatalf("text COPY: %v, %v", tag, err)
	}
	src := make([][]any, rows)
	for i := range src {
		src[i] = []any{int64(rows + i + 1), pad}
	}
	if n, err := c.CopyFrom(ctx, pgx.Identifier{"ck"}, []string{"a", "b"}, pgx.CopyFromRows(src)); err != nil || n != rows {
		t.Fatalf("binary COPY: %d, %v", n, err)
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, strings.NewReader(text.String()), "COPY ck FROM STDIN"); err != nil {
		t.Fatal(err)
	}
	s.kill(t)

	want := fmt.Sprintf("%d %d", 2*rows, rows*(2*rows+1))
	check := func(when string) {
		t.Helper()
		c := connect(t, s)
		var n, sum int64
		if err := c.QueryRow(ctx, "SELECT count(*), sum(a) FROM ck").Scan(&n, &sum); err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if got := fmt.Sprintf("%d %d", n, sum); got != want {
			t.Fatalf("%s: count and sum %s, want %s", when, got, want)
		}
	}
	s = startServer(t, dir)
	check("after SIGKILL")
	c = connect(t, s)
	if _, err := c.Exec(ctx, "ALTER TABLE ck ADD PRIMARY KEY (a)"); err != nil {
		t.Fatalf("ADD PRIMARY KEY after the restart (a row twice?): %v", err)
	}
	s.kill(t)
	s = startServer(t, dir)
	check("after ADD PRIMARY KEY and SIGKILL")
	c = connect(t, s)
	if _, err := c.Exec(ctx, "INSERT INTO ck VALUES (7, 'dup')"); err == nil || !strings.Contains(err.Error(), "23505") {
		t.Fatalf("a duplicate key after the restart: %v", err)
	}
	s.stop(t)
}
