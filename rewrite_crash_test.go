package cairn_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// TestRewriteCrash: ALTER TABLE ... ADD PRIMARY KEY writes the table into
// new storage. A crash before its commit leaves the old table (no key, every
// row), one after it the new one (the key, every row), never a mix or a
// loss, whatever reached the disk before the crash: nothing more, the
// rewrite's WAL records (another transaction's commit synced them), or its
// rows in sstables (a checkpoint). VACUUM after the restart deletes the
// storage that lost, and a second crash after that changes nothing.
func TestRewriteCrash(t *testing.T) {
	const rows = 6000 // more than one batch of the rewrite
	ctx := context.Background()
	run := func(s *sql.Session, q string) (*sql.Result, error) {
		ps, err := s.PrepareAll(ctx, q)
		if err != nil {
			return nil, err
		}
		var res *sql.Result
		for _, p := range ps {
			if res, err = s.Execute(ctx, p, nil); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	must := func(s *sql.Session, q string) string {
		t.Helper()
		res, err := run(s, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out := ""
		for _, r := range res.Rows {
			out += fmt.Sprint(r)
		}
		return out
	}
	open := func(fs vfs.FS) (*cairn.DB, *sql.Session, *sql.Session) {
		t.Helper()
		db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		return db, a, b
	}
	// check verifies the table after a restart: every row once, and the
	// key iff the rewrite committed.
	check := func(s *sql.Session, when string, keyed bool) {
		t.Helper()
		if got, want := must(s, "SELECT count(*), sum(a), count(DISTINCT b) FROM t"), fmt.Sprintf("[%d %d %d]", rows, rows*(rows+1)/2, rows); got != want {
			t.Fatalf("%s: %s, want %s", when, got, want)
		}
		if got := must(s, "SELECT b FROM t WHERE a = 4321"); got != "[v4321]" {
			t.Fatalf("%s: row 4321 reads %s", when, got)
		}
		must(s, "BEGIN")
		_, err := run(s, "INSERT INTO t VALUES (17, 'dup')")
		must(s, "ROLLBACK")
		if keyed && pgerr.Code(err) != pgerr.UniqueViolation {
			t.Fatalf("%s: a duplicate key went in (%v): the key is gone", when, err)
		}
		if !keyed && err != nil {
			t.Fatalf("%s: %v: the table has a key it should not have", when, err)
		}
	}
	for _, commit := range []bool{false, true} {
		for _, durable := range []string{"nothing", "wal", "checkpoint"} {
			t.Run(fmt.Sprintf("commit=%v/%s", commit, durable), func(t *testing.T) {
				fs := vfs.NewMem()
				db, a, b := open(fs)
				must(a, "CREATE TABLE t (a int4, b text)")
				must(a, fmt.Sprintf("INSERT INTO t SELECT g, 'v' || g FROM generate_series(%d, 1, -1) g", rows))
				must(a, "CREATE TABLE other (x int4)")
				if commit {
					must(a, "ALTER TABLE t ADD PRIMARY KEY (a)")
				} else {
					must(a, "BEGIN")
					must(a, "ALTER TABLE t ADD PRIMARY KEY (a)")
				}
				switch durable {
				case "wal":
					must(b, "INSERT INTO other VALUES (1)")
				case "checkpoint":
					if err := db.Checkpoint(); err != nil {
						t.Fatal(err)
					}
				}
				crashed := fs.CrashClone()
				_ = db // abandoned, as a crashed process would be
				fs = crashed
				db, a, _ = open(fs)
				check(a, "after the crash", commit)
				must(a, "VACUUM")
				check(a, "after VACUUM", commit)
				if err := db.Checkpoint(); err != nil {
					t.Fatal(err)
				}
				crashed = fs.CrashClone()
				fs = crashed
				db, a, _ = open(fs)
				check(a, "after VACUUM and a second crash", commit)
				must(a, "ALTER TABLE t ADD COLUMN c int4 DEFAULT 1")
				if !commit {
					must(a, "ALTER TABLE t ADD PRIMARY KEY (a)")
				}
				check(a, "after more DDL", true)
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
