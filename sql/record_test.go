package sql

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestRecords runs row constructors, record output, field selection and
// information_schema._pg_expandarray; rows and errors are PostgreSQL
// 15's. Values print in their text form, rows in brackets.
func TestRecords(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE rt (a int PRIMARY KEY, b text)")
	mustRun(t, s, "INSERT INTO rt VALUES (1, 'x y'), (2, NULL)")
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{`SELECT ROW(1, 'a b', NULL, '', 'x"y', 'a\b', '(,)')`, `[(1,"a b",,"","x""y","a\\b","(,)")]`},
		{"SELECT (1, 'q'), ROW()", "[(1,q) ()]"},
		{"SELECT ROW(1, ARRAY[1, 2], ROW(2, 'q'))", `[(1,"{1,2}","(2,q)")]`},
		{"SELECT (ROW(1, 2)).f2, (ROW(1, 'z')).f1", "[2 1]"},
		{"SELECT (ROW(1, 2)).*", "[1 2]"},
		{"SELECT (ROW(1, 2)).z", `42703: could not identify column "z" in record data type`},
		{"SELECT (1).x", "42809: column notation .x applied to type integer, which is not a composite type"},
		{"SELECT rt FROM rt ORDER BY a", "[(1,\"x y\")][(2,)]"},
		{"SELECT (rt).b, (rt).* FROM rt WHERE a = 1", "[x y 1 x y]"},
		{"SELECT (s.x).f2 FROM (SELECT ROW(1, 2) AS x) s", "[2]"},
		{"SELECT ROW(1, 2)::text", "[(1,2)]"},
		{"SELECT ROW(1, 2) = ROW(1, 2), ROW(1, 3) > ROW(1, 2)", "[t t]"},
		{"SELECT s.x = s.y, s.x < s.z, s.x = s.z, s.x <> s.y FROM (SELECT ROW(1, NULL::int) AS x, ROW(1, NULL::int) AS y, ROW(2, 3) AS z) s", "[t t f f]"},
		{"SELECT s.x = s.w FROM (SELECT ROW(1, 2) AS x, ROW(1, 'a'::text) AS w) s", "42804: cannot compare dissimilar column types integer and text at record column 2"},
		{"SELECT s.x = s.w FROM (SELECT ROW(1, 2) AS x, ROW(1, 2, 3) AS w) s", "42804: cannot compare record types with different numbers of columns"},
		{"SELECT ROW(rt.*), ROW(rt.*, 5), (ROW(rt.*)).f2 FROM rt WHERE a = 1", `[(1,"x y") (1,"x y",5) x y]`},
		{"SELECT ROW(zz.*) FROM rt", `42P01: missing FROM-clause entry for table "zz"`},
		{"SELECT ARRAY[ROW(1, 2), ROW(3, 'a b')]", `[{"(1,2)","(3,\"a b\")"}]`},
		{"SELECT ROW(1, 2) IS NULL, ROW(NULL, NULL) IS NULL, ROW(1, NULL) IS NOT NULL, ROW(1, 2) IS NOT NULL", "[f t f t]"},
		{"SELECT '(1,2)'::record", "0A000: input of anonymous composite types is not implemented"},
		{"SELECT ROW(1, 2) = (SELECT 1, 2)", "0A000: comparing a row constructor with a subquery's row is not supported"},
		{"CREATE TABLE rx AS SELECT ROW(1, 2) AS r", `42P16: column "r" has pseudo-type record`},
		{"CREATE VIEW rv AS SELECT a, ARRAY[ROW(a)] AS r FROM rt", `42P16: column "r" has pseudo-type record[]`},
		{"SELECT information_schema._pg_expandarray(ARRAY[10, 20])", "[(10,1)][(20,2)]"},
		{"SELECT (information_schema._pg_expandarray(ARRAY[10, 20])).n", "[1][2]"},
		{"SELECT (information_schema._pg_expandarray(ARRAY['a', 'b'])).*", "[a 1][b 2]"},
		{"SELECT * FROM information_schema._pg_expandarray(ARRAY['a', 'b'])", "[a 1][b 2]"},
		{"SELECT (k).n, (k).x FROM (SELECT information_schema._pg_expandarray(ARRAY[5, 6]) AS k) s", "[1 5][2 6]"},
		{"SELECT information_schema._pg_expandarray('1 3'::int2vector)", "[(1,1)][(3,2)]"},
		{"SELECT information_schema._pg_expandarray(NULL::int[])", ""},
		{"SELECT _pg_expandarray(ARRAY[1])", "42883: function _pg_expandarray(integer[]) does not exist"},
		{"SELECT information_schema._pg_expandarray('{1}')", "42804: could not determine polymorphic type because input has type unknown"},
		{"SELECT ('1 3'::int2vector)[0], ('1 3'::int2vector)[1], '1 3'::int2vector", "[1 3 1 3]"},
	} {
		got := recordOutcome(s, tc.query)
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}

// recordOutcome is outcome with each value in its text output form.
func recordOutcome(s *Session, query string) string {
	res, err := run(s, query)
	if err != nil {
		return pgerr.Code(err) + ": " + err.Error()
	}
	var b strings.Builder
	for _, r := range res.Rows {
		vals := make([]string, len(r))
		for i, d := range r {
			vals[i] = types.FormatText(res.Columns[i].Type, d)
		}
		b.WriteString("[" + strings.Join(vals, " ") + "]")
	}
	return b.String()
}
