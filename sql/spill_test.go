package sql

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
)

// newSpillEngine returns an engine whose temporary files go to a
// directory of the test's.
func newSpillEngine(t *testing.T) (*Engine, string) {
	t.Helper()
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	dir := t.TempDir()
	e, err := NewEngine(store, Options{TempDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return e, dir
}

// tempFilesIn lists the files in dir.
func tempFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// tempFilesCount is the session's database's temp_files.
func tempFilesCount(t *testing.T, s *Session) int64 {
	t.Helper()
	res := mustRun(t, s, "SELECT temp_files FROM pg_stat_database WHERE datname = current_database()")
	return res.Rows[0][0].(int64)
}

// resultLines renders a result's rows, one line each.
func resultLines(res *Result) []string {
	out := make([]string, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = formatDatums(res.Columns, r)
	}
	return out
}

// spillData fills table t with rows whose values have all the shapes the
// spill tests need: duplicate and NULL keys, texts for collations, and
// aggregate inputs of several types.
func spillData(t *testing.T, s *Session) {
	t.Helper()
	mustRun(t, s, `CREATE TABLE t (id int, g int, k int, s text, n numeric, f float8, ts timestamptz, a int[], j jsonb, b bytea)`)
	mustRun(t, s, `INSERT INTO t SELECT i,
		CASE WHEN i % 97 = 0 THEN NULL ELSE i % 1500 END,
		CASE WHEN i % 89 = 0 THEN NULL ELSE (i * 7) % 3000 END,
		CASE WHEN i % 53 = 0 THEN NULL ELSE (ARRAY['apple','Apple','banana','Banana','éclair','zebra','Zebra','_under'])[i % 8 + 1] || (i % 37) END,
		(i % 1000)::numeric / 7,
		CASE WHEN i % 71 = 0 THEN 'NaN'::float8 ELSE (i % 503) * 1.5 END,
		timestamptz '2024-01-01 00:00:00+00' + (i % 400) * interval '1 hour',
		ARRAY[i % 5, i % 11],
		jsonb_build_object('i', i % 13),
		decode(md5(i::text), 'hex')
		FROM generate_series(1, 20000) i`)
}

func TestSpillSmoke(t *testing.T) {
	e, dir := newSpillEngine(t)
	s := newTestSession(t, e)
	spillData(t, s)
	q := "SELECT id, s FROM t ORDER BY s, id"
	want := resultLines(mustRun(t, s, q))
	before := tempFilesCount(t, s)
	mustRun(t, s, "SET work_mem = '64kB'")
	got := resultLines(mustRun(t, s, q))
	if !slices.Equal(got, want) {
		t.Fatalf("differ: %d vs %d rows; first %v %v", len(got), len(want), got[:3], want[:3])
	}
	after := tempFilesCount(t, s)
	if after == before {
		t.Fatalf("no spill")
	}
	if f := tempFilesIn(t, dir); len(f) != 0 {
		t.Fatalf("left: %v", f)
	}
	fmt.Println(after-before, strings.Repeat("", 0))
}

func TestSpillSmokeAgg(t *testing.T) {
	e, dir := newSpillEngine(t)
	s := newTestSession(t, e)
	spillData(t, s)
	q := "SELECT * FROM (SELECT k, count(*), sum(n), array_agg(id ORDER BY id), string_agg(s, ',' ORDER BY id), count(DISTINCT g) FROM t GROUP BY k) x ORDER BY k"
	want := resultLines(mustRun(t, s, q))
	before := tempFilesCount(t, s)
	mustRun(t, s, "SET work_mem = '64kB'")
	got := resultLines(mustRun(t, s, q))
	if !slices.Equal(got, want) {
		t.Fatalf("differ: %d vs %d rows; first %v %v", len(got), len(want), got[:3], want[:3])
	}
	after := tempFilesCount(t, s)
	if after == before {
		t.Fatalf("no spill")
	}
	if f := tempFilesIn(t, dir); len(f) != 0 {
		t.Fatalf("left: %v", f)
	}
	fmt.Println(after-before, strings.Repeat("", 0))
}
