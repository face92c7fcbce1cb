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

// TestWirePrivilegesDenied connects over the wire as a role that logs in
// with a password and holds no grants: every kind of statement it tries
// on what the superuser created fails with 42501, as in PostgreSQL.
func TestWirePrivilegesDenied(t *testing.T) {
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
		"create role nobody login password 'secret'",
		"create schema s",
		"create table t (id int primary key, v text)",
		"create table s.u (x int)",
		"create sequence q",
		"create view w as select * from t",
		"insert into t values (1, 'a')",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c, err := pgx.Connect(ctx, "postgres://nobody:secret@"+addr+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for _, tc := range []struct{ sql, msg string }{
		{"select * from t", "permission denied for table t"},
		{"select count(*) from t", "permission denied for table t"},
		{"select * from w", "permission denied for view w"},
		{"insert into t values (2, 'b')", "permission denied for table t"},
		{"update t set v = 'c'", "permission denied for table t"},
		{"delete from t", "permission denied for table t"},
		{"truncate t", "permission denied for table t"},
		{"select * from t for update", "permission denied for table t"},
		{"copy t to stdout", "permission denied for table t"},
		{"select nextval('q')", "permission denied for sequence q"},
		{"select setval('q', 5)", "permission denied for sequence q"},
		{"select * from s.u", "permission denied for schema s"},
		{"create table mine (x int)", "permission denied for schema public"},
		{"create table s.mine (x int)", "permission denied for schema s"},
		{"create schema mine", "permission denied for database postgres"},
		{"drop table t", "must be owner of table t"},
		{"alter table t add column z int", "must be owner of table t"},
		{"create index on t (v)", "must be owner of table t"},
		{"comment on table t is 'x'", "must be owner of table t"},
		{"alter sequence q restart", "must be owner of sequence q"},
		{"grant select on t to nobody", "permission denied for table t"},
		{"set role postgres", `permission denied to set role "postgres"`},
		{"set session authorization postgres", "permission denied to set session authorization"},
		{"create role other", "permission denied to create role"},
	} {
		_, err := c.Exec(ctx, tc.sql)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" || pe.Message != tc.msg {
			t.Errorf("%s: got %v, want 42501 %s", tc.sql, err, tc.msg)
		}
	}
	// Once granted, the same role reads.
	if _, err := admin.Exec(ctx, "grant select on t to nobody"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := c.QueryRow(ctx, "select count(*) from t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after GRANT: %d, %v", n, err)
	}
	// CREATE on the database lets it create schemas; without CONNECT it
	// cannot log in at all.
	for _, q := range []string{
		"grant create on database postgres to nobody",
		"revoke connect, temporary on database postgres from public",
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := c.Exec(ctx, "create schema mine"); err != nil {
		t.Fatalf("create schema with CREATE on the database: %v", err)
	}
	_, err = c.Exec(ctx, "create temp table tt (x int)")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42501" || pe.Message != `permission denied to create temporary tables in database "postgres"` {
		t.Errorf("create temp table without TEMPORARY: %v", err)
	}
	var acl string
	if err := admin.QueryRow(ctx, "select datacl::text from pg_database where datname = 'postgres'").Scan(&acl); err != nil ||
		acl != "{postgres=CTc/postgres,nobody=C/postgres}" {
		t.Errorf("datacl: %q, %v", acl, err)
	}
	_, err = pgx.Connect(ctx, "postgres://nobody:secret@"+addr+"/postgres?sslmode=disable")
	if !errors.As(err, &pe) || pe.Code != "42501" || pe.Message != `permission denied for database "postgres"` {
		t.Errorf("connecting without CONNECT: %v", err)
	}
}
