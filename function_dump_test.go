package cairn_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
)

// dumpFunctions are user-defined routines of every body form, with
// defaults, OUT parameters, a row type result, a procedure, a comment
// and a revoked EXECUTE, over a table one of them returns rows of.
var dumpFunctions = []string{
	`create table items (id int primary key, name text not null, price numeric(10,2))`,
	`insert into items values (1, 'a', 1.50), (2, 'b', 20)`,
	`create function add_one(i integer) returns integer language sql immutable strict as 'SELECT i + 1'`,
	`create function total(min_price numeric default 0) returns numeric language sql stable
		return (select sum(price) from items where price >= min_price)`,
	`create function cheap(lim numeric) returns setof items language sql begin atomic
		select * from items where price < lim order by id; end`,
	`create function pair(in a int, out x int, out y text) language sql as $$ select a, 'v' || a $$`,
	`create procedure add_item(i int, n text) language sql as $$ insert into items values (i, n, 0) $$`,
	`comment on function add_one(integer) is 'plus one'`,
	`revoke execute on function total(numeric) from public`,
}

// TestPgDumpFunctions: PostgreSQL 15's pg_dump writes cairn's routines
// (after the table a routine's result names), the dump restores into a
// fresh cairn that dumps the same text again, and into PostgreSQL, where
// the routines answer as in cairn.
func TestPgDumpFunctions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pg_dump against PostgreSQL and cairn")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	source := startCairnServer(t)
	execAll(ctx, t, source, dumpFunctions...)
	dump := pgDumpURL(ctx, t, source)

	again := startCairnServer(t)
	psqlFile(ctx, t, again, dump)
	if redump := pgDumpURL(ctx, t, again); redump != dump {
		t.Errorf("dump after restoring into cairn differs:\n%s\nfirst dump:\n%s", redump, dump)
	}

	pg := pgtest.Start(t)
	execAll(ctx, t, pg.URL(), "create database fromcairn")
	psqlFile(ctx, t, pg.DatabaseURL("fromcairn"), dump)
	const probe = "select add_one(1)::text || ' ' || total()::text || ' ' || (select string_agg(name, ',') from cheap(5)) || ' ' || (pair(3)).y"
	for _, u := range []string{source, again, pg.DatabaseURL("fromcairn")} {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = conn.QueryRow(ctx, probe).Scan(&got)
		conn.Close(ctx)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if want := "2 21.50 a v3"; got != want {
			t.Errorf("%s: %q, want %q", u, got, want)
		}
	}
}
