package cairn_test

import (
	"testing"

	"github.com/cairndb/cairn"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql"
)

// TestTempTablesGoneAfterCrash: the temporary tables of sessions that a
// crash ended are dropped when the database opens again, their rows
// with them, while permanent tables keep theirs; a new session may take
// the same temporary schema and starts with it empty.
func TestTempTablesGoneAfterCrash(t *testing.T) {
	run := runScript
	must := func(s *sql.Session, q string) *sql.Result {
		t.Helper()
		return mustScript(t, s, q)
	}
	fs := vfs.NewMem()
	db, err := cairn.OpenWithOptions("data", &cairn.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	must(s, "CREATE TABLE keep (a int)")
	must(s, "INSERT INTO keep VALUES (1)")
	must(s, "CREATE TEMP TABLE gone (a int PRIMARY KEY, b serial)")
	must(s, "CREATE INDEX ON gone (b)")
	must(s, "CREATE TEMP VIEW gone_v AS SELECT a FROM gone")
	must(s, "INSERT INTO gone (a) VALUES (1), (2)")
	must(s, "CREATE TEMP TABLE keep (z text)")
	if err := db.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	must(s, "INSERT INTO gone (a) VALUES (3)")
	crashed := fs.CrashClone()
	_ = db // abandoned, as a crashed process would be

	db, err = cairn.OpenWithOptions("data", &cairn.Options{FS: crashed})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err = db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	res := must(s, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'")
	if n := res.Rows[0][0].(int64); n != 0 {
		t.Fatalf("after the crash pg_class lists %d temporary relations", n)
	}
	for _, q := range []string{"SELECT * FROM gone", "SELECT * FROM pg_temp_1.gone", "SELECT * FROM gone_v"} {
		if _, err := run(s, q); pgerr.Code(err) != pgerr.UndefinedTable {
			t.Fatalf("%s after the crash: %v, want 42P01", q, err)
		}
	}
	if res := must(s, "SELECT a FROM keep"); len(res.Rows) != 1 || res.Rows[0][0].(int64) != 1 {
		t.Fatalf("the permanent table keep holds %v", res.Rows)
	}
	// The same temporary schema, taken again, starts empty.
	must(s, "CREATE TEMP TABLE gone (a int)")
	if res := must(s, "SELECT count(*) FROM gone"); res.Rows[0][0].(int64) != 0 {
		t.Fatalf("a new temporary table holds %v rows", res.Rows[0][0])
	}
	if res := must(s, "SELECT current_schemas(true)::text"); res.Rows[0][0] != "{pg_temp_1,pg_catalog,public}" {
		t.Fatalf("current_schemas(true) is %v", res.Rows[0][0])
	}
}
