package cairn_test

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/sql"
)

var vacuumRounds = flag.Int("vacuum.rounds", 25, "update rounds in TestVacuumBoundsSize")

func dirBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestVacuumBoundsSize updates every row of a table many times: once vacuum
// has run and the tables are compacted, the sorted tables take at most twice
// the live data; while a transaction holds an old snapshot, the versions it
// can see stay.
func TestVacuumBoundsSize(t *testing.T) {
	dir := t.TempDir()
	db, err := cairn.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	holder, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	exec := func(s *sql.Session, q string) {
		t.Helper()
		ps, err := s.PrepareAll(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, p := range ps {
			if _, err := s.Execute(ctx, p, nil); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	const rows, payload = 2000, 200
	exec(s, "CREATE TABLE t (id int4 PRIMARY KEY, pad text NOT NULL)")
	for start := 0; start < rows; start += 100 {
		var values []string
		for id := start; id < start+100; id++ {
			values = append(values, fmt.Sprintf("(%d, '%s')", id, strings.Repeat("x", payload)))
		}
		exec(s, "INSERT INTO t VALUES "+strings.Join(values, ", "))
	}
	live := dirBytesAfterCompact(t, db, dir)

	// An open REPEATABLE READ transaction pins the versions it sees.
	exec(holder, "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM t")
	for i := 0; i < *vacuumRounds; i++ {
		exec(s, fmt.Sprintf("UPDATE t SET pad = '%s'", strings.Repeat(string(rune('a'+i%26)), payload)))
	}
	exec(s, "VACUUM t")
	pinned := dirBytesAfterCompact(t, db, dir)
	if pinned < 2*live {
		t.Fatalf("with a snapshot open: %d bytes on disk, live data %d: the pinned versions are gone", pinned, live)
	}
	exec(holder, "COMMIT")
	exec(s, "VACUUM")
	after := dirBytesAfterCompact(t, db, dir)
	t.Logf("live %d bytes; %d updates of every row; pinned %d bytes; after vacuum %d bytes", live, *vacuumRounds, pinned, after)
	if after > 2*live {
		t.Fatalf("after vacuum: %d bytes on disk, more than twice the live data (%d)", after, live)
	}
}

func dirBytesAfterCompact(t *testing.T, db *cairn.DB, dir string) int64 {
	t.Helper()
	if err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	return dirBytes(t, filepath.Join(dir, "lsm"))
}
