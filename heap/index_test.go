package heap

import (
	"bytes"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

const index uint32 = 16400

// indexRows returns the rows ScanIndex yields for keys in [lower, upper),
// as "key=data" in the order given.
func (e *env) indexRows(t *testing.T, snap txn.Snapshot, lower, upper []byte) []string {
	t.Helper()
	var out []string
	if err := e.h.ScanIndex(snap, table, index, lower, upper, func(tu Tuple) error {
		out = append(out, keyOf(tu.ID)+"="+string(tu.Data))
		return nil
	}); err != nil {
		t.Fatalf("ScanIndex: %v", err)
	}
	return out
}

func (e *env) entry(t *testing.T, tx *txn.Txn, key, row string) {
	t.Helper()
	if err := e.h.InsertIndexEntry(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, index, pk(key), pk(row)); err != nil {
		t.Fatalf("InsertIndexEntry: %v", err)
	}
}

// update replaces row key's visible version with data, and indexes it
// under data.
func (e *env) updateIndexed(t *testing.T, key, data string) {
	t.Helper()
	tx := e.begin(t)
	snap := e.tm.Snapshot(tx, 0)
	if err := e.h.Update(Op{Tx: tx, Snap: snap}, table, e.mustLookup(t, snap, key).ID, nil, []byte(data)); err != nil {
		t.Fatalf("Update: %v", err)
	}
	e.entry(t, tx, data, key)
	commit(t, tx)
}

func TestScanIndexStaleAndDuplicateEntries(t *testing.T) {
	e := newEnv(t)
	tx := e.begin(t)
	e.insert(t, tx, 0, "a", "1")
	e.insert(t, tx, 0, "b", "1")
	e.entry(t, tx, "1", "a")
	e.entry(t, tx, "1", "b")
	commit(t, tx)
	e.updateIndexed(t, "a", "2")
	e.updateIndexed(t, "a", "1") // a has entries under 1 and 2 now

	// A row inserted by a running transaction is not visible.
	run := e.begin(t)
	e.insert(t, run, 0, "c", "1")
	e.entry(t, run, "1", "c")

	snap := e.tm.ReadSnapshot()
	wantRows(t, "key 1", e.indexRows(t, snap, pk("1"), prefixEnd(pk("1"))), "a=1", "b=1")
	// The stale entry under 2 leads to a's visible version, which holds 1:
	// the caller's re-check drops it.
	wantRows(t, "key 2", e.indexRows(t, snap, pk("2"), prefixEnd(pk("2"))), "a=1")
	// One row reached through two entries in range comes once.
	wantRows(t, "all", e.indexRows(t, snap, nil, nil), "a=1", "b=1")
	wantRows(t, "own", e.indexRows(t, e.tm.Snapshot(run, 1), pk("1"), prefixEnd(pk("1"))), "a=1", "b=1", "c=1")
	if err := e.h.ScanIndex(snap, table, index+1, nil, nil, func(tu Tuple) error {
		t.Errorf("another index yields %q", keyOf(tu.ID))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestInsertUniqueIndexEntry(t *testing.T) {
	holds := func(key string) func([]byte) (bool, error) {
		return func(data []byte) (bool, error) { return bytes.Equal(pk(string(data)), pk(key)), nil }
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, e *env)
		code  string
	}{
		{"no other row", func(t *testing.T, e *env) {}, pgerr.SuccessfulCompletion},
		{"committed live row", func(t *testing.T, e *env) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "a", "x")
			e.entry(t, tx, "x", "a")
			commit(t, tx)
		}, pgerr.UniqueViolation},
		{"row moved to another key", func(t *testing.T, e *env) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "a", "x")
			e.entry(t, tx, "x", "a")
			commit(t, tx)
			e.updateIndexed(t, "a", "y")
		}, pgerr.SuccessfulCompletion},
		{"row deleted by a committed transaction", func(t *testing.T, e *env) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "a", "x")
			e.entry(t, tx, "x", "a")
			commit(t, tx)
			d := e.begin(t)
			snap := e.tm.Snapshot(d, 0)
			if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, "a").ID); err != nil {
				t.Fatal(err)
			}
			commit(t, d)
		}, pgerr.SuccessfulCompletion},
		{"row inserted by a running transaction", func(t *testing.T, e *env) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "a", "x")
			e.entry(t, tx, "x", "a")
		}, pgerr.SerializationFailure}, // Op.Ctx is nil: no waiting
		{"row inserted by a rolled back transaction", func(t *testing.T, e *env) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "a", "x")
			e.entry(t, tx, "x", "a")
			tx.Rollback()
		}, pgerr.SuccessfulCompletion},
		{"the row itself", func(t *testing.T, e *env) {
			tx := e.begin(t)
			e.insert(t, tx, 0, "k", "x")
			e.entry(t, tx, "x", "k")
			commit(t, tx)
		}, pgerr.SuccessfulCompletion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.setup(t, e)
			tx := e.begin(t)
			err := e.h.InsertUniqueIndexEntry(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, index, pk("x"), pk("k"), holds("x"))
			wantCode(t, "InsertUniqueIndexEntry", err, tc.code)
		})
	}
}
