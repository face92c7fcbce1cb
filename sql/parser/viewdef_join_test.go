package parser

import (
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// viewTables is a catalog for the join tests: name -> columns.
func viewTables(defs map[string][]string) func(string) *ViewTable {
	return func(name string) *ViewTable {
		cols, ok := defs[name]
		if !ok {
			return nil
		}
		vt := &ViewTable{Name: name}
		for _, c := range cols {
			t := types.New(types.Int4)
			switch {
			case len(c) > 2 && c[len(c)-2:] == ":n":
				c, t = c[:len(c)-2], types.New(types.Numeric)
			case len(c) > 2 && c[len(c)-2:] == ":s":
				c, t = c[:len(c)-2], types.New(types.Int2)
			}
			vt.Columns = append(vt.Columns, ViewColumn{Name: c, Type: t})
		}
		return vt
	}
}

// TestPgGetViewdefJoins renders joins, subqueries, VALUES and set
// operations as PostgreSQL 15's pg_get_viewdef(view, true) prints them
// (the expected texts are PostgreSQL's, from its create_view test).
func TestPgGetViewdefJoins(t *testing.T) {
	table := viewTables(map[string][]string{
		"tt2": {"a", "b", "c"}, "tt3": {"ax", "b:s", "c:n"}, "tt4": {"ay", "b", "q"},
		"tt5": {"a", "b", "cc"}, "tt6": {"c", "d"}, "tt7": {"x", "y"}, "tt8": {"x", "z"},
		"tbl1": {"a", "b"}, "tbl1a": {"a", "c"},
	})
	for _, tc := range []struct {
		query string
		cols  []string
		want  string
	}{
		{"SELECT * FROM tt2 NATURAL JOIN tt3", []string{"b", "c", "a", "ax"},
			" SELECT tt2.b,\n    tt3.c,\n    tt2.a,\n    tt3.ax\n   FROM tt2\n     JOIN tt3 USING (b, c);"},
		{"SELECT * FROM (tt2 NATURAL JOIN tt3) j", []string{"b", "c", "a", "ax"},
			" SELECT j.b,\n    j.c,\n    j.a,\n    j.ax\n   FROM (tt2\n     JOIN tt3 USING (b, c)) j;"},
		{"SELECT * FROM tt2 JOIN tt3 USING (b,c) FULL JOIN tt4 USING (b)", []string{"b", "c", "a", "ax", "ay", "q"},
			" SELECT b,\n    tt3.c,\n    tt2.a,\n    tt3.ax,\n    tt4.ay,\n    tt4.q\n   FROM tt2\n     JOIN tt3 USING (b, c)\n     FULL JOIN tt4 USING (b);"},
		{"SELECT * FROM tbl1 JOIN tbl1a USING (a) AS x", []string{"a", "b", "c"},
			" SELECT tbl1.a,\n    tbl1.b,\n    tbl1a.c\n   FROM tbl1\n     JOIN tbl1a USING (a) AS x;"},
		{"SELECT * FROM (tbl1 JOIN tbl1a USING (a) AS x) AS y", []string{"a", "b", "c"},
			" SELECT y.a,\n    y.b,\n    y.c\n   FROM (tbl1\n     JOIN tbl1a USING (a) AS x) y;"},
		{"SELECT * FROM (tt5 CROSS JOIN tt6) j(aa,bb,cc,dd)", []string{"aa", "bb", "cc", "dd", "d"},
			" SELECT j.aa,\n    j.bb,\n    j.cc,\n    j.dd,\n    j.d\n   FROM (tt5\n     CROSS JOIN tt6) j(aa, bb, cc, dd, d);"},
		{"SELECT * FROM tt5 NATURAL INNER JOIN tt6", []string{"a", "b", "cc", "c", "d"},
			" SELECT tt5.a,\n    tt5.b,\n    tt5.cc,\n    tt6.c,\n    tt6.d\n   FROM tt5\n     CROSS JOIN tt6;"},
		{"SELECT * FROM tt5 NATURAL LEFT JOIN tt6", []string{"a", "b", "cc", "c", "d"},
			" SELECT tt5.a,\n    tt5.b,\n    tt5.cc,\n    tt6.c,\n    tt6.d\n   FROM tt5\n     LEFT JOIN tt6 ON TRUE;"},
		// A FULL JOIN's bare USING column renames the others of its name.
		{"SELECT * FROM (VALUES (1,2,3,4,5)) v(a,b,c,d,e) UNION ALL SELECT * FROM tt7 FULL JOIN tt8 USING (x), tt8 tt8x",
			[]string{"a", "b", "c", "d", "e"},
			" SELECT v.a,\n    v.b,\n    v.c,\n    v.d,\n    v.e\n   FROM ( VALUES (1,2,3,4,5)) v(a, b, c, d, e)\nUNION ALL\n" +
				" SELECT x AS a,\n    tt7.y AS b,\n    tt8.z AS c,\n    tt8x.x_1 AS d,\n    tt8x.z AS e\n   FROM tt7\n     FULL JOIN tt8 USING (x),\n    tt8 tt8x(x_1, z);"},
		{"SELECT * FROM tt7 FULL JOIN tt8 USING (x), tt7 tt7x FULL JOIN tt8 tt8x USING (x)", []string{"x", "y", "z", "x_1", "y_1", "z_1"},
			" SELECT x,\n    tt7.y,\n    tt8.z,\n    x_1,\n    tt7x.y AS y_1,\n    tt8x.z AS z_1\n   FROM tt7\n     FULL JOIN tt8 USING (x),\n    tt7 tt7x(x_1, y)\n     FULL JOIN tt8 tt8x(x_1, z) USING (x_1);"},
		// Column aliases of a renamed column, and a new column's name made unique.
		{"SELECT tt2.b, tt3.c FROM tt2 JOIN tt3 tt3(ax, b, c, c, e) USING (b, c)", []string{"b", "c"},
			""},
		{"SELECT tt2.b, tt3.c FROM tt2 JOIN tt3 tt3(ax, b) USING (b)", []string{"b", "c"},
			" SELECT tt2.b,\n    tt3.c\n   FROM tt2\n     JOIN tt3 tt3 USING (b);"},
		{"SELECT s.x FROM (SELECT a AS x FROM tt5 WHERE a > 0) s ORDER BY s.x LIMIT 3", []string{"x"},
			" SELECT s.x\n   FROM ( SELECT tt5.a AS x\n           FROM tt5\n          WHERE tt5.a > 0) s\n  ORDER BY s.x\n LIMIT 3;"},
		{"SELECT a FROM tt5 UNION SELECT 42", []string{"col_a"},
			" SELECT tt5.a AS col_a\n   FROM tt5\nUNION\n SELECT 42 AS col_a;"},
	} {
		got, ok := DeparseView(tc.query, tc.cols, table, true)
		if tc.want == "" {
			if ok {
				t.Errorf("%s: rendered %q, want it declined (ambiguous)", tc.query, got)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not rendered", tc.query)
			continue
		}
		if got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.query, got, tc.want)
		}
	}
}

// TestViewRewrites rewrites stored view queries for renamed, added and
// dropped columns.
func TestViewRewrites(t *testing.T) {
	isTT3 := func(name string) bool { return name == "tt3" }
	for _, tc := range []struct {
		name string
		do   func(string) (string, bool, bool)
		in   string
		want string
	}{
		{"rename a USING column keeps its name as an alias",
			func(s string) (string, bool, bool) {
				return RenameViewColumn(s, isTT3, []string{"ax", "b", "c"}, 2, "c", "d")
			},
			"SELECT tt2.b, tt3.c FROM tt2 JOIN tt3 USING (b, c)",
			"SELECT tt2.b, tt3.c FROM tt2 JOIN tt3 tt3(ax, b, c) USING (b, c)"},
		{"rename elsewhere renames the references",
			func(s string) (string, bool, bool) {
				return RenameViewColumn(s, isTT3, []string{"ax", "b", "c"}, 0, "ax", "ay")
			},
			"SELECT tt3.ax, t.ax FROM tt3, tt3 t WHERE tt3.ax > 1",
			"SELECT tt3.ay, t.ay FROM tt3, tt3 t WHERE tt3.ay > 1"},
		{"an added column extends a full alias list, made unique",
			func(s string) (string, bool, bool) {
				return ExtendViewAliases(s, isTT3, []string{"ax", "b", "d"}, "c")
			},
			"SELECT tt3.c FROM tt2 JOIN tt3 tt3(ax, b, c) USING (b, c)",
			"SELECT tt3.c FROM tt2 JOIN tt3 tt3(ax, b, c, c_1) USING (b, c)"},
		{"an added column named as a USING column gets another name",
			func(s string) (string, bool, bool) {
				return ExtendViewAliases(s, isTT3, []string{"ax", "b"}, "q")
			},
			"SELECT tt3.ax FROM tt3 JOIN tt4 USING (b) JOIN tt5 USING (q)",
			"SELECT tt3.ax FROM tt3 tt3(ax, b, q_1) JOIN tt4 USING (b) JOIN tt5 USING (q)"},
		{"a dropped column loses its alias",
			func(s string) (string, bool, bool) { return DropViewAlias(s, isTT3, 1) },
			"SELECT t.x FROM tt3 t(x, y, z)",
			"SELECT t.x FROM tt3 t(x, z)"},
		{"other relations are left alone",
			func(s string) (string, bool, bool) {
				return RenameViewColumn(s, isTT3, []string{"ax", "b", "c"}, 0, "ax", "ay")
			},
			"SELECT tt2.ax FROM tt2",
			"SELECT tt2.ax FROM tt2"},
	} {
		got, _, ok := tc.do(tc.in)
		if !ok || got != tc.want {
			t.Errorf("%s: got %q (ok %v), want %q", tc.name, got, ok, tc.want)
		}
	}
}
