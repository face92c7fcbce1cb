package cairn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/pgwire"
)

// TestImplicitTransactionBlock sends simple Query messages of several
// statements to cairn and to PostgreSQL 15 and compares, for each, what
// every statement answered (tag, notices, error) and what the database
// holds afterwards. As in PostgreSQL, the statements of one Query run in
// one implicit transaction: an error rolls back all of them, SET included,
// unless a COMMIT in the string came first; BEGIN turns the block into an
// ordinary one, which the error leaves open and failed; LOCK TABLE,
// DECLARE and SET LOCAL work inside it and VACUUM does not.
func TestImplicitTransactionBlock(t *testing.T) {
	pg := pgtest.Start(t)
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	queries := []string{
		"create table z (a int)",
		"insert into z values (1); insert into z values (2); select 1/0",
		"select a from z order by a",
		"create table y (a int); insert into y values (1); select 1/0",
		"select count(*) from y",
		"insert into z values (3); commit; insert into z values (4); select 1/0",
		"select a from z order by a",
		"insert into z values (5); begin; insert into z values (6); select 1/0",
		"select 1",
		"rollback",
		"select a from z order by a",
		"insert into z values (7); begin; insert into z values (8); commit; insert into z values (9)",
		"insert into z values (10); rollback; insert into z values (11)",
		"select a from z order by a",
		"set application_name = 'implicit'; select 1/0",
		"show application_name",
		"select 1; vacuum z",
		"lock table z; select count(*) from z",
		"declare c cursor for select a from z order by a; fetch 2 from c",
		"set local work_mem = '1MB'; show work_mem",
		"show work_mem",
		"savepoint s; select 1",
		"alter table z add column b int; insert into z values (12, 12); select 1/0",
		"select a from z order by a",
	}
	run := func(url string) []string {
		ctx := context.Background()
		var notices []string
		conn, err := pgconn.ConnectConfig(ctx, func() *pgconn.Config {
			cfg, err := pgconn.ParseConfig(url)
			if err != nil {
				t.Fatal(err)
			}
			cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n.Severity+" "+n.Message) }
			return cfg
		}())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var out []string
		for _, q := range queries {
			notices = nil
			results, err := conn.Exec(ctx, q).ReadAll()
			var b strings.Builder
			for _, r := range results {
				fmt.Fprintf(&b, "[%s", r.CommandTag)
				for _, row := range r.Rows {
					for _, v := range row {
						fmt.Fprintf(&b, " %s", v)
					}
				}
				b.WriteString("]")
			}
			if err != nil {
				if pe, ok := err.(*pgconn.PgError); ok {
					fmt.Fprintf(&b, " ERROR %s %s", pe.Code, pe.Message)
				} else {
					fmt.Fprintf(&b, " ERROR %v", err)
				}
			}
			fmt.Fprintf(&b, " notices=%q tx=%c", notices, conn.TxStatus())
			out = append(out, b.String())
		}
		return out
	}
	want := run(pg.URL())
	got := run(wireURL(addr))
	for i, q := range queries {
		if got[i] != want[i] {
			t.Errorf("%s\n  cairn:      %s\n  PostgreSQL: %s", q, got[i], want[i])
		}
	}
}

// TestPipelineTransaction sends batches of extended-protocol statements
// with one Sync (as pgx's SendBatch and JDBC's executeBatch do) to cairn
// and to PostgreSQL 15 and compares the outcomes: the statements up to a
// Sync share one transaction, which an error rolls back whole, COMMIT
// inside ends with a warning, BEGIN turns into a transaction block, and
// LOCK TABLE is refused because this transaction is no block.
func TestPipelineTransaction(t *testing.T) {
	pg := pgtest.Start(t)
	_, addr, _ := serveWire(t, openMemoryDB(t), pgwire.Options{})
	batches := [][]string{
		{"create table p (a int primary key)"},
		{"insert into p values (1)", "insert into p values (2)", "select 1/(count(*) - count(*)) from p"},
		{"select count(*) from p"},
		{"insert into p values (3)", "insert into p values (4)"},
		{"insert into p values (5)", "insert into p values (5)", "insert into p values (6)"},
		{"select a from p order by a"},
		{"insert into p values (7)", "commit", "insert into p values (8)", "select 1/(count(*) - count(*)) from p"},
		{"select a from p order by a"},
		{"begin", "insert into p values (9)", "select 1/(count(*) - count(*)) from p"},
		{"select 1"},
		{"rollback"},
		{"lock table p"},
		{"set application_name = 'pipe'", "select 1/(count(*) - count(*)) from p"},
		{"show application_name"},
		{"insert into p values (10)", "begin", "insert into p values (11)"},
		{"commit"},
		{"select a from p order by a"},
	}
	run := func(url string) []string {
		ctx := context.Background()
		cfg, err := pgconn.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		var notices []string
		cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { notices = append(notices, n.Severity+" "+n.Message) }
		conn, err := pgconn.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var out []string
		for _, stmts := range batches {
			notices = nil
			batch := &pgconn.Batch{}
			for _, s := range stmts {
				batch.ExecParams(s, nil, nil, nil, nil)
			}
			results, err := conn.ExecBatch(ctx, batch).ReadAll()
			var b strings.Builder
			for _, r := range results {
				fmt.Fprintf(&b, "[%s", r.CommandTag)
				for _, row := range r.Rows {
					for _, v := range row {
						fmt.Fprintf(&b, " %s", v)
					}
				}
				if r.Err != nil {
					fmt.Fprintf(&b, " %v", r.Err)
				}
				b.WriteString("]")
			}
			if err != nil {
				fmt.Fprintf(&b, " ERROR %v", err)
			}
			fmt.Fprintf(&b, " notices=%q tx=%c", notices, conn.TxStatus())
			out = append(out, b.String())
		}
		return out
	}
	want := run(pg.URL())
	got := run(wireURL(addr))
	for i, stmts := range batches {
		if got[i] != want[i] {
			t.Errorf("%q\n  cairn:      %s\n  PostgreSQL: %s", stmts, got[i], want[i])
		}
	}
}
