package main

import (
	"context"
	"testing"
)

// TestKillSequence: after kill -9 and a restart, a sequence and a serial
// column go on past every value they gave a committed transaction, and
// the serial column's rows are all there.
func TestKillSequence(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := startServer(t, dir)
	c := connect(t, s)
	for _, q := range []string{"CREATE SEQUENCE ks CACHE 3", "CREATE TABLE kt (id serial PRIMARY KEY, v int4)"} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var maxSeq, maxID, rows int64
	for round := 0; round < 3; round++ {
		for i := 0; i < 70; i++ {
			var v, id int64
			if err := c.QueryRow(ctx, "SELECT nextval('ks')").Scan(&v); err != nil {
				t.Fatal(err)
			}
			if v <= maxSeq {
				t.Fatalf("round %d: nextval gave %d after %d", round, v, maxSeq)
			}
			maxSeq = v
			if err := c.QueryRow(ctx, "INSERT INTO kt (v) VALUES ($1) RETURNING id", i).Scan(&id); err != nil {
				t.Fatal(err)
			}
			if id <= maxID {
				t.Fatalf("round %d: serial gave %d after %d", round, id, maxID)
			}
			maxID = id
			rows++
		}
		// A transaction open at the kill has taken values too.
		open := connect(t, s)
		if _, err := open.Exec(ctx, "BEGIN; SELECT nextval('ks'); INSERT INTO kt (v) VALUES (-1)"); err != nil {
			t.Fatal(err)
		}
		s.kill(t)
		s = startServer(t, dir)
		c = connect(t, s)
		var n int64
		if err := c.QueryRow(ctx, "SELECT count(*) FROM kt").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != rows {
			t.Fatalf("round %d after kill -9: %d rows, want %d", round, n, rows)
		}
	}
	s.stop(t)
}
