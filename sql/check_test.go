package sql

import (
	"encoding/binary"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/lsm"
)

// TestCheckFindsMissingIndexEntry: Check passes on a healthy table and
// reports XX002 once an index entry of a live row is gone.
func TestCheckFindsMissingIndexEntry(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE c (id int4 PRIMARY KEY, v text NOT NULL)")
	mustRun(t, s, "CREATE INDEX c_v ON c (v)")
	mustRun(t, s, "INSERT INTO c VALUES (1, 'a'), (2, 'b'), (3, 'c')")
	mustRun(t, s, "UPDATE c SET v = 'bb' WHERE id = 2")
	rep, err := e.Check()
	if err != nil || rep.Tables != 1 || rep.Rows != 3 || rep.IndexEntries != 3 {
		t.Fatalf("Check = %v, %v; want 1 table, 3 rows, 3 index entries", rep, err)
	}
	desc, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "c")
	id := desc.Indexes[0].ID
	it := store.NewIter(binary.BigEndian.AppendUint32([]byte{'i'}, id), binary.BigEndian.AppendUint32([]byte{'i'}, id+1))
	it.First()
	var b lsm.Batch
	b.Delete(append([]byte(nil), it.Key()...))
	it.Close()
	if _, err := store.Write(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Check(); pgerr.Code(err) != pgerr.IndexCorrupted {
		t.Fatalf("Check with an index entry missing: %v, want XX002", err)
	}
}
