package cairn_test

import (
	"context"
	stdsql "database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn"
)

func sqlState(err error) string {
	var e interface{ SQLState() string }
	if errors.As(err, &e) {
		return e.SQLState()
	}
	return ""
}

// TestEmbeddedDurable writes 100 rows in a transaction through
// database/sql, closes, reopens the directory and reads them back.
func TestEmbeddedDurable(t *testing.T) {
	dir := t.TempDir()
	db, err := stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE items (id int8 PRIMARY KEY, name text NOT NULL, price numeric(10,2))"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 100; i++ {
		if _, err := tx.Exec("INSERT INTO items VALUES ($1, $2, $3)", i, fmt.Sprintf("item-%03d", i), float64(i)/4); err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var sum string
	if err := db.QueryRow("SELECT count(*), sum(price) FROM items").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != 100 || sum != "1262.50" {
		t.Fatalf("after reopen: count=%d sum=%s, want 100 and 1262.50", n, sum)
	}
	rows, err := db.Query("SELECT id, name FROM items WHERE id > $1 ORDER BY id DESC LIMIT 3", 50)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%s", id, name))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "100:item-100 99:item-099 98:item-098"; strings.Join(got, " ") != want {
		t.Fatalf("rows = %v, want %s", got, want)
	}
}

// TestEmbeddedRollback checks that a rolled-back transaction leaves nothing
// behind, across a reopen too.
func TestEmbeddedRollback(t *testing.T) {
	dir := t.TempDir()
	db, err := stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "CREATE TABLE t (id int4 PRIMARY KEY)")
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t VALUES (1), (2)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "INSERT INTO t VALUES (3)")
	db.Close()
	db, err = stdsql.Open("cairn", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []int
	rows, err := db.Query("SELECT id FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int
		rows.Scan(&id)
		ids = append(ids, id)
	}
	if fmt.Sprint(ids) != "[3]" {
		t.Fatalf("ids = %v, want [3]", ids)
	}
}

func mustExec(t *testing.T, db *stdsql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestMemory(t *testing.T) {
	db, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Several pooled connections must see one database.
	db.SetMaxOpenConns(4)
	mustExec(t, db, "CREATE TABLE kv (k text PRIMARY KEY, v int4)")
	for i := 0; i < 20; i++ {
		mustExec(t, db, "INSERT INTO kv VALUES ($1, $2)", fmt.Sprint("k", i), i)
	}
	var total int
	if err := db.QueryRow("SELECT sum(v) FROM kv").Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total != 190 {
		t.Fatalf("sum = %d, want 190", total)
	}
	// A second :memory: handle is a different database.
	other, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec("SELECT * FROM kv"); sqlState(err) != "42P01" {
		t.Fatalf("other :memory: database sees kv: %v", err)
	}
}

func TestErrorsCarrySQLState(t *testing.T) {
	db, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec(t, db, "CREATE TABLE t (id int4 PRIMARY KEY, name text NOT NULL)")
	mustExec(t, db, "INSERT INTO t VALUES (1, 'a')")
	tests := []struct {
		query string
		want  string
	}{
		{"SELECT * FROM nope", "42P01"},
		{"SELECT nope FROM t", "42703"},
		{"SELEC 1", "42601"},
		{"INSERT INTO t VALUES (1, 'b')", "23505"},
		{"INSERT INTO t VALUES (2, NULL)", "23502"},
		{"SELECT 'x'::int4", "22P02"},
		{"SELECT 1/0", "22012"},
		{"SELECT 2147483647::int4 + 1", "22003"},
		{"SELECT " + strings.Repeat("1+", 10000) + "1", "54001"},
	}
	for _, tt := range tests {
		_, err := db.Exec(tt.query)
		if got := sqlState(err); got != tt.want {
			q := tt.query
			if len(q) > 40 {
				q = q[:40] + "..."
			}
			t.Errorf("%s: SQLSTATE %q (%v), want %s", q, got, err, tt.want)
		}
	}
}

func TestAbortedTransaction(t *testing.T) {
	db, err := cairn.Open(cairn.MemoryDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	run := func(q string) error {
		ps, err := s.PrepareAll(context.Background(), q)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if _, err := s.Execute(ctx, p, nil); err != nil {
				return err
			}
		}
		return nil
	}
	steps := []struct {
		query string
		want  string
	}{
		{"BEGIN", ""},
		{"SELECT 1/0", "22012"},
		{"SELECT 1", "25P02"},
		{"ROLLBACK", ""},
		{"SELECT 1", ""},
	}
	for _, st := range steps {
		if got := sqlState(run(st.query)); got != st.want {
			t.Fatalf("%s: SQLSTATE %q, want %q", st.query, got, st.want)
		}
	}
}

// TestDriverArraysAndRegValues reads arrays and reg values through
// database/sql: as their text, as a PostgreSQL server sends them.
func TestDriverArraysAndRegValues(t *testing.T) {
	db, err := stdsql.Open("cairn", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec(t, db, "CREATE TABLE arr (id int PRIMARY KEY)")
	var a, r string
	var o int64
	if err := db.QueryRow("SELECT ARRAY[1, NULL, 3], 'arr'::regclass, 'arr'::regclass::oid").Scan(&a, &r, &o); err != nil {
		t.Fatal(err)
	}
	if a != "{1,NULL,3}" || r != "arr" || o < 16384 {
		t.Fatalf("got %q %q %d", a, r, o)
	}
}
