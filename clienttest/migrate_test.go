package clienttest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	_ "github.com/golang-migrate/migrate/v4/source/file"
	"github.com/jackc/pgx/v5"
)

// TestGolangMigrate runs golang-migrate's pgx/v5 driver (which takes
// pg_advisory_lock around every run and keeps its version in
// schema_migrations) up, down one step, and up again.
func TestGolangMigrate(t *testing.T) {
	url := startCairn(t)
	m, err := migrate.New("file://testdata/migrations", "pgx5"+strings.TrimPrefix(url, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	state := func() (version uint, tables string) {
		t.Helper()
		v, dirty, err := m.Version()
		if err != nil && !errors.Is(err, migrate.ErrNilVersion) {
			t.Fatal(err)
		}
		if dirty {
			t.Fatalf("version %d is dirty", v)
		}
		rows, err := conn.Query(ctx, `select table_name from information_schema.tables
			where table_schema = 'public' and table_name <> 'schema_migrations' order by 1`)
		if err != nil {
			t.Fatal(err)
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return v, strings.Join(names, ",")
	}

	if err := m.Up(); err != nil {
		t.Fatalf("up: %v", err)
	}
	if v, tables := state(); v != 2 || tables != "accounts,notes" {
		t.Fatalf("after up: version %d, tables %q", v, tables)
	}
	var id int
	var body, name string
	if err := conn.QueryRow(ctx, `select n.id, n.body, a.display_name from notes n join accounts a on a.id = n.account_id`).Scan(&id, &body, &name); err != nil {
		t.Fatal(err)
	}
	if id != 100 || body != "welcome" || name != "Ann" {
		t.Fatalf("migrated data: %d %q %q", id, body, name)
	}
	if err := m.Up(); !errors.Is(err, migrate.ErrNoChange) {
		t.Fatalf("second up: %v, want ErrNoChange", err)
	}

	if err := m.Steps(-1); err != nil {
		t.Fatalf("down one step: %v", err)
	}
	if v, tables := state(); v != 1 || tables != "accounts" {
		t.Fatalf("after one step down: version %d, tables %q", v, tables)
	}
	var cols int
	if err := conn.QueryRow(ctx, `select count(*) from information_schema.columns where table_name = 'accounts'`).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != 3 {
		t.Errorf("accounts has %d columns after the down migration, want 3", cols)
	}

	if err := m.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if v, _ := state(); v != 2 {
		t.Fatalf("after up again: version %d", v)
	}
	if err := m.Down(); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, tables := state(); tables != "" {
		t.Fatalf("after down: tables %q", tables)
	}
}
