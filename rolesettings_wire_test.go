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

// TestWireRoleSettingsAtLogin: a connection of a role starts with the
// defaults ALTER ROLE and ALTER DATABASE stored for it, the most specific
// winning and the client's startup parameters over all of them; SHOW and
// pg_settings.source say where each value came from, as PostgreSQL's do;
// statement_timeout stored for the role is enforced; a role that is not a
// superuser cannot set a superuser-only parameter at startup.
func TestWireRoleSettingsAtLogin(t *testing.T) {
	db := openMemoryDB(t)
	_, addr, _ := serveWire(t, db, pgwire.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{
		"create role app login",
		"create schema s1",
		"alter database postgres set work_mem = '3MB'",
		"alter database postgres set lock_timeout = '4s'",
		"alter role app set work_mem = '5MB'",
		"alter role app set search_path = s1, public",
		"alter role app in database postgres set statement_timeout = '150ms'",
		"alter role app set application_name = 'from_role'",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	app, err := pgx.Connect(ctx, "postgres://app@"+addr+"/postgres?sslmode=disable&application_name=from_client")
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close(ctx)
	for _, tc := range []struct{ name, value, source string }{
		{"work_mem", "5MB", "user"},                     // the role's beats the database's
		{"lock_timeout", "4s", "database"},              // only the database's
		{"search_path", "s1, public", "user"},           // the role's
		{"statement_timeout", "150ms", "database user"}, // the role's in this database
		{"application_name", "from_client", "client"},   // the startup parameter beats the role's
		{"datestyle", "ISO, MDY", "default"},
	} {
		var show, source string
		if err := app.QueryRow(ctx, "show "+tc.name).Scan(&show); err != nil {
			t.Fatalf("show %s: %v", tc.name, err)
		}
		if err := app.QueryRow(ctx, "select source from pg_settings where lower(name) = $1", tc.name).Scan(&source); err != nil {
			t.Fatalf("pg_settings %s: %v", tc.name, err)
		}
		if show != tc.value || source != tc.source {
			t.Errorf("%s: got %q from %q, want %q from %q", tc.name, show, source, tc.value, tc.source)
		}
	}
	// The stored search_path resolves unqualified names.
	if _, err := admin.Exec(ctx, "create table s1.only_in_s1 (x int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "grant usage on schema s1 to app; grant select on s1.only_in_s1 to app"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Exec(ctx, "select * from only_in_s1"); err != nil {
		t.Errorf("the role's search_path was not used: %v", err)
	}
	// The stored statement_timeout cancels a long statement.
	_, err = app.Exec(ctx, "select pg_sleep(2)")
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Errorf("pg_sleep under the role's statement_timeout: got %v, want 57014", err)
	}
	// SET, then RESET, returns to the role's value.
	if _, err := app.Exec(ctx, "set work_mem = '9MB'"); err != nil {
		t.Fatal(err)
	}
	var source string
	if err := app.QueryRow(ctx, "select source from pg_settings where name = 'work_mem'").Scan(&source); err != nil || source != "session" {
		t.Errorf("work_mem's source after SET: %q, %v", source, err)
	}
	var show string
	if _, err := app.Exec(ctx, "reset work_mem"); err != nil {
		t.Fatal(err)
	}
	if err := app.QueryRow(ctx, "show work_mem").Scan(&show); err != nil || show != "5MB" {
		t.Errorf("work_mem after RESET: %q, %v", show, err)
	}
	// A superuser-only parameter in the startup message refuses the
	// connection of a role that is not a superuser.
	_, err = pgx.Connect(ctx, "postgres://app@"+addr+"/postgres?sslmode=disable&log_min_duration_statement=0")
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Errorf("startup log_min_duration_statement as app: got %v, want 42501", err)
	}
	// The superuser's own connection sees the database's default only.
	su, err := pgx.Connect(ctx, wireURL(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer su.Close(ctx)
	if err := su.QueryRow(ctx, "show work_mem").Scan(&show); err != nil || show != "3MB" {
		t.Errorf("postgres's work_mem: %q, %v; want the database's 3MB", show, err)
	}
}
