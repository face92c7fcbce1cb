package cairn_test

import (
	stdsql "database/sql"
	"strings"
	"testing"
)

// TestUserTypesDurable makes an enum and a domain, uses them in a table,
// renames a label and adds one, closes the database and reopens the
// directory: the types, their order, the stored values and the domain's
// checks come back, and a type whose creation rolled back stays gone.
func TestUserTypesDurable(t *testing.T) {
	dir := t.TempDir()
	db, err := stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
		"CREATE DOMAIN score AS int NOT NULL CHECK (VALUE >= 0) DEFAULT 1",
		"CREATE TABLE t (id int PRIMARY KEY, m mood UNIQUE, ms mood[], s score)",
		"INSERT INTO t VALUES (1, 'happy', '{ok,sad}', 3), (2, 'sad', NULL, 0), (3, 'ok', '{}', DEFAULT)",
		"ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'",
		"ALTER TYPE mood ADD VALUE 'meh' BEFORE 'fine'",
		"INSERT INTO t VALUES (4, 'meh', '{meh,happy}', 2)",
		"BEGIN",
		"CREATE TYPE gone AS ENUM ('x')",
		"ROLLBACK",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT id, m, coalesce(ms::text, '-'), s FROM t ORDER BY m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, s int
		var m, ms string
		if err := rows.Scan(&id, &m, &ms, &s); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{m, ms}, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "sad - | meh {meh,happy} | fine {} | happy {fine,sad}"; strings.Join(got, " | ") != want {
		t.Errorf("after reopen:\n got  %s\n want %s", strings.Join(got, " | "), want)
	}
	var labels string
	if err := db.QueryRow("SELECT array_to_string(enum_range(NULL::mood), ',')").Scan(&labels); err != nil || labels != "sad,meh,fine,happy" {
		t.Errorf("enum_range after reopen: %q %v", labels, err)
	}
	for _, tc := range []struct{ q, code string }{
		{"INSERT INTO t VALUES (5, 'ok', NULL, 1)", "22P02"},
		{"INSERT INTO t VALUES (5, 'sad', NULL, 1)", "23505"},
		{"INSERT INTO t VALUES (5, 'fine', NULL, -1)", "23514"},
		{"INSERT INTO t VALUES (5, 'fine', NULL, NULL)", "23502"},
		{"SELECT 'x'::gone", "42704"},
		{"DROP TYPE mood", "2BP01"},
	} {
		if _, err := db.Exec(tc.q); sqlState(err) != tc.code {
			t.Errorf("%s: %v, want SQLSTATE %s", tc.q, err, tc.code)
		}
	}
}
