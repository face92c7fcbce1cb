package sql

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of testdata/explain/*.txt")

// TestExplainPlans runs testdata/explain/*.txt: blocks of SQL, a line
// "----", and what the last statement of the block gives (its rows, one
// line each, or "ok", or its SQLSTATE and message), blocks separated by
// a blank line. go test ./sql -run TestExplainPlans -rewrite writes the
// output cairn gives into the files, to be read in the diff.
func TestExplainPlans(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "explain", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/explain/*.txt files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s := newTestSession(t, newTestEngine(t))
			var out []string
			for _, block := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
				query, want, ok := strings.Cut(block, "\n----")
				if !ok {
					t.Fatalf("block without ----:\n%s", block)
				}
				want = strings.TrimPrefix(want, "\n")
				got := explainOutcome(s, query)
				if got != want && !*rewrite {
					t.Errorf("%s\ngot:\n%s\nwant:\n%s", query, got, want)
				}
				out = append(out, query+"\n----\n"+got)
			}
			if *rewrite {
				if err := os.WriteFile(file, []byte(strings.Join(out, "\n\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// explainOutcome runs query and renders what it gave, for the plan files.
func explainOutcome(s *Session, query string) string {
	res, err := run(s, query)
	if err != nil {
		return "ERROR " + pgerr.Code(err) + ": " + err.Error()
	}
	if len(res.Columns) == 0 {
		return "ok"
	}
	lines := make([]string, 0, len(res.Rows))
	for _, r := range res.Rows {
		cells := make([]string, len(r))
		for i, v := range r {
			cells[i] = "NULL"
			if v != nil {
				cells[i] = types.FormatText(res.Columns[i].Type, v)
			}
		}
		lines = append(lines, strings.Join(cells, " | "))
	}
	return strings.Join(lines, "\n")
}

// TestExplainAnalyzeRows checks what EXPLAIN ANALYZE counts: the rows
// each node produced, the rows a filter removed, one loop per node run
// once, times in PostgreSQL's form, and that the statement really ran.
func TestExplainAnalyzeRows(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE ar (id int PRIMARY KEY, g int, v text)")
	mustRun(t, s, "INSERT INTO ar SELECT i, i % 3, 'v' || i FROM generate_series(1, 30) i")
	for _, tc := range []struct {
		query string
		want  []string // regular expressions, one per line
	}{
		{"EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM ar WHERE g = 1", []string{
			`^Seq Scan on ar \(actual time=\d+\.\d{3}\.\.\d+\.\d{3} rows=10 loops=1\)$`,
			`^  Filter: \(g = 1\)$`,
			`^  Rows Removed by Filter: 20$`,
			`^Planning Time: \d+\.\d{3} ms$`,
			`^Execution Time: \d+\.\d{3} ms$`,
		}},
		{"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT g, count(*) FROM ar GROUP BY g", []string{
			`^HashAggregate \(actual rows=3 loops=1\)$`,
			`^  Group Key: g$`,
			`^  ->  Seq Scan on ar \(actual rows=30 loops=1\)$`,
		}},
		{"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM ar ORDER BY v LIMIT 4", []string{
			`^Limit \(actual rows=4 loops=1\)$`,
			`^  ->  Sort \(actual rows=4 loops=1\)$`,
			`^        Sort Key: v$`,
			`^        ->  Seq Scan on ar \(actual rows=30 loops=1\)$`,
		}},
		{"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) DELETE FROM ar WHERE g = 2", []string{
			`^Delete on ar \(actual rows=0 loops=1\)$`,
			`^  ->  Seq Scan on ar \(actual rows=10 loops=1\)$`,
			`^        Filter: \(g = 2\)$`,
			`^        Rows Removed by Filter: 20$`,
		}},
	} {
		res := mustRun(t, s, tc.query)
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
	// EXPLAIN ANALYZE of DELETE deleted the rows; EXPLAIN alone does not.
	mustRun(t, s, "EXPLAIN DELETE FROM ar")
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM ar")); !strings.Contains(got, "20") {
		t.Errorf("after EXPLAIN ANALYZE DELETE, count is %s, want 20", got)
	}
}

// TestExplainJSON: FORMAT JSON is one row of valid JSON in PostgreSQL's
// shape, a list of one object whose "Plan" holds the nodes.
func TestExplainJSON(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE jt (id int PRIMARY KEY, a int)")
	mustRun(t, s, "CREATE TABLE ju (id int PRIMARY KEY, t_id int)")
	res := mustRun(t, s, `EXPLAIN (FORMAT JSON, ANALYZE, VERBOSE) SELECT * FROM jt JOIN ju ON ju.t_id = jt.id WHERE jt.a > 1 ORDER BY jt.a`)
	if len(res.Rows) != 1 {
		t.Fatalf("%d rows, want 1", len(res.Rows))
	}
	var doc []struct {
		Plan          map[string]any `json:"Plan"`
		PlanningTime  *float64       `json:"Planning Time"`
		ExecutionTime *float64       `json:"Execution Time"`
	}
	text := res.Rows[0][0].(string)
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, text)
	}
	if len(doc) != 1 || doc[0].PlanningTime == nil || doc[0].ExecutionTime == nil {
		t.Fatalf("want one query with both times:\n%s", text)
	}
	plan := doc[0].Plan
	if plan["Node Type"] != "Sort" || plan["Actual Loops"] != 1.0 {
		t.Errorf("root: %v", plan)
	}
	if keys, _ := plan["Sort Key"].([]any); len(keys) != 1 || keys[0] != "jt.a" {
		t.Errorf("Sort Key: %v", plan["Sort Key"])
	}
	children, _ := plan["Plans"].([]any)
	if len(children) != 1 || children[0].(map[string]any)["Node Type"] != "Hash Join" {
		t.Errorf("children of the sort: %v", plan["Plans"])
	}
	for _, format := range []string{"YAML", "XML"} {
		res := mustRun(t, s, "EXPLAIN (FORMAT "+format+") SELECT * FROM jt")
		if len(res.Rows) != 1 || !strings.Contains(res.Rows[0][0].(string), "Seq Scan") {
			t.Errorf("FORMAT %s: %v", format, res.Rows)
		}
	}
}

// TestExplainOptionErrors: EXPLAIN's option errors carry PostgreSQL's
// SQLSTATEs.
func TestExplainOptionErrors(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE ro (a int)")
	for _, tc := range []struct{ query, code string }{
		{"EXPLAIN (FORMAT csv) SELECT 1", pgerr.InvalidParameterValue},
		{"EXPLAIN (nonsense) SELECT 1", pgerr.SyntaxError},
		{"EXPLAIN (ANALYZE maybe) SELECT 1", pgerr.SyntaxError},
		{"EXPLAIN (TIMING) SELECT 1", pgerr.InvalidParameterValue},
		{"EXPLAIN SELECT * FROM missing", pgerr.UndefinedTable},
		{"BEGIN READ ONLY; EXPLAIN ANALYZE DELETE FROM ro", pgerr.ReadOnlySQLTransaction},
	} {
		if _, err := run(s, tc.query); pgerr.Code(err) != tc.code {
			t.Errorf("%s: %v, want SQLSTATE %s", tc.query, err, tc.code)
		}
	}
}
