package sql

import (
	"context"
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// runAsync runs query on s in the background and returns its outcome.
func runAsync(s *Session, query string) <-chan error {
	done := make(chan error, 1)
	go func() { _, err := run(s, query); done <- err }()
	return done
}

// TestAdvisoryWaits: a session waits for another's advisory lock until it
// is unlocked, the holder's commit ends a transaction-level lock, and a
// closed session's locks go; pg_locks shows holders and waiters.
func TestAdvisoryWaits(t *testing.T) {
	e := newTestEngine(t)
	a, b, c, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
	const list = `SELECT pid, classid, objid, objsubid, mode, granted, database IS NOT NULL FROM pg_locks
		WHERE locktype = 'advisory' ORDER BY pid, mode`
	check := func(what, want string) {
		t.Helper()
		if got := rowsText(mustRun(t, observer, list)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", what, got, want)
		}
	}

	// Unlock releases a waiter; the second lock of a counted one does not.
	mustRun(t, a, "SELECT pg_advisory_lock(1)")
	mustRun(t, a, "SELECT pg_advisory_lock(1)")
	done := runAsync(b, "SELECT pg_advisory_lock(1)")
	awaitWaiting(t, observer, b.BackendPID(), done)
	check("a wait", fmt.Sprintf("[%d 0 1 1 ExclusiveLock true true][%d 0 1 1 ExclusiveLock false true]", a.BackendPID(), b.BackendPID()))
	mustRun(t, a, "SELECT pg_advisory_unlock(1)")
	awaitWaiting(t, observer, b.BackendPID(), done)
	mustRun(t, a, "SELECT pg_advisory_unlock(1)")
	// Granted before the unlock returned.
	check("after the unlock", fmt.Sprintf("[%d 0 1 1 ExclusiveLock true true]", b.BackendPID()))
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// Closing a session releases its locks.
	done = runAsync(c, "SELECT pg_advisory_lock(1)")
	awaitWaiting(t, observer, c.BackendPID(), done)
	b.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check("after the holder closed", fmt.Sprintf("[%d 0 1 1 ExclusiveLock true true]", c.BackendPID()))
	c.Close()
	check("after both closed", "")

	// A transaction-level lock goes at commit, a session-level one taken
	// in the same transaction stays.
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "SELECT pg_advisory_xact_lock(2, 3), pg_advisory_lock_shared(4)")
	done = runAsync(observer, "SELECT pg_advisory_lock(2, 3)")
	awaitWaiting(t, newTestSession(t, e), observer.BackendPID(), done)
	mustRun(t, a, "COMMIT")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	check("after the commit", fmt.Sprintf("[%d 0 4 1 ShareLock true true][%d 2 3 2 ExclusiveLock true true]", a.BackendPID(), observer.BackendPID()))
}

// TestAdvisoryDeadlock: an advisory lock wait and a row lock wait that
// wait for each other; the wait that closes the cycle fails with 40P01
// and the other goes on once the victim's transaction ends.
func TestAdvisoryDeadlock(t *testing.T) {
	for _, advisoryFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("advisory-first=%v", advisoryFirst), func(t *testing.T) {
			e := newTestEngine(t)
			a, b, observer := newTestSession(t, e), newTestSession(t, e), newTestSession(t, e)
			mustRun(t, a, "CREATE TABLE t (id int4 PRIMARY KEY, v int4)")
			mustRun(t, a, "INSERT INTO t VALUES (1, 10)")
			mustRun(t, a, "SELECT pg_advisory_lock(7)") // a's, at session level, while a is idle
			mustRun(t, b, "BEGIN")
			mustRun(t, b, "UPDATE t SET v = 11 WHERE id = 1")
			mustRun(t, a, "BEGIN")
			var done <-chan error
			var victim error
			if advisoryFirst {
				done = runAsync(b, "SELECT pg_advisory_lock_shared(7)")
				awaitWaiting(t, observer, b.BackendPID(), done)
				_, victim = run(a, "UPDATE t SET v = 12 WHERE id = 1")
				mustRun(t, a, "ROLLBACK")
				mustRun(t, a, "SELECT pg_advisory_unlock(7)")
			} else {
				done = runAsync(a, "UPDATE t SET v = 12 WHERE id = 1")
				awaitWaiting(t, observer, a.BackendPID(), done)
				_, victim = run(b, "SELECT pg_advisory_lock_shared(7)")
				mustRun(t, b, "ROLLBACK")
			}
			if pgerr.Code(victim) != pgerr.DeadlockDetected {
				t.Fatalf("the wait closing the cycle: %v, want 40P01", victim)
			}
			if err := <-done; err != nil {
				t.Fatalf("the other wait: %v", err)
			}
		})
	}
}

// TestAdvisoryWaitEnds: statement_timeout, lock_timeout and a canceled
// context end an advisory wait, and leave nothing queued.
func TestAdvisoryWaitEnds(t *testing.T) {
	e := newTestEngine(t)
	a, b := newTestSession(t, e), newTestSession(t, e)
	mustRun(t, a, "SELECT pg_advisory_lock(1)")
	for _, c := range []struct {
		set, reset, want string
	}{
		{"SET statement_timeout = '20ms'", "RESET statement_timeout", pgerr.QueryCanceled},
		{"SET lock_timeout = '20ms'", "RESET lock_timeout", pgerr.LockNotAvailable},
	} {
		mustRun(t, b, c.set)
		if _, err := run(b, "SELECT pg_advisory_lock(1)"); pgerr.Code(err) != c.want {
			t.Errorf("after %s: %v, want %s", c.set, err, c.want)
		}
		mustRun(t, b, c.reset)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ps, err := b.PrepareAll(ctx, "SELECT pg_advisory_lock(1)")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := b.Execute(ctx, ps[0], nil); done <- err }()
	awaitWaiting(t, a, b.BackendPID(), done)
	cancel()
	if err := <-done; pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("canceled: %v, want 57014", err)
	}
	if got := rowsText(mustRun(t, a, "SELECT count(*) FROM pg_locks WHERE NOT granted")); got != "[0]" {
		t.Fatalf("waits left: %s", got)
	}
	if got := rowsText(mustRun(t, b, "SELECT pg_try_advisory_lock(1)")); got != "[false]" {
		t.Fatalf("pg_try_advisory_lock of a held lock: %s", got)
	}
}

// TestAdvisoryPrepare: PREPARE TRANSACTION refuses a transaction holding
// transaction-level advisory locks, and releases them.
func TestAdvisoryPrepare(t *testing.T) {
	e := newTestEngine(t)
	a := newTestSession(t, e)
	mustRun(t, a, "BEGIN")
	mustRun(t, a, "SELECT pg_advisory_xact_lock(1)")
	if _, err := run(a, "PREPARE TRANSACTION 'p'"); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Fatalf("PREPARE: %v, want 0A000", err)
	}
	if got := rowsText(mustRun(t, a, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")); got != "[0]" {
		t.Fatalf("advisory locks left: %s", got)
	}
	if got := a.TxStatus(); got != TxIdle {
		t.Fatalf("after the refused PREPARE the session is %c, want idle", got)
	}
}
