package sql_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
	"github.com/cairndb/cairn/sqltest"
)

// TestStatViewsShape compares the statistics views (pg_stat_statements,
// pg_stat_user_tables, pg_stat_database and the progress views) with
// PostgreSQL 15's after the same workload (testdata/statshape): the
// columns' names and types, and the rows it leaves, not the timings. It
// is not among the differential files because PostgreSQL must load
// pg_stat_statements at start (shared_preload_libraries), which the
// other files' server does not.
func TestStatViewsShape(t *testing.T) {
	srv := pgtest.Start(t, "shared_preload_libraries=pg_stat_statements")
	file := filepath.Join("testdata", "statshape", "stat_views.sql")
	diffs, n, err := sqltest.DiffFile(context.Background(), file, sqltest.Embedded{}, sqltest.Remote{URL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	t.Logf("%d of %d statements agree with PostgreSQL", n-len(diffs), n)
}
