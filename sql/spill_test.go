package sql

import (
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql/types"
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
		vals := make([]string, len(r))
		for j, d := range r {
			vals[j] = "NULL"
			if d != nil {
				vals[j] = types.FormatText(res.Columns[j].Type, d)
			}
		}
		out[i] = strings.Join(vals, "|")
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
		FROM generate_series(1, 6000) i`)
}

// spillCheck is how a query's result under a tiny work_mem must match the
// one computed in memory.
type spillCheck int

const (
	// sameOrder: the same rows in the same order.
	sameOrder spillCheck = iota
	// sameRows: the same rows, in any order.
	sameRows
	// sameKeys: the same rows in any order, and the same first column in
	// the same order (an ORDER BY on it with ties).
	sameKeys
)

// TestSpillMatchesMemory runs each query with work_mem at its default,
// where everything fits, and at 64kB, where the sort, the aggregate or
// the join writes temporary files, and compares the two results.
func TestSpillMatchesMemory(t *testing.T) {
	e, dir := newSpillEngine(t)
	s := newTestSession(t, e)
	spillData(t, s)
	for _, tc := range []struct {
		name  string
		query string
		check spillCheck
		// spills is false for a query whose plan keeps its state in
		// memory whatever work_mem says.
		spills bool
	}{
		{"order by text", "SELECT id, s FROM t ORDER BY s, id", sameOrder, true},
		{"order by desc nulls first", "SELECT id, s, g FROM t ORDER BY g DESC NULLS FIRST, id", sameOrder, true},
		{"order by nulls last desc", "SELECT id, k FROM t ORDER BY k DESC NULLS LAST, id DESC", sameOrder, true},
		{"order by collate C", `SELECT id, s FROM t ORDER BY s COLLATE "C" DESC, id`, sameOrder, true},
		{"order by float numeric timestamptz", "SELECT id, f, n, ts FROM t ORDER BY f, n DESC, ts, id", sameOrder, true},
		{"order by array jsonb bytea", "SELECT id, a, j, b FROM t ORDER BY a, j, b", sameOrder, true},
		{"order by with ties", "SELECT g, id, s FROM t ORDER BY g", sameKeys, true},
		{"order by expression", "SELECT id FROM t ORDER BY md5(id::text)", sameOrder, true},
		{"top-n", "SELECT id, s FROM t ORDER BY s DESC, id LIMIT 50 OFFSET 10", sameOrder, true},
		{"fetch with ties", "SELECT g, s FROM t ORDER BY g FETCH FIRST 30 ROWS WITH TIES", sameKeys, true},
		{"group by aggregates", `SELECT k, count(*), sum(n), avg(f), min(ts), max(s),
			array_agg(id ORDER BY id), string_agg(s, ',' ORDER BY id DESC), count(DISTINCT g), jsonb_agg(j ORDER BY id)
			FROM t GROUP BY k`, sameRows, true},
		{"group by in input order", "SELECT g, array_agg(id), string_agg(s, '|') FROM t GROUP BY g", sameRows, true},
		{"group by several keys", "SELECT s, g % 7, count(*), sum(id) FROM t GROUP BY s, g % 7 HAVING count(*) > 1", sameRows, true},
		{"group by grouping sets", "SELECT g, k % 10, count(*), sum(id) FROM t GROUP BY GROUPING SETS ((g), (k % 10), ())", sameRows, true},
		{"group by rollup", "SELECT k, s, count(*) FROM t GROUP BY ROLLUP (k, s)", sameRows, true},
		{"group by bytea jsonb", "SELECT b, j, count(*) FROM t GROUP BY b, j", sameRows, true},
		{"distinct", "SELECT DISTINCT k, s FROM t", sameRows, true},
		{"distinct order by", "SELECT DISTINCT g, a FROM t ORDER BY g, a", sameOrder, true},
		{"count distinct only", "SELECT count(DISTINCT (id, s)) FROM t", sameOrder, false},
		{"inner join", "SELECT x.id, y.id FROM t x JOIN t y ON x.k = y.g", sameRows, true},
		{"inner join three", "SELECT x.id, y.id, z.id FROM t x JOIN t y ON x.k = y.id JOIN t z ON z.g = y.g WHERE x.id % 5 = 0", sameRows, true},
		{"join using", "SELECT * FROM (SELECT id, g AS k FROM t) x JOIN (SELECT id AS id2, k FROM t) y USING (k)", sameRows, true},
		{"left join", "SELECT x.id, y.id FROM t x LEFT JOIN t y ON x.k = y.g AND y.id % 3 = 0", sameRows, true},
		{"right join", "SELECT x.id, y.id FROM t x RIGHT JOIN t y ON x.k = y.g AND x.id % 2 = 0", sameRows, true},
		{"full join", "SELECT x.id, y.id FROM t x FULL JOIN t y ON x.k = y.g + 1500", sameRows, true},
		{"full join text keys", "SELECT x.id, y.id FROM (SELECT * FROM t WHERE id % 4 = 0) x FULL JOIN t y ON x.s = y.s AND x.g = y.k", sameRows, true},
		{"semi join", "SELECT id FROM t x WHERE EXISTS (SELECT 1 FROM t y WHERE y.g = x.k)", sameRows, false},
		{"semi join in", "SELECT id FROM t WHERE k IN (SELECT g FROM t)", sameRows, false},
		{"anti join", "SELECT id FROM t x WHERE NOT EXISTS (SELECT 1 FROM t y WHERE y.g = x.k)", sameRows, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustRun(t, s, "RESET work_mem")
			want := resultLines(mustRun(t, s, tc.query))
			before := tempFilesCount(t, s)
			if files := tempFilesCount(t, s) - before; files != 0 {
				t.Fatalf("in memory, %d temporary files", files)
			}
			mustRun(t, s, "SET work_mem = '64kB'")
			got := resultLines(mustRun(t, s, tc.query))
			mustRun(t, s, "RESET work_mem")
			files := tempFilesCount(t, s) - before
			if tc.spills && files == 0 {
				t.Errorf("wrote no temporary file at work_mem 64kB")
			}
			if left := tempFilesIn(t, dir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
			if len(want) < 2 && tc.spills {
				t.Fatalf("only %d rows: not a test", len(want))
			}
			if tc.check == sameKeys {
				first := func(lines []string) []string {
					out := make([]string, len(lines))
					for i, l := range lines {
						out[i], _, _ = strings.Cut(l, "|")
					}
					return out
				}
				if !slices.Equal(first(got), first(want)) {
					t.Errorf("order of the keys differs")
				}
			}
			if tc.check != sameOrder {
				slices.Sort(got)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d rows spilled, %d in memory; first difference: %s", len(got), len(want), firstDifference(got, want))
			}
		})
	}
}

// firstDifference describes where two lists of lines part.
func firstDifference(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("line %d: %q, want %q", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(got), len(want))
}

// TestSpillFilesRemoved: a statement that spilled and then failed, or was
// cancelled by statement_timeout, leaves no temporary file, and the files
// a session still has open go when it ends. temp_file_limit stops a
// statement whose files grow past it with 53400.
func TestSpillFilesRemoved(t *testing.T) {
	e, dir := newSpillEngine(t)
	s := newTestSession(t, e)
	spillData(t, s)
	mustRun(t, s, "SET work_mem = '64kB'")
	for _, tc := range []struct {
		name, query, code string
		setup             string
	}{
		// id 5990 comes late in the scan, after the first files.
		{"sort error", "SELECT id, s FROM t ORDER BY s, 1 / (id - 5990)", "22012", ""},
		{"aggregate error", "SELECT k, sum(1 / (id - 5990)) FROM t GROUP BY k", "22012", ""},
		{"distinct error", "SELECT DISTINCT k, s, 1 / (id - 5990) FROM t", "22012", ""},
		{"join error", "SELECT x.id FROM t x LEFT JOIN (SELECT id, g, 1 / (id - 5990) AS z FROM t) y ON x.k = y.g", "22012", ""},
		{"inner join error", "SELECT x.id FROM t x JOIN (SELECT g, 1 / (id - 5990) AS z FROM t) y ON x.k = y.g", "22012", ""},
		{"sort cancelled", "SELECT x.id, y.s FROM t x, t y ORDER BY y.s, x.id", "57014", "SET statement_timeout = '300ms'"},
		{"aggregate cancelled", "SELECT x.id, y.id, count(*) FROM t x, t y GROUP BY 1, 2", "57014", "SET statement_timeout = '300ms'"},
		{"temp_file_limit", "SELECT id, s FROM t ORDER BY s, id", "53400", "SET temp_file_limit = '100kB'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tempFilesCount(t, s)
			if tc.setup != "" {
				mustRun(t, s, tc.setup)
				defer mustRun(t, s, "RESET statement_timeout; RESET temp_file_limit")
			}
			_, err := run(s, tc.query)
			if code := pgerr.Code(err); code != tc.code {
				t.Fatalf("got %v (%s), want %s", err, code, tc.code)
			}
			if tc.code == "53400" && !strings.Contains(err.Error(), "temporary file size exceeds temp_file_limit (100kB)") {
				t.Errorf("message %q", err)
			}
			mustRun(t, s, "RESET statement_timeout; RESET temp_file_limit")
			if tempFilesCount(t, s) == before {
				t.Errorf("wrote no temporary file before it failed: not a test")
			}
			if left := tempFilesIn(t, dir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}

	t.Run("session end", func(t *testing.T) {
		s2, err := e.NewSession("postgres", "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		x := &execCtx{s: s2}
		f, err := x.newSpillFile()
		if err != nil {
			t.Fatal(err)
		}
		if err := f.writeRow([]types.Datum{int64(1), "a"}); err != nil {
			t.Fatal(err)
		}
		if left := tempFilesIn(t, dir); len(left) != 1 {
			t.Fatalf("files %v, want the one made", left)
		}
		s2.Close()
		if left := tempFilesIn(t, dir); len(left) != 0 {
			t.Errorf("temporary files left after the session ended: %v", left)
		}
	})
}

// TestSpillCodecRoundTrip: every kind of value comes back from a
// temporary file as it went in, those the row encoding stores and those
// kept by reference.
func TestSpillCodecRoundTrip(t *testing.T) {
	e, _ := newSpillEngine(t)
	s := newTestSession(t, e)
	res := mustRun(t, s, `SELECT NULL, true, 42::int8, -0.0::float8, 'NaN'::float8, 'text', '\x00ff'::bytea,
		1.50::numeric, 'NaN'::numeric, '-Infinity'::numeric, now(), 'infinity'::timestamptz, '2024-02-29'::date,
		'1 year 2 days 3 seconds'::interval, '12:34:56.789'::time, '12:34:56+05:30'::timetz,
		'{"a": [1, 2.50, null]}'::jsonb, '{"b": 1}'::json, ARRAY[1, NULL, 3], '[0:1]={7,8}'::int[], ARRAY[[1,2],[3,4]],
		ROW(1, 'x'), 'pg_class'::regclass, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '192.168.0.1/24'::inet,
		'08:00:2b:01:02:03'::macaddr, '12.34'::money, point(1, 2), box(point(0, 0), point(1, 1)),
		'((0,0),(1,1),(2,0))'::polygon, circle(point(0, 0), 2)`)
	x := &execCtx{s: s}
	f, err := x.newSpillFile()
	if err != nil {
		t.Fatal(err)
	}
	defer f.remove()
	row := res.Rows[0]
	for range 3 {
		if err := f.writeRow(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.rewind(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		got, err := f.readRow()
		if err != nil {
			t.Fatal(err)
		}
		for j := range row {
			if f, ok := row[j].(float64); ok && math.IsNaN(f) {
				if g, ok := got[j].(float64); !ok || !math.IsNaN(g) {
					t.Errorf("row %d value %d: got %#v, want NaN", i, j, got[j])
				}
				continue
			}
			if !reflect.DeepEqual(got[j], row[j]) {
				t.Errorf("row %d value %d (type %d): got %#v, want %#v", i, j, res.Columns[j].Type.ID, got[j], row[j])
			}
		}
	}
	if _, err := f.readRow(); err != io.EOF {
		t.Errorf("after the rows: %v, want EOF", err)
	}
}

// TestLogTempFiles: with log_temp_files at 0 every temporary file is
// logged with its size when it is removed; at -1 none is.
func TestLogTempFiles(t *testing.T) {
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var log strings.Builder
	e, err := NewEngine(store, Options{TempDir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t, e)
	const query = "SELECT count(*) FROM (SELECT md5(g::text) FROM generate_series(1, 5000) g ORDER BY 1) s"
	mustRun(t, s, "SET work_mem = '64kB'")
	mustRun(t, s, query)
	if strings.Contains(log.String(), "temporary file") {
		t.Fatalf("logged with log_temp_files off:\n%s", log.String())
	}
	mustRun(t, s, "SET log_temp_files = 0")
	mustRun(t, s, query)
	if !strings.Contains(log.String(), `msg="temporary file: path \"`) || !strings.Contains(log.String(), ", size ") {
		t.Fatalf("no temporary file logged:\n%s", log.String())
	}
}
