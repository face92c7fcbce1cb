package sql

import (
	"bytes"
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/sql/types"
)

// syncBuffer is a log destination sessions may write to concurrently.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newLoggedEngine is an engine whose log goes to the returned buffer, with
// the server settings given.
func newLoggedEngine(t *testing.T, settings map[string]string) (*Engine, *syncBuffer) {
	t.Helper()
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var buf syncBuffer
	e, err := NewEngine(store, Options{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	return e, &buf
}

func TestEngineStats(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	idle := newTestSession(t, e)
	for _, q := range []string{"CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)", "UPDATE t SET a = 2",
		"SELECT * FROM t", "DELETE FROM t", "BEGIN"} {
		mustRun(t, s, q)
	}
	if _, err := run(idle, "SELECT 1/0"); err == nil {
		t.Fatal("1/0 succeeded")
	}
	st := e.Stats()
	for kind, want := range map[string]uint64{"ddl": 1, "insert": 1, "update": 1, "select": 2, "delete": 1, "other": 1} {
		if got := st.StatementSeconds[kind].Count; got != want {
			t.Errorf("%s statements: %d, want %d", kind, got, want)
		}
	}
	if st.Sessions["idle in transaction"] != 1 || st.Sessions["idle"] != 1 || st.Sessions["active"] != 0 {
		t.Errorf("sessions by state: %v", st.Sessions)
	}
	if st.Txn.Commits < 5 || st.Txn.Rollbacks < 1 {
		t.Errorf("txn stats %+v", st.Txn)
	}
}

// TestStatStatements: constants are normalized to $n, calls and rows add
// up per entry, failed statements are not counted, and
// pg_stat_statements_reset empties the view.
func TestStatStatements(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE t (a int, b text)")
	for _, q := range []string{"INSERT INTO t VALUES (1, 'x')", "INSERT INTO t VALUES (2, 'y')", "INSERT INTO t VALUES (3, 'z')"} {
		mustRun(t, s, q)
	}
	mustRun(t, s, "SELECT * FROM t WHERE a > 1")
	if _, err := run(s, "SELECT * FROM t WHERE a > 1/0"); err == nil {
		t.Fatal("1/0 succeeded")
	}
	// A prepared statement's parameters stay $n; its calls add up.
	p, err := s.Prepare(context.Background(), "SELECT a FROM t WHERE b = $1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"x", "y"} {
		if _, err := s.Execute(context.Background(), p, []types.Datum{v}); err != nil {
			t.Fatal(err)
		}
	}
	got := rowsText(mustRun(t, s, "SELECT query, calls, rows FROM pg_stat_statements ORDER BY query"))
	want := "[CREATE TABLE t (a int, b text) 1 0]" +
		"[INSERT INTO t VALUES ($1, $2) 3 3]" +
		"[SELECT * FROM t WHERE a > $1 1 2]" +
		"[SELECT a FROM t WHERE b = $1 2 2]"
	if got != want {
		t.Errorf("pg_stat_statements:\n got %s\nwant %s", got, want)
	}
	mustRun(t, s, "SELECT pg_stat_statements_reset()")
	if got := rowsText(mustRun(t, s, "SELECT query FROM pg_stat_statements")); got != "[SELECT pg_stat_statements_reset()]" {
		t.Errorf("after reset: %s", got)
	}
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM pg_stat_statements WHERE total_exec_time >= 0 AND mean_exec_time >= 0 AND userid = 10 AND dbid > 0 AND toplevel")); got != "[2]" {
		t.Errorf("columns: %s", got)
	}
	mustRun(t, s, "SET pg_stat_statements.track = none")
	mustRun(t, s, "SELECT 42 FROM t")
	mustRun(t, s, "RESET pg_stat_statements.track")
	if got := rowsText(mustRun(t, s, "SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%FROM t'")); got != "[0]" {
		t.Errorf("counted with pg_stat_statements.track = none: %s", got)
	}
	mustRun(t, s, "CREATE ROLE plain LOGIN")
	plain, err := e.NewSession("plain", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := run(plain, "SELECT pg_stat_statements_reset()"); pgerr.Code(err) != pgerr.InsufficientPrivilege {
		t.Errorf("reset by a plain role: %v, want 42501", err)
	}
	if got := rowsText(mustRun(t, plain, "SELECT DISTINCT query FROM pg_stat_statements WHERE userid = 10")); got != "[<insufficient privilege>]" {
		t.Errorf("another role's queries shown to a plain role: %s", got)
	}
	// pg_read_all_stats (here through pg_monitor) shows every query.
	mustRun(t, s, "GRANT pg_monitor TO plain")
	if got := rowsText(mustRun(t, plain, "SELECT count(*) FROM pg_stat_statements WHERE userid = 10 AND query = '<insufficient privilege>'")); got != "[0]" {
		t.Errorf("queries hidden from pg_monitor's member: %s", got)
	}
}

// TestLogMinDurationStatement: with 0 every statement is logged with its
// duration and text; a bound parameter's value never appears.
func TestLogMinDurationStatement(t *testing.T) {
	e, logs := newLoggedEngine(t, map[string]string{"log_min_duration_statement": "0"})
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE t (a int, secret text)")
	p, err := s.Prepare(context.Background(), "INSERT INTO t VALUES (1, $1)", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Execute(context.Background(), p, []types.Datum{"hunter2-param"}); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "duration: ") || !strings.Contains(out, `statement="INSERT INTO t VALUES (1, $1)"`) {
		t.Errorf("log lacks the statement:\n%s", out)
	}
	if strings.Contains(out, "hunter2-param") {
		t.Errorf("log shows a parameter value:\n%s", out)
	}
	mustRun(t, s, "SET log_min_duration_statement = -1")
	before := len(logs.String())
	mustRun(t, s, "SELECT 1")
	if len(logs.String()) != before {
		t.Errorf("logged with log_min_duration_statement = -1:\n%s", logs.String()[before:])
	}
	mustRun(t, s, "RESET log_min_duration_statement")
	if got := rowsText(mustRun(t, s, "SHOW log_min_duration_statement")); got != "[0]" {
		t.Errorf("RESET gives %s, want the server's 0", got)
	}
}

func TestLogSettings(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, tc := range []struct{ q, want string }{
		{"SHOW log_min_duration_statement", "[-1]"},
		{"SET log_min_duration_statement = 250", ""},
		{"SHOW log_min_duration_statement", "[250ms]"},
		{"SET log_min_duration_statement = '2s'", ""},
		{"SHOW log_min_duration_statement", "[2s]"},
		{"SET log_min_duration_statement = -2", "22023: -2 ms is outside the valid range for parameter \"log_min_duration_statement\" (-1 .. 2147483647)"},
		{"SHOW deadlock_timeout", "[1s]"},
		{"SET deadlock_timeout = 0", "22023: 0 ms is outside the valid range for parameter \"deadlock_timeout\" (1 .. 2147483647)"},
		{"SET log_lock_waits = on", ""},
		{"SHOW log_checkpoints", "[on]"},
		{"SET log_connections = on", "55P02: parameter \"log_connections\" cannot be set after connection start"},
		{"SET log_checkpoints = off", "55P02: parameter \"log_checkpoints\" cannot be changed now"},
		{"SELECT context FROM pg_settings WHERE name = 'log_connections'", "[backend]"},
	} {
		if got := outcome(s, tc.q); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.q, got, tc.want)
		}
	}
}

// TestLogLockWaits: a wait longer than deadlock_timeout is logged while it
// lasts, with log_lock_waits on.
func TestLogLockWaits(t *testing.T) {
	e, logs := newLoggedEngine(t, map[string]string{"log_lock_waits": "on", "deadlock_timeout": "1ms"})
	a, b := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "CREATE TABLE t (a int)")
	mustRun(t, a, "INSERT INTO t VALUES (1)")
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "UPDATE t SET a = 2")
	done := make(chan error, 1)
	go func() {
		_, err := run(b, "UPDATE t SET a = 3")
		done <- err
	}()
	awaitWaiting(t, a, b.BackendPID(), done)
	for !strings.Contains(logs.String(), "still waiting for a lock on transaction") {
		select {
		case err := <-done:
			t.Fatalf("the wait ended (%v) before it was logged", err)
		default:
		}
		runtime.Gosched()
	}
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := e.Stats().Txn.LockWaits; n != 1 {
		t.Errorf("lock waits: %d, want 1", n)
	}
}

// TestPasswordNeverShown: a statement carrying a password is neither
// logged nor kept in pg_stat_statements with its text.
func TestPasswordNeverShown(t *testing.T) {
	e, logs := newLoggedEngine(t, map[string]string{"log_min_duration_statement": "0"})
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE ROLE alice LOGIN PASSWORD 'sekrit-pw-1'")
	mustRun(t, s, "ALTER ROLE alice PASSWORD 'sekrit-pw-2'")
	got := rowsText(mustRun(t, s, "SELECT query FROM pg_stat_statements WHERE query LIKE '%ROLE%' ORDER BY query"))
	for _, text := range []string{logs.String(), got} {
		if strings.Contains(text, "sekrit") {
			t.Errorf("a password is shown:\n%s", text)
		}
	}
	if !strings.Contains(got, "CREATE ROLE"+passwordHidden) || !strings.Contains(logs.String(), "ALTER ROLE"+passwordHidden) {
		t.Errorf("the statements are not shown hidden:\n%s\n%s", got, logs.String())
	}
}

// TestStatUserTables: scans, written versions, live and dead versions
// and maintenance times per table.
func TestStatUserTables(t *testing.T) {
	e := newTestEngine(t)
	s := newTestSession(t, e)
	for _, q := range []string{
		"CREATE TABLE k (id int PRIMARY KEY, v int)",
		"CREATE TABLE n (v int)",
		"INSERT INTO k SELECT g, g FROM generate_series(1, 10) g",
		"INSERT INTO n VALUES (1), (2)",
		"UPDATE k SET v = 0 WHERE id <= 3",
		"DELETE FROM k WHERE id > 8",
		"SELECT * FROM k WHERE id = 5",
		"SELECT * FROM n",
	} {
		mustRun(t, s, q)
	}
	const q = "SELECT relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del, n_live_tup, n_dead_tup, " +
		"last_vacuum IS NOT NULL, vacuum_count, last_analyze IS NOT NULL, analyze_count FROM pg_stat_user_tables ORDER BY relname"
	// k: the UPDATE's and DELETE's ranges read the table (cairn's planner
	// takes the primary key for equality only); the lookup of id 5 goes
	// by the key.
	want := "[k 2 1 10 3 2 8 5 false 0 false 0][n 1 <nil> 2 0 0 2 0 false 0 false 0]"
	if got := rowsText(mustRun(t, s, q)); got != want {
		t.Errorf("before vacuum:\n got %s\nwant %s", got, want)
	}
	mustRun(t, s, "VACUUM ANALYZE k")
	want = "[k 2 1 10 3 2 8 0 true 1 true 1][n 1 <nil> 2 0 0 2 0 false 0 false 0]"
	if got := rowsText(mustRun(t, s, q)); got != want {
		t.Errorf("after vacuum:\n got %s\nwant %s", got, want)
	}
}
