package sql

import (
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestTableRowTypes runs relations' row types end to end: casts to a
// table's and a view's row type and its array, columns of them, the
// pg_type rows, ALTER TABLE carried into stored values, and the uses
// refusing ALTER COLUMN TYPE and DROP. Rows and errors are PostgreSQL
// 15's.
func TestTableRowTypes(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{"CREATE TABLE rb (a int, b text)", ""},
		{"INSERT INTO rb VALUES (1, 'one')", ""},
		{"CREATE TYPE rb AS (q int)", `42710: type "rb" already exists`},
		{"SELECT NULL::rb, ROW(2, 'x')::rb, ('(3,y)'::rb).b, pg_typeof(ROW(1, 'x')::rb)", `[ (2,x) y rb]`},
		{"SELECT '{\"(4,z)\"}'::_rb, pg_typeof(NULL::rb[])", `[{"(4,z)"} rb[]]`},
		{"SELECT ROW(1)::rb", "42846: cannot cast type record to rb"},
		{"SELECT NULL::rb(3)", `42601: type modifier is not allowed for type "rb"`},
		{"SELECT t::text, (t).b, pg_typeof(t) FROM rb t", "[(1,one) one rb]"},
		{"SELECT a FROM json_populate_record(NULL::rb, '{\"a\": 7}')", "[7]"},
		{"SELECT typtype, typrelid::regclass, format_type(typarray, NULL) FROM pg_type WHERE typname = 'rb'", "[c rb rb[]]"},
		{"SELECT c.reltype = t.oid FROM pg_class c, pg_type t WHERE c.relname = 'rb' AND t.typname = 'rb'", "[t]"},
		{"CREATE TABLE ru (id int PRIMARY KEY, r rb, rs rb[])", ""},
		{"INSERT INTO ru VALUES (1, ROW(1, 'x'), ARRAY[ROW(2, 'y')]::rb[])", ""},
		{"INSERT INTO ru SELECT 2, t, NULL::rb[] FROM rb t", ""},
		{"ALTER TABLE rb ADD COLUMN c rb", "42P16: composite type rb cannot be made a member of itself"},
		{"ALTER TABLE rb ALTER COLUMN a TYPE bigint", `0A000: cannot alter table "rb" because column "ru.rs" uses its row type`},
		{"ALTER TABLE rb ADD COLUMN c int", ""},
		{"ALTER TABLE rb RENAME COLUMN b TO bb", ""},
		{"SELECT (r).bb, (r).c FROM ru ORDER BY id", "[x ][one ]"},
		{"ALTER TABLE rb DROP COLUMN a", ""},
		{"SELECT r, rs FROM ru ORDER BY id", `[(x,) {"(y,)"}][(one,) ]`},
		{"DROP TABLE rb", "2BP01: cannot drop table rb because other objects depend on it"},
		{"DROP TABLE rb CASCADE", ""},
		{"SELECT * FROM ru ORDER BY id", "[1][2]"},
		{"CREATE VIEW rv AS SELECT 1 AS x", ""},
		{"SELECT ROW(5)::rv", "[(5)]"},
		{"CREATE TABLE rvu (v rv)", ""},
		{"DROP VIEW rv", "2BP01: cannot drop view rv because other objects depend on it"},
		{"DROP TABLE rvu", ""},
		{"DROP VIEW rv", ""},
		{"CREATE SEQUENCE rs", ""},
		{"SELECT NULL::rs", `42704: type "rs" does not exist`},
	} {
		got := recordOutcome(s, tc.query)
		if len(got) > len(tc.want) && tc.want != "" && got[:5] == tc.want[:5] && got[5:7] == ": " {
			// Errors compare by code and message prefix.
			got = got[:len(tc.want)]
		}
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}

// TestDropRowTypeDetail checks DROP TABLE's DETAIL and CASCADE's notice
// list every use of the row type as PostgreSQL does.
func TestDropRowTypeDetail(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	for _, q := range []string{
		"CREATE TABLE dt (a int)",
		"CREATE TABLE du (x dt, y dt[])",
		"CREATE TYPE dc AS (z dt)",
	} {
		if _, err := run(s, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_, err := run(s, "DROP TABLE dt")
	pe := pgerr.Find(err)
	if pe == nil || pe.Code != pgerr.DependentObjectsStillExist {
		t.Fatalf("DROP TABLE dt: %v, want 2BP01", err)
	}
	want := "column z of composite type dc depends on type dt\ncolumn y of table du depends on type dt[]\ncolumn x of table du depends on type dt"
	if pe.Detail != want {
		t.Errorf("detail\n got %q\nwant %q", pe.Detail, want)
	}
	res, err := run(s, "DROP TABLE dt CASCADE")
	if err != nil {
		t.Fatal(err)
	}
	var detail string
	for _, n := range res.Notices {
		detail += n.Message + "|" + n.Detail
	}
	wantN := "drop cascades to 3 other objects|drop cascades to column z of composite type dc\ndrop cascades to column y of table du\ndrop cascades to column x of table du"
	if detail != wantN {
		t.Errorf("notice\n got %q\nwant %q", detail, wantN)
	}
}
