package cairn_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/pgwire"
)

// TestWireRowSecurity logs in over the wire as a role without BYPASSRLS
// on a table whose policy shows each role its own rows: it reads only
// its rows, through the simple and the extended protocol (a prepared
// statement pgx caches), writes only rows the policy admits, and cannot
// switch the policies off with row_security.
func TestWireRowSecurity(t *testing.T) {
	db := openMemoryDB(t)
	hba, err := pgwire.ParseHBA("host all postgres 127.0.0.0/8 trust\nhost all all 127.0.0.0/8 scram-sha-256\n")
	if err != nil {
		t.Fatal(err)
	}
	_, addr, _ := serveWire(t, db, pgwire.Options{HBA: hba})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{
		"create role tenant_a login password 'a'",
		"create role tenant_b login password 'b'",
		"create table notes (id int primary key, tenant name not null, body text)",
		"grant select, insert, update, delete on notes to tenant_a, tenant_b",
		"insert into notes values (1, 'tenant_a', 'a1'), (2, 'tenant_b', 'b1'), (3, 'tenant_a', 'a2')",
		"alter table notes enable row level security",
		"create policy tenant_rows on notes using (tenant = current_user)",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c, err := pgx.Connect(ctx, "postgres://tenant_a:a@"+addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	ids := func(query string, args ...any) []int {
		t.Helper()
		rows, err := c.Query(ctx, query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return got
	}
	want := func(got []int, want ...int) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("got ids %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("got ids %v, want %v", got, want)
			}
		}
	}
	want(ids("select id from notes order by id"), 1, 3)
	want(ids("select id from notes where id = $1", 2))
	want(ids("select id from notes where id = $1", 3), 3)
	if tag, err := c.Exec(ctx, "update notes set body = 'x'"); err != nil || tag.RowsAffected() != 2 {
		t.Errorf("update: %v %v, want UPDATE 2", tag, err)
	}
	if tag, err := c.Exec(ctx, "delete from notes where id = 2"); err != nil || tag.RowsAffected() != 0 {
		t.Errorf("delete of another tenant's row: %v %v, want DELETE 0", tag, err)
	}
	_, err = c.Exec(ctx, "insert into notes values (4, 'tenant_b', 'forged')")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42501" || pe.Message != `new row violates row-level security policy for table "notes"` {
		t.Errorf("forged insert: %v, want 42501", err)
	}
	if _, err := c.Exec(ctx, "set row_security = off"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Exec(ctx, "select id from notes where id = $1", 1)
	if !errors.As(err, &pe) || pe.Code != "42501" {
		t.Errorf("with row_security off: %v, want 42501", err)
	}
	if _, err := c.Exec(ctx, "reset row_security"); err != nil {
		t.Fatal(err)
	}
	want(ids("select id from notes where id = $1", 1), 1)
	var body string
	if err := admin.QueryRow(ctx, "select body from notes where id = 2").Scan(&body); err != nil || body != "b1" {
		t.Errorf("tenant_b's row: %q %v, want b1 untouched", body, err)
	}
}
