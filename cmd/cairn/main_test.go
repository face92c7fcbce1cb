package main

import (
	"bufio"
	"context"
	stdsql "database/sql"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib"
)

var rewrite = flag.Bool("rewrite", false, "rewrite golden files in testdata/")

// binary is the cairn executable built once for the process tests.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "cairn-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cairn")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building cairn: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running cairn process.
type server struct {
	cmd  *exec.Cmd
	port int
	url  string
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs `cairn serve` on dataDir, with extra flags, and waits
// until it accepts connections.
func startServer(t *testing.T, dataDir string, flags ...string) *server {
	t.Helper()
	return startServerPort(t, freePort(t), dataDir, flags...)
}

// startServerPort is startServer on a given port.
func startServerPort(t *testing.T, port int, dataDir string, flags ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data", dataDir}, flags...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "connect with:") {
				ready <- sc.Text()
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("cairn did not start within 30s")
	}
	s := &server{cmd: cmd, port: port, url: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
	})
	return s
}

func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("cairn exited with %v after SIGTERM", err)
	}
}

func connect(t *testing.T, s *server) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// TestPsqlSession drives the real psql client through a session and
// compares its output with what PostgreSQL 15's psql prints
// (testdata/psql_session.out).
func TestPsqlSession(t *testing.T) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		t.Skip("psql is not installed (apt-get install postgresql-client)")
	}
	s := startServer(t, t.TempDir())
	script, err := os.ReadFile("testdata/psql_session.sql")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(psql, "-X", "-h", "127.0.0.1", "-p", fmt.Sprint(s.port), "-U", "postgres", "-d", "postgres", "-e")
	cmd.Stdin = strings.NewReader(string(script))
	cmd.Env = append(os.Environ(), "PGTZ=UTC", "PAGER=", "PSQL_PAGER=")
	out, _ := cmd.CombinedOutput()
	golden := "testdata/psql_session.out"
	if *rewrite {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != string(want) {
		t.Errorf("psql output differs from %s\n--- got ---\n%s\n--- want ---\n%s", golden, out, want)
	}
}

// TestKillRecovery commits rows, leaves a transaction open with uncommitted
// rows, kills the server with SIGKILL and restarts it: every committed row
// is there and no uncommitted one is.
func TestKillRecovery(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := startServer(t, dir)
	c := connect(t, s)
	if _, err := c.Exec(ctx, "CREATE TABLE acct (id int4 PRIMARY KEY, balance int8 NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 3; round++ {
		// Committed work: 50 autocommit inserts and one transaction of 50.
		base := round * 1000
		for i := 0; i < 50; i++ {
			if _, err := c.Exec(ctx, "INSERT INTO acct VALUES ($1, $2)", base+i, int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := 50; i < 100; i++ {
			if _, err := tx.Exec(ctx, "INSERT INTO acct VALUES ($1, $2)", base+i, int64(i)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE acct SET balance = balance + 1000 WHERE id >= $1 AND id < $2", base, base+10); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		// Uncommitted work on a second connection, open at the kill.
		open := connect(t, s)
		otx, err := open.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := otx.Exec(ctx, "INSERT INTO acct VALUES ($1, 1), ($2, 2)", base+500, base+501); err != nil {
			t.Fatal(err)
		}
		if _, err := otx.Exec(ctx, "DELETE FROM acct WHERE id = $1", base+1); err != nil {
			t.Fatal(err)
		}

		s.kill(t)
		s = startServer(t, dir)
		c = connect(t, s)
		var n, sum, uncommitted int64
		if err := c.QueryRow(ctx, "SELECT count(*), sum(balance) FROM acct").Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		wantN := int64(100 * (round + 1))
		wantSum := int64((round + 1) * (4950 + 10*1000))
		if n != wantN || sum != wantSum {
			t.Fatalf("round %d after kill -9: %d rows summing to %d, want %d rows summing to %d", round, n, sum, wantN, wantSum)
		}
		if err := c.QueryRow(ctx, "SELECT count(*) FROM acct WHERE id % 1000 >= 500").Scan(&uncommitted); err != nil {
			t.Fatal(err)
		}
		if uncommitted != 0 {
			t.Fatalf("round %d: %d uncommitted rows survived the crash", round, uncommitted)
		}
	}
	s.stop(t)
	// The amcheck of cairn: storage checksums and order, and every row
	// against its table, after the crashes.
	out, err := exec.Command(binary, "check", "--data", dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), ": ok (") {
		t.Fatalf("cairn check: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestPgx exercises pgx's extended protocol, its describe-then-execute
// cache, database/sql over pgx's stdlib, and error reporting.
func TestPgx(t *testing.T) {
	s := startServer(t, t.TempDir())
	ctx := context.Background()
	c := connect(t, s)
	if v := c.PgConn().ParameterStatus("server_version"); !strings.HasPrefix(v, "15.") {
		t.Fatalf("server_version = %q, want 15.x", v)
	}
	if _, err := c.Exec(ctx, `CREATE TABLE people (
		id int8 PRIMARY KEY, name varchar(20) NOT NULL, born date, height float8,
		score numeric(6,2), active bool DEFAULT true, seen timestamptz)`); err != nil {
		t.Fatal(err)
	}
	born := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
	seen := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
	for i, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol} {
		id := int64(i) + 1
		if _, err := c.Exec(ctx, "INSERT INTO people (id, name, born, height, score, seen) VALUES ($1, $2, $3, $4, $5, $6)",
			mode, id, "ada", born, 1.68, "12.50", seen); err != nil {
			t.Fatalf("mode %v: insert: %v", mode, err)
		}
		var name string
		var gotBorn, gotSeen time.Time
		var height float64
		var score string
		var active bool
		err := c.QueryRow(ctx, "SELECT name, born, height, score::text, active, seen FROM people WHERE id = $1", mode, id).
			Scan(&name, &gotBorn, &height, &score, &active, &gotSeen)
		if err != nil {
			t.Fatalf("mode %v: select: %v", mode, err)
		}
		if name != "ada" || !gotBorn.Equal(born) || height != 1.68 || score != "12.50" || !active || !gotSeen.Equal(seen) {
			t.Fatalf("mode %v: got %q %v %v %q %v %v", mode, name, gotBorn, height, score, active, gotSeen)
		}
	}
	var count int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM people WHERE name LIKE $1", "a%").Scan(&count); err != nil || count != 3 {
		t.Fatalf("count = %d, %v; want 3", count, err)
	}

	_, err := c.Exec(ctx, "INSERT INTO people (id, name) VALUES (1, 'dup')")
	var pgErr *pgconn.PgError
	if !asPgError(err, &pgErr) || pgErr.Code != "23505" {
		t.Fatalf("duplicate insert: %v, want 23505", err)
	}
	_, err = c.Exec(ctx, "SELECT nosuch FROM people")
	if !asPgError(err, &pgErr) || pgErr.Code != "42703" || pgErr.Position != 8 {
		t.Fatalf("unknown column: %+v, want 42703 at 8", err)
	}
	_, err = c.Exec(ctx, "SELECT * FROM people WHERE", pgx.QueryExecModeSimpleProtocol)
	if !asPgError(err, &pgErr) || pgErr.Code != "42601" || pgErr.Position != 27 {
		t.Fatalf("syntax error: %+v, want 42601 at 27", err)
	}
	// The connection is still usable after errors.
	var one int
	if err := c.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("after errors: %v", err)
	}
}

// TestPgxArrays sends and reads arrays through pgx in each query mode:
// binary parameters and results in the extended protocol, text in the
// simple one, and = ANY ($1) with a Go slice.
func TestPgxArrays(t *testing.T) {
	s := startServer(t, t.TempDir())
	ctx := context.Background()
	c := connect(t, s)
	if _, err := c.Exec(ctx, "CREATE TABLE tags (id int4 PRIMARY KEY, tag text)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "INSERT INTO tags VALUES (1, 'red'), (2, 'blue'), (3, NULL)"); err != nil {
		t.Fatal(err)
	}
	a, b := "a b", `q"\`
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeExec, pgx.QueryExecModeSimpleProtocol} {
		var ints []int32
		var texts []*string
		var empty []int64
		if err := c.QueryRow(ctx, "SELECT $1::int4[], $2::text[], $3::int8[]", mode,
			[]int32{1, 2, 3}, []*string{&a, nil, &b}, []int64{}).Scan(&ints, &texts, &empty); err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		if len(ints) != 3 || ints[2] != 3 || len(texts) != 3 || *texts[0] != a || texts[1] != nil || *texts[2] != b || empty == nil || len(empty) != 0 {
			t.Fatalf("mode %v: got %v %v %v", mode, ints, texts, empty)
		}
		var ids []int32
		if err := c.QueryRow(ctx, "SELECT array_agg(id ORDER BY id) FROM tags WHERE id = ANY ($1) OR tag = ANY ($2)", mode,
			[]int32{3}, []string{"blue"}).Scan(&ids); err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		if len(ids) != 2 || ids[0] != 2 || ids[1] != 3 {
			t.Fatalf("mode %v: ids %v", mode, ids)
		}
	}
}

func asPgError(err error, target **pgconn.PgError) bool {
	pe, ok := err.(*pgconn.PgError)
	if ok {
		*target = pe
	}
	return ok
}

// TestDatabaseSQLOverPgx uses database/sql with pgx's stdlib driver, the way
// most Go programs reach PostgreSQL.
func TestDatabaseSQLOverPgx(t *testing.T) {
	s := startServer(t, t.TempDir())
	db, err := stdsql.Open("pgx", s.url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE notes (id int4 PRIMARY KEY, body text, at timestamp)"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 12, 30, 0, 0, time.UTC)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare("INSERT INTO notes VALUES ($1, $2, $3)")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		if _, err := stmt.Exec(i, fmt.Sprintf("note %d", i), at.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec("UPDATE notes SET body = body || '!' WHERE id % 2 = 0")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 5 {
		t.Fatalf("UPDATE affected %d rows, want 5", n)
	}
	var body string
	var got time.Time
	if err := db.QueryRow("SELECT body, at FROM notes WHERE id = $1", 4).Scan(&body, &got); err != nil {
		t.Fatal(err)
	}
	if body != "note 4!" || !got.Equal(at.Add(4*time.Minute)) {
		t.Fatalf("got %q at %v", body, got)
	}
}
