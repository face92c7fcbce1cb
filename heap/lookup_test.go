package heap

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/txn"
)

// countingStore hands the heap the store's iterators and adds up the
// entries they step over (lsm.Iterator.Steps): the work of a read,
// measured without a clock.
type countingStore struct {
	txn.Storage
	iters []*lsm.Iterator
	// pooled adds up the steps of the heap's pooled iterators (row
	// reads and uniqueness checks), which it reports through readSteps.
	pooled int
}

// count makes h report its pooled iterators' steps to s.
func (s *countingStore) count(h *Heap) {
	h.readSteps = func(n int) { s.pooled += n }
}

func (s *countingStore) NewIter(lower, upper []byte) *lsm.Iterator {
	it := s.Storage.NewIter(lower, upper)
	s.iters = append(s.iters, it)
	return it
}

func (s *countingStore) NewLiveIter(lower, upper []byte) *lsm.Iterator {
	it := s.Storage.NewLiveIter(lower, upper)
	s.iters = append(s.iters, it)
	return it
}

// steps returns the entries stepped over by the iterators made since the
// last call.
func (s *countingStore) steps() int {
	n := s.pooled
	for _, it := range s.iters {
		n += it.Steps()
	}
	s.iters, s.pooled = s.iters[:0], 0
	return n
}

// updateCommitted replaces the visible version of key n times, each in a
// transaction of its own, and returns the first version's id.
func (e *env) updateCommitted(t *testing.T, key string, n int) TupleID {
	t.Helper()
	first := e.mustLookup(t, e.tm.ReadSnapshot(), key).ID
	for i := 0; i < n; i++ {
		tx := e.begin(t)
		snap := e.tm.Snapshot(tx, 0)
		if err := e.h.Update(Op{Tx: tx, Snap: snap}, table, e.mustLookup(t, snap, key).ID, nil, []byte(fmt.Sprint(i+1))); err != nil {
			t.Fatalf("update %d of %q: %v", i+1, key, err)
		}
		commit(t, tx)
	}
	return first
}

// TestLookupCostIndependentOfVersions gives a row 1 or 10,000 versions and
// checks that reading it by key steps over the same few entries either
// way: while the versions are in the memtable, once vacuum has turned the
// dead ones into tombstones, and once those are in a table.
func TestLookupCostIndependentOfVersions(t *testing.T) {
	const index uint32 = 7
	const maxSteps = 4 // per row read: the version found, the one before
	for _, updates := range []int{0, 9_999} {
		t.Run(fmt.Sprintf("versions=%d", updates+1), func(t *testing.T) {
			e := newEnv(t)
			cs := &countingStore{Storage: e.store}
			e.h = New(cs, e.tm)
			cs.count(e.h)
			e.insertCommitted(t, "a", "0", "hot", "0", "z", "0")
			e.updateCommitted(t, "a", 3)
			first := e.updateCommitted(t, "hot", updates)
			e.updateCommitted(t, "z", 3)
			ix := e.begin(t)
			if err := e.h.InsertIndexEntry(Op{Tx: ix, Snap: e.tm.Snapshot(ix, 0)}, index, []byte("k"), pk("hot")); err != nil {
				t.Fatal(err)
			}
			commit(t, ix)
			want := fmt.Sprint(updates)

			reads := []struct {
				name string
				read func(snap txn.Snapshot) (Tuple, bool, error)
				max  int
			}{
				{"ScanKey", func(snap txn.Snapshot) (Tuple, bool, error) {
					var found Tuple
					ok := false
					err := e.h.ScanKey(snap, table, pk("hot"), func(tu Tuple) error {
						found, ok = tu, true
						return nil
					})
					return found, ok, err
				}, maxSteps},
				{"Latest", func(snap txn.Snapshot) (Tuple, bool, error) {
					return e.h.Latest(snap, first)
				}, maxSteps},
				{"ScanIndex", func(snap txn.Snapshot) (Tuple, bool, error) {
					var found Tuple
					ok := false
					err := e.h.ScanIndex(snap, table, index, nil, nil, func(tu Tuple) error {
						found, ok = tu, true
						return nil
					})
					return found, ok, err
				}, maxSteps + 2}, // and the index entry
			}
			phases := []struct {
				name  string
				setup func(t *testing.T)
			}{
				{"memtable", func(*testing.T) {}},
				{"vacuumed", func(t *testing.T) {
					removed, err := e.h.Vacuum(table)
					if err != nil {
						t.Fatal(err)
					}
					if want := updates + 6; removed != want {
						t.Fatalf("Vacuum removed %d versions, want %d", removed, want)
					}
				}},
				{"flushed", func(t *testing.T) {
					if err := e.store.Checkpoint(); err != nil {
						t.Fatal(err)
					}
				}},
			}
			for _, ph := range phases {
				ph.setup(t)
				for _, r := range reads {
					cs.steps()
					tu, ok, err := r.read(e.tm.ReadSnapshot())
					if err != nil || !ok || string(tu.Data) != want {
						t.Fatalf("%s, %s: %q, %v, %v; want %q", ph.name, r.name, tu.Data, ok, err, want)
					}
					if n := cs.steps(); n > r.max {
						t.Errorf("%s, %s of a row with %d versions stepped over %d entries, want at most %d", ph.name, r.name, updates+1, n, r.max)
					}
				}
			}
		})
	}
}

// TestVersionAfterWaitIsNewest: a write that waited for another transaction
// numbers its version after what that transaction wrote meanwhile, so a
// lookup, which stops at the newest version whose creation it sees, finds
// it. Here the transaction waited for deletes the row, inserts it again
// and deletes that too before it commits; then the waiting write goes on.
func TestVersionAfterWaitIsNewest(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env)
		// write writes the row "k" with data "mine" in w.
		write func(e *env, w *txn.Txn) error
	}{
		{
			name: "insert",
			write: func(e *env, w *txn.Txn) error {
				return e.h.Insert(Op{Tx: w, Snap: e.tm.Snapshot(w, 0), Ctx: context.Background()}, table, pk("k"), []byte("mine"))
			},
		},
		{
			name:  "update changing the key",
			setup: func(t *testing.T, e *env) { e.insertCommitted(t, "other", "mine") },
			write: func(e *env, w *txn.Txn) error {
				snap := e.tm.Snapshot(w, 0)
				var id TupleID
				if err := e.h.ScanKey(snap, table, pk("other"), func(tu Tuple) error { id = tu.ID; return nil }); err != nil {
					return err
				}
				return e.h.Update(Op{Tx: w, Snap: snap, Ctx: context.Background()}, table, id, pk("k"), []byte("mine"))
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.insertCommitted(t, "k", "old")
			if tc.setup != nil {
				tc.setup(t, e)
			}
			d := e.begin(t)
			dsnap := e.tm.Snapshot(d, 0)
			if err := e.h.Delete(Op{Tx: d, Snap: dsnap}, e.mustLookup(t, dsnap, "k").ID); err != nil {
				t.Fatal(err)
			}

			w := e.begin(t)
			errc := make(chan error, 1)
			go func() { errc <- tc.write(e, w) }()
			awaitWaiter(t, e.tm, w.XID, errc)

			e.insert(t, d, 1, "k", "theirs")
			dsnap = e.tm.Snapshot(d, 2)
			if err := e.h.Delete(Op{Tx: d, Snap: dsnap}, e.mustLookup(t, dsnap, "k").ID); err != nil {
				t.Fatal(err)
			}
			commit(t, d)
			if err := <-errc; err != nil {
				t.Fatalf("write after the wait: %v", err)
			}
			commit(t, w)
			if got, ok := e.lookup(t, e.tm.ReadSnapshot(), "k"); !ok || string(got.Data) != "mine" {
				t.Fatalf("row k after both committed = %q (found %v), want %q", got.Data, ok, "mine")
			}
			wantRows(t, "scan", e.rows(t, e.tm.ReadSnapshot()), "k=mine")
		})
	}
}

// awaitWaiter polls the wait graph until waiter waits, failing if errc
// reports that its write ended first. The bound only catches a hang:
// whether the transaction waits is read from the graph, not guessed from
// elapsed time.
func awaitWaiter(t *testing.T, tm *txn.Manager, waiter txn.XID, errc <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, w := range tm.Waits() {
			if w.Waiter == waiter {
				return
			}
		}
		select {
		case err := <-errc:
			t.Fatalf("the write of %d ended (%v) before it was seen waiting", waiter, err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("transaction %d is not seen waiting after 30s", waiter)
		}
		time.Sleep(time.Millisecond)
	}
}
