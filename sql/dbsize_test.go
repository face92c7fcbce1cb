package sql

import (
	"strconv"
	"strings"
	"testing"
)

// TestRelationSizes checks that the size functions measure what is
// stored: nothing for empty relations, growth with rows, the parts
// adding up (total = table + indexes, indexes = primary key + the
// others), and PostgreSQL's answers for forks, views, unknown oids and
// bad arguments.
func TestRelationSizes(t *testing.T) {
	s := newTestSession(t, newTestEngine(t))
	mustRun(t, s, "CREATE TABLE sz (id int PRIMARY KEY, name text, n int)")
	mustRun(t, s, "CREATE INDEX sz_n ON sz (n)")
	mustRun(t, s, "CREATE TABLE nopk (a int)")
	mustRun(t, s, "CREATE VIEW szv AS SELECT id FROM sz")
	mustRun(t, s, "CREATE SEQUENCE szs")
	size := func(q string) int64 {
		t.Helper()
		out := recordOutcome(s, q) // [n]
		v, err := strconv.ParseInt(strings.Trim(out, "[]"), 10, 64)
		if err != nil {
			t.Fatalf("%s: %s", q, out)
		}
		return v
	}
	for _, q := range []string{"pg_table_size('sz')", "pg_indexes_size('sz')", "pg_relation_size('sz_n')", "pg_total_relation_size('nopk')"} {
		if n := size("SELECT " + q); n != 0 {
			t.Errorf("%s = %d on an empty table, want 0", q, n)
		}
	}
	mustRun(t, s, "INSERT INTO sz SELECT g, repeat('x', 100), g % 10 FROM generate_series(1, 200) g")
	mustRun(t, s, "INSERT INTO nopk SELECT g FROM generate_series(1, 50) g")
	table, pk, ix := size("SELECT pg_table_size('sz')"), size("SELECT pg_relation_size('sz_pkey')"), size("SELECT pg_relation_size('sz_n')")
	if table < 200*100 || pk <= 0 || ix <= 0 {
		t.Errorf("sizes after 200 rows of 100 bytes: table %d, primary key %d, index %d", table, pk, ix)
	}
	if got := size("SELECT pg_indexes_size('sz')"); got != pk+ix {
		t.Errorf("pg_indexes_size = %d, want %d + %d", got, pk, ix)
	}
	if got := size("SELECT pg_total_relation_size('sz')"); got != table+pk+ix {
		t.Errorf("pg_total_relation_size = %d, want %d", got, table+pk+ix)
	}
	if got := size("SELECT pg_relation_size('sz', 'main')"); got != table {
		t.Errorf("main fork = %d, want %d", got, table)
	}
	if got := size("SELECT pg_table_size('nopk')"); got <= 0 {
		t.Errorf("table without a primary key: %d bytes", got)
	}
	if db := size("SELECT pg_database_size('postgres')"); db < table+pk+ix {
		t.Errorf("pg_database_size = %d, less than one table's %d", db, table+pk+ix)
	}
	mustRun(t, s, "UPDATE sz SET name = repeat('y', 100)")
	if got := size("SELECT pg_table_size('sz')"); got <= table {
		t.Errorf("after an update, before vacuum, the table holds %d bytes, not more than %d", got, table)
	}
	for _, tc := range []struct{ query, want string }{
		{"SELECT pg_relation_size('sz', 'fsm'), pg_relation_size('sz', 'vm'), pg_relation_size('szv'), pg_indexes_size('sz_n')", "[0 0 0 0]"},
		{"SELECT pg_relation_size('szs') > 0", "[t]"},
		{"SELECT pg_relation_size(0), pg_table_size(0), pg_indexes_size(0), pg_total_relation_size(0)", "[   ]"},
		{"SELECT pg_relation_size('sz', 'foo')", "22023: invalid fork name"},
		{"SELECT pg_relation_size('nosuch')", `42P01: relation "nosuch" does not exist`},
		{"SELECT pg_database_size('nosuch')", `3D000: database "nosuch" does not exist`},
		{"SELECT pg_database_size(999999)", "3D000: database with OID 999999 does not exist"},
		{"SELECT has_database_privilege('postgres', 'CONNECT'), has_database_privilege('postgres', 'create, temp')", "[t t]"},
		{"SELECT has_database_privilege('postgres', 'foo')", `22023: unrecognized privilege type: "foo"`},
		{"SELECT pg_size_pretty(pg_table_size('sz')) LIKE '% kB'", "[t]"},
	} {
		if got := recordOutcome(s, tc.query); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.query, got, tc.want)
		}
	}
}
