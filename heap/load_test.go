package heap

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/txn"
)

// writeCountingStore counts the heap's writes (the ones that carry rows).
type writeCountingStore struct {
	txn.Storage
	writes int
}

func (s *writeCountingStore) Write(b *lsm.Batch) (uint64, error) {
	s.writes++
	return s.Storage.Write(b)
}

// ingestingCountingStore is writeCountingStore over a store that ingests.
type ingestingCountingStore struct {
	writeCountingStore
	ingests int
}

func (s *ingestingCountingStore) Ingest(fill func(add func(key, value []byte) error) error) error {
	s.ingests++
	return s.Storage.(Ingester).Ingest(fill)
}

// TestLoadRows loads more rows than one batch holds into a fresh storage
// id: few writes, nothing visible to others before the commit, every row
// once after it with its key lookup working, a later update of a loaded
// row seen over the loaded version; a rolled-back load leaves nothing
// visible.
func TestLoadRows(t *testing.T) {
	const rows = loadBatch + 10
	for _, c := range []struct{ commitLoad, ingest bool }{{true, false}, {false, false}, {true, true}, {false, true}} {
		commitLoad := c.commitLoad
		t.Run(fmt.Sprintf("commit=%v/ingest=%v", c.commitLoad, c.ingest), func(t *testing.T) {
			e := newEnv(t)
			cs := &ingestingCountingStore{writeCountingStore: writeCountingStore{Storage: e.store}}
			if c.ingest {
				e.h = New(cs, e.tm)
			} else {
				e.h = New(&cs.writeCountingStore, e.tm)
			}
			tx := e.begin(t)
			loads := make([]Load, rows)
			for i := range loads {
				loads[i] = Load{PK: pk(fmt.Sprintf("k%05d", i)), Data: []byte(fmt.Sprint(i))}
			}
			before := e.tm.ReadSnapshot()
			if err := e.h.LoadRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, [][]Load{loads}); err != nil {
				t.Fatal(err)
			}
			switch {
			case c.ingest && (cs.writes != 0 || cs.ingests != 1):
				t.Errorf("%d rows took %d writes and %d ingests, want 0 and 1", rows, cs.writes, cs.ingests)
			case !c.ingest && cs.writes > 2:
				t.Errorf("%d rows took %d writes, want 2", rows, cs.writes)
			}
			if got := e.rows(t, e.tm.ReadSnapshot()); len(got) != 0 {
				t.Fatalf("before the commit another snapshot sees %d rows", len(got))
			}
			if !commitLoad {
				tx.Rollback()
				if got := e.rows(t, e.tm.ReadSnapshot()); len(got) != 0 {
					t.Fatalf("after a rollback %d rows are visible", len(got))
				}
				return
			}
			commit(t, tx)
			if got := e.rows(t, before); len(got) != 0 {
				t.Fatalf("the snapshot from before sees %d rows", len(got))
			}
			if got := e.rows(t, e.tm.ReadSnapshot()); len(got) != rows {
				t.Fatalf("after the commit %d rows, want %d", len(got), rows)
			}
			found, ok := e.lookup(t, e.tm.ReadSnapshot(), "k04100")
			if !ok || string(found.Data) != "4100" {
				t.Fatalf("lookup k04100 = %q, %v", found.Data, ok)
			}
			up := e.begin(t)
			if err := e.h.Update(Op{Tx: up, Snap: e.tm.Snapshot(up, 0)}, table, found.ID, nil, []byte("new")); err != nil {
				t.Fatal(err)
			}
			commit(t, up)
			if got, ok := e.lookup(t, e.tm.ReadSnapshot(), "k04100"); !ok || string(got.Data) != "new" {
				t.Fatalf("after an update lookup = %q, %v", got.Data, ok)
			}
		})
	}
}

// TestLoadRowsRefusesDisorder: rows out of key order, a key twice or a nil
// key break LoadRows' contract and fail with XX000.
func TestLoadRowsRefusesDisorder(t *testing.T) {
	for name, loads := range map[string][]Load{
		"out of order": {{PK: pk("b")}, {PK: pk("a")}},
		"twice":        {{PK: pk("a")}, {PK: pk("a")}},
		"nil key":      {{PK: nil}},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			tx := e.begin(t)
			err := e.h.LoadRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, [][]Load{loads})
			if pgerr.Code(err) != pgerr.InternalError {
				t.Fatalf("%v, want XX000", err)
			}
		})
	}
}

// TestInsertRows: a batch of row-id rows is one write, and the rows are
// seen once each after the commit.
func TestInsertRows(t *testing.T) {
	e := newEnv(t)
	cs := &writeCountingStore{Storage: e.store}
	e.h = New(cs, e.tm)
	tx := e.begin(t)
	if err := e.h.InsertRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, [][]byte{[]byte("a"), []byte("b"), []byte("c")}); err != nil {
		t.Fatal(err)
	}
	if cs.writes != 1 {
		t.Errorf("3 rows took %d writes, want 1", cs.writes)
	}
	commit(t, tx)
	var got []string
	if err := e.h.Scan(e.tm.ReadSnapshot(), table, func(tu Tuple) error {
		if id := RowKey(tu.ID); len(id) != 9 || id[0] != 0x01 {
			t.Errorf("row key %x is not a row id", id)
		}
		got = append(got, string(tu.Data))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[a b c]" {
		t.Errorf("rows after commit: %v", got)
	}
}

// TestIngestRows loads more row-id rows than one WAL batch holds: through
// a store that ingests, one table and no WAL write; through one that does
// not, WAL batches. Nothing is visible to others before the commit, every
// row once after it, with a later update of a loaded row seen over the
// loaded version; a rolled-back load leaves nothing visible. After a crash
// (unsynced writes lost), the committed rows are all there and an
// uncommitted load's are not.
func TestIngestRows(t *testing.T) {
	const rows = loadBatch + 10
	for _, c := range []struct{ commitLoad, ingest bool }{{true, false}, {false, false}, {true, true}, {false, true}} {
		t.Run(fmt.Sprintf("commit=%v/ingest=%v", c.commitLoad, c.ingest), func(t *testing.T) {
			e := newEnv(t)
			cs := &ingestingCountingStore{writeCountingStore: writeCountingStore{Storage: e.store}}
			if c.ingest {
				e.h = New(cs, e.tm)
			} else {
				e.h = New(&cs.writeCountingStore, e.tm)
			}
			if e.h.CanIngest() != c.ingest {
				t.Fatalf("CanIngest() = %v, want %v", e.h.CanIngest(), c.ingest)
			}
			e.insertCommitted(t, "a", "keyed")
			cs.writes = 0
			tx := e.begin(t)
			data := make([][]byte, rows)
			for i := range data {
				data[i] = fmt.Appendf(nil, "r%05d", i)
			}
			if err := e.h.IngestRows(Op{Tx: tx, Snap: e.tm.Snapshot(tx, 0)}, table, data); err != nil {
				t.Fatal(err)
			}
			switch {
			case c.ingest && (cs.writes != 0 || cs.ingests != 1):
				t.Errorf("%d rows took %d writes and %d ingests, want 0 and 1", rows, cs.writes, cs.ingests)
			case !c.ingest && cs.writes != 2:
				t.Errorf("%d rows took %d writes, want 2", rows, cs.writes)
			}
			if got := e.rows(t, e.tm.ReadSnapshot()); len(got) != 1 {
				t.Fatalf("before the commit another snapshot sees %d rows, want 1", len(got))
			}
			if !c.commitLoad {
				tx.Rollback()
				if got := e.rows(t, e.tm.ReadSnapshot()); len(got) != 1 {
					t.Fatalf("after a rollback %d rows are visible, want 1", len(got))
				}
				e2 := openEnv(t, e.fs.CrashClone())
				if got := e2.rows(t, e2.tm.ReadSnapshot()); len(got) != 1 {
					t.Fatalf("after a crash %d rows are visible, want 1", len(got))
				}
				return
			}
			commit(t, tx)
			seen := map[string]Tuple{}
			if err := e.h.Scan(e.tm.ReadSnapshot(), table, func(tu Tuple) error {
				if id := RowKey(tu.ID); string(tu.Data) != "keyed" && (len(id) != 9 || id[0] != 0x01) {
					t.Errorf("row key %x is not a row id", id)
				}
				if _, dup := seen[string(tu.Data)]; dup {
					t.Errorf("row %s seen twice", tu.Data)
				}
				seen[string(tu.Data)] = tu
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(seen) != rows+1 {
				t.Fatalf("after the commit %d rows, want %d", len(seen), rows+1)
			}
			up := e.begin(t)
			if err := e.h.Update(Op{Tx: up, Snap: e.tm.Snapshot(up, 0)}, table, seen["r04100"].ID, nil, []byte("new")); err != nil {
				t.Fatal(err)
			}
			commit(t, up)
			for _, env := range []*env{e, openEnv(t, e.fs.CrashClone())} {
				got := map[string]int{}
				if err := env.h.Scan(env.tm.ReadSnapshot(), table, func(tu Tuple) error {
					got[string(tu.Data)]++
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if len(got) != rows+1 || got["r04100"] != 0 || got["new"] != 1 || got["r00000"] != 1 {
					t.Fatalf("after an update: %d distinct rows, r04100 %d times, new %d times", len(got), got["r04100"], got["new"])
				}
			}
		})
	}
}
