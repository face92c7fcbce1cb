package txn

import (
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestCommitLogFolds: commits below the horizon leave the revision map for
// the bitmap, a transaction held open keeps the newer ones in the map, and
// after a restart the stored commit log is all in the bitmap.
func TestCommitLogFolds(t *testing.T) {
	fs := vfs.NewMem()
	store := openStore(t, fs)
	m := openManager(t, store)
	mapLen := func() int {
		m.mu.RLock()
		defer m.mu.RUnlock()
		return len(m.mu.committed)
	}

	var early []XID
	for range 10 {
		tx := begin(t, m)
		commitWrite(t, store, tx)
		early = append(early, tx.XID)
	}
	holder := begin(t, m)
	holdSnap := m.Snapshot(holder, 0)
	var late []XID
	for range 2 * foldEvery {
		tx := begin(t, m)
		commitWrite(t, store, tx)
		late = append(late, tx.XID)
	}
	// The automatic folds ran while holder's snapshot held the horizon.
	if n := mapLen(); n != len(late) {
		t.Fatalf("with a snapshot held: %d commits keep their revision, want the %d after it", n, len(late))
	}
	for _, x := range early {
		if st, rev := m.StatusOf(x); st != Committed || rev != 0 || !holdSnap.sees(x, 0) {
			t.Fatalf("early xid %d: status %v rev %d", x, st, rev)
		}
	}
	for _, x := range late {
		if st, rev := m.StatusOf(x); st != Committed || rev <= holdSnap.Rev || holdSnap.sees(x, 0) {
			t.Fatalf("late xid %d: status %v rev %d, held snapshot at %d", x, st, rev, holdSnap.Rev)
		}
	}
	holder.Rollback()
	m.foldCommitted()
	if n := mapLen(); n != 0 {
		t.Fatalf("with no snapshot held: %d commits keep their revision, want 0", n)
	}
	aborted := begin(t, m)
	aborted.MarkWrote()
	aborted.Rollback()
	for _, x := range append(early, late...) {
		if st, _ := m.StatusOf(x); st != Committed {
			t.Fatalf("xid %d: status %v after folding, want Committed", x, st)
		}
	}
	if st, _ := m.StatusOf(aborted.XID); st != Aborted {
		t.Fatalf("aborted xid: status %v", st)
	}

	// In storage too: no key per XID is left, the bitmap pages hold them.
	countKeys := func(store Storage, prefix []byte) int {
		it := store.NewIter(prefix, prefixEnd(prefix))
		defer it.Close()
		n := 0
		for ok := it.First(); ok; ok = it.Next() {
			n++
		}
		return n
	}
	if n := countKeys(store, clogPrefix); n != 0 {
		t.Fatalf("after folding: %d commit-log keys per XID in storage, want 0", n)
	}
	if n := countKeys(store, clogPagePrefix); n != 1 {
		t.Fatalf("after folding: %d commit-log pages in storage, want 1", n)
	}
	// One commit left unfolded: Open must fold its key.
	extra := begin(t, m)
	lastRev := commitWrite(t, store, extra)
	late = append(late, extra.XID)
	if n := countKeys(store, clogPrefix); n != 1 {
		t.Fatalf("after one more commit: %d commit-log keys per XID, want 1", n)
	}

	// Restart: the stored commit log goes straight into the bitmap, and
	// revisions go on from the newest folded one.
	store.Close()
	store2 := openStore(t, fs)
	m2 := openManager(t, store2)
	if got := m2.Published(); got != lastRev {
		t.Fatalf("after restart: published revision %d, want %d", got, lastRev)
	}
	next := begin(t, m2)
	if rev := commitWrite(t, store2, next); rev != lastRev+1 {
		t.Fatalf("first commit after restart: revision %d, want %d", rev, lastRev+1)
	}
	if n := countKeys(store2, clogPrefix); n != 1 {
		t.Fatalf("after restart and one commit: %d commit-log keys per XID, want 1", n)
	}
	if len(m2.mu.committed) != 1 {
		t.Fatalf("after restart and one commit: %d commits in the revision map, want 1", len(m2.mu.committed))
	}
	for _, x := range append(early, late...) {
		if st, rev := m2.StatusOf(x); st != Committed || rev != 0 {
			t.Fatalf("after restart, xid %d: status %v rev %d", x, st, rev)
		}
	}
	if st, _ := m2.StatusOf(aborted.XID); st != Aborted {
		t.Fatalf("after restart, aborted xid: status %v", st)
	}
	if st, _ := m2.StatusOf(1 << 40); st != Aborted {
		t.Fatalf("unknown xid: status %v", st)
	}
}

func TestCommittedBits(t *testing.T) {
	b := make(committedBits)
	xids := []XID{1, 63, 64, 65, clogPageBits - 1, clogPageBits, 5*clogPageBits + 7, 1 << 40}
	for _, x := range xids {
		b.add(x)
	}
	in := make(map[XID]bool)
	for _, x := range xids {
		in[x] = true
	}
	for _, x := range []XID{0, 1, 2, 62, 63, 64, 65, 66, clogPageBits - 1, clogPageBits, clogPageBits + 1, 5*clogPageBits + 7, 5*clogPageBits + 6, 1 << 40, 1<<40 + 1} {
		if b.has(x) != in[x] {
			t.Errorf("has(%d) = %v, want %v", x, b.has(x), in[x])
		}
	}
	if len(b) != 4 {
		t.Errorf("%d pages, want 4", len(b))
	}
}
