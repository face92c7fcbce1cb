package cairn_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cairndb/cairn"
)

// TestSpillTempDir: a database on disk writes the temporary files of
// statements that outgrow work_mem to its pgsql_tmp, removes them when
// each statement ends, and clears what a process that ended abruptly
// left there when it opens.
func TestSpillTempDir(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "pgsql_tmp")
	db, err := cairn.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	mustScript(t, s, "SET work_mem = '64kB'")
	res := mustScript(t, s, "SELECT count(*) FROM (SELECT g, md5(g::text) FROM generate_series(1, 20000) g ORDER BY 2) s")
	if n := res.Rows[0][0].(int64); n != 20000 {
		t.Fatalf("count %d", n)
	}
	res = mustScript(t, s, "SELECT temp_files, temp_bytes FROM pg_stat_database WHERE datname = current_database()")
	if files, bytes := res.Rows[0][0].(int64), res.Rows[0][1].(int64); files == 0 || bytes == 0 {
		t.Fatalf("temp_files %d, temp_bytes %d after a sort past work_mem", files, bytes)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("%d files left in pgsql_tmp", len(left))
	}
	s.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// A file a process left behind goes when the database opens.
	if err := os.WriteFile(filepath.Join(tmp, "pgsql_tmp1.0"), []byte("left"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = cairn.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(filepath.Join(tmp, "pgsql_tmp1.0")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file left in pgsql_tmp is still there: %v", err)
	}
}
