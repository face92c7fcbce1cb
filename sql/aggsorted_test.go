package sql

import (
	"regexp"
	"testing"
)

// TestSortedAggregatePlans checks the aggregation plans EXPLAIN ANALYZE
// shows run: GroupAggregate over a Sort with enable_hashagg off (and no
// Sort above it when ORDER BY names the groups), and the empty grouping
// sets, each a Group Key of its own.
func TestSortedAggregatePlans(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE sa (id int, g int, h int)")
	mustRun(t, s, "INSERT INTO sa SELECT i, i % 3, i % 2 FROM generate_series(1, 30) i")
	const analyze = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) "
	for _, tc := range []struct {
		hashagg string
		query   string
		want    []string // regular expressions, one per line
	}{
		{"off", "SELECT g, h, count(*) FROM sa GROUP BY g, h", []string{
			`^GroupAggregate \(actual rows=6 loops=1\)$`,
			`^  Group Key: g, h$`,
			`^  ->  Sort \(actual rows=30 loops=1\)$`,
			`^        Sort Key: g, h$`,
			`^        ->  Seq Scan on sa \(actual rows=30 loops=1\)$`,
		}},
		{"off", "SELECT g, h, count(*) FROM sa GROUP BY g, h ORDER BY h DESC, g", []string{
			`^GroupAggregate \(actual rows=6 loops=1\)$`,
			`^  Group Key: h, g$`,
			`^  ->  Sort \(actual rows=30 loops=1\)$`,
			`^        Sort Key: h DESC, g$`,
			`^        ->  Seq Scan on sa \(actual rows=30 loops=1\)$`,
		}},
		{"off", "SELECT g, count(*) FROM sa GROUP BY g ORDER BY count(*)", []string{
			`^Sort \(actual rows=3 loops=1\)$`,
			`^  Sort Key: \(count\(\*\)\)$`,
			`^  ->  GroupAggregate \(actual rows=3 loops=1\)$`,
			`^        Group Key: g$`,
			`^        ->  Sort \(actual rows=30 loops=1\)$`,
			`^              Sort Key: g$`,
			`^              ->  Seq Scan on sa \(actual rows=30 loops=1\)$`,
		}},
		{"on", "SELECT g, count(*) FROM sa GROUP BY g", []string{
			`^HashAggregate \(actual rows=3 loops=1\)$`,
			`^  Group Key: g$`,
			`^  ->  Seq Scan on sa \(actual rows=30 loops=1\)$`,
		}},
		{"on", "SELECT count(*) FROM sa GROUP BY GROUPING SETS ((), ())", []string{
			`^Aggregate \(actual rows=2 loops=1\)$`,
			`^  Group Key: \(\)$`,
			`^  Group Key: \(\)$`,
			`^  ->  Seq Scan on sa \(actual rows=30 loops=1\)$`,
		}},
		{"on", "SELECT g, count(*) FROM sa GROUP BY GROUPING SETS ((g), (), ())", []string{
			`^MixedAggregate \(actual rows=5 loops=1\)$`,
			`^  Hash Key: g$`,
			`^  Group Key: \(\)$`,
			`^  Group Key: \(\)$`,
			`^  ->  Seq Scan on sa \(actual rows=30 loops=1\)$`,
		}},
	} {
		mustRun(t, s, "SET enable_hashagg = "+tc.hashagg)
		res := mustRun(t, s, analyze+tc.query)
		if len(res.Rows) != len(tc.want) {
			t.Errorf("%s: %d lines, want %d:\n%s", tc.query, len(res.Rows), len(tc.want), rowsText(res))
			continue
		}
		for i, re := range tc.want {
			if line := res.Rows[i][0].(string); !regexp.MustCompile(re).MatchString(line) {
				t.Errorf("%s: line %d is %q, want %s", tc.query, i+1, line, re)
			}
		}
	}
}
