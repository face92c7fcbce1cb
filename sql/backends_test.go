package sql

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
)

func TestBackendPID(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	if a.BackendPID() <= 0 || a.BackendPID() == b.BackendPID() {
		t.Fatalf("process ids %d and %d: want two distinct positive ids", a.BackendPID(), b.BackendPID())
	}
	for _, s := range []*Session{a, b} {
		if got, want := rowsText(mustRun(t, s, "SELECT pg_backend_pid()")), fmt.Sprintf("[%d]", s.BackendPID()); got != want {
			t.Errorf("pg_backend_pid() = %s, want %s", got, want)
		}
	}
	if _, err := run(a, "SELECT pg_backend_pid(1)"); pgerr.Code(err) != pgerr.UndefinedFunction {
		t.Errorf("pg_backend_pid(1): %v, want 42883", err)
	}
	// Ids wrap below backendPIDMax and skip those in use; a closed
	// session's id is free again.
	e.backends.mu.Lock()
	e.backends.mu.last = backendPIDMax
	e.backends.mu.Unlock()
	c := newTestSession(t, e)
	if c.BackendPID() == a.BackendPID() || c.BackendPID() == b.BackendPID() || c.BackendPID() > backendPIDMax {
		t.Fatalf("after wrapping: id %d, with %d and %d live", c.BackendPID(), a.BackendPID(), b.BackendPID())
	}
	pid := a.BackendPID()
	a.Close()
	e.backends.mu.Lock()
	e.backends.mu.last = pid - 1
	e.backends.mu.Unlock()
	if d := newTestSession(t, e); d.BackendPID() != pid {
		t.Fatalf("a closed session's id %d is not reused: got %d", pid, d.BackendPID())
	}
}

// awaitWaiting runs pg_locks on observer until the session with process
// id pid is seen waiting for a lock; done reports the waiting statement's
// end, which fails the test if it comes first.
func awaitWaiting(t *testing.T, observer *Session, pid int32, done <-chan error) {
	t.Helper()
	q := fmt.Sprintf("SELECT count(*) FROM pg_locks WHERE pid = %d AND NOT granted", pid)
	deadline := time.Now().Add(30 * time.Second)
	for rowsText(mustRun(t, observer, q)) != "[1]" {
		select {
		case err := <-done:
			t.Fatalf("the statement of backend %d ended (%v) before it was seen waiting", pid, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("backend %d is not seen waiting after 30s", pid)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPgLocks: pg_locks shows each transaction's own id, table locks, and
// waits for a row (a ShareLock on the holder's transactionid) and for a
// table lock, with the pids of the sessions; a prepared transaction's
// locks have no pid. The blocking query users run (a waiting lock joined
// with the granted one it waits for) names the holder.
func TestPgLocks(t *testing.T) {
	e := newTestEngine(t)
	holder, waiter, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	mustRun(t, holder, "CREATE TABLE t (id int4 PRIMARY KEY, v int4)")
	mustRun(t, holder, "INSERT INTO t VALUES (1, 10)")
	hp, wp, op := holder.BackendPID(), waiter.BackendPID(), observer.BackendPID()
	const list = `SELECT pid, locktype, coalesce(relation::regclass::text, ''), mode, granted, database IS NULL
		FROM pg_locks ORDER BY pid, granted DESC, locktype DESC, mode`
	const blocking = `SELECT w.pid, h.pid, w.locktype, w.mode FROM pg_locks w JOIN pg_locks h
		ON h.granted AND h.pid <> w.pid AND (h.transactionid = w.transactionid OR h.relation = w.relation)
		WHERE NOT w.granted`
	check := func(what, query, want string) {
		t.Helper()
		if got := rowsText(mustRun(t, observer, query)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", what, got, want)
		}
	}
	check("no transaction open", list, fmt.Sprintf("[%d transactionid  ExclusiveLock true true]", op))

	// A row wait.
	mustRun(t, holder, "BEGIN")
	mustRun(t, holder, "UPDATE t SET v = 11 WHERE id = 1")
	done := make(chan error, 1)
	go func() { _, err := run(waiter, "UPDATE t SET v = 12 WHERE id = 1"); done <- err }()
	awaitWaiting(t, observer, wp, done)
	check("a row wait", list, fmt.Sprintf("[%d transactionid  ExclusiveLock true true][%d relation t RowExclusiveLock true false]"+
		"[%d transactionid  ExclusiveLock true true][%d relation t RowExclusiveLock true false][%d transactionid  ShareLock false true]"+
		"[%d transactionid  ExclusiveLock true true]", hp, hp, wp, wp, wp, op))
	check("who blocks a row wait", blocking, fmt.Sprintf("[%d %d transactionid ShareLock]", wp, hp))
	mustRun(t, holder, "COMMIT")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check("after the commit", "SELECT count(*) FROM pg_locks WHERE NOT granted", "[0]")

	// A table lock wait: CREATE INDEX waits for a writer.
	mustRun(t, holder, "BEGIN")
	mustRun(t, holder, "INSERT INTO t VALUES (2, 20)")
	go func() { _, err := run(waiter, "CREATE INDEX t_v ON t (v)"); done <- err }()
	awaitWaiting(t, observer, wp, done)
	check("a table lock wait", "SELECT pid, locktype, relation::regclass::text, mode FROM pg_locks WHERE NOT granted",
		fmt.Sprintf("[%d relation t ShareLock]", wp))
	check("who blocks a table lock wait", blocking, fmt.Sprintf("[%d %d relation ShareLock]", wp, hp))
	mustRun(t, holder, "ROLLBACK")
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// A prepared transaction holds its locks with no pid.
	mustRun(t, holder, "BEGIN")
	mustRun(t, holder, "INSERT INTO t VALUES (3, 30)")
	mustRun(t, holder, "PREPARE TRANSACTION 'p'")
	check("a prepared transaction", "SELECT pid, locktype, relation::regclass::text, mode, granted FROM pg_locks WHERE pid IS NULL ORDER BY locktype",
		"[<nil> relation t RowExclusiveLock true][<nil> transactionid <nil> ExclusiveLock true]")
	mustRun(t, holder, "COMMIT PREPARED 'p'")
	check("after COMMIT PREPARED", "SELECT count(*) FROM pg_locks WHERE pid IS NULL", "[0]")
}

// TestExportedSnapshot: SET TRANSACTION SNAPSHOT gives a transaction the
// snapshot another exported with pg_export_snapshot(), as pg_dump -j's
// workers take their leader's.
func TestExportedSnapshot(t *testing.T) {
	e := newTestEngine(t)
	a, b, c := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	mustRun(t, c, "CREATE TABLE s (id int4 PRIMARY KEY)")
	mustRun(t, c, "INSERT INTO s VALUES (1)")
	mustRun(t, a, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	id := rowsText(mustRun(t, a, "SELECT pg_export_snapshot()"))
	id = strings.Trim(id, "[]")
	mustRun(t, c, "INSERT INTO s VALUES (2)")
	for _, tc := range []struct {
		begin, id, code string
	}{
		{"BEGIN ISOLATION LEVEL READ COMMITTED", id, pgerr.FeatureNotSupported},
		{"BEGIN ISOLATION LEVEL REPEATABLE READ", "nosuch", pgerr.InvalidParameterValue},
	} {
		mustRun(t, b, tc.begin)
		if _, err := run(b, "SET TRANSACTION SNAPSHOT '"+tc.id+"'"); pgerr.Code(err) != tc.code {
			t.Errorf("%s; SET TRANSACTION SNAPSHOT '%s': %v, want %s", tc.begin, tc.id, err, tc.code)
		}
		mustRun(t, b, "ROLLBACK")
	}
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	mustRun(t, b, "SET TRANSACTION SNAPSHOT '"+id+"'")
	if got := rowsText(mustRun(t, b, "SELECT count(*) FROM s")); got != "[1]" {
		t.Errorf("the importer sees %s rows, want the exporter's 1", got)
	}
	if _, err := run(b, "SET TRANSACTION SNAPSHOT '"+id+"'"); pgerr.Code(err) != pgerr.ActiveSQLTransaction {
		t.Errorf("SET TRANSACTION SNAPSHOT after a query: %v, want 25001", err)
	}
	mustRun(t, b, "ROLLBACK")
	mustRun(t, a, "COMMIT")
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	if _, err := run(b, "SET TRANSACTION SNAPSHOT '"+id+"'"); pgerr.Code(err) != pgerr.InvalidParameterValue {
		t.Errorf("SET TRANSACTION SNAPSHOT of an ended exporter: %v, want 22023", err)
	}
	mustRun(t, b, "ROLLBACK")
	// A READ COMMITTED exporter moves on to newer snapshots: what it
	// exported may no longer be held.
	mustRun(t, a, "BEGIN")
	id = strings.Trim(rowsText(mustRun(t, a, "SELECT pg_export_snapshot()")), "[]")
	mustRun(t, c, "INSERT INTO s VALUES (3)")
	mustRun(t, a, "SELECT 1")
	mustRun(t, b, "BEGIN ISOLATION LEVEL REPEATABLE READ")
	if _, err := run(b, "SET TRANSACTION SNAPSHOT '"+id+"'"); pgerr.Code(err) != pgerr.ObjectNotInPrerequisiteState {
		t.Errorf("SET TRANSACTION SNAPSHOT no longer held: %v, want 55000", err)
	}
}
