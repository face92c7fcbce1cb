package heap

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/txn"
)

const table uint32 = 16384

type env struct {
	fs    *vfs.MemFS
	store *checkpoint.Store
	tm    *txn.Manager
	h     *Heap
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return openEnv(t, vfs.NewMem())
}

func openEnv(t *testing.T, fs *vfs.MemFS) *env {
	t.Helper()
	store, err := checkpoint.Open(fs, "data", checkpoint.Options{})
	if err != nil {
		t.Fatalf("checkpoint.Open: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	tm, err := txn.Open(store)
	if err != nil {
		t.Fatalf("txn.Open: %v", err)
	}
	return &env{fs: fs, store: store, tm: tm, h: New(store, tm)}
}

// pk encodes a string key self-delimiting: the bytes and a 0x00 terminator.
func pk(s string) []byte { return append([]byte(s), 0) }

func (e *env) begin(t *testing.T) *txn.Txn {
	t.Helper()
	tx, err := e.tm.Begin()
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	return tx
}

func commit(t *testing.T, tx *txn.Txn) {
	t.Helper()
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func (e *env) insert(t *testing.T, tx *txn.Txn, cid txn.CID, key, data string) {
	t.Helper()
	if err := e.h.Insert(Op{Tx: tx, Snap: e.tm.Snapshot(tx, cid)}, table, pk(key), []byte(data)); err != nil {
		t.Fatalf("Insert(%q): %v", key, err)
	}
}

// insertCommitted inserts rows in one committed transaction.
func (e *env) insertCommitted(t *testing.T, kv ...string) {
	t.Helper()
	tx := e.begin(t)
	for i := 0; i+1 < len(kv); i += 2 {
		e.insert(t, tx, 0, kv[i], kv[i+1])
	}
	commit(t, tx)
}

// rows returns the visible rows of table as "key=data", sorted.
func (e *env) rows(t *testing.T, snap txn.Snapshot) []string {
	t.Helper()
	var out []string
	err := e.h.Scan(snap, table, func(tu Tuple) error {
		out = append(out, fmt.Sprintf("%s=%s", keyOf(tu.ID), tu.Data))
		return nil
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	sort.Strings(out)
	return out
}

// keyOf decodes the string key from a tuple id.
func keyOf(id TupleID) string {
	k := id[5 : len(id)-seqSize]
	return string(k[:len(k)-1])
}

// lookup returns the visible version of key, failing unless there is at
// most one.
func (e *env) lookup(t *testing.T, snap txn.Snapshot, key string) (Tuple, bool) {
	t.Helper()
	var found []Tuple
	if err := e.h.ScanKey(snap, table, pk(key), func(tu Tuple) error {
		found = append(found, tu)
		return nil
	}); err != nil {
		t.Fatalf("ScanKey(%q): %v", key, err)
	}
	if len(found) > 1 {
		t.Fatalf("ScanKey(%q) found %d visible versions", key, len(found))
	}
	if len(found) == 0 {
		return Tuple{}, false
	}
	return found[0], true
}

// deleteCommitted deletes the visible version of key in a committed
// transaction.
func (e *env) deleteCommitted(t *testing.T, key string) {
	t.Helper()
	d := e.begin(t)
	snap := e.tm.Snapshot(d, 0)
	if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, key).ID); err != nil {
		t.Fatalf("Delete(%q): %v", key, err)
	}
	commit(t, d)
}

func (e *env) mustLookup(t *testing.T, snap txn.Snapshot, key string) Tuple {
	t.Helper()
	tu, ok := e.lookup(t, snap, key)
	if !ok {
		t.Fatalf("row %q not visible", key)
	}
	return tu
}

func equalRows(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wantRows(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !equalRows(got, want) {
		t.Errorf("%s: rows %q, want %q", what, got, want)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := pgerr.Code(err); got != code {
		t.Errorf("%s: got %v (SQLSTATE %s), want SQLSTATE %s", what, err, got, code)
	}
}

func TestInsertVisibility(t *testing.T) {
	e := newEnv(t)
	t1 := e.begin(t)
	t2 := e.begin(t)
	e.insert(t, t1, 0, "a", "1")
	e.insert(t, t1, 0, "b", "2")

	before := e.tm.Snapshot(t2, 0)
	wantRows(t, "other transaction before commit", e.rows(t, before))
	wantRows(t, "own later command", e.rows(t, e.tm.Snapshot(t1, 1)), "a=1", "b=2")
	wantRows(t, "read snapshot before commit", e.rows(t, e.tm.ReadSnapshot()))

	commit(t, t1)
	wantRows(t, "snapshot taken before the commit", e.rows(t, before))
	wantRows(t, "new snapshot of the other transaction", e.rows(t, e.tm.Snapshot(t2, 0)), "a=1", "b=2")
	wantRows(t, "read snapshot after commit", e.rows(t, e.tm.ReadSnapshot()), "a=1", "b=2")
	t2.Rollback()
}

func TestUpdateKeepsOldVersionForOldSnapshot(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "v1", "b", "other")

	reader := e.begin(t)
	defer reader.Rollback()
	old := e.tm.Snapshot(reader, 0)

	for i, v := range []string{"v2", "v3"} {
		w := e.begin(t)
		snap := e.tm.Snapshot(w, 0)
		cur := e.mustLookup(t, snap, "a")
		if err := e.h.Update(Op{Tx: w, Snap: snap}, table, cur.ID, nil, []byte(v)); err != nil {
			t.Fatalf("update %d: %v", i, err)
		}
		if got := string(e.mustLookup(t, e.tm.Snapshot(w, 1), "a").Data); got != v {
			t.Fatalf("updater's next command sees %q, want %q", got, v)
		}
		if got := string(e.mustLookup(t, snap, "a").Data); got == v {
			t.Fatalf("updater's same command sees its own new version %q", got)
		}
		commit(t, w)
	}

	wantRows(t, "snapshot taken before the updates", e.rows(t, old), "a=v1", "b=other")
	wantRows(t, "new snapshot", e.rows(t, e.tm.ReadSnapshot()), "a=v3", "b=other")
}

func TestUpdateChangesKey(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "1", "c", "3")
	tx := e.begin(t)
	snap := e.tm.Snapshot(tx, 0)
	id := e.mustLookup(t, snap, "a").ID
	if err := e.h.Update(Op{Tx: tx, Snap: snap}, table, id, pk("c"), []byte("x")); pgerr.Code(err) != pgerr.UniqueViolation {
		t.Fatalf("update onto an existing key: got %v, want 23505", err)
	}
	tx.Rollback()

	tx = e.begin(t)
	snap = e.tm.Snapshot(tx, 0)
	id = e.mustLookup(t, snap, "a").ID
	if err := e.h.Update(Op{Tx: tx, Snap: snap}, table, id, pk("b"), []byte("2")); err != nil {
		t.Fatalf("update to a new key: %v", err)
	}
	commit(t, tx)
	wantRows(t, "after key change", e.rows(t, e.tm.ReadSnapshot()), "b=2", "c=3")
}

func TestDelete(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "1", "b", "2")
	reader := e.begin(t)
	defer reader.Rollback()
	old := e.tm.Snapshot(reader, 0)

	d := e.begin(t)
	snap := e.tm.Snapshot(d, 0)
	if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, "a").ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantRows(t, "deleter, same command", e.rows(t, snap), "a=1", "b=2")
	wantRows(t, "deleter, next command", e.rows(t, e.tm.Snapshot(d, 1)), "b=2")
	wantRows(t, "others before commit", e.rows(t, e.tm.ReadSnapshot()), "a=1", "b=2")
	commit(t, d)
	wantRows(t, "after commit", e.rows(t, e.tm.ReadSnapshot()), "b=2")
	wantRows(t, "snapshot from before the delete", e.rows(t, old), "a=1", "b=2")
}

func TestPrimaryKeyUniqueness(t *testing.T) {
	tests := []struct {
		name string
		// setup prepares the row "k" and returns the transaction that
		// inserts the duplicate (and its command id).
		setup func(t *testing.T, e *env) (*txn.Txn, txn.CID)
		code  string
	}{
		{
			name: "committed live row",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				return e.begin(t), 0
			},
			code: pgerr.UniqueViolation,
		},
		{
			name: "row deleted by a committed transaction",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				d := e.begin(t)
				snap := e.tm.Snapshot(d, 0)
				if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, "k").ID); err != nil {
					t.Fatal(err)
				}
				commit(t, d)
				return e.begin(t), 0
			},
			code: pgerr.SuccessfulCompletion,
		},
		{
			name: "row deleted by an in-progress transaction",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				d := e.begin(t)
				snap := e.tm.Snapshot(d, 0)
				if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, "k").ID); err != nil {
					t.Fatal(err)
				}
				return e.begin(t), 0
			},
			code: pgerr.SerializationFailure,
		},
		{
			name: "row whose deleter aborted",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				d := e.begin(t)
				snap := e.tm.Snapshot(d, 0)
				if err := e.h.Delete(Op{Tx: d, Snap: snap}, e.mustLookup(t, snap, "k").ID); err != nil {
					t.Fatal(err)
				}
				d.Rollback()
				return e.begin(t), 0
			},
			code: pgerr.UniqueViolation,
		},
		{
			name: "row inserted by an in-progress transaction",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				other := e.begin(t)
				e.insert(t, other, 0, "k", "theirs")
				return e.begin(t), 0
			},
			code: pgerr.SerializationFailure,
		},
		{
			name: "row inserted by a transaction that aborted",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				other := e.begin(t)
				e.insert(t, other, 0, "k", "theirs")
				other.Rollback()
				return e.begin(t), 0
			},
			code: pgerr.SuccessfulCompletion,
		},
		{
			name: "own uncommitted row, earlier command",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				tx := e.begin(t)
				e.insert(t, tx, 0, "k", "mine")
				return tx, 1
			},
			code: pgerr.UniqueViolation,
		},
		{
			name: "own uncommitted row, same command",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				tx := e.begin(t)
				e.insert(t, tx, 0, "k", "mine")
				return tx, 0
			},
			code: pgerr.UniqueViolation,
		},
		{
			name: "row deleted by own earlier command",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				tx := e.begin(t)
				snap := e.tm.Snapshot(tx, 0)
				if err := e.h.Delete(Op{Tx: tx, Snap: snap}, e.mustLookup(t, snap, "k").ID); err != nil {
					t.Fatal(err)
				}
				return tx, 1
			},
			code: pgerr.SuccessfulCompletion,
		},
		{
			name: "row updated many times",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				e.updateCommitted(t, "k", 20)
				return e.begin(t), 0
			},
			code: pgerr.UniqueViolation,
		},
		{
			name: "row updated, then deleted",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				e.updateCommitted(t, "k", 20)
				e.deleteCommitted(t, "k")
				return e.begin(t), 0
			},
			code: pgerr.SuccessfulCompletion,
		},
		{
			name: "row whose last update rolled back",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				e.updateCommitted(t, "k", 3)
				u := e.begin(t)
				snap := e.tm.Snapshot(u, 0)
				if err := e.h.Update(Op{Tx: u, Snap: snap}, table, e.mustLookup(t, snap, "k").ID, nil, []byte("undone")); err != nil {
					t.Fatal(err)
				}
				u.Rollback()
				return e.begin(t), 0
			},
			code: pgerr.UniqueViolation,
		},
		{
			name: "row being updated by an in-progress transaction",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				e.updateCommitted(t, "k", 3)
				u := e.begin(t)
				snap := e.tm.Snapshot(u, 0)
				if err := e.h.Update(Op{Tx: u, Snap: snap}, table, e.mustLookup(t, snap, "k").ID, nil, []byte("theirs")); err != nil {
					t.Fatal(err)
				}
				return e.begin(t), 0
			},
			code: pgerr.SerializationFailure,
		},
		{
			name: "row deleted, inserted again and deleted again",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				e.deleteCommitted(t, "k")
				e.insertCommitted(t, "k", "again")
				e.updateCommitted(t, "k", 2)
				e.deleteCommitted(t, "k")
				return e.begin(t), 0
			},
			code: pgerr.SuccessfulCompletion,
		},
		{
			name: "row deleted, then inserted again by an in-progress transaction",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "k", "old")
				e.deleteCommitted(t, "k")
				other := e.begin(t)
				e.insert(t, other, 0, "k", "theirs")
				return e.begin(t), 0
			},
			code: pgerr.SerializationFailure,
		},
		{
			name: "key sharing a prefix",
			setup: func(t *testing.T, e *env) (*txn.Txn, txn.CID) {
				e.insertCommitted(t, "kk", "longer", "k\x01", "other")
				return e.begin(t), 0
			},
			code: pgerr.SuccessfulCompletion,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tx, cid := tc.setup(t, e)
			err := e.h.Insert(Op{Tx: tx, Snap: e.tm.Snapshot(tx, cid)}, table, pk("k"), []byte("new"))
			wantCode(t, "duplicate insert", err, tc.code)
			if tc.code == pgerr.UniqueViolation && !errors.Is(err, ErrDuplicateKey) {
				t.Errorf("23505 error does not wrap ErrDuplicateKey: %v", err)
			}
			if err != nil {
				tx.Rollback()
				return
			}
			commit(t, tx)
			if got := string(e.mustLookup(t, e.tm.ReadSnapshot(), "k").Data); got != "new" {
				t.Errorf("after commit row k = %q, want %q", got, "new")
			}
		})
	}
}

func TestWriteWriteConflict(t *testing.T) {
	tests := []struct {
		name string
		// first acts on the row through its own transaction, then ends it
		// (or not) as the case says.
		end  func(t *testing.T, tx *txn.Txn)
		code string
	}{
		{"first still running", func(t *testing.T, tx *txn.Txn) {}, pgerr.SerializationFailure},
		{"first committed after second's snapshot", func(t *testing.T, tx *txn.Txn) { commit(t, tx) }, pgerr.SerializationFailure},
		{"first aborted", func(t *testing.T, tx *txn.Txn) { tx.Rollback() }, pgerr.SuccessfulCompletion},
	}
	ops := []struct {
		name string
		do   func(e *env, tx *txn.Txn, snap txn.Snapshot, id TupleID) error
	}{
		{"update", func(e *env, tx *txn.Txn, snap txn.Snapshot, id TupleID) error {
			return e.h.Update(Op{Tx: tx, Snap: snap}, table, id, nil, []byte(fmt.Sprint(tx.XID)))
		}},
		{"delete", func(e *env, tx *txn.Txn, snap txn.Snapshot, id TupleID) error {
			return e.h.Delete(Op{Tx: tx, Snap: snap}, id)
		}},
	}
	for _, tc := range tests {
		for _, first := range ops {
			for _, second := range ops {
				t.Run(fmt.Sprintf("%s/%s then %s", tc.name, first.name, second.name), func(t *testing.T) {
					e := newEnv(t)
					e.insertCommitted(t, "r", "orig")
					t1, t2 := e.begin(t), e.begin(t)
					s1, s2 := e.tm.Snapshot(t1, 0), e.tm.Snapshot(t2, 0)
					id1, id2 := e.mustLookup(t, s1, "r").ID, e.mustLookup(t, s2, "r").ID
					if err := first.do(e, t1, s1, id1); err != nil {
						t.Fatalf("first %s: %v", first.name, err)
					}
					tc.end(t, t1)
					err := second.do(e, t2, s2, id2)
					wantCode(t, "second "+second.name, err, tc.code)
					if err != nil {
						t2.Rollback()
						return
					}
					commit(t, t2)
					visible := e.rows(t, e.tm.ReadSnapshot())
					if second.name == "delete" {
						wantRows(t, "after second delete", visible)
					} else {
						wantRows(t, "after second update", visible, fmt.Sprintf("r=%d", t2.XID))
					}
				})
			}
		}
	}
}

func TestRollbackHidesInserts(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "keep", "1")
	tx := e.begin(t)
	e.insert(t, tx, 0, "a", "x")
	e.insert(t, tx, 1, "b", "y")
	wantRows(t, "inside the transaction", e.rows(t, e.tm.Snapshot(tx, 2)), "a=x", "b=y", "keep=1")
	tx.Rollback()
	wantRows(t, "after rollback", e.rows(t, e.tm.ReadSnapshot()), "keep=1")

	again := e.begin(t)
	e.insert(t, again, 0, "a", "z")
	commit(t, again)
	wantRows(t, "after reinsert", e.rows(t, e.tm.ReadSnapshot()), "a=z", "keep=1")
}

func TestScanKeyExact(t *testing.T) {
	e := newEnv(t)
	keys := []string{"", "a", "ab", "abc", "a\x01", "b", "aa"}
	tx := e.begin(t)
	for _, k := range keys {
		e.insert(t, tx, 0, k, "data-"+k)
	}
	commit(t, tx)
	snap := e.tm.ReadSnapshot()
	for _, k := range append(keys, "abcd", "c") {
		var got []string
		if err := e.h.ScanKey(snap, table, pk(k), func(tu Tuple) error {
			got = append(got, string(tu.Data))
			return nil
		}); err != nil {
			t.Fatalf("ScanKey(%q): %v", k, err)
		}
		var want []string
		for _, have := range keys {
			if have == k {
				want = append(want, "data-"+k)
			}
		}
		if !equalRows(got, want) {
			t.Errorf("ScanKey(%q) = %q, want %q", k, got, want)
		}
	}
}

// TestScanKeyRawPrefix uses keys that are not self-delimiting: a key that is
// a byte prefix of another still finds only its own row.
func TestScanKeyRawPrefix(t *testing.T) {
	e := newEnv(t)
	keys := []string{"a", "ab", "a\x00", "abcdefghij"}
	tx := e.begin(t)
	for _, k := range keys {
		if err := e.h.Insert(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, []byte(k), []byte(k)); err != nil {
			t.Fatalf("Insert(%q): %v", k, err)
		}
	}
	commit(t, tx)
	for _, k := range keys {
		var got []string
		if err := e.h.ScanKey(e.tm.ReadSnapshot(), table, []byte(k), func(tu Tuple) error {
			got = append(got, string(tu.Data))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != k {
			t.Errorf("ScanKey(%q) = %q, want just its own row", k, got)
		}
	}
}

// TestStatementDoesNotSeeOwnWrites is INSERT INTO t SELECT * FROM t: rows
// inserted with command id c are invisible to the scan running with c, so
// the scan ends after the original rows.
func TestStatementDoesNotSeeOwnWrites(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "1", "b", "2", "c", "3")
	tx := e.begin(t)
	const cid txn.CID = 1
	snap := e.tm.Snapshot(tx, cid)
	scanned := 0
	err := e.h.Scan(snap, table, func(tu Tuple) error {
		scanned++
		if scanned > 100 {
			return errors.New("scan does not terminate")
		}
		return e.h.Insert(Op{Tx: tx, Snap: snap}, table, pk(keyOf(tu.ID)+"+"), tu.Data)
	})
	if err != nil {
		t.Fatalf("INSERT ... SELECT: %v", err)
	}
	if scanned != 3 {
		t.Fatalf("scan with command %d saw %d rows, want the 3 original ones", cid, scanned)
	}
	wantRows(t, "same command", e.rows(t, snap), "a=1", "b=2", "c=3")
	wantRows(t, "next command", e.rows(t, e.tm.Snapshot(tx, cid+1)), "a+=1", "a=1", "b+=2", "b=2", "c+=3", "c=3")
	commit(t, tx)
	wantRows(t, "after commit", e.rows(t, e.tm.ReadSnapshot()), "a+=1", "a=1", "b+=2", "b=2", "c+=3", "c=3")
}

func TestCommittedRowsSurviveCrash(t *testing.T) {
	e := newEnv(t)
	e.insertCommitted(t, "a", "1", "b", "2")
	upd := e.begin(t)
	snap := e.tm.Snapshot(upd, 0)
	if err := e.h.Update(Op{Tx: upd, Snap: snap}, table, e.mustLookup(t, snap, "a").ID, nil, []byte("1b")); err != nil {
		t.Fatal(err)
	}
	commit(t, upd)
	open := e.begin(t)
	e.insert(t, open, 0, "c", "uncommitted")
	osnap := e.tm.Snapshot(open, 0)
	if err := e.h.Delete(Op{Tx: open, Snap: osnap}, e.mustLookup(t, osnap, "b").ID); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Checkpoint(); err != nil {
		t.Fatal(err)
	}

	e2 := openEnv(t, e.fs.CrashClone())
	wantRows(t, "after crash", e2.rows(t, e2.tm.ReadSnapshot()), "a=1b", "b=2")

	// The crashed transaction's claim on b does not block a new writer.
	w := e2.begin(t)
	wsnap := e2.tm.Snapshot(w, 0)
	if err := e2.h.Delete(Op{Tx: w, Snap: wsnap}, e2.mustLookup(t, wsnap, "b").ID); err != nil {
		t.Fatalf("delete of a row claimed by a crashed transaction: %v", err)
	}
	e2.insert(t, w, 0, "c", "new")
	commit(t, w)
	wantRows(t, "after new writer", e2.rows(t, e2.tm.ReadSnapshot()), "a=1b", "c=new")
}
