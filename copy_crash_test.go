package cairn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// copySource feeds COPY FROM STDIN from a string.
type copySource struct{ *strings.Reader }

func (copySource) Begin(int, bool) error { return nil }

// TestCopyIngestCrash: a COPY large enough to be ingested as LSM tables
// (no WAL record for its rows) survives a crash once committed, with every
// row once, and leaves nothing visible when the crash comes before the
// commit, whatever reached the disk before it: nothing more, another
// transaction's commit (the WAL synced), or a checkpoint. After the
// restart the rows take updates and VACUUM, and a second crash changes
// nothing.
func TestCopyIngestCrash(t *testing.T) {
	ctx := context.Background()
	pad := strings.Repeat("x", 1000)
	const rows = 40000 // about 40 MB: more than two ingested tables
	var data strings.Builder
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&data, "%d\t%s\n", i, pad)
	}
	run := func(s *sql.Session, q string) (*sql.Result, error) {
		ps, err := s.PrepareAll(ctx, q)
		if err != nil {
			return nil, err
		}
		var res *sql.Result
		for _, p := range ps {
			if p.CopyFromStdin() {
				res, err = s.CopyIn(ctx, p, copySource{strings.NewReader(data.String())})
			} else {
				res, err = s.Execute(ctx, p, nil)
			}
			if err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	must := func(t *testing.T, s *sql.Session, q string) string {
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
	open := func(t *testing.T, fs vfs.FS) (*cairn.DB, *sql.Session, *sql.Session) {
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
	check := func(t *testing.T, s *sql.Session, when string, committed bool) {
		t.Helper()
		want := "[1 1 1]" // the row inserted before the COPY
		if committed {
			want = fmt.Sprintf("[%d %d %d]", rows+1, rows*(rows+1)/2+1, rows)
		}
		if got := must(t, s, "SELECT count(*), sum(a), count(DISTINCT a) FROM t"); got != want {
			t.Fatalf("%s: %s, want %s", when, got, want)
		}
	}
	for _, commit := range []bool{false, true} {
		for _, durable := range []string{"nothing", "wal", "checkpoint"} {
			t.Run(fmt.Sprintf("commit=%v/%s", commit, durable), func(t *testing.T) {
				fs := vfs.NewMem()
				db, a, b := open(t, fs)
				must(t, a, "CREATE TABLE t (a int4, b text)")
				must(t, a, "INSERT INTO t VALUES (1, 'before')")
				must(t, a, "CREATE TABLE other (x int4)")
				if !commit {
					must(t, a, "BEGIN")
				}
				if got := must(t, a, "COPY t FROM STDIN"); got != "" {
					t.Fatalf("COPY returned rows %s", got)
				}
				switch durable {
				case "wal":
					must(t, b, "INSERT INTO other VALUES (1)")
				case "checkpoint":
					if err := db.Checkpoint(); err != nil {
						t.Fatal(err)
					}
				}
				_ = db // abandoned, as a crashed process would be
				fs = fs.CrashClone()
				db, a, _ = open(t, fs)
				check(t, a, "after the crash", commit)
				must(t, a, "UPDATE t SET b = 'updated' WHERE a = 4321")
				must(t, a, "VACUUM t")
				check(t, a, "after an update and VACUUM", commit)
				if err := db.Checkpoint(); err != nil {
					t.Fatal(err)
				}
				fs = fs.CrashClone()
				db, a, _ = open(t, fs)
				check(t, a, "after a second crash", commit)
				if commit {
					if got := must(t, a, "SELECT count(*) FROM t WHERE b = 'updated'"); got != "[1]" {
						t.Fatalf("the updated row: %s", got)
					}
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}
