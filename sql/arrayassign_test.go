package sql

import "testing"

// TestArrayShapes runs multi-dimensional arrays and explicit bounds
// through a session: constructors, subscripts and slices, assignment to
// elements and slices, and the array functions; values as PostgreSQL 15
// prints them, errors with its code and message.
func TestArrayShapes(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{"SELECT ARRAY[[1,2],[3,4]], ARRAY[ARRAY['a'],ARRAY['b']], ARRAY[[1,2],[3.5,4]]", "[{{1,2},{3,4}} {{a},{b}} {{1,2},{3.5,4}}]"},
		{"SELECT ARRAY[NULL::int[], NULL], ARRAY['1', 'NaN']::float8[]", "[{} {1,NaN}]"},
		{"SELECT ARRAY[[1,2],[3]]", "2202E: multidimensional arrays must have array expressions with matching dimensions"},
		{"SELECT ARRAY[ARRAY[1],NULL]", "2202E: multidimensional arrays must have array expressions with matching dimensions"},
		{"SELECT ARRAY[[[[[[[1]]]]]]]", "54000: number of array dimensions (7) exceeds the maximum allowed (6)"},
		{"SELECT ('[0:2][0:2]={{1,2,3},{4,5,6},{7,8,9}}'::int[])[1:2][2], ('{{1,2},{3,4}}'::int[])[2][1], ('{{1,2},{3,4}}'::int[])[2]", "[{{5,6},{8,9}} 3 <nil>]"},
		{"SELECT ('{1,2,3,4,5}'::int[])[:2], ('{1,2,3,4,5}'::int[])[4:], ('[0:2]={1,2,3}'::int[])[:], ('{1,2}'::int[])[3:9], ('{1,2}'::int[])[1:NULL]", "[{1,2} {4,5} {1,2,3} {} <nil>]"},
		{"SELECT ('{}'::int[])[1][2][3][4][5][6][7]", "54000: number of array dimensions (7) exceeds the maximum allowed (6)"},
		{"SELECT array_dims('[-1:0][3:5]={{1,2,3},{4,5,6}}'::int[]), array_ndims('{{{1}}}'::int[]), array_lower('[-1:0]={1,2}'::int[], 1), array_upper('{{1,2,3}}'::int[], 2), array_length('{{1,2,3}}'::int[], 3)", "[[-1:0][3:5] 3 -1 3 <nil>]"},
		{"SELECT ARRAY[[1,2],[3,4]] || ARRAY[5,6], '[2:3]={1,2}'::int[] || '[5:6]={3,4}'::int[], 0 || '[2:3]={1,2}'::int[], ARRAY[1.5] || ARRAY[2]", "[{{1,2},{3,4},{5,6}} [2:5]={1,2,3,4} [2:4]={0,1,2} {1.5,2}]"},
		{"SELECT ARRAY[[1,2],[3,4]] || ARRAY[5,6,7]", "2202E: cannot concatenate incompatible arrays"},
		{"SELECT ARRAY[[1,2]] || 3", "22000: argument must be empty or one-dimensional array"},
		{"SELECT array_fill(7, ARRAY[2,2], ARRAY[0,1]), array_fill(1, ARRAY[0]), trim_array('[3:5]={1,2,3}'::int[], 1)", "[[0:1][1:2]={{7,7},{7,7}} {} {1,2}]"},
		{"SELECT array_fill(1, ARRAY[2,2], '{}')", "2202E: wrong number of array subscripts"},
		{"SELECT array_fill(1, ARRAY[1,NULL])", "22004: dimension values cannot be null"},
		{"SELECT trim_array(ARRAY[1], 2)", "2202E: number of elements to trim must be between 0 and 1"},
		{"SELECT array_positions(ARRAY[1,2,1], 1), array_position('[5:6]={a,b}'::text[], 'b'), array_replace(ARRAY[[1,2],[2,1]], 2, 0), array_remove('[3:5]={1,2,1}'::int[], 1)", "[{1,3} 6 {{1,0},{0,1}} [3:3]={2}]"},
		{"SELECT array_position('{{1}}'::int[], 1)", "0A000: searching for elements in multidimensional arrays is not supported"},
		{"SELECT width_bucket(5, ARRAY[1, 3, 5, 10]), width_bucket(0, '{1}'), width_bucket(5, ARRAY[1, NULL])", "22004: thresholds array must not contain NULLs"},
		{"SELECT width_bucket(5, ARRAY[1, 3, 5, 10]), width_bucket(0, '{1}')", "[3 0]"},
		{"SELECT array_agg(ARRAY[i, i * 10]) FROM generate_series(1, 2) i", "[{{1,10},{2,20}}]"},
		{"SELECT array_agg(a) FROM (VALUES ('{1}'::int[]), ('{1,2}')) v(a)", "2202E: cannot accumulate arrays of different dimensionality"},
		{"SELECT array(SELECT ARRAY[i] FROM generate_series(1, 2) i)", "[{{1},{2}}]"},
		{"SELECT 'foo' LIKE ANY (ARRAY['%a', '%o']), 'foo' NOT ILIKE ALL (ARRAY['%A']), 'x' LIKE ALL (ARRAY['x', NULL])", "[t t <nil>]"},
		{"SELECT 1 + ANY (ARRAY[1])", "42809: op ANY/ALL (array) requires operator to yield boolean"},
		{"CREATE TABLE sa (id int, a int[], b int[])", ""},
		{"INSERT INTO sa (id, a[0], a[2], b[1:1][1:2]) VALUES (1, 10, 12, '{{1,2}}')", ""},
		{"SELECT a, b FROM sa", "[[0:2]={10,NULL,12} {{1,2}}]"},
		{"UPDATE sa SET a[4] = 4, a[-1] = -1, b[1][2] = 20, b[1:1][1:1] = '{{9}}'", ""},
		{"SELECT a, b FROM sa", "[[-1:4]={-1,10,NULL,12,NULL,4} {{9,20}}]"},
		{"UPDATE sa SET a[1:2] = '{5}'", "2202E: source array too small"},
		{"UPDATE sa SET b[2][1] = 0", "2202E: array subscript out of range"},
		{"UPDATE sa SET b[1] = 0", "2202E: wrong number of array subscripts"},
		{"UPDATE sa SET a[NULL] = 0", "22004: array subscript in assignment must not be null"},
		{"UPDATE sa SET a = NULL, b = NULL", ""},
		{"UPDATE sa SET a[:2] = '{1,2}'", "2202E: array slice subscript must provide both boundaries"},
		{"UPDATE sa SET a[2:3] = '{1,2,3}', b[1:2] = NULL", ""},
		{"SELECT a, b FROM sa", "[[2:3]={1,2} {}]"},
		{"UPDATE sa SET a[1] = now()", "42804: subscripted assignment to \"a\" requires type integer but expression is of type timestamp with time zone"},
		{"UPDATE sa SET a[1] = 1, a = NULL", "42601: multiple assignments to same column \"a\""},
		{"UPDATE sa SET id[1] = 1", "42804: cannot subscript type integer because it does not support subscripting"},
	} {
		got := outcome(s, tc.query)
		if tc.want == "" && got != "" && got[0] != '[' {
			t.Errorf("%s\n got %s", tc.query, got)
		} else if tc.want != "" && got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}
