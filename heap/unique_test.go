package heap

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// TestUniqueCheckCostIndependentOfVersions gives rows 1 or 10,000 versions
// and checks that an insert of their key, which must find whether a
// version is live, steps over the same few entries either way: for a live
// row (23505) and for one just deleted (the insert goes in), while the
// versions are in the memtable, once vacuum has turned the dead ones into
// tombstones, and once those are in a table.
func TestUniqueCheckCostIndependentOfVersions(t *testing.T) {
	const maxSteps = 4
	for _, updates := range []int{0, 9_999} {
		t.Run(fmt.Sprintf("versions=%d", updates+1), func(t *testing.T) {
			e := newEnv(t)
			cs := &countingStore{Storage: e.store}
			e.h = New(cs, e.tm)
			cs.count(e.h)
			e.insertCommitted(t, "live", "0", "gone", "0")
			e.updateCommitted(t, "live", updates)
			e.updateCommitted(t, "gone", updates)

			phases := []struct {
				name  string
				setup func(t *testing.T)
			}{
				{"memtable", func(*testing.T) {}},
				{"vacuumed", func(t *testing.T) {
					if _, err := e.h.Vacuum(table); err != nil {
						t.Fatal(err)
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
				d := e.begin(t)
				snap := e.tm.Snapshot(d, 0)
				if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, "gone").ID); err != nil {
					t.Fatal(err)
				}
				commit(t, d)
				for _, c := range []struct {
					key  string
					code string
				}{{"live", pgerr.UniqueViolation}, {"gone", pgerr.SuccessfulCompletion}} {
					tx := e.begin(t)
					cs.steps()
					err := e.h.Insert(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, pk(c.key), []byte("new"))
					n := cs.steps()
					wantCode(t, fmt.Sprintf("%s: insert of %q", ph.name, c.key), err, c.code)
					if n > maxSteps {
						t.Errorf("%s: the insert of %q, a row of at least %d versions, stepped over %d entries, want at most %d", ph.name, c.key, updates+1, n, maxSteps)
					}
					if err != nil {
						tx.Rollback()
						continue
					}
					commit(t, tx) // "gone" is live again, for the next phase to delete
				}
			}
		})
	}
}

// TestLiveKey: LiveKey finds a row only when an insert of its key would
// certainly conflict with the version it finds.
func TestLiveKey(t *testing.T) {
	update := func(t *testing.T, e *env, tx *txn.Txn, cid txn.CID, data string) {
		t.Helper()
		snap := e.tm.Snapshot(tx, cid)
		if err := e.h.Update(Op{Tx: tx, Snap: snap}, table, e.mustLookup(t, snap, "k").ID, nil, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		// setup prepares row "k" and returns the reader and its command.
		setup func(t *testing.T, e *env) (*txn.Txn, txn.CID)
		want  string // the data found; "" for none
	}{
		{"no row", func(t *testing.T, e *env) (*txn.Txn, txn.CID) { return e.begin(t), 0 }, ""},
		{"committed row, updated", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			e.insertCommitted(t, "k", "0")
			e.updateCommitted(t, "k", 5)
			return e.begin(t), 0
		}, "5"},
		{"deleted", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			e.insertCommitted(t, "k", "0")
			e.deleteCommitted(t, "k")
			return e.begin(t), 0
		}, ""},
		{"last update rolled back", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			e.insertCommitted(t, "k", "0")
			u := e.begin(t)
			update(t, e, u, 0, "undone")
			u.Rollback()
			return e.begin(t), 0
		}, "0"},
		{"being updated by a running transaction", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			e.insertCommitted(t, "k", "0")
			update(t, e, e.begin(t), 0, "theirs")
			return e.begin(t), 0
		}, ""},
		{"inserted by a running transaction", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			e.insert(t, e.begin(t), 0, "k", "theirs")
			return e.begin(t), 0
		}, ""},
		{"own insert, earlier command", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "k", "mine")
			return tx, 1
		}, "mine"},
		{"own insert, same command", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			tx := e.begin(t)
			e.insert(t, tx, 1, "k", "mine")
			return tx, 1
		}, ""},
		{"own update, same command", func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
			// The version the command replaced is still the one its
			// snapshot sees, but it is no longer live.
			e.insertCommitted(t, "k", "0")
			tx := e.begin(t)
			update(t, e, tx, 1, "mine")
			return tx, 1
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tx, cid := tc.setup(t, e)
			tu, found, err := e.h.LiveKey(e.tm.LatestSnapshot(tx, cid), table, pk("k"))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if found {
				got = string(tu.Data)
				if keyOf(tu.ID) != "k" {
					t.Errorf("found a version of %q", keyOf(tu.ID))
				}
			}
			if got != tc.want {
				t.Errorf("found %q, want %q", got, tc.want)
			}
		})
	}
}
