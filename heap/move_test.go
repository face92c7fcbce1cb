package heap

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// TestMoveRows moves rows from row ids to keys, across more than one
// batch: a later snapshot of the committed move sees each row once, under
// its key; a snapshot from before sees the rows as they were; a rolled
// back move leaves them as they were.
func TestMoveRows(t *testing.T) {
	const rows = moveBatch + 10
	for _, commitMove := range []bool{true, false} {
		t.Run(fmt.Sprintf("commit=%v", commitMove), func(t *testing.T) {
			e := newEnv(t)
			load := e.begin(t)
			var ids []TupleID
			for i := range rows {
				if _, err := e.h.InsertRow(Op{Tx: load, Snap: e.tm.Snapshot(load, 0)}, table, nil, []byte(fmt.Sprint(i))); err != nil {
					t.Fatal(err)
				}
			}
			commit(t, load)
			before := e.tm.ReadSnapshot()
			if err := e.h.Scan(before, table, func(tu Tuple) error {
				ids = append(ids, tu.ID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(ids) != rows {
				t.Fatalf("loaded %d rows, want %d", len(ids), rows)
			}

			tx := e.begin(t)
			moves := make([]Move, len(ids))
			for i, id := range ids {
				moves[i] = Move{ID: id, PK: pk(fmt.Sprintf("k%05d", i)), Data: []byte(fmt.Sprint(i))}
			}
			if err := e.h.MoveRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, moves); err != nil {
				t.Fatal(err)
			}
			if commitMove {
				commit(t, tx)
			} else {
				tx.Rollback()
			}

			after := e.tm.ReadSnapshot()
			for name, snap := range map[string]txn.Snapshot{"before": before, "after": after} {
				n, moved := 0, 0
				if err := e.h.Scan(snap, table, func(tu Tuple) error {
					n++
					if tu.ID[5] != 0x01 { // not a row id
						moved++
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				wantMoved := 0
				if name == "after" && commitMove {
					wantMoved = rows
				}
				if n != rows || moved != wantMoved {
					t.Errorf("%s: %d rows visible, %d under keys; want %d, %d", name, n, moved, rows, wantMoved)
				}
			}
			if commitMove {
				if got, ok := e.lookup(t, after, "k00007"); !ok || string(got.Data) != "7" {
					t.Errorf("lookup k00007 = %q, %v; want \"7\"", got.Data, ok)
				}
			}
		})
	}
}

// TestMoveRowsRefusesClaimedVersion: a version another transaction has
// claimed (deleted, not yet committed) breaks MoveRows' contract, and the
// call fails with XX000 rather than overwriting the claim.
func TestMoveRowsRefusesClaimedVersion(t *testing.T) {
	e := newEnv(t)
	load := e.begin(t)
	if _, err := e.h.InsertRow(Op{Tx: load, Snap: e.tm.Snapshot(load, 0)}, table, nil, []byte("x")); err != nil {
		t.Fatal(err)
	}
	commit(t, load)
	var id TupleID
	if err := e.h.Scan(e.tm.ReadSnapshot(), table, func(tu Tuple) error { id = tu.ID; return nil }); err != nil {
		t.Fatal(err)
	}
	other := e.begin(t)
	if err := e.h.Delete(Op{Tx: other, Snap: e.tm.Snapshot(other, 0)}, id); err != nil {
		t.Fatal(err)
	}
	tx := e.begin(t)
	err := e.h.MoveRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, []Move{{ID: id, PK: pk("k"), Data: []byte("x")}})
	if pgerr.Code(err) != pgerr.InternalError {
		t.Fatalf("MoveRows of a claimed version: %v, want XX000", err)
	}
}

// TestInsertRowIDReadsNothing: a row with a new row id cannot conflict
// with any version, so inserting it opens no iterator (COPY into a table
// without a primary key writes and nothing else).
func TestInsertRowIDReadsNothing(t *testing.T) {
	e := newEnv(t)
	cs := &countingStore{Storage: e.store}
	e.h = New(cs, e.tm)
	tx := e.begin(t)
	for i := range 3 {
		if _, err := e.h.InsertRow(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, nil, []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(cs.iters); n != 0 {
		t.Errorf("3 inserts with row ids opened %d iterators, want 0", n)
	}
	commit(t, tx)
	if got := e.rows(t, e.tm.ReadSnapshot()); len(got) != 3 {
		t.Errorf("rows after commit: %v, want 3", got)
	}
}
