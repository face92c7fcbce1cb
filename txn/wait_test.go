package txn

import (
	"context"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
)

func TestWaitForEnds(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	holder := begin(t, m)
	waiter := begin(t, m)
	errc := make(chan error, 1)
	go func() { errc <- m.WaitFor(context.Background(), waiter.XID, holder.XID, 0) }()
	select {
	case err := <-errc:
		t.Fatalf("WaitFor returned %v before the holder ended", err)
	case <-time.After(50 * time.Millisecond):
	}
	holder.Rollback()
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
	time.Sleep(50 * time.Millisecond)
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
}
