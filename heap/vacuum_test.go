package heap

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/txn"
)

// versions counts the stored versions of table, dead or alive.
func (e *env) versions(t *testing.T) int {
	t.Helper()
	prefix := tablePrefixKey(table)
	it := e.store.NewIter(prefix, prefixEnd(prefix))
	defer it.Close()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n
}

func (e *env) updateAll(t *testing.T, round int) {
	t.Helper()
	tx := e.begin(t)
	snap := e.tm.Snapshot(tx, 0)
	for _, tu := range e.tuples(t, snap) {
		if err := e.h.Update(Op{Tx: tx, Snap: snap}, table, tu.ID, nil, []byte(fmt.Sprint(round))); err != nil {
			t.Fatal(err)
		}
	}
	commit(t, tx)
}

func (e *env) tuples(t *testing.T, snap txn.Snapshot) []Tuple {
	t.Helper()
	var out []Tuple
	if err := e.h.Scan(snap, table, func(tu Tuple) error {
		out = append(out, tu)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVacuumRemovesDeadVersions(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "0", "b", "0", "c", "0")
	// A transaction that rolls back leaves a dead version too.
	tx := e.begin(t)
	e.insert(t, tx, 0, "d", "never")
	tx.Rollback()
	for round := 1; round <= 5; round++ {
		e.updateAll(t, round)
	}
	if got := e.versions(t); got != 3*6+1 {
		t.Fatalf("before vacuum: %d versions, want %d", got, 3*6+1)
	}
	// A transaction holding an old snapshot keeps the versions it sees.
	holder := e.begin(t)
	e.tm.Snapshot(holder, 0)
	e.updateAll(t, 6)
	if _, err := e.h.Vacuum(table); err != nil {
		t.Fatal(err)
	}
	if got := e.versions(t); got != 6 {
		t.Fatalf("vacuum with an open snapshot: %d versions, want 6 (the snapshot's and the newest)", got)
	}
	holder.Rollback()
	removed, err := e.h.Vacuum(table)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.versions(t); got != 3 || removed != 3 {
		t.Fatalf("after the snapshot ended: %d versions (removed %d), want 3 (removed 3)", got, removed)
	}
	if got := e.rows(t, e.tm.ReadSnapshot()); fmt.Sprint(got) != "[a=6 b=6 c=6]" {
		t.Fatalf("rows after vacuum = %v", got)
	}
}

func TestDeadFilter(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "0")
	e.updateAll(t, 1)
	prefix := tablePrefixKey(table)
	it := e.store.NewIter(prefix, prefixEnd(prefix))
	defer it.Close()
	var dead, live int
	for ok := it.First(); ok; ok = it.Next() {
		if e.h.DeadFilter(it.Key(), it.Value()) {
			dead++
		} else {
			live++
		}
	}
	if dead != 1 || live != 1 {
		t.Fatalf("DeadFilter: %d dead, %d live, want 1 and 1", dead, live)
	}
	if e.h.DeadFilter([]byte("\x00clog/x"), []byte("whatever")) {
		t.Fatal("DeadFilter drops keys outside the heap")
	}
}

// TestDropTableData: dropping a table's data is one range delete that
// hides every stored version of its rows, survives a checkpoint (flush),
// the WAL replay of a reopen and a compaction, and leaves other tables'
// rows alone.
func TestDropTableData(t *testing.T) {
	fs := vfs.NewMem()
	e := openEnv(t, fs)
	e.insertCommitted(t, "a", "0", "b", "0", "c", "0")
	e.updateAll(t, 1)
	other := e.begin(t)
	if err := e.h.Insert(Op{Tx: other, Snap: e.tm.Snapshot(other, 0)}, table+1, pk("keep"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	commit(t, other)
	if err := e.store.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if got := e.versions(t); got != 6 {
		t.Fatalf("before the drop: %d versions", got)
	}
	n, err := e.h.DropTableData(table)
	if err != nil || n != 2 {
		t.Fatalf("DropTableData = %d, %v; want 2 ranges", n, err)
	}
	count := func(e *env, tbl uint32) int {
		prefix := tablePrefixKey(tbl)
		it := e.store.NewIter(prefix, prefixEnd(prefix))
		defer it.Close()
		n := 0
		for ok := it.First(); ok; ok = it.Next() {
			n++
		}
		return n
	}
	if got := count(e, table); got != 0 {
		t.Fatalf("after the drop: %d versions", got)
	}
	// Reopen without a checkpoint: the WAL replays the range delete.
	e.store.Close()
	e = openEnv(t, fs.CrashClone())
	if e.store.ReplayedRecords == 0 {
		t.Fatal("nothing replayed")
	}
	if got, kept := count(e, table), count(e, table+1); got != 0 || kept != 1 {
		t.Fatalf("after replay: %d versions of the dropped table, %d of the other; want 0 and 1", got, kept)
	}
	if err := e.store.Checkpoint(); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Compact(); err != nil {
		t.Fatal(err)
	}
	if got, kept := count(e, table), count(e, table+1); got != 0 || kept != 1 {
		t.Fatalf("after compaction: %d versions of the dropped table, %d of the other; want 0 and 1", got, kept)
	}
}

// TestVacuumStartsSweptRowsWhereItLeftThem: once a vacuum has deleted the
// old versions of a much-updated row, the next one starts the row at the
// oldest version it kept, so it does not step over the tombstones left
// before; and it still removes exactly the dead versions, including ones
// an open snapshot had kept from the earlier vacuum, and those of a row
// deleted and inserted again.
func TestVacuumStartsSweptRowsWhereItLeftThem(t *testing.T) {
	const maxSteps = 40 // the second vacuum: a few entries per row
	for _, history := range []int{100, 10_000} {
		t.Run(fmt.Sprintf("history=%d", history), func(t *testing.T) {
			e := newEnv(t)
			cs := &countingStore{Storage: e.store}
			e.h = New(cs, e.tm)
			e.insertCommitted(t, "a", "0", "hot", "0", "gone", "0", "z", "0")
			e.updateCommitted(t, "hot", history-1)
			e.updateCommitted(t, "gone", history-1)
			// A transaction that keeps a snapshot of hot's newest
			// version holds it (and the next) through the first vacuum.
			holder := e.begin(t)
			hsnap := e.tm.Snapshot(holder, 0)
			e.updateCommitted(t, "hot", 3)
			del := e.begin(t)
			dsnap := e.tm.Snapshot(del, 0)
			if err := e.h.Delete(Op{Tx: del, Snap: dsnap}, e.mustLookup(t, dsnap, "gone").ID); err != nil {
				t.Fatal(err)
			}
			commit(t, del)

			removed, err := e.h.Vacuum(table)
			if err != nil {
				t.Fatal(err)
			}
			// hot keeps the holder's version and the three after it;
			// gone keeps its last version, whose deleter the holder
			// does not see.
			if want := history - 1 + history - 1; removed != want {
				t.Fatalf("first vacuum removed %d, want %d", removed, want)
			}
			if got := string(e.mustLookup(t, hsnap, "hot").Data); got != fmt.Sprint(history-1) {
				t.Fatalf("holder's snapshot sees hot = %q after the vacuum, want %d", got, history-1)
			}
			holder.Rollback()
			cs.steps()

			e.updateCommitted(t, "hot", 2)
			e.insertCommitted(t, "gone", "again")
			e.updateCommitted(t, "gone", 2)
			cs.steps()
			removed, err = e.h.Vacuum(table)
			if err != nil {
				t.Fatal(err)
			}
			// hot: the holder's version and four after it; gone: the
			// deleted version and two of the new row.
			if removed != 5+3 {
				t.Fatalf("second vacuum removed %d, want 8", removed)
			}
			if n := cs.steps(); n > maxSteps {
				t.Errorf("second vacuum of rows with %d versions of history stepped over %d entries, want at most %d", history, n, maxSteps)
			}
			if got := e.versions(t); got != 4 {
				t.Fatalf("after the second vacuum: %d versions, want 4 (one per row)", got)
			}
			wantRows(t, "after vacuum", e.rows(t, e.tm.ReadSnapshot()), "a=0", "gone=2", "hot=2", "z=0")
		})
	}
}
