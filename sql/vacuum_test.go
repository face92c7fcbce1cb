package sql

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/cairndb/cairn/checkpoint"
	"github.com/cairndb/cairn/internal/vfs"
)

// TestVacuumReclaimsDroppedTable: once a DROP TABLE has committed and no
// snapshot can see the table, VACUUM deletes its rows and index entries.
func TestVacuumReclaimsDroppedTable(t *testing.T) {
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
	run := func(q string) {
		t.Helper()
		ps, err := s.PrepareAll(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, p := range ps {
			if _, err := s.Execute(context.Background(), p, nil); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	run("CREATE TABLE gone (id int4 PRIMARY KEY, v text)")
	run("CREATE INDEX gone_v ON gone (v)")
	run("INSERT INTO gone VALUES (1, 'a'), (2, 'b'), (3, 'c')")
	run("CREATE TABLE kept (id int4 PRIMARY KEY)")
	run("INSERT INTO kept VALUES (1)")
	desc, _, err := e.cat.lookup(e.tm.ReadSnapshot(), "gone")
	if err != nil || desc == nil {
		t.Fatalf("lookup: %v", err)
	}
	count := func(prefix byte, id uint32) int {
		p := binary.BigEndian.AppendUint32([]byte{prefix}, id)
		end := binary.BigEndian.AppendUint32([]byte{prefix}, id+1)
		it := store.NewIter(p, end)
		defer it.Close()
		n := 0
		for ok := it.First(); ok; ok = it.Next() {
			n++
		}
		return n
	}
	if count('t', desc.ID) != 3 || count('i', desc.Indexes[0].ID) != 3 {
		t.Fatalf("before: %d rows, %d index entries", count('t', desc.ID), count('i', desc.Indexes[0].ID))
	}
	run("DROP TABLE gone")
	run("VACUUM")
	if n, m := count('t', desc.ID), count('i', desc.Indexes[0].ID); n != 0 || m != 0 {
		t.Fatalf("after DROP TABLE and VACUUM: %d rows and %d index entries left", n, m)
	}
	run("SELECT * FROM kept")
	kept, _, _ := e.cat.lookup(e.tm.ReadSnapshot(), "kept")
	if count('t', kept.ID) != 1 {
		t.Fatal("VACUUM removed a live table's row")
	}
}

// TestVacuumRemovesStaleIndexEntries: updates of an indexed column leave
// entries for old values; VACUUM removes them and keeps every live row
// reachable.
func TestVacuumRemovesStaleIndexEntries(t *testing.T) {
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
	run := func(q string) {
		t.Helper()
		ps, err := s.PrepareAll(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, p := range ps {
			if _, err := s.Execute(context.Background(), p, nil); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	run("CREATE TABLE iv (id int4 PRIMARY KEY, v int4)")
	run("CREATE INDEX iv_v ON iv (v)")
	run("INSERT INTO iv VALUES (1, 0), (2, 0), (3, 0)")
	for i := 1; i <= 5; i++ {
		run(fmt.Sprintf("UPDATE iv SET v = %d", i))
	}
	run("DELETE FROM iv WHERE id = 3")
	desc, _, _ := e.cat.lookup(e.tm.ReadSnapshot(), "iv")
	entries := func() int {
		id := desc.Indexes[0].ID
		it := store.NewIter(binary.BigEndian.AppendUint32([]byte{'i'}, id), binary.BigEndian.AppendUint32([]byte{'i'}, id+1))
		defer it.Close()
		n := 0
		for ok := it.First(); ok; ok = it.Next() {
			n++
		}
		return n
	}
	if n := entries(); n != 18 {
		t.Fatalf("before vacuum: %d index entries, want 18 (3 rows x 6 values)", n)
	}
	run("VACUUM iv")
	if n := entries(); n != 2 {
		t.Fatalf("after vacuum: %d index entries, want 2", n)
	}
	if rep, err := e.Check(); err != nil || rep.IndexEntries != 2 {
		t.Fatalf("Check after vacuum: %v, %v", rep, err)
	}
}
