package cairn_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
	"github.com/cairndb/cairn/sql/types"
)

// TestPreparedSurvivesCrash: a prepared transaction outlives a crash with
// its row claims and table locks, and COMMIT PREPARED after the restart makes its work
// visible.
func TestPreparedSurvivesCrash(t *testing.T) {
	fs := vfs.NewMem()
	open := func(fs vfs.FS) (*cairn.DB, *sql.Session) {
		db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		return db, s
	}
	run := func(s *sql.Session, q string) (*sql.Result, error) {
		ps, err := s.PrepareAll(context.Background(), q)
		if err != nil {
			return nil, err
		}
		var res *sql.Result
		for _, p := range ps {
			if res, err = s.Execute(context.Background(), p, nil); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	must := func(s *sql.Session, q string) *sql.Result {
		t.Helper()
		res, err := run(s, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return res
	}
	db, s := open(fs)
	must(s, "CREATE TABLE acct (id int4 PRIMARY KEY, balance int8)")
	must(s, "INSERT INTO acct VALUES (1, 100), (2, 200)")
	must(s, "BEGIN; UPDATE acct SET balance = balance - 50 WHERE id = 1; INSERT INTO acct VALUES (3, 50)")
	must(s, "PREPARE TRANSACTION 'transfer-1'")

	// Crash: only what was synced survives.
	crashed := fs.CrashClone()
	_ = db // abandoned, as a crashed process would be
	db2, s2 := open(crashed)
	defer db2.Close()
	if res := must(s2, "SELECT gid FROM pg_prepared_xacts"); len(res.Rows) != 1 || res.Rows[0][0] != "transfer-1" {
		t.Fatalf("pg_prepared_xacts after crash = %v", res.Rows)
	}
	if got := text(must(s2, "SELECT count(*), sum(balance) FROM acct")); got != "2 300" {
		t.Fatalf("before COMMIT PREPARED: %s", got)
	}
	// The prepared transaction still holds row 1.
	must(s2, "SET lock_timeout = '50ms'")
	if _, err := run(s2, "UPDATE acct SET balance = 0 WHERE id = 1"); sqlState(err) != "55P03" {
		t.Fatalf("update of a row the prepared transaction holds: %v, want 55P03", err)
	}
	// And its table lock (ROW EXCLUSIVE on acct, from its writes): DDL that
	// needs a stronger lock waits for the decision, as in PostgreSQL.
	for _, ddl := range []string{"CREATE INDEX acct_balance ON acct (balance)", "DROP TABLE acct"} {
		if _, err := run(s2, ddl); sqlState(err) != "55P03" {
			t.Fatalf("%s while a recovered prepared transaction holds the table: %v, want 55P03", ddl, err)
		}
	}
	must(s2, "COMMIT PREPARED 'transfer-1'")
	must(s2, "CREATE INDEX acct_balance ON acct (balance)")
	if got := text(must(s2, "SELECT count(*), sum(balance) FROM acct")); got != "3 300" {
		t.Fatalf("after COMMIT PREPARED: %s", got)
	}
	if _, err := run(s2, "COMMIT PREPARED 'transfer-1'"); sqlState(err) != "42704" {
		t.Fatalf("second COMMIT PREPARED: %v, want 42704", err)
	}
	must(s2, "UPDATE acct SET balance = 0 WHERE id = 1")
}

// text renders a result's rows in PostgreSQL's text form.
func text(res *sql.Result) string {
	var parts []string
	for _, r := range res.Rows {
		for i, v := range r {
			parts = append(parts, types.FormatText(res.Columns[i].Type, v))
		}
	}
	return strings.Join(parts, " ")
}
