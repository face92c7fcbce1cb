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
