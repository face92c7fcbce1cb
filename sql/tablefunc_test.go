package sql

import (
	"testing"
)

// TestTableFuncs runs set-returning functions in FROM; rows and errors
// are PostgreSQL 15's where it has the same function.
func TestTableFuncs(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE tf (id int PRIMARY KEY, n int)")
	mustRun(t, s, "INSERT INTO tf VALUES (1, 2), (2, NULL)")
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{"SELECT * FROM generate_series(1, 3)", "[1][2][3]"},
		{"SELECT g, o FROM generate_series(6, 1, -2) WITH ORDINALITY AS x(g, o)", "[6 1][4 2][2 3]"},
		{"SELECT * FROM generate_series(1, NULL)", ""},
		{"SELECT * FROM generate_series(9223372036854775806, 9223372036854775807)", "[9223372036854775806][9223372036854775807]"},
		{"SELECT generate_series(1, 2)", "[1][2]"},
		{"SELECT * FROM unnest(ARRAY['a', NULL]) WITH ORDINALITY", "[a 1][<nil> 2]"},
		{"SELECT id, (SELECT count(*) FROM generate_series(1, tf.n)) FROM tf ORDER BY id", "[1 2][2 0]"},
		{"SELECT * FROM pg_partition_ancestors('tf')", ""},
		{"SELECT * FROM pg_partition_ancestors('nosuch')", `42P01: relation "nosuch" does not exist`},
		{"SELECT * FROM generate_series(1, 5, 0)", "22023: step size cannot equal zero"},
		{"SELECT * FROM generate_series(1, 2) AS g(a, b)", `42P10: table "g" has 1 columns available but 2 columns specified`},
		{"SELECT * FROM unnest('{1}')", "42725: function unnest(unknown) is not unique"},
		{"SELECT * FROM count(1)", "42803: aggregate functions are not allowed in functions in FROM"},
		{"SELECT id, generate_series(1, 2) FROM tf", "[1 1][1 2][2 1][2 2]"},
		{"SELECT id, generate_series(1, 2), generate_series(1, 3) FROM tf WHERE id = 1", "[1 1 1][1 2 2][1 <nil> 3]"},
		{"SELECT generate_series(1, 0), unnest(ARRAY[]::int[]) FROM tf", ""},
		{"SELECT id, generate_series(1, 2) + 10 FROM tf WHERE id = 2", "[2 11][2 12]"},
		{"SELECT generate_series(1, generate_series(1, 2)) FROM tf", "0A000: set-returning function generate_series in the arguments of another is not supported"},
		{"SELECT CASE WHEN id = 1 THEN generate_series(1, 2) END FROM tf", "0A000: set-returning functions are not allowed in CASE"},
		{"SELECT coalesce(generate_series(1, 2), 0) FROM tf", "0A000: set-returning functions are not allowed in COALESCE"},
		{"SELECT id, (jsonb_each('{\"a\": 1}')).key FROM tf ORDER BY id", "[1 a][2 a]"},
		{"SELECT count(*), unnest(ARRAY[1, 2]) FROM tf", "[2 1][2 2]"},
		{"SELECT id, generate_series(1, count(*)::int + 1) AS g FROM tf GROUP BY id ORDER BY id, g", "[1 1][1 2][2 1][2 2]"},
		{"SELECT unnest(array_agg(id ORDER BY id DESC))", "42703: column \"id\" does not exist"},
		{"SELECT DISTINCT unnest(array_agg(id % 1)) FROM tf", "[0]"},
		{"SELECT unnest(array_agg(id)) FROM tf HAVING count(*) > 5", ""},
		{"SELECT count(*) + unnest(ARRAY[1]) FROM tf", "0A000: set-returning function unnest is only supported in FROM, or in a select list without aggregates, grouping or DISTINCT"},
		{"SELECT id, unnest(array_agg(n)) FROM tf GROUP BY id ORDER BY n", "0A000: set-returning function unnest is only supported in FROM, or in a select list without aggregates, grouping or DISTINCT"},
		{"SELECT * FROM tf, generate_series(1, tf.n)", "[1 2 1][1 2 2]"},
		{"SELECT string_agg(x, '+') FROM unnest(ARRAY['a', NULL, 'b']) x", "[a+b]"},
		{"SELECT string_agg(DISTINCT x, ',') FROM unnest(ARRAY['b', 'a', 'b', NULL]) x", "[a,b]"},
		{"SELECT string_agg(1, ',')", "42883: function string_agg(integer, unknown) does not exist"},
	} {
		got := outcome(s, tc.query)
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}
