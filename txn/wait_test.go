package txn

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

// awaitWait polls m.Waits until it lists waiter's wait and returns it. It
// fails the test when errc reports that the wait ended first, and after a
// generous bound that only catches a hang: whether a transaction waits is
// read from the wait graph, never guessed from elapsed time.
func awaitWait(t *testing.T, m *Manager, waiter XID, errc <-chan error) Wait {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, w := range m.Waits() {
			if w.Waiter == waiter {
				return w
			}
		}
		select {
		case err := <-errc:
			t.Fatalf("the wait of %d ended (%v) before it was seen", waiter, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("transaction %d is not seen waiting after 30s", waiter)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWaitForEnds(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	holder := begin(t, m)
	waiter := begin(t, m)
	errc := make(chan error, 1)
	go func() { errc <- m.WaitFor(context.Background(), waiter.XID, holder.XID, 0) }()
	if w := awaitWait(t, m, waiter.XID, errc); w != (Wait{Waiter: waiter.XID, Holder: holder.XID}) {
		t.Fatalf("Waits = %+v, want %d waiting for %d's row", w, waiter.XID, holder.XID)
	}
	holder.Rollback()
	// Once the holder has ended its waiter is not listed, whether or not
	// it has woken up yet.
	if w := m.Waits(); len(w) != 0 {
		t.Fatalf("Waits after the holder ended = %+v, want none", w)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	// Waiting on a finished transaction returns at once.
	if err := m.WaitFor(context.Background(), waiter.XID, holder.XID, 0); err != nil {
		t.Fatal(err)
	}
}

func TestWaitForDeadlock(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	a, b, c := begin(t, m), begin(t, m), begin(t, m)
	errs := make(chan error, 2)
	go func() { errs <- m.WaitFor(context.Background(), a.XID, b.XID, 0) }()
	go func() { errs <- m.WaitFor(context.Background(), b.XID, c.XID, 0) }()
	awaitWait(t, m, a.XID, errs)
	awaitWait(t, m, b.XID, errs)
	// c waiting for a closes a -> b -> c -> a: c is the victim.
	err := m.WaitFor(context.Background(), c.XID, a.XID, 0)
	if pgerr.Code(err) != pgerr.DeadlockDetected {
		t.Fatalf("closing the cycle: %v, want 40P01", err)
	}
	c.Rollback()
	b.Rollback()
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestWaitForTimeouts(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	holder, waiter := begin(t, m), begin(t, m)
	defer holder.Rollback()
	if err := m.WaitFor(context.Background(), waiter.XID, holder.XID, 20*time.Millisecond); pgerr.Code(err) != pgerr.LockNotAvailable {
		t.Fatalf("lock timeout: %v, want 55P03", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := m.WaitFor(ctx, waiter.XID, holder.XID, 0); pgerr.Code(err) != pgerr.QueryCanceled {
		t.Fatalf("statement timeout: %v, want 57014", err)
	}
	if w := m.Waits(); len(w) != 0 {
		t.Fatalf("Waits after the waits gave up = %+v, want none", w)
	}
}

// TestTableLockWaits: a table lock's wait is listed with the table and
// the mode wanted, and TableLocks lists who holds what.
func TestTableLockWaits(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	ctx := context.Background()
	writer, indexer := begin(t, m), begin(t, m)
	if err := m.LockTable(ctx, writer, 7, RowExclusive, 0); err != nil {
		t.Fatal(err)
	}
	if err := m.LockTable(ctx, writer, 9, AccessExclusive, 0); err != nil {
		t.Fatal(err)
	}
	if got, want := m.TableLocks(), []TableLock{{writer.XID, 7, RowExclusive}, {writer.XID, 9, AccessExclusive}}; !slices.Equal(got, want) {
		t.Fatalf("TableLocks = %+v, want %+v", got, want)
	}
	errc := make(chan error, 1)
	go func() { errc <- m.LockTable(ctx, indexer, 7, Share, 0) }()
	if w, want := awaitWait(t, m, indexer.XID, errc), (Wait{Waiter: indexer.XID, Holder: writer.XID, Table: 7, Mode: Share}); w != want {
		t.Fatalf("Waits = %+v, want %+v", w, want)
	}
	commitWrite(t, store, writer)
	if w := m.Waits(); len(w) != 0 {
		t.Fatalf("Waits after the holder committed = %+v, want none", w)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got, want := m.TableLocks(), []TableLock{{indexer.XID, 7, Share}}; !slices.Equal(got, want) {
		t.Fatalf("TableLocks after the commit = %+v, want %+v", got, want)
	}
	indexer.Rollback()
	if got := m.TableLocks(); len(got) != 0 {
		t.Fatalf("TableLocks after both ended = %+v, want none", got)
	}
}

// TestTableLockModes: PostgreSQL's conflict table for the four modes, and
// which mode a transaction holding two keeps.
func TestTableLockModes(t *testing.T) {
	modes := []TableLockMode{AccessShare, RowExclusive, Share, AccessExclusive}
	// conflicts[i][j]: modes[i] against modes[j], from PostgreSQL's
	// table-level lock conflict table.
	conflicts := [4][4]bool{
		{false, false, false, true},
		{false, false, true, true},
		{false, true, false, true},
		{true, true, true, true},
	}
	for i, a := range modes {
		for j, b := range modes {
			if got := tableLocksConflict(a, b); got != conflicts[i][j] {
				t.Errorf("conflict(%d, %d) = %v, want %v", a, b, got, conflicts[i][j])
			}
		}
		if got := stronger(0, a); got != a {
			t.Errorf("stronger(0, %d) = %d", a, got)
		}
	}
	if got := stronger(RowExclusive, AccessShare); got != RowExclusive {
		t.Errorf("stronger(RowExclusive, AccessShare) = %d", got)
	}
	if got := stronger(AccessShare, Share); got != Share {
		t.Errorf("stronger(AccessShare, Share) = %d", got)
	}
	m := openManager(t, openStore(t, vfs.NewMem()))
	a, b := begin(t, m), begin(t, m)
	ctx := context.Background()
	if err := m.LockTable(ctx, a, 1, AccessShare, 0); err != nil {
		t.Fatal(err)
	}
	if err := m.LockTable(ctx, b, 1, Share, 0); err != nil {
		t.Fatalf("Share beside AccessShare: %v", err)
	}
	if err := m.LockTable(ctx, b, 1, AccessExclusive, time.Millisecond); pgerr.Code(err) != pgerr.LockNotAvailable {
		t.Fatalf("AccessExclusive beside AccessShare: %v, want 55P03", err)
	}
}
