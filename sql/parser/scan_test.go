package parser

import (
	"strings"
	"testing"
)

func TestScanDepth(t *testing.T) {
	cases := []struct {
		query string
		depth int
	}{
		{"SELECT 1", 1},
		{"SELECT 1+1+1", 3},
		{"SELECT -1", 1},
		{"SELECT 1 - -1", 2},
		{"SELECT - - - 1", 1},
		{"SELECT x::int::int", 3},
		{"SELECT (1+1)+1", 3},
		{"SELECT f(f(f(1)))", 4},
		{"SELECT ((((1))))", 5},
		{"SELECT a[1][2]", 2},
		{"SELECT ARRAY[ARRAY[1+1]]", 4},
		{"SELECT a = 1 AND b = 2 AND c = 3", 2},
		{"SELECT a = 1 OR b = 2 OR NOT c = 3", 2},
		{"SELECT 1, 2+2, 3", 2},
		{"SELECT 1 UNION SELECT 2, 3 UNION SELECT 4, 5", 3},
		{"SELECT * FROM a JOIN b ON x = y JOIN c ON y = z", 5},
		{"SELECT x BETWEEN 1+1 AND 2+2", 4},
		{"SELECT x BETWEEN 1 AND 2 AND y = 1", 2},
		{"SELECT CASE WHEN a+1 > 2 THEN b ELSE c END + 1", 4},
		{"SELECT x IS NOT NULL", 2},
		{"SELECT x NOT IN (1, 2)", 3},
		{"SELECT x LIKE 'a' ESCAPE 'b'", 2},
		{"SELECT t AT TIME ZONE 'UTC'", 2},
		{"SELECT at + at", 4}, // "at" is an unreserved keyword, here a column: counted anyway
		{"SELECT '+1+1+1'", 1},
		{"SELECT 'it''s + 1' + 1", 2},
		{`SELECT E'\' + 1 + 1' + 1`, 2},
		{`SELECT e'\\' + 1 + 1`, 3},
		{`SELECT '\' + 1`, 2}, // standard strings: a backslash is a character
		{"SELECT B'101' + X'ff' + N'x' + U&'d\\0061t'", 4},
		{"SELECT $$ + + $$ + 1", 2},
		{"SELECT $a$ $$ + $$ $a$ + 1", 2},
		{"SELECT $1 + $2", 2},
		{"SELECT a$b + 1", 2},
		{"SELECT 1 -- + 1 + 1\n + 1", 2},
		{"SELECT 1 /* + 1 /* + 1 */ + 1 */ + 1", 2},
		{"SELECT 1 +-- comment\n 1", 2},
		{`SELECT "a+b" + 1`, 2},
		{`SELECT "a""+" + 1`, 2},
		{"SELECT 1.5e+10 + 1", 2},
		{"SELECT 1 +/* c */1", 2},
	}
	for _, c := range cases {
		pre := scanWith(c.query, false)
		if len(pre.stmts) != 1 {
			t.Errorf("%q: %d statements", c.query, len(pre.stmts))
			continue
		}
		if got := pre.stmts[0].depth; got != c.depth {
			t.Errorf("%q: depth %d, want %d", c.query, got, c.depth)
		}
	}
}

// TestScanDepthPrefix: counting prefix operators too, as the WebAssembly
// parser needs.
func TestScanDepthPrefix(t *testing.T) {
	for q, want := range map[string]int{
		"SELECT -1": 2, "SELECT - - - 1": 4, "SELECT NOT NOT true": 3, "SELECT 1 + 1": 2,
		"SELECT x IS NOT NULL": 3, "SELECT ((1))": 3,
	} {
		if got := scanWith(q, true).stmts[0].depth; got != want {
			t.Errorf("%q: depth %d, want %d", q, got, want)
		}
	}
}

func TestScanStatements(t *testing.T) {
	cases := []struct {
		query      string
		stmts      []string
		splittable bool
	}{
		{"SELECT 1; SELECT 2", []string{"SELECT 1", " SELECT 2"}, true},
		{"SELECT 1;", []string{"SELECT 1"}, true},
		{"SELECT ';'; SELECT 2", []string{"SELECT ';'", " SELECT 2"}, true},
		{"SELECT $a$;$a$; SELECT 1", []string{"SELECT $a$;$a$", " SELECT 1"}, true},
		{`SELECT E'\';'; SELECT 1`, []string{`SELECT E'\';'`, " SELECT 1"}, true},
		{`SELECT ";"; SELECT 1`, []string{`SELECT ";"`, " SELECT 1"}, true},
		{"SELECT 1 -- ;\n; SELECT 2", []string{"SELECT 1 -- ;\n", " SELECT 2"}, true},
		{"SELECT /* ; */ 1; SELECT 2", []string{"SELECT /* ; */ 1", " SELECT 2"}, true},
		{"SELECT (1;2); SELECT 3", []string{"SELECT (1;2)", " SELECT 3"}, true},
		{"SELECT CASE WHEN x THEN 1; END; SELECT 3", []string{"SELECT CASE WHEN x THEN 1; END", " SELECT 3"}, true},
		{"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END; SELECT 2",
			[]string{"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1", " END", " SELECT 2"}, false},
	}
	for _, c := range cases {
		pre := scan(c.query)
		var got []string
		for _, st := range pre.stmts {
			got = append(got, c.query[st.start:st.end])
		}
		if strings.Join(got, "|") != strings.Join(c.stmts, "|") || pre.splittable != c.splittable {
			t.Errorf("%q: statements %q splittable %v, want %q %v", c.query, got, pre.splittable, c.stmts, c.splittable)
		}
	}
}

func TestScanTruncationNotices(t *testing.T) {
	long := strings.Repeat("a", 64)
	cases := []struct {
		query string
		want  []string
	}{
		{"SELECT 1 AS " + strings.Repeat("a", 63), nil},
		{"SELECT 1 AS " + long, []string{`identifier "` + long + `" will be truncated to "` + long[:63] + `"`}},
		{"SELECT 1 AS " + strings.ToUpper(long), []string{`identifier "` + long + `" will be truncated to "` + long[:63] + `"`}},
		{`SELECT 1 AS "` + strings.ToUpper(long) + `"`,
			[]string{`identifier "` + strings.ToUpper(long) + `" will be truncated to "` + strings.ToUpper(long[:63]) + `"`}},
		{`SELECT 1 AS "` + long[:62] + `""x"`, []string{`identifier "` + long[:62] + `"x" will be truncated to "` + long[:62] + `""`}},
		// A multibyte character is not cut in half.
		{"SELECT 1 AS " + long[:62] + "é", []string{`identifier "` + long[:62] + `é" will be truncated to "` + long[:62] + `"`}},
		{"SELECT '" + long + "', $$" + long + "$$", nil},
		{"SELECT 1 -- " + long, nil},
	}
	for _, c := range cases {
		var got []string
		for _, n := range scan(c.query).notices {
			if n.Code != "42622" {
				t.Errorf("%q: code %s", c.query, n.Code)
			}
			got = append(got, n.Message)
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: notices %q, want %q", c.query, got, c.want)
		}
	}
}
