package txn

import (
	"context"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestStats: commits, rollbacks, blocked waits and deadlocks are counted,
// and a wait that lasts past its WaitReport's After is reported once.
func TestStats(t *testing.T) {
	m := openManager(t, openStore(t, vfs.NewMem()))
	base := m.Stats()
	a, b := begin(t, m), begin(t, m)
	reported := make(chan Wait, 1)
	ctx := WithWaitReport(context.Background(), &WaitReport{After: time.Millisecond, Report: func(w Wait, d time.Duration) {
		reported <- w
	}})
	errc := make(chan error, 1)
	go func() { errc <- m.WaitFor(ctx, b.XID, a.XID, 0) }()
	awaitWait(t, m, b.XID, errc)
	if w := <-reported; w.Waiter != b.XID || w.Holder != a.XID {
		t.Fatalf("reported %+v, want %d waiting for %d", w, b.XID, a.XID)
	}
	// a waiting for b closes a cycle: refused, counted.
	if err := m.WaitFor(context.Background(), a.XID, b.XID, 0); err == nil {
		t.Fatal("the cycle was not refused")
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	b.Rollback()
	got := m.Stats()
	want := Stats{Commits: base.Commits + 1, Rollbacks: base.Rollbacks + 1, LockWaits: base.LockWaits + 1, Deadlocks: base.Deadlocks + 1}
	if got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
}
