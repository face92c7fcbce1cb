package txn

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

// session is a lock owner with a transaction running, as a SQL session
// is while it runs a statement.
type session struct {
	o  *LockOwner
	tx *Txn
}

func newSession(t *testing.T, m *Manager) *session {
	s := &session{o: &LockOwner{}}
	s.begin(t, m)
	return s
}

func (s *session) begin(t *testing.T, m *Manager) {
	s.tx = begin(t, m)
	s.o.SetXID(s.tx.XID)
}

func (s *session) end(commit bool) {
	if commit {
		s.tx.Commit()
	} else {
		s.tx.Rollback()
	}
	s.o.SetXID(0)
}

func (s *session) req(k int64, mode AdvisoryMode, xact, try bool) AdvisoryRequest {
	return AdvisoryRequest{Owner: s.o, Key: AdvisoryKey64(k), Mode: mode, Txn: s.tx, Xact: xact, Try: try}
}

func (s *session) try(t *testing.T, m *Manager, k int64, mode AdvisoryMode, xact bool) bool {
	t.Helper()
	ok, err := m.LockAdvisory(context.Background(), s.req(k, mode, xact, true))
	if err != nil {
		t.Fatalf("LockAdvisory: %v", err)
	}
	return ok
}

// lockAsync starts a waiting request and returns its outcome's channel.
func (s *session) lockAsync(ctx context.Context, m *Manager, r AdvisoryRequest) <-chan error {
	errc := make(chan error, 1)
	go func() {
		ok, err := m.LockAdvisory(ctx, r)
		if err == nil && !ok {
			err = context.Canceled // never expected of a waiting request
		}
		errc <- err
	}()
	return errc
}

// awaitAdvisoryWait polls AdvisoryLocks until o is seen waiting; the
// deadline only catches a hang.
func awaitAdvisoryWait(t *testing.T, m *Manager, o *LockOwner, errc <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, l := range m.AdvisoryLocks() {
			if l.Owner == o && !l.Granted {
				return
			}
		}
		select {
		case err := <-errc:
			t.Fatalf("the wait ended (%v) before it was seen", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("not seen waiting after 30s")
		}
		time.Sleep(time.Millisecond)
	}
}

func held(m *Manager, o *LockOwner) (n int) {
	for _, l := range m.AdvisoryLocks() {
		if l.Owner == o && l.Granted {
			n++
		}
	}
	return n
}

func TestAdvisoryKeys(t *testing.T) {
	for _, c := range []struct {
		key  AdvisoryKey
		want AdvisoryKey
	}{
		{AdvisoryKey64(1), AdvisoryKey{0, 1, 1}},
		{AdvisoryKey64(-1), AdvisoryKey{0xffffffff, 0xffffffff, 1}},
		{AdvisoryKey64(1 << 32), AdvisoryKey{1, 0, 1}},
		{AdvisoryKey32(1, 2), AdvisoryKey{1, 2, 2}},
		{AdvisoryKey32(-1, 0), AdvisoryKey{0xffffffff, 0, 2}},
	} {
		if c.key != c.want {
			t.Errorf("key %+v, want %+v", c.key, c.want)
		}
	}
}

func TestAdvisoryConflicts(t *testing.T) {
	for _, c := range []struct {
		first, second AdvisoryMode
		sameOwner     bool
		want          bool
	}{
		{AdvisoryShare, AdvisoryShare, false, true},
		{AdvisoryShare, AdvisoryExclusive, false, false},
		{AdvisoryExclusive, AdvisoryShare, false, false},
		{AdvisoryExclusive, AdvisoryExclusive, false, false},
		{AdvisoryExclusive, AdvisoryExclusive, true, true},
		{AdvisoryShare, AdvisoryExclusive, true, true},
	} {
		m := openManager(t, openStore(t, vfs.NewMem()))
		a, b := newSession(t, m), newSession(t, m)
		if !a.try(t, m, 1, c.first, false) {
			t.Fatal("first lock refused")
		}
		second := b
		if c.sameOwner {
			second = a
		}
		if got := second.try(t, m, 1, c.second, false); got != c.want {
			t.Errorf("%v then %v (same owner %v): granted %v, want %v", c.first, c.second, c.sameOwner, got, c.want)
		}
	}
}

// Session locks are counted and outlive transactions; unlocking what is
// not held at session level reports false.
func TestAdvisorySessionCounts(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	a, b := newSession(t, m), newSession(t, m)
	a.try(t, m, 7, AdvisoryExclusive, false)
	a.try(t, m, 7, AdvisoryExclusive, false)
	a.end(true)
	a.begin(t, m)
	if b.try(t, m, 7, AdvisoryShare, false) {
		t.Fatal("a session lock did not survive its transaction's commit")
	}
	if m.UnlockAdvisory(a.o, AdvisoryKey64(7), AdvisoryShare) {
		t.Fatal("unlocking a share lock never taken succeeded")
	}
	if !m.UnlockAdvisory(a.o, AdvisoryKey64(7), AdvisoryExclusive) {
		t.Fatal("first unlock failed")
	}
	if b.try(t, m, 7, AdvisoryShare, false) {
		t.Fatal("one unlock of a lock taken twice released it")
	}
	if !m.UnlockAdvisory(a.o, AdvisoryKey64(7), AdvisoryExclusive) {
		t.Fatal("second unlock failed")
	}
	if m.UnlockAdvisory(a.o, AdvisoryKey64(7), AdvisoryExclusive) {
		t.Fatal("third unlock succeeded")
	}
	if !b.try(t, m, 7, AdvisoryShare, false) {
		t.Fatal("released lock still conflicts")
	}
	// A transaction-level lock is not unlocked by UnlockAdvisory.
	a.try(t, m, 8, AdvisoryExclusive, true)
	if m.UnlockAdvisory(a.o, AdvisoryKey64(8), AdvisoryExclusive) {
		t.Fatal("UnlockAdvisory released a transaction-level lock")
	}
	// UnlockAllAdvisory drops session locks, not transaction ones.
	a.try(t, m, 9, AdvisoryShare, false)
	a.try(t, m, 9, AdvisoryShare, false)
	m.UnlockAllAdvisory(a.o)
	if got := held(m, a.o); got != 1 {
		t.Fatalf("after UnlockAllAdvisory %d locks held, want the transaction-level one", got)
	}
	a.end(false)
	if got := held(m, a.o); got != 0 {
		t.Fatalf("after rollback %d locks held, want 0", got)
	}
}

// Transaction-level locks go when the transaction commits or rolls back,
// or when the subtransaction that took them rolls back.
func TestAdvisoryXactRelease(t *testing.T) {
	for _, end := range []string{"commit", "commit-written", "rollback", "rollback-to-savepoint"} {
		t.Run(end, func(t *testing.T) {
			m := openManager(t, openStore(t, vfs.NewMem()))
			a, b := newSession(t, m), newSession(t, m)
			if end == "rollback-to-savepoint" {
				if _, err := a.tx.Savepoint(); err != nil {
					t.Fatal(err)
				}
			}
			a.try(t, m, 1, AdvisoryExclusive, true)
			a.try(t, m, 1, AdvisoryExclusive, false) // a session lock on the same key
			if !m.HoldsXactAdvisory(a.tx) {
				t.Fatal("HoldsXactAdvisory = false")
			}
			m.UnlockAdvisory(a.o, AdvisoryKey64(1), AdvisoryExclusive)
			if b.try(t, m, 1, AdvisoryShare, false) {
				t.Fatal("granted while the transaction-level lock is held")
			}
			switch end {
			case "commit":
				a.end(true)
			case "commit-written":
				a.tx.MarkWrote()
				a.end(true)
			case "rollback":
				a.end(false)
			default:
				if err := a.tx.RollbackTo(1); err != nil {
					t.Fatal(err)
				}
			}
			if !b.try(t, m, 1, AdvisoryShare, false) {
				t.Fatalf("still held after %s", end)
			}
		})
	}
}

// A waiter blocks until the holder releases, and holds the lock as soon
// as the release returns; waiters are granted in queue order.
func TestAdvisoryWaitHandOff(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	a, b, c := newSession(t, m), newSession(t, m), newSession(t, m)
	a.try(t, m, 1, AdvisoryShare, false)
	berr := b.lockAsync(context.Background(), m, b.req(1, AdvisoryExclusive, false, false))
	awaitAdvisoryWait(t, m, b.o, berr)
	// c's shared request queues behind b's exclusive one...
	if c.try(t, m, 1, AdvisoryShare, false) {
		t.Fatal("a shared request jumped the queue")
	}
	// ...but a's own, already holding, does not.
	if !a.try(t, m, 1, AdvisoryShare, false) {
		t.Fatal("the holder's second shared lock waited behind a waiter for it")
	}
	cerr := c.lockAsync(context.Background(), m, c.req(1, AdvisoryShare, false, false))
	awaitAdvisoryWait(t, m, c.o, cerr)
	m.UnlockAdvisory(a.o, AdvisoryKey64(1), AdvisoryShare)
	if held(m, b.o) != 0 {
		t.Fatal("granted while a still holds one count")
	}
	m.UnlockAdvisory(a.o, AdvisoryKey64(1), AdvisoryShare)
	if held(m, b.o) != 1 {
		t.Fatalf("after the unlock returned, b holds %d locks, want 1: %+v", held(m, b.o), m.AdvisoryLocks())
	}
	if err := <-berr; err != nil {
		t.Fatal(err)
	}
	m.UnlockAllAdvisory(b.o)
	if err := <-cerr; err != nil {
		t.Fatal(err)
	}
	if got := m.AdvisoryLocks(); len(got) != 1 || got[0].Owner != c.o {
		t.Fatalf("AdvisoryLocks = %+v, want c's lock only", got)
	}
}

func TestAdvisoryWaitEnds(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	a, b := newSession(t, m), newSession(t, m)
	a.try(t, m, 1, AdvisoryExclusive, false)

	r := b.req(1, AdvisoryExclusive, false, false)
	r.LockTimeout = time.Millisecond
	if _, err := m.LockAdvisory(context.Background(), r); pgerr.Code(err) != pgerr.LockNotAvailable {
		t.Fatalf("lock timeout: %v, want 55P03", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := b.lockAsync(ctx, m, b.req(1, AdvisoryExclusive, false, false))
	awaitAdvisoryWait(t, m, b.o, errc)
	cancel()
	if err := <-errc; pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("canceled wait: %v, want 57014", err)
	}
	if got := m.AdvisoryLocks(); len(got) != 1 || !got[0].Granted {
		t.Fatalf("AdvisoryLocks after the canceled wait = %+v, want a's lock only", got)
	}
	if len(m.Waits()) != 0 || len(m.waits.edges) != 0 {
		t.Fatal("the canceled wait is still in the wait graph")
	}
}

// Deadlocks between an advisory lock and a row wait are found whichever
// wait closes the cycle, including through an owner that was idle when
// it was first waited for.
func TestAdvisoryDeadlock(t *testing.T) {
	for _, order := range []string{"row-first", "advisory-first", "holder-idle"} {
		t.Run(order, func(t *testing.T) {
			m := openManager(t, openStore(t, vfs.NewMem()))
			a, b := newSession(t, m), newSession(t, m)
			a.try(t, m, 1, AdvisoryExclusive, false)
			if order == "holder-idle" {
				a.end(true)
			}
			rowWait := func() error { return m.WaitFor(context.Background(), a.tx.XID, b.tx.XID, 0) }
			var victim error
			switch order {
			case "row-first":
				errc := make(chan error, 1)
				go func() { errc <- rowWait() }()
				awaitWait(t, m, a.tx.XID, errc)
				_, victim = m.LockAdvisory(context.Background(), b.req(1, AdvisoryShare, false, false))
				b.end(false)
				if err := <-errc; err != nil {
					t.Fatalf("the other waiter: %v", err)
				}
			default:
				errc := b.lockAsync(context.Background(), m, b.req(1, AdvisoryShare, false, false))
				awaitAdvisoryWait(t, m, b.o, errc)
				if order == "holder-idle" {
					a.begin(t, m)
				}
				victim = rowWait()
				m.UnlockAllAdvisory(a.o)
				if err := <-errc; err != nil {
					t.Fatalf("the other waiter: %v", err)
				}
			}
			if pgerr.Code(victim) != pgerr.DeadlockDetected {
				t.Fatalf("the wait closing the cycle: %v, want 40P01", victim)
			}
		})
	}
}

// Two advisory waits deadlock too, and so does a wait through a shared
// lock held by several owners.
func TestAdvisoryDeadlockAdvisory(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	a, b, c := newSession(t, m), newSession(t, m), newSession(t, m)
	a.try(t, m, 1, AdvisoryShare, false)
	c.try(t, m, 1, AdvisoryShare, false)
	b.try(t, m, 2, AdvisoryExclusive, false)
	errc := a.lockAsync(context.Background(), m, a.req(2, AdvisoryExclusive, false, false))
	awaitAdvisoryWait(t, m, a.o, errc)
	// b waits for a and c; a waits for b.
	if _, err := m.LockAdvisory(context.Background(), b.req(1, AdvisoryExclusive, false, false)); pgerr.Code(err) != pgerr.DeadlockDetected {
		t.Fatalf("b's wait: %v, want 40P01", err)
	}
	m.UnlockAllAdvisory(b.o)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

func TestAdvisoryPrepareRefused(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	a := newSession(t, m)
	a.try(t, m, 1, AdvisoryExclusive, true)
	if err := m.Prepare(a.tx, "g", nil); pgerr.Code(err) != pgerr.FeatureNotSupported {
		t.Fatalf("Prepare: %v, want 0A000", err)
	}
	if got := m.AdvisoryLocks(); len(got) != 0 {
		t.Fatalf("locks after the refused PREPARE: %+v", got)
	}
}

// TestDeadlockError: the victim's error is PostgreSQL's, and wraps
// ErrDeadlock.
func TestDeadlockError(t *testing.T) {
	err := deadlock()
	if pgerr.Code(err) != pgerr.DeadlockDetected || !errors.Is(err, ErrDeadlock) || err.Error() != "deadlock detected" {
		t.Fatalf("deadlock() = %q (%s)", err, pgerr.Code(err))
	}
}
