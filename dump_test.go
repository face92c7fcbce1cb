package cairn_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cairndb/cairn/internal/pgtest"
)

// dumpSchema is the database TestPgDump dumps: tables with a primary key,
// a UNIQUE constraint, CHECK and FOREIGN KEY constraints and indexes, views on a join, on another view, with
// aggregates, a subquery, a UNION and a WITH query, and values COPY must
// escape.
var dumpSchema = []string{
	`create table customers (id int primary key, name text not null, email varchar(100), active bool default true,
		joined date, code text unique)`,
	`create table orders (id bigint primary key, customer_id int not null references customers on delete cascade,
		total numeric(12,2) default 0 check (total >= 0), note text, placed timestamptz,
		constraint placed_with_note check (placed is null or note is not null or total < 100))`,
	`create table order_codes (code text references customers (code) match full on update cascade deferrable initially deferred)`,
	`create unique index customers_email on customers (email)`,
	`create index orders_customer on orders (customer_id, placed)`,
	`create view big_orders as select o.id, c.name, o.total from orders o join customers c on c.id = o.customer_id
		where o.total > 100`,
	`create view big_names as select name from big_orders`,
	`create view customer_counts as select customer_id, count(*) as n, sum(total) as total from orders group by customer_id`,
	`create view customer_ids as select id from customers union select customer_id from orders`,
	`insert into customers values (1, 'Ann', 'ann@example.com', true, '2024-02-29', 'A1'),
		(2, E'Bob\ttab\nnewline\\back', null, false, null, null), (3, 'Zoë ''quoted''', 'z@example.com', null, '1999-12-31', 'Z')`,
	`insert into orders values (10, 1, 250.50, 'first', '2024-03-01 12:00:00+00'), (11, 1, 99.99, null, null),
		(12, 3, 1000, E'a|b\\c', '2025-01-01 00:00:00+00')`,
	// A schema of its own, with a name public also holds.
	`create schema sales`,
	`comment on schema sales is 'the sales team''s tables'`,
	`create table sales.orders (id serial primary key, region text not null unique, customer_id int references customers)`,
	`create index orders_customer on sales.orders (customer_id)`,
	`create view sales.regions as select region from sales.orders`,
	`create sequence sales.invoice_no start 100`,
	`insert into sales.orders (region, customer_id) values ('north', 1), ('south', null)`,
}

// dumpViewsAsStored are views whose queries cairn's pg_get_viewdef
// prints as stored rather than as PostgreSQL lays them out (a subquery, a
// UNION of columns of different types, a WITH query): the dump restores
// to the same views, in different text.
var dumpViewsAsStored = []string{
	`create view with_orders as select * from customers where id in (select customer_id from orders where total > 50)`,
	`create view all_ids as select id from customers union select id from orders`,
	`create view ranked as with r as (select id, total from orders) select r.id from r where r.total > 1`,
}

// TestPgDump runs PostgreSQL 15's pg_dump against cairn. For a schema
// whose views cairn's pg_get_viewdef renders, the dump is PostgreSQL's
// dump of the same schema, byte for byte. The dump must
// restore into a fresh cairn and dump again to the same text (through
// psql, through pg_restore from the custom format, in parallel from the
// directory format, and as INSERT statements), and restore
// into PostgreSQL to a database that PostgreSQL dumps exactly as it dumps
// the same schema made directly (pg_dump's text differs from cairn's only
// in how pg_get_viewdef lays out a view's query, which PostgreSQL parses
// back the same).
func TestPgDump(t *testing.T) {
	if testing.Short() {
		t.Skip("runs pg_dump against PostgreSQL and cairn")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg := pgtest.Start(t)
	exec1 := func(url string, stmts ...string) {
		t.Helper()
		execAll(ctx, t, url, stmts...)
	}
	// Without the views cairn prints as stored, cairn's dump is
	// PostgreSQL's.
	source := startCairnServer(t)
	exec1(source, dumpSchema...)
	exec1(pg.URL(), "create database direct", "create database core", "create database fromcairn")
	exec1(pg.DatabaseURL("core"), dumpSchema...)
	if got, want := pgDumpURL(ctx, t, source), pgDumpURL(ctx, t, pg.DatabaseURL("core")); got != want {
		t.Errorf("cairn's dump:\n%s\nPostgreSQL's, of the same schema:\n%s", got, want)
	}
	exec1(source, dumpViewsAsStored...)
	dump := pgDumpURL(ctx, t, source)

	// Into a fresh cairn, and out again.
	again := startCairnServer(t)
	psqlFile(ctx, t, again, dump)
	if redump := pgDumpURL(ctx, t, again); redump != dump {
		t.Errorf("dump after restoring into cairn differs:\n%s\nfirst dump:\n%s", redump, dump)
	}

	// The custom format, through pg_restore.
	archive, stderr := runPGTool(ctx, t, "", "pg_dump", "-Fc", source)
	if stderr != "" {
		t.Fatalf("pg_dump -Fc: %s", stderr)
	}
	restored := startCairnServer(t)
	if _, stderr := runPGTool(ctx, t, archive, "pg_restore", restored); stderr != "" {
		t.Fatalf("pg_restore: %s", stderr)
	}
	if redump := pgDumpURL(ctx, t, restored); redump != dump {
		t.Errorf("dump after pg_restore into cairn differs:\n%s\nfirst dump:\n%s", redump, dump)
	}

	// The directory format, dumped and restored by two jobs each (the
	// workers share the leader's snapshot: pg_export_snapshot).
	dir := filepath.Join(t.TempDir(), "dump")
	if _, stderr := runPGTool(ctx, t, "", "pg_dump", "-Fd", "-j", "2", "-f", dir, source); stderr != "" {
		t.Fatalf("pg_dump -Fd -j 2: %s", stderr)
	}
	parallel := startCairnServer(t)
	if _, stderr := runPGTool(ctx, t, "", "pg_restore", "-j", "2", dir, parallel); stderr != "" {
		t.Fatalf("pg_restore -j 2: %s", stderr)
	}
	if redump := pgDumpURL(ctx, t, parallel); redump != dump {
		t.Errorf("dump after pg_restore -j 2 into cairn differs:\n%s\nfirst dump:\n%s", redump, dump)
	}

	// With INSERT statements for the data (read through a cursor).
	inserts, stderr := runPGTool(ctx, t, "", "pg_dump", "--inserts", source)
	if stderr != "" {
		t.Fatalf("pg_dump --inserts: %s", stderr)
	}
	fromInserts := startCairnServer(t)
	psqlFile(ctx, t, fromInserts, inserts)
	if redump := pgDumpURL(ctx, t, fromInserts); redump != dump {
		t.Errorf("dump after restoring INSERTs into cairn differs:\n%s\nfirst dump:\n%s", redump, dump)
	}

	// Into PostgreSQL, compared with the same schema made there.
	exec1(pg.DatabaseURL("direct"), append(dumpSchema, dumpViewsAsStored...)...)
	psqlFile(ctx, t, pg.DatabaseURL("fromcairn"), dump)
	want, got := pgDumpURL(ctx, t, pg.DatabaseURL("direct")), pgDumpURL(ctx, t, pg.DatabaseURL("fromcairn"))
	if got != want {
		t.Errorf("PostgreSQL's dump of cairn's dump restored:\n%s\nwant (the schema made in PostgreSQL):\n%s", got, want)
	}
}

// execAll runs stmts on the database at url, failing the test at the
// first error.
func execAll(ctx context.Context, t *testing.T, url string, stmts ...string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// pgDumpURL runs pg_dump on the database at u and returns its output
// without the lines that change from run to run (\restrict keys) or name
// the server.
func pgDumpURL(ctx context.Context, t *testing.T, u string) string {
	t.Helper()
	out, stderr := runPGTool(ctx, t, "", "pg_dump", u)
	if stderr != "" {
		t.Fatalf("pg_dump %s: %s", u, stderr)
	}
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, `\restrict `) || strings.HasPrefix(l, `\unrestrict `) || strings.HasPrefix(l, "-- Dumped from database version") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// psqlFile runs script with psql on the database at u, stopping at the
// first error.
func psqlFile(ctx context.Context, t *testing.T, u, script string) {
	t.Helper()
	if _, stderr := runPGTool(ctx, t, script, "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-", u); stderr != "" {
		t.Fatalf("psql on %s: %s", u, stderr)
	}
}

// runPGTool runs one of PostgreSQL 15's client programs with stdin as its
// input; the last argument is the connection URL, passed as -d with its
// parts.
func runPGTool(ctx context.Context, t *testing.T, stdin, prog string, args ...string) (stdout, stderr string) {
	t.Helper()
	path := filepath.Join(pgtest.BinDir, prog)
	if _, err := exec.LookPath(path); err != nil {
		t.Skipf("%s not installed: %v", prog, err)
	}
	u, err := url.Parse(args[len(args)-1])
	if err != nil {
		t.Fatal(err)
	}
	args = append(args[:len(args)-1], "-h", u.Hostname(), "-p", u.Port(), "-U", u.User.Username(), "-d", strings.TrimPrefix(u.Path, "/"))
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = []string{"PGCONNECT_TIMEOUT=10", "PGSSLMODE=disable", "LC_ALL=C", "PGTZ=UTC"}
	var out, errb bytes.Buffer
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil && errb.Len() == 0 {
		errb.WriteString(fmt.Sprintf("%s: %v", prog, err))
	}
	return out.String(), errb.String()
}
