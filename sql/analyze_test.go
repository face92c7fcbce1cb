package sql

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql/catalog"
	"github.com/cairndb/cairn/sql/types"
)

// TestEstimateDistinct: PostgreSQL's distinct estimate from a sample.
func TestEstimateDistinct(t *testing.T) {
	for _, tc := range []struct {
		name                                   string
		ndistinct, nmultiple, nonnull, sampled int
		total, nullFrac, want                  float64
	}{
		{"all distinct: unique", 100, 0, 100, 100, 100, 0, -1},
		{"all distinct with NULLs", 50, 0, 50, 100, 100, 0.5, -0.5},
		{"every value repeats: all seen", 7, 7, 500, 500, 500, 0, 7},
		{"many distinct values: a fraction of the rows", 400, 300, 1000, 1000, 1000, 0, -0.4},
		// Haas-Stokes: n*d / (n - f1 + f1*n/N) = 30000*20000 / (20000 + 10000*30000/1e6).
		{"sampled: Haas-Stokes", 20000, 10000, 30000, 30000, 1e6, 0, math.Floor(30000*20000/(20000+10000*0.03) + 0.5)},
		{"sampled, above a tenth of the rows", 29000, 1000, 30000, 30000, 1e5, 0, -math.Floor(30000*29000/(2000+28000*0.3)+0.5) / 1e5},
		{"a few repeated values in a big table", 3, 2, 30000, 30000, 1e6, 0, 3},
	} {
		got := estimateDistinct(tc.ndistinct, tc.nmultiple, tc.nonnull, tc.sampled, tc.total, tc.nullFrac)
		if math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAnalyzeMCVList: a sample of the whole table keeps every candidate;
// else only the values significantly more common than the rest.
func TestAnalyzeMCVList(t *testing.T) {
	for _, tc := range []struct {
		name     string
		counts   []int
		distinct float64
		sampled  int
		total    float64
		want     int
	}{
		{"whole table", []int{3, 2, 2}, 10, 100, 100, 3},
		{"skewed: the common ones kept", []int{5000, 4000, 3, 2}, -0.5, 30000, 1e6, 2},
		{"uniform: none kept", []int{3, 3, 2, 2}, -0.9, 30000, 1e6, 0},
	} {
		if got := analyzeMCVList(tc.counts, tc.distinct, 0, tc.sampled, tc.total); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestNumericDigits: the base-10000 digits a numeric is stored in.
func TestNumericDigits(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "1.5": 2, "3.0": 1, "10000": 1, "12345.6789": 3, "-0.00001": 1, "NaN": 0, "100.5": 2} {
		if got := numericDigits(in); got != want {
			t.Errorf("numericDigits(%s) = %d, want %d", in, got, want)
		}
	}
}

// TestSelectivityFromStats: equality, ranges and joins estimated from
// computed statistics come close to the true fractions.
func TestSelectivityFromStats(t *testing.T) {
	var sample [][]types.Datum
	for i := range 1000 {
		v := int64(i % 100) // 100 values, 10 rows each ...
		if i < 300 {
			v = 7 // ... but 7 in 300 rows more
		}
		sample = append(sample, []types.Datum{v})
	}
	col := catalog.ColumnDesc{Name: "v", Type: types.New(types.Int4)}
	cs := &colStats{ColumnStatistics: computeColumnStats(col, 0, sample, 1000, 100)}
	dec := decodeRelStats(&catalog.TableStatistics{Rows: 1000, Columns: []catalog.ColumnStatistics{cs.ColumnStatistics}})
	cs = dec.cols["v"]
	count := func(keep func(int64) bool) float64 {
		n := 0
		for _, r := range sample {
			if keep(r[0].(int64)) {
				n++
			}
		}
		return float64(n) / 1000
	}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"= most common", cs.eqSel(int64(7), 1000), count(func(v int64) bool { return v == 7 })},
		{"= other", cs.eqSel(int64(50), 1000), count(func(v int64) bool { return v == 50 })},
		{"= absent", cs.eqSel(int64(5000), 1000), 0},
		{"< 50", cs.ltSel(int64(50), false), count(func(v int64) bool { return v < 50 })},
		{"<= 90", cs.ltSel(int64(90), true), count(func(v int64) bool { return v <= 90 })},
	} {
		if math.Abs(tc.got-tc.want) > 0.02 {
			t.Errorf("%s: estimated %.4f, true %.4f", tc.name, tc.got, tc.want)
		}
	}
	// A join of the column with itself: sum over values of freq^2.
	want := 0.0
	for v := range int64(100) {
		f := count(func(x int64) bool { return x == v })
		want += f * f
	}
	if got := eqJoinSel(cs, cs, 1000, 1000, false, false); math.Abs(got-want)/want > 0.1 {
		t.Errorf("join selectivity %.5f, true %.5f", got, want)
	}
	// Without statistics: 1 / the larger distinct count, a unique side's
	// being its rows.
	if got := eqJoinSel(nil, nil, 5000, 300, true, false); got != 1.0/5000 {
		t.Errorf("join selectivity without statistics %v, want 1/5000", got)
	}
}

// TestAnalyzeStatsDurable: statistics are stored with the catalog, survive
// a restart, and planning reads them.
func TestAnalyzeStatsDurable(t *testing.T) {
	fs := vfs.NewMem()
	open := func() (*checkpoint.Store, *Session) {
		store, err := checkpoint.Open(fs, "db", checkpoint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(store, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.NewSession("postgres", "postgres", nil)
		if err != nil {
			t.Fatal(err)
		}
		return store, s
	}
	store, s := open()
	mustRun(t, s, "CREATE TABLE sd (a int, b text)")
	mustRun(t, s, "INSERT INTO sd SELECT i % 4, 'x' FROM generate_series(1, 100) i")
	mustRun(t, s, "ANALYZE sd")
	s.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	store, s = open()
	defer store.Close()
	defer s.Close()
	for _, tc := range []struct{ q, want string }{
		{"SELECT attname, n_distinct, most_common_vals::text FROM pg_stats WHERE tablename = 'sd' ORDER BY 1",
			"[a 4 {0,1,2,3}][b 1 {x}]"},
		{"SELECT reltuples FROM pg_class WHERE relname = 'sd'", "[100]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
	// After the restart the heap has counted no writes: the planner's
	// rows come from the statistics (a quarter of 100 for a = 1).
	res := mustRun(t, s, "EXPLAIN SELECT * FROM sd x, sd y WHERE x.a = 1 AND y.a = x.a")
	if got := res.Rows[0][0].(string); !strings.Contains(got, "rows=625") {
		t.Errorf("join estimate from statistics: %s", rowsText(res))
	}
}

// TestAutoAnalyze: the background vacuum analyzes a table once enough of
// it changed since its last analysis, and not again before.
func TestAutoAnalyze(t *testing.T) {
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e, err := NewEngine(store, Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE aa (a int)")
	mustRun(t, s, "INSERT INTO aa SELECT i % 3 FROM generate_series(1, 40) i")
	autovac := func() {
		t.Helper()
		if _, err := e.AutoVacuum(); err != nil {
			t.Fatal(err)
		}
	}
	stats := func() string {
		return outcome(s, "SELECT autoanalyze_count, (SELECT n_distinct FROM pg_stats WHERE tablename = 'aa') FROM pg_stat_user_tables WHERE relname = 'aa'")
	}
	autovac()
	if got := stats(); got != "[0 <nil>]" {
		t.Errorf("40 rows written, below the threshold of 50: %s", got)
	}
	mustRun(t, s, "INSERT INTO aa SELECT i % 5 FROM generate_series(1, 20) i")
	autovac()
	if got := stats(); got != "[1 5]" {
		t.Errorf("60 rows written: %s, want analyzed once with 5 distinct values", got)
	}
	mustRun(t, s, "INSERT INTO aa SELECT 9 FROM generate_series(1, 60) i")
	autovac()
	if got := stats(); got != "[1 5]" {
		t.Errorf("60 more rows within a minute of the analysis: %s, want no new analysis", got)
	}
	clock = clock.Add(2 * time.Minute)
	autovac()
	if got := stats(); got != "[2 6]" {
		t.Errorf("60 more rows, a minute later: %s, want a second analysis", got)
	}
	mustRun(t, s, "INSERT INTO aa SELECT 10 FROM generate_series(1, 10) i")
	clock = clock.Add(2 * time.Minute)
	autovac()
	if got := stats(); got != "[2 6]" {
		t.Errorf("10 more rows, below 50 + 10%% of 120: %s, want no new analysis", got)
	}
}
