package heap

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
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
