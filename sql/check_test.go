package sql

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
)

// TestCheckFindsMissingIndexEntry: Check passes on a healthy table and
// reports XX002 once an index entry of a live row is gone.
func TestCheckFindsMissingIndexEntry(t *testing.T) {
	store, err := checkpoint.Open(vfs.NewMem(), "db", checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	e, err := NewEngine(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := e.NewSession("postgres", "postgres", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE c (id int4 PRIMARY KEY, v text NOT NULL)",
		"CREATE INDEX c_v ON c (v)",
		"INSERT INTO c VALUES (1, 'a'), (2, 'b'), (3, 'c')",
		"UPDATE c SET v = 'bb' WHERE id = 2",
	} {
		ps, err := s.PrepareAll(q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Execute(context.Background(), ps[0], nil); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rep, err := e.Check()
	if err != nil || rep.Tables != 1 || rep.Rows != 3 || rep.IndexEntries != 3 {
		t.Fatalf("Check = %v, %v; want 1 table, 3 rows, 3 index entries", rep, err)
	}
	desc, _, _ := e.cat.lookup(e.tm.ReadSnapshot(), "c")
	prefix := binary.BigEndian.AppendUint32([]byte{'i'}, desc.Indexes[0].ID)
	it := store.NewIter(prefix, binary.BigEndian.AppendUint32([]byte{'i'}, desc.Indexes[0].ID+1))
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
