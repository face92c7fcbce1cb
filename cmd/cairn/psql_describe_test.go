package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgtest"
)

// describeSchema is created on cairn and on PostgreSQL 15 before the
// describe commands run.
const describeSchema = `
CREATE TABLE customers (
  id int PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name varchar(100) DEFAULT 'anon',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id int NOT NULL,
  amount numeric(10,2) NOT NULL DEFAULT 0,
  status text DEFAULT 'new',
  placed_on date,
  "Note" text
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX orders_status_amount ON orders (status, amount DESC);
CREATE TABLE events (at timestamp, kind smallint, ok boolean, score double precision);
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE VIEW order_totals AS SELECT c.email, count(*) AS n, sum(o.amount) AS total
  FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.status <> 'void' GROUP BY c.email;
CREATE TABLE "Mixed Case" ("Id" int PRIMARY KEY, "select" text NOT NULL, c char(3) DEFAULT 'ab',
  n numeric DEFAULT -1.5, b boolean DEFAULT true, d date DEFAULT current_date, v varchar DEFAULT 'x');
CREATE TABLE pairs (a int, b int, c text, PRIMARY KEY (a, b), UNIQUE (b, c), CONSTRAINT pairs_c_named UNIQUE (c));
CREATE INDEX pairs_multi ON pairs (c DESC, a);
CREATE TABLE defs (i int DEFAULT 1 + 2, t timestamp DEFAULT now(), s text DEFAULT 'it''s',
  f float8 DEFAULT 1e10, x int8 DEFAULT -5, y numeric DEFAULT (1 + 2) * 2.5, z int DEFAULT NULL);
`

// describeCommands are the meta-commands whose output must match
// PostgreSQL's exactly.
var describeCommands = []string{
	`\dt`, `\d`, `\di`, `\dv`, `\dn`,
	`\d big_orders`, `\d customers_pkey`, `\d orders_status_amount`,
	`\dt ord*`, `\d nosuchtable`,
	`\d customers`, `\d orders`, `\d events`,
	`\d+ customers`, `\d+ orders`, `\d+ events`, `\d+ customers_pkey`,
	`\d "Mixed Case"`, `\d pairs`, `\d+ defs`, `\d pairs_b_c_key`,
	`\du`, `\dg`, `\d+ big_orders`, `\d+ order_totals`,
	`\dn+`, `\dp`, `\dT`, `\ds`, `\db`,
}

// runPsql runs one psql -c command and returns its output and exit code.
func runPsql(t *testing.T, psql string, port int, command string) string {
	t.Helper()
	cmd := exec.Command(psql, "-X", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "-U", "postgres", "-d", "postgres", "-c", command)
	cmd.Env = append(os.Environ(), "PGTZ=UTC", "PAGER=", "PSQL_PAGER=", "PGOPTIONS=")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("$ psql -c '%s'  (exit %d)\n%s", command, code, out)
}

// TestPsqlDescribe runs psql's describe meta-commands against cairn and
// against PostgreSQL 15 over the same schema and requires the same output.
// The transcript is kept in testdata/psql_describe.out.
func TestPsqlDescribe(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql is not installed (apt-get install postgresql-client)")
	}
	pg := pgtest.Start(t)
	s := startServer(t, t.TempDir())
	for _, port := range []int{pg.Port, s.port} {
		if out := runPsql(t, psql, port, describeSchema); strings.Contains(out, "ERROR") {
			t.Fatalf("creating the schema on port %d:\n%s", port, out)
		}
	}
	var transcript strings.Builder
	for _, c := range describeCommands {
		want := runPsql(t, psql, pg.Port, c)
		got := runPsql(t, psql, s.port, c)
		if got != want {
			t.Errorf("cairn's output differs from PostgreSQL's\n--- cairn ---\n%s--- PostgreSQL ---\n%s", got, want)
		}
		transcript.WriteString(got + "\n")
	}
	golden := "testdata/psql_describe.out"
	if *rewrite {
		if err := os.WriteFile(golden, []byte(transcript.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if transcript.String() != string(want) {
		t.Errorf("psql output differs from %s\n--- got ---\n%s", golden, transcript.String())
	}
}
