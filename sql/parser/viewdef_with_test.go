package parser

import (
	"testing"

	"github.com/cairndb/cairn/sql/types"
)

// TestPgGetViewdefWith renders views whose query has a WITH clause as
// PostgreSQL 15's pg_get_viewdef(view, true) prints them for the same
// tables, and leaves to the caller what it cannot print exactly.
func TestPgGetViewdefWith(t *testing.T) {
	wt := &ViewTable{Name: "wt", Columns: []ViewColumn{{Name: "a", Type: types.New(types.Int4)}, {Name: "b", Type: types.New(types.Text)}}}
	wu := &ViewTable{Name: "wu", Columns: []ViewColumn{{Name: "a", Type: types.New(types.Int4)}, {Name: "c", Type: types.New(types.Int4)}}}
	table := func(name string) *ViewTable {
		for _, d := range []*ViewTable{wt, wu} {
			if d.Name == name {
				return d
			}
		}
		return nil
	}
	for _, tc := range []struct {
		query string
		cols  []string
		want  string
	}{
		{"WITH x AS (SELECT a, b FROM wt WHERE a > 1) SELECT * FROM x", []string{"a", "b"},
			" WITH x AS (\n         SELECT wt.a,\n            wt.b\n           FROM wt\n          WHERE wt.a > 1\n        )\n SELECT x.a,\n    x.b\n   FROM x;"},
		// The recursive reference is named apart from the main query's.
		{"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r", []string{"n"},
			" WITH RECURSIVE r(n) AS (\n         SELECT 1 AS \"?column?\"\n        UNION ALL\n         SELECT r_1.n + 1\n           FROM r r_1\n          WHERE r_1.n < 5\n        )\n SELECT r.n\n   FROM r;"},
		{"WITH RECURSIVE g(f, t) AS (SELECT a, c FROM wu UNION ALL SELECT g.f, wu.c FROM g, wu WHERE g.t = wu.a) SEARCH DEPTH FIRST BY f, t SET s CYCLE t SET \"Cyc\" TO 'Y' DEFAULT 'N' USING p SELECT f, t, \"Cyc\" FROM g",
			[]string{"f", "t", "Cyc"},
			" WITH RECURSIVE g(f, t) AS (\n         SELECT wu.a,\n            wu.c\n           FROM wu\n        UNION ALL\n         SELECT g_1.f,\n            wu.c\n           FROM g g_1,\n            wu\n          WHERE g_1.t = wu.a\n        ) SEARCH DEPTH FIRST BY f, t SET s CYCLE t SET \"Cyc\" TO 'Y'::text DEFAULT 'N'::text USING p\n SELECT g.f,\n    g.t,\n    g.\"Cyc\"\n   FROM g;"},
		// A WITH query's relation is named apart from the main query's.
		{"WITH x AS MATERIALIZED (SELECT * FROM wt) SELECT x.b, wt.a FROM x JOIN wt ON x.a = wt.a", []string{"b", "a"},
			" WITH x AS MATERIALIZED (\n         SELECT wt_1.a,\n            wt_1.b\n           FROM wt wt_1\n        )\n SELECT x.b,\n    wt.a\n   FROM x\n     JOIN wt ON x.a = wt.a;"},
		{"SELECT * FROM wu, (SELECT * FROM wu) s(x, y)", []string{"a", "c", "x", "y"},
			" SELECT wu.a,\n    wu.c,\n    s.x,\n    s.y\n   FROM wu,\n    ( SELECT wu_1.a,\n            wu_1.c\n           FROM wu wu_1) s(x, y);"},
	} {
		got, ok := DeparseView(tc.query, tc.cols, table, true)
		if !ok {
			t.Errorf("%s: not rendered", tc.query)
			continue
		}
		if got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.query, got, tc.want)
		}
	}
	for _, tc := range []struct {
		query string
		cols  []string
	}{
		// Mark values of two types are converted to a common one, which
		// is not printed.
		{"WITH RECURSIVE g(f) AS (SELECT a FROM wt UNION ALL SELECT g.f FROM g) CYCLE f SET m TO 1 DEFAULT 2.5 USING p SELECT f FROM g", []string{"f"}},
		// A reference to a recursive list's WITH query before its columns
		// are known.
		{"WITH RECURSIVE x AS (SELECT * FROM y), y AS (SELECT a FROM wt) SELECT * FROM x", []string{"a"}},
		{"WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n FROM nosuch) SELECT * FROM r", []string{"n"}},
		{"WITH x AS (SELECT a FROM wt) SELECT a FROM x AS x(a, b)", []string{"a"}},
	} {
		if got, ok := DeparseView(tc.query, tc.cols, table, true); ok {
			t.Errorf("%s rendered as %q", tc.query, got)
		}
	}
}
