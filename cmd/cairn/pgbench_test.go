package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cairndb/cairn/internal/pgtest"
)

// TestPgbench initializes pgbench's tables with `pgbench -i
// --foreign-keys` (CREATE TABLE with fillfactor, COPY FROM STDIN, VACUUM,
// ALTER TABLE ADD PRIMARY KEY, ALTER TABLE ADD FOREIGN KEY) and runs its default TPC-B-like script with four clients, then
// checks that no transaction failed and that the balances add up.
func TestPgbench(t *testing.T) {
	pgbench, err := exec.LookPath("pgbench")
	if err != nil {
		t.Skip("pgbench is not installed (apt-get install postgresql-client)")
	}
	if testing.Short() {
		t.Skip("runs pgbench for several seconds")
	}
	s := startServer(t, t.TempDir())
	conn := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-U", "postgres", "postgres"}
	runPgbench := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, pgbench, append(args, conn...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("pgbench %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	runPgbench("-i", "-s", "1", "--foreign-keys")
	out := runPgbench("-c", "4", "-j", "2", "-T", "3")
	if !strings.Contains(out, "number of failed transactions: 0 ") {
		t.Fatalf("pgbench run had failures:\n%s", out)
	}
	m := regexp.MustCompile(`number of transactions actually processed: (\d+)`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Fatalf("pgbench processed no transactions:\n%s", out)
	}
	t.Logf("pgbench: %s", regexp.MustCompile(`tps = [0-9.]+`).FindString(out))

	c := connect(t, s)
	ctx := context.Background()
	var accounts, history int64
	var abalance, bbalance, tbalance, delta int64
	err = c.QueryRow(ctx, `SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_history),
		(SELECT sum(abalance) FROM pgbench_accounts), (SELECT sum(bbalance) FROM pgbench_branches),
		(SELECT sum(tbalance) FROM pgbench_tellers), (SELECT coalesce(sum(delta), 0) FROM pgbench_history)`).
		Scan(&accounts, &history, &abalance, &bbalance, &tbalance, &delta)
	if err != nil {
		t.Fatal(err)
	}
	if accounts != 100000 {
		t.Errorf("pgbench_accounts has %d rows, want 100000", accounts)
	}
	if strconv.FormatInt(history, 10) != m[1] {
		t.Errorf("pgbench_history has %d rows, pgbench committed %s transactions", history, m[1])
	}
	if abalance != delta || bbalance != delta || tbalance != delta {
		t.Errorf("balances disagree: accounts %d, branches %d, tellers %d, history deltas %d", abalance, bbalance, tbalance, delta)
	}
	var filler string
	if err := c.QueryRow(ctx, "SELECT filler FROM pgbench_accounts WHERE aid = 1").Scan(&filler); err != nil {
		t.Fatal(err)
	}
	if filler != strings.Repeat(" ", 84) {
		t.Errorf("filler = %q, want 84 blanks (char(84))", filler)
	}
}

// TestCopyFromDifferential sends the same COPY FROM STDIN streams to cairn
// and to PostgreSQL 15 through pgconn's CopyFrom and compares the command
// tags, SQLSTATEs and the rows stored; after each failure the connection
// must still answer.
func TestCopyFromDifferential(t *testing.T) {
	pg := pgtest.Start(t)
	s := startServer(t, t.TempDir())
	ctx := context.Background()
	dialURL := func(url string) *pgx.Conn {
		c, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		return c
	}
	conns := map[string]*pgx.Conn{"postgres": dialURL(pg.URL()), "cairn": dialURL(s.url)}

	const table = `CREATE TABLE cp (id int PRIMARY KEY, name varchar(6) NOT NULL, pad char(3), n numeric(4,1) DEFAULT 2.5, note text)`
	steps := []struct {
		sql, data string
		failWith  string // the reader fails (CopyFail) after data
	}{
		{sql: "COPY cp FROM STDIN", data: "1\tone\ta\t1.25\t\\N\n2\ttwo\t\\N\t\\N\ttab\\there\n3\tthree\tabc\t0\tnew\\nline\\\\\n\\.\n"},
		{sql: "COPY cp (id, name) FROM STDIN", data: "4\tfour\n5\tfive\n"},
		{sql: "COPY cp (name, id, note) FROM STDIN WITH (DELIMITER '|', NULL 'nil')", data: "six|6|nil\nseven|7|x\\|y\n"},
		{sql: "COPY cp FROM STDIN (FREEZE)", data: "8\teight\t\\N\t\\N\t\\N\r\n9\tnine\t\\N\t\\N\t\\x41\\101\r\n"},
		{sql: "COPY cp FROM STDIN", data: "8\teight\t\\N\t\\N\t\\N\r\n9\tnine\t\\N\t\\N\t\\x41\\101\r\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\t\\N\t\\N\t\\N\n1\tdup\t\\N\t\\N\t\\N\n"},
		{sql: "COPY cp FROM STDIN", data: "10\t\\N\t\\N\t\\N\t\\N\n"},
		{sql: "COPY cp FROM STDIN", data: "10\ttoolong!\t\\N\t\\N\t\\N\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\tabcd\t\\N\t\\N\n"},
		{sql: "COPY cp FROM STDIN", data: "ten\tten\t\\N\t\\N\t\\N\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\t\\N\t\\N\t\\N\textra\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\t\\N\t999.99\t\\N\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\t\\N\t\\N\t\\xff\n"},
		{sql: "COPY cp FROM STDIN", data: "10\tten\t\\N\t\\N\t\\N\n", failWith: "client gave up"},
		{sql: "COPY nosuch FROM STDIN", data: "1\n"},
		{sql: "COPY cp (id, nosuch) FROM STDIN", data: "1\t2\n"},
		{sql: "COPY cp (id, id) FROM STDIN", data: "1\t2\n"},
	}
	results := make(map[string][]string)
	for server, c := range conns {
		if _, err := c.Exec(ctx, table); err != nil {
			t.Fatalf("%s: %v", server, err)
		}
		for _, st := range steps {
			var r io.Reader = strings.NewReader(st.data)
			if st.failWith != "" {
				r = io.MultiReader(r, failingReader{errors.New(st.failWith)})
			}
			tag, err := c.PgConn().CopyFrom(ctx, r, st.sql)
			results[server] = append(results[server], st.sql+": "+outcome(tag, err))
			var one int
			if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
				t.Fatalf("%s: connection unusable after %q: %v", server, st.sql, err)
			}
		}
		rows, err := c.Query(ctx, "SELECT id, name, pad, n::text, note FROM cp ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int32
			var name string
			var pad, n, note *string
			if err := rows.Scan(&id, &name, &pad, &n, &note); err != nil {
				t.Fatal(err)
			}
			results[server] = append(results[server], fmt.Sprintf("row %d %q %s %s %s", id, name, str(pad), str(n), str(note)))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	compareSteps(t, results)
}

func str(s *string) string {
	if s == nil {
		return "NULL"
	}
	return strconv.Quote(*s)
}

// outcome renders a command's result: its tag, or its SQLSTATE.
func outcome(tag pgconn.CommandTag, err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return "ERROR " + pe.Code
	}
	if err != nil {
		return "ERROR " + err.Error()
	}
	return tag.String()
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }
