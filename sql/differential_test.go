package sql_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/sqltest"
)

// TestDifferential runs every testdata/differential/*.sql file on embedded
// cairn and on PostgreSQL 15 (sqltest.DiffFile) and reports each statement
// whose outcome differs: SQLSTATE (or success), command tag, column names
// and type OIDs, and every value in PostgreSQL's text form; rows of a
// statement without ORDER BY compare as sets.
//
// File format: a statement is one or more lines ending at a line whose last
// non-blank character is ';'; "--" lines and blank lines between statements
// are ignored. Each file runs in a fresh in-memory cairn and a fresh
// PostgreSQL database, over the simple query protocol.
func TestDifferential(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "differential", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/differential/*.sql files")
	}
	srv := pgtest.Start(t)
	var agree, total int
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".sql"), func(t *testing.T) {
			diffs, n, err := sqltest.DiffFile(context.Background(), file, sqltest.Embedded{}, sqltest.Remote{URL: srv.URL()})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				t.Error(d)
			}
			total += n
			agree += n - len(diffs)
		})
	}
	t.Logf("%d of %d statements agree with PostgreSQL", agree, total)
}
