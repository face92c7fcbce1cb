package sql

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// joinOrderCases are a 6-table star and a 4-table chain whose written
// order is bad: the fact table (or the chain's first table) has a filter
// of its own that keeps most rows, and joining in the written order
// multiplies the rows (each dimension key has several rows) before the
// one selective filter, on the last table, removes nearly all of them.
// Statistics show which filter is selective, so the cost-chosen order
// starts from it.
var joinOrderCases = []struct {
	name  string
	setup []string
	query string
}{
	{"star", []string{
		"CREATE TABLE f (id int PRIMARY KEY, k1 int, k2 int, k3 int, k4 int, k5 int, flag bool)",
		"CREATE TABLE d1 (k int, a text)",
		"CREATE TABLE d2 (k int, a text)",
		"CREATE TABLE d3 (k int, a text)",
		"CREATE TABLE d4 (k int, a text)",
		"CREATE TABLE d5 (k int PRIMARY KEY, tag text)",
		"INSERT INTO f SELECT i, i % 100, (i / 7) % 100, (i / 3) % 100, (i / 11) % 100, i % 200, i % 10 <> 0 FROM generate_series(1, 4000) i",
		"INSERT INTO d1 SELECT i % 100, 'a' || i FROM generate_series(1, 500) i",
		"INSERT INTO d2 SELECT i % 100, 'b' || i FROM generate_series(1, 500) i",
		"INSERT INTO d3 SELECT i % 100, 'c' || i FROM generate_series(1, 500) i",
		"INSERT INTO d4 SELECT i % 100, 'd' || i FROM generate_series(1, 500) i",
		"INSERT INTO d5 SELECT i, CASE WHEN i = 7 THEN 'rare' ELSE 'common' || (i % 5) END FROM generate_series(0, 199) i",
		"ANALYZE",
	}, "SELECT count(*), sum(length(d1.a) + length(d4.a)) FROM f JOIN d1 ON d1.k = f.k1 JOIN d2 ON d2.k = f.k2 JOIN d3 ON d3.k = f.k3 " +
		"JOIN d4 ON d4.k = f.k4 JOIN d5 ON d5.k = f.k5 WHERE f.flag AND d5.tag = 'rare'"},
	{"chain", []string{
		"CREATE TABLE ca (id int PRIMARY KEY, x int, flag bool)",
		"CREATE TABLE cb (id int PRIMARY KEY, x int, y int)",
		"CREATE TABLE cc (y int PRIMARY KEY, z int)",
		"CREATE TABLE cd (z int PRIMARY KEY, tag text)",
		"INSERT INTO ca SELECT i, i % 10, i % 10 <> 3 FROM generate_series(1, 3000) i",
		"INSERT INTO cb SELECT i, i % 10, i % 1000 FROM generate_series(1, 3000) i",
		"INSERT INTO cc SELECT i, i FROM generate_series(0, 999) i",
		"INSERT INTO cd SELECT i, CASE WHEN i = 1 THEN 'rare' ELSE 'common' END FROM generate_series(0, 999) i",
		"ANALYZE",
	}, "SELECT count(*), sum(ca.id) FROM ca JOIN cb ON cb.x = ca.x JOIN cc ON cc.y = cb.y JOIN cd ON cd.z = cc.z WHERE ca.flag AND cd.tag = 'rare'"},
}

// setUpJoinOrder creates and analyzes every case's tables.
func setUpJoinOrder(tb testing.TB, s *Session) {
	tb.Helper()
	for _, c := range joinOrderCases {
		for _, q := range c.setup {
			if _, err := run(s, q); err != nil {
				tb.Fatalf("%s: %v", q, err)
			}
		}
	}
}

// TestJoinOrderSpeed runs each case in the cost-chosen order and in the
// written order (join_collapse_limit = 1, as in PostgreSQL): the plans
// differ, the results do not. It reports how much faster the cost-chosen
// order ran; the benchmark (BenchmarkJoinOrder) is what measures it.
func TestJoinOrderSpeed(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	setUpJoinOrder(t, s)
	timed := func(q string) (string, time.Duration) {
		best := time.Duration(1 << 62)
		var out string
		for range 3 {
			start := time.Now()
			res := mustRun(t, s, q)
			best = min(best, time.Since(start))
			out = rowsText(res)
		}
		return out, best
	}
	for _, c := range joinOrderCases {
		mustRun(t, s, "RESET join_collapse_limit")
		costPlan := rowsText(mustRun(t, s, "EXPLAIN (COSTS OFF) "+c.query))
		costRows, costTime := timed(c.query)
		mustRun(t, s, "SET join_collapse_limit = 1")
		writtenPlan := rowsText(mustRun(t, s, "EXPLAIN (COSTS OFF) "+c.query))
		writtenRows, writtenTime := timed(c.query)
		if costPlan == writtenPlan {
			t.Errorf("%s: the cost-chosen plan is the written order's:\n%s", c.name, costPlan)
		}
		if costRows != writtenRows {
			t.Errorf("%s: cost-chosen order gives %s, written order %s", c.name, costRows, writtenRows)
		}
		t.Logf("%s: cost-chosen order %v, written order %v: %.1fx faster", c.name, costTime, writtenTime,
			float64(writtenTime)/float64(costTime))
	}
}

// BenchmarkJoinOrder times each case's query in the cost-chosen order
// and in the written order (join_collapse_limit = 1); the ratio of the
// two is the figure docs/BENCHMARKS.md records.
//
//	go test ./sql -run '^$' -bench JoinOrder
func BenchmarkJoinOrder(b *testing.B) {
	e := newTestEngine(b)
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	setUpJoinOrder(b, s)
	for _, c := range joinOrderCases {
		for _, order := range []struct{ name, set string }{{"cost", "RESET join_collapse_limit"}, {"written", "SET join_collapse_limit = 1"}} {
			b.Run(c.name+"/"+order.name, func(b *testing.B) {
				if _, err := run(s, order.set); err != nil {
					b.Fatal(err)
				}
				ps, err := s.PrepareAll(context.Background(), c.query)
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := s.Execute(context.Background(), ps[0], nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestJoinOrderGreedy: a FROM list of more tables than
// from_collapse_limit is ordered greedily: it starts from the selective
// filter too, and gives the rows the written order gives.
func TestJoinOrderGreedy(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	const n = 10
	from, where := "", ""
	for i := range n {
		mustRun(t, s, fmt.Sprintf("CREATE TABLE g%d (a int, b int)", i))
		mustRun(t, s, fmt.Sprintf("INSERT INTO g%d SELECT i, i FROM generate_series(1, 2000) i", i))
		if i > 0 {
			from += ", "
			where += fmt.Sprintf("g%d.b = g%d.a AND ", i-1, i)
		}
		from += fmt.Sprintf("g%d", i)
	}
	mustRun(t, s, "ANALYZE")
	query := "SELECT count(*) FROM " + from + " WHERE " + where + "g9.a = 3 AND g0.a < 19"
	plan := mustRun(t, s, "EXPLAIN (COSTS OFF) "+query)
	// The first scan printed is the first item's, which the others join.
	for _, r := range plan.Rows {
		if line := r[0].(string); strings.Contains(line, "Seq Scan") {
			if !strings.HasSuffix(line, "Seq Scan on g9") {
				t.Errorf("the greedy order starts from %q, not from g9's filter:\n%s", line, rowsText(plan))
			}
			break
		}
	}
	got := rowsText(mustRun(t, s, query))
	// A limit above dpItemsMax still orders greedily beyond it.
	mustRun(t, s, "SET from_collapse_limit = 100")
	if huge := rowsText(mustRun(t, s, query)); huge != got {
		t.Errorf("with from_collapse_limit = 100: %s, want %s", huge, got)
	}
	mustRun(t, s, "SET from_collapse_limit = 10")
	if dp := rowsText(mustRun(t, s, query)); dp != got {
		t.Errorf("greedy order gives %s, dynamic programming %s", got, dp)
	}
	if got != "[1]" {
		t.Errorf("count %s, want 1", got)
	}
}
