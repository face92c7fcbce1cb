package sql

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestChoosePages: Algorithm S takes every page of a table of no more
// than n pages, else exactly n distinct pages, ascending, each page about
// as often as any other over many draws.
func TestChoosePages(t *testing.T) {
	for _, tc := range []struct{ total, n int }{
		{0, 5}, {1, 5}, {5, 5}, {4, 5}, {6, 5}, {100, 1}, {100, 30}, {1000, 999},
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		got := choosePages(rng, tc.total, tc.n)
		if want := min(tc.total, tc.n); len(got) != want {
			t.Errorf("choosePages(%d, %d) took %d pages, want %d", tc.total, tc.n, len(got), want)
		}
		if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("choosePages(%d, %d) = %v: not ascending and distinct", tc.total, tc.n, got)
		}
		if len(got) > 0 && (got[0] < 0 || got[len(got)-1] >= tc.total) {
			t.Errorf("choosePages(%d, %d) = %v: outside the pages", tc.total, tc.n, got)
		}
	}
	// Uniform: 20,000 draws of 10 pages of 100, each page taken about
	// 2,000 times.
	rng := rand.New(rand.NewPCG(3, 4))
	counts := make([]int, 100)
	for range 20000 {
		for _, p := range choosePages(rng, 100, 10) {
			counts[p]++
		}
	}
	for p, c := range counts {
		if c < 1700 || c > 2300 {
			t.Errorf("page %d taken %d times in 20,000 draws, want about 2,000", p, c)
		}
	}
}

// TestAnalyzeSamplesPages: a table of more pages than the sample wants
// is analyzed from a sample of its pages: the row count is estimated
// close to the truth, the statistics describe the columns, and the same
// table gives the same statistics again.
func TestAnalyzeSamplesPages(t *testing.T) {
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	e, err := NewEngine(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustRun(t, s, "CREATE TABLE big (id int, grp int, pad text)")
	mustRun(t, s, "INSERT INTO big SELECT i, i % 10, repeat('x', 40) FROM generate_series(1, 60000) i")
	// The rows go from the memtable into a table's blocks.
	if err := store.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	oid, err := strconv.ParseUint(strings.Trim(outcome(s, "SELECT 'big'::regclass::oid"), "[]"), 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := e.heap.TablePages(uint32(oid))
	if err != nil {
		t.Fatal(err)
	}
	// Target 1 wants 300 rows from 300 pages.
	if pages.Len() < 600 {
		t.Fatalf("the table has %d pages, want more than twice the sample's 300", pages.Len())
	}
	mustRun(t, s, "SET default_statistics_target = 1")
	mustRun(t, s, "ANALYZE big")
	rows, err := strconv.ParseFloat(strings.Trim(outcome(s, "SELECT reltuples FROM pg_class WHERE relname = 'big'"), "[]"), 64)
	if err != nil {
		t.Fatal(err)
	}
	if rows < 54000 || rows > 66000 {
		t.Errorf("reltuples = %v from a sample of pages, want within 10%% of 60000", rows)
	}
	const stats = "SELECT attname, n_distinct, most_common_vals::text FROM pg_stats WHERE tablename = 'big' AND attname IN ('grp', 'pad') ORDER BY 1"
	first := outcome(s, stats)
	// grp's ten values are equally common: a histogram, no common values.
	if want := "[grp 10 <nil>][pad 1 {xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}]"; first != want {
		t.Errorf("statistics from the sample:\n got %s\nwant %s", first, want)
	}
	// id is unique: the sample sees each value once, so n_distinct is a
	// fraction of the rows (-1: all distinct).
	if got := outcome(s, "SELECT n_distinct FROM pg_stats WHERE tablename = 'big' AND attname = 'id'"); got != "[-1]" {
		t.Errorf("n_distinct of a unique column: %s, want [-1]", got)
	}
	mustRun(t, s, "ANALYZE big")
	if again := outcome(s, stats); again != first {
		t.Errorf("a second ANALYZE of the same table gave other statistics:\n%s\n%s", first, again)
	}
}

// TestReservoirSkips: with Algorithm L's skips, each of the rows met is
// in the final sample about n/(rows met) of the time, the first ones and
// the last ones alike.
func TestReservoirSkips(t *testing.T) {
	for _, tc := range []struct{ rows, n, draws int }{{100, 10, 20000}, {1000, 300, 2000}, {50, 49, 2000}} {
		rng := rand.New(rand.NewPCG(5, uint64(tc.rows)))
		counts := make([]int, tc.rows)
		for range tc.draws {
			res := make([]int, 0, tc.n)
			skips := reservoirSkips{rng: rng, n: tc.n}
			for seen := int64(1); seen <= int64(tc.rows); seen++ {
				if len(res) < tc.n {
					res = append(res, int(seen-1))
					if len(res) == tc.n {
						skips.start(seen)
					}
					continue
				}
				if seen < skips.next {
					continue
				}
				res[rng.IntN(tc.n)] = int(seen - 1)
				skips.advance(seen)
			}
			for _, r := range res {
				counts[r]++
			}
		}
		want := float64(tc.draws) * float64(tc.n) / float64(tc.rows)
		// Far outside the binomial spread (at most 5 standard deviations
		// of want).
		slack := 5 * math.Sqrt(want*(1-float64(tc.n)/float64(tc.rows)))
		for i, c := range counts {
			if math.Abs(float64(c)-want) > slack+1 {
				t.Errorf("%d rows, sample %d: row %d sampled %d times in %d draws, want about %.0f", tc.rows, tc.n, i, c, tc.draws, want)
			}
		}
	}
}
