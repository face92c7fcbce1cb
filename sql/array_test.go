package sql

import (
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// TestArrayExpressions runs array expressions through a session: values
// as PostgreSQL 15 prints them, and its errors (code and message).
func TestArrayExpressions(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{"SELECT ARRAY[1, 2], ARRAY['a', NULL], ARRAY[1, 2.5]", "[{1,2} {a,NULL} {1,2.5}]"},
		{"SELECT (ARRAY[10, 20])[2], (ARRAY[10, 20])[0], (ARRAY[10, 20])[3], (ARRAY[10, 20])[NULL], (NULL::int[])[1]", "[20 <nil> <nil> <nil> <nil>]"},
		{"SELECT ('{a,b}'::text[])[1.6], ('{a,b}'::text[])['1']", "[b a]"},
		{"SELECT 2 = ANY (ARRAY[1, 2]), 5 = ANY (ARRAY[1, NULL]), 1 = ANY (ARRAY[1, NULL]), NULL::int = ANY ('{}'::int[])", "[t <nil> t f]"},
		{"SELECT 2 <> ALL (ARRAY[1, 3]), 2 > ALL (ARRAY[1, NULL]), 1 = ALL ('{}'::int[]), 1 = ANY (NULL::int[])", "[t <nil> t <nil>]"},
		{"SELECT 'd' = ANY ('{a,d}'), 3::int8 = ANY ('{1,3}'::int4[])", "[t t]"},
		{"SELECT ARRAY[1, NULL] = ARRAY[1, NULL], ARRAY[NULL::int] > ARRAY[5], ARRAY[1] < ARRAY[1, 0], '{0}' = ARRAY[0]::int8[]", "[t t t t]"},
		{"SELECT ARRAY[1, 2]::text[], '{1,2}'::int[]::int2[], ARRAY[1.6]::int[], ARRAY[1, 2]::text, '{abc}'::varchar(2)[], ARRAY[]::int[]", "[{1,2} {1,2} {2} {1,2} {ab} {}]"},
		{"SELECT array_to_string(ARRAY['a', NULL, 'c'], ', '), array_to_string(ARRAY[1, NULL], '-', '*'), array_to_string(NULL::int[], ',')", "[a, c 1-* <nil>]"},
		{"SELECT array_upper(ARRAY[5, 6], 1), array_upper(ARRAY[5], 2), array_upper('{}'::int[], 1), array_length(ARRAY[5], 1), cardinality('{}'::int[])", "[2 <nil> <nil> 1 0]"},
		{"SELECT ARRAY[1] || ARRAY[2], ARRAY[1] || 2, 0 || ARRAY[1], NULL::int[] || ARRAY[1], ARRAY[1] || NULL::int", "[{1,2} {1,2} {0,1} {1} {1,NULL}]"},
		{"SELECT ARRAY(SELECT 2 UNION ALL SELECT 1), ARRAY(SELECT 1 WHERE false)", "[{2,1} {}]"},
		{"SELECT (ARRAY['a'])[1][1], (ARRAY[1])[9999999999 - 9999999998]", "[<nil> 1]"},
		{"SELECT (1)[1]", "42804: cannot subscript type integer because it does not support subscripting"},
		{"SELECT ('{a}'::text[])[true]", "42804: array subscript must have type integer"},
		{"SELECT ARRAY[]", "42P18: cannot determine type of empty array"},
		{"SELECT ARRAY[1, true]", "42804: ARRAY types integer and boolean cannot be matched"},
		{"SELECT ARRAY[1, 'x']", `22P02: invalid input syntax for type integer: "x"`},
		{"SELECT ARRAY[1] || ARRAY['a']", "42883: operator does not exist: integer[] || text[]"},
		{"SELECT ARRAY[1] = ARRAY[1]::int8[]", "42883: operator does not exist: integer[] = bigint[]"},
		{"SELECT 1 = ANY (1)", "42809: op ANY/ALL (array) requires array on right side"},
		{"SELECT ARRAY(SELECT 1, 2)", "42601: subquery must return only one column"},
		{"SELECT array_upper('{1,2}', 1)", "42804: could not determine polymorphic type because input has type unknown"},
		{"SELECT ARRAY[1]::int", "42846: cannot cast type integer[] to integer"},
		{"SELECT '{1,2'::int[]", `22P02: malformed array literal: "{1,2"`},
		{"CREATE TABLE arr_col (a oid[])", "0A000: columns of type oid are not supported"},
		{"CREATE TABLE arr_col (a int[]); INSERT INTO arr_col VALUES (ARRAY['x'])", "42804: column \"a\" is of type integer[] but expression is of type text[]"},
		{"CREATE TABLE oid_col (a oid)", "0A000: columns of type oid are not supported"},
	} {
		got := outcome(s, tc.query)
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}

// formatDatums renders a row in text form, NULL as <nil>.
func formatDatums(cols []Column, row []types.Datum) string {
	out := "["
	for i, d := range row {
		if i > 0 {
			out += " "
		}
		if d == nil {
			out += "<nil>"
			continue
		}
		out += types.FormatText(cols[i].Type, d)
	}
	return out + "]"
}
