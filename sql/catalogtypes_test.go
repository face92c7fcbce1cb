package sql

import (
	"testing"
)

// TestCatalogTypeExpressions runs casts and comparisons of the catalog
// types; the answers are PostgreSQL 15's.
func TestCatalogTypeExpressions(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, `CREATE TABLE ct (id int PRIMARY KEY, "Note" text)`)
	mustRun(t, s, "CREATE INDEX ct_note ON ct (\"Note\")")
	for _, tc := range []struct {
		query string
		want  string // rows as text, or the error as "CODE: message"
	}{
		{"SELECT 'ct'::regclass, 'public.ct'::regclass, 'CT'::regclass, 'ct_pkey'::regclass, 'ct_note'::regclass, 0::regclass", "[ct ct ct ct_pkey ct_note -]"},
		{"SELECT 'ct'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'ct'), 'ct'::regclass = (SELECT oid FROM pg_class WHERE relname = 'ct')", "[t t]"},
		{"SELECT c.oid::regclass::text FROM pg_class c WHERE c.relname = 'ct'", "[ct]"},
		{"SELECT 123456::regclass", "[123456]"},
		{"SELECT 'nosuch'::regclass", `42P01: relation "nosuch" does not exist`},
		{`SELECT '"Nosuch"'::regclass`, `42P01: relation "Nosuch" does not exist`},
		{"SELECT 'pg_catalog'::regnamespace, 2200::regnamespace, 23::regtype, 1015::regtype, 10::regrole", "[pg_catalog public integer character varying[] postgres]"},
		{"SELECT 'nosuch'::regnamespace", `3F000: schema "nosuch" does not exist`},
		{"SELECT 'nosuch'::regrole", `42704: role "nosuch" does not exist`},
		{"SELECT (-1)::oid, 4294967295::oid::int4, 5::oid = 5, 5::oid = 5::int8, 5::oid < 6::int2", "[4294967295 -1 t t t]"},
		{"SELECT 1::oid + 1", "42883: operator does not exist: oid + integer"},
		{"SELECT 'r'::\"char\" = 'r', 'a'::name || 'b', 'a'::name = 'a'::text", "[t ab t]"},
		{"SELECT '{16384}'::oid[] = '{16384}', 16384 = ANY ('{16384}'::oid[]), 'd' = ANY ('{d,f}'::\"char\"[])", "[t t t]"},
		{"SELECT format_type(1015, 14), format_type(26, -1), format_type(18, -1), format_type(1042, -1), format_type(2205, NULL)", `[character varying(10)[] oid "char" bpchar regclass]`},
		// Arguments that do not convert: an error, never a panic.
		{"SELECT pg_get_userbyid('x')", `22P02: invalid input syntax for type oid: "x"`},
		{"SELECT pg_get_userbyid(true)", "42883: function pg_get_userbyid(boolean) does not exist"},
		{"SELECT array_upper(ARRAY[1], 'x')", `22P02: invalid input syntax for type integer: "x"`},
		{"SELECT * FROM pg_partition_ancestors(true)", "42883: function pg_partition_ancestors(boolean) does not exist"},
		{"SELECT pg_get_triggerdef(1, 2)", "42883: function pg_get_triggerdef(integer, integer) does not exist"},
		{"SELECT pg_relation_is_publishable('nosuch')", `42P01: relation "nosuch" does not exist`},
		{"SELECT pg_relation_is_publishable('ct'), pg_relation_is_publishable('ct_note')", "[t f]"},
		{"SELECT relname FROM pg_class WHERE oid IN (SELECT 'ct'::regclass UNION ALL VALUES ('ct_note'::regclass)) ORDER BY 1", "[ct][ct_note]"},
	} {
		got := outcome(s, tc.query)
		if got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}
