package txn

import (
	"context"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestSavepointVisibility: a snapshot sees its live subtransactions' work
// as its own and a rolled-back subtransaction's as aborted; another
// transaction waiting on a rolled-back subtransaction is released at once.
func TestSavepointVisibility(t *testing.T) {
	store := openStore(t, vfs.NewMem())
	m := openManager(t, store)
	tx := begin(t, m)
	level, err := tx.Savepoint()
	if err != nil || level != 1 {
		t.Fatalf("Savepoint = %d, %v", level, err)
	}
	sub1 := tx.Current()
	if sub1 == tx.XID {
		t.Fatal("a savepoint did not start a subtransaction")
	}
	snap := m.Snapshot(tx, 5)
	if !snap.Visible(Version{Xmin: sub1, Cmin: 1}) {
		t.Fatal("own subtransaction's earlier write is invisible")
	}
	other := begin(t, m)
	waited := make(chan error, 1)
	go func() { waited <- m.WaitFor(context.Background(), other.XID, sub1, 0) }()
	if w := awaitWait(t, m, other.XID, waited); w.Holder != tx.XID {
		t.Fatalf("Waits = %+v: a wait for a subtransaction is shown as a wait for its transaction %d", w, tx.XID)
	}
	if err := tx.RollbackTo(1); err != nil {
		t.Fatal(err)
	}
	// The transaction still runs, but what other waited for has ended.
	if w := m.Waits(); len(w) != 0 {
		t.Fatalf("Waits after ROLLBACK TO = %+v, want none", w)
	}
	if err := <-waited; err != nil {
		t.Fatalf("waiter on a rolled-back subtransaction: %v", err)
	}
	snap = m.Snapshot(tx, 5)
	if snap.Visible(Version{Xmin: sub1, Cmin: 1}) {
		t.Fatal("rolled-back subtransaction's write is visible")
	}
	sub2 := tx.Current()
	if sub2 == sub1 || sub2 == tx.XID {
		t.Fatalf("after ROLLBACK TO the level must continue in a fresh subtransaction, got %d", sub2)
	}
	if err := tx.Release(1); err != nil {
		t.Fatal(err)
	}
	if tx.Current() != tx.XID {
		t.Fatal("after RELEASE the transaction itself is current")
	}
	commitWrite(t, store, tx)
	if st, _ := m.StatusOf(sub2); st != Committed {
		t.Fatalf("released subtransaction: status %v, want committed with its transaction", st)
	}
	if st, _ := m.StatusOf(sub1); st != Aborted {
		t.Fatalf("rolled-back subtransaction: status %v, want aborted", st)
	}
	other.Rollback()
}
