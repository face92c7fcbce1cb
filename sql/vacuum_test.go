package sql

import (
	"fmt"
	"testing"
)

// TestVacuumReclaimsDroppedTable: once a DROP TABLE has committed and no
// snapshot can see the table, VACUUM deletes its rows and index entries.
func TestVacuumReclaimsDroppedTable(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE gone (id int4 PRIMARY KEY, v text)")
	mustRun(t, s, "CREATE INDEX gone_v ON gone (v)")
	mustRun(t, s, "INSERT INTO gone VALUES (1, 'a'), (2, 'b'), (3, 'c')")
	mustRun(t, s, "CREATE TABLE kept (id int4 PRIMARY KEY)")
	mustRun(t, s, "INSERT INTO kept VALUES (1)")
	desc, _, err := e.cat.Lookup(e.tm.ReadSnapshot(), "gone")
	if err != nil || desc == nil {
		t.Fatalf("lookup: %v", err)
	}
	if countKeys(store, 't', desc.ID) != 3 || countKeys(store, 'i', desc.Indexes[0].ID) != 3 {
		t.Fatalf("before: %d rows, %d index entries", countKeys(store, 't', desc.ID), countKeys(store, 'i', desc.Indexes[0].ID))
	}
	mustRun(t, s, "DROP TABLE gone")
	mustRun(t, s, "VACUUM")
	if n, m := countKeys(store, 't', desc.ID), countKeys(store, 'i', desc.Indexes[0].ID); n != 0 || m != 0 {
		t.Fatalf("after DROP TABLE and VACUUM: %d rows and %d index entries left", n, m)
	}
	mustRun(t, s, "SELECT * FROM kept")
	kept, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "kept")
	if countKeys(store, 't', kept.ID) != 1 {
		t.Fatal("VACUUM removed a live table's row")
	}
}

// TestVacuumRemovesStaleIndexEntries: updates of an indexed column leave
// entries for old values; VACUUM removes them and keeps every live row
// reachable.
func TestVacuumRemovesStaleIndexEntries(t *testing.T) {
	e, store := newTestEngineStore(t)
	s := newTestSession(t, e)
	mustRun(t, s, "CREATE TABLE iv (id int4 PRIMARY KEY, v int4)")
	mustRun(t, s, "CREATE INDEX iv_v ON iv (v)")
	mustRun(t, s, "INSERT INTO iv VALUES (1, 0), (2, 0), (3, 0)")
	for i := 1; i <= 5; i++ {
		mustRun(t, s, fmt.Sprintf("UPDATE iv SET v = %d", i))
	}
	mustRun(t, s, "DELETE FROM iv WHERE id = 3")
	desc, _, _ := e.cat.Lookup(e.tm.ReadSnapshot(), "iv")
	id := desc.Indexes[0].ID
	if n := countKeys(store, 'i', id); n != 18 {
		t.Fatalf("before vacuum: %d index entries, want 18 (3 rows x 6 values)", n)
	}
	mustRun(t, s, "VACUUM iv")
	if n := countKeys(store, 'i', id); n != 2 {
		t.Fatalf("after vacuum: %d index entries, want 2", n)
	}
	if rep, err := e.Check(); err != nil || rep.IndexEntries != 2 {
		t.Fatalf("Check after vacuum: %v, %v", rep, err)
	}
}
