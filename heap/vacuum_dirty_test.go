package heap

import (
	"fmt"
	"testing"
)

// TestVacuumDirty: after a whole walk, the background vacuum walks only
// the rows claimed since, keeps looking at rows whose garbage an open
// transaction still needs, and walks the whole table again every
// vacuumWholeEvery passes.
func TestVacuumDirty(t *testing.T) {
	e := newEnv(t)
	cs := &countingStore{Storage: e.store}
	e.h = New(cs, e.tm)
	var kv []string
	for i := range 500 {
		kv = append(kv, fmt.Sprintf("r%03d", i), "0")
	}
	e.insertCommitted(t, kv...)
	vacuum := func(wantRemoved int, wantPartial bool) int {
		t.Helper()
		cs.steps()
		removed, partial, err := e.h.VacuumDirty(table)
		if err != nil || removed != wantRemoved || partial != wantPartial {
			t.Fatalf("VacuumDirty = %d, %v, %v; want %d, %v", removed, partial, err, wantRemoved, wantPartial)
		}
		return cs.steps()
	}

	// The first background vacuum since the heap opened walks everything.
	if steps := vacuum(0, false); steps < 500 {
		t.Errorf("whole walk stepped over %d entries, want at least 500", steps)
	}
	e.updateCommitted(t, "r007", 3)
	if steps := vacuum(3, true); steps > 20 {
		t.Errorf("vacuum of one updated row stepped over %d entries", steps)
	}
	if got := e.mustLookup(t, e.tm.ReadSnapshot(), "r007"); string(got.Data) != "3" {
		t.Errorf("r007 = %q after vacuum, want 3", got.Data)
	}

	// An open transaction's snapshot keeps the old version; the row stays
	// marked and its version goes once the transaction ends.
	held := e.begin(t)
	e.lookup(t, e.tm.Snapshot(held, 0), "r100")
	e.updateCommitted(t, "r100", 1)
	vacuum(0, true)
	held.Rollback()
	vacuum(1, true)

	// Nothing claimed: nothing walked but the row locks.
	if steps := vacuum(0, true); steps > 5 {
		t.Errorf("vacuum with nothing claimed stepped over %d entries", steps)
	}
	// Every vacuumWholeEvery passes, the whole table again.
	for range vacuumWholeEvery - 5 {
		vacuum(0, true)
	}
	vacuum(0, false)
	vacuum(0, true)
	// An explicit VACUUM finds the claimed row too.
	e.updateCommitted(t, "r300", 2)
	if removed, err := e.h.Vacuum(table); err != nil || removed != 2 {
		t.Fatalf("Vacuum = %d, %v; want 2", removed, err)
	}
	vacuum(0, true)
}

// TestVacuumExplicitSkipsClean: an explicit VACUUM of a table made new
// (NewStorage), or walked whole since, walks only the rows claimed since,
// until a writer rolls back; then it walks the whole table again and
// finds the rolled-back insert no mark records.
func TestVacuumExplicitSkipsClean(t *testing.T) {
	e := newEnv(t)
	cs := &countingStore{Storage: e.store}
	e.h = New(cs, e.tm)
	e.h.NewStorage(table)
	var kv []string
	for i := range 500 {
		kv = append(kv, fmt.Sprintf("r%03d", i), "0")
	}
	e.insertCommitted(t, kv...)
	vacuum := func(wantRemoved int) (steps int) {
		t.Helper()
		cs.steps()
		var last VacuumProgress
		removed, err := e.h.VacuumReporting(table, func(p VacuumProgress) { last = p })
		if err != nil || removed != wantRemoved {
			t.Fatalf("Vacuum = %d, %v; want %d", removed, err, wantRemoved)
		}
		if !last.Done || last.Removed != wantRemoved {
			t.Errorf("last progress report %+v, want Done with %d removed", last, wantRemoved)
		}
		return cs.steps()
	}
	if steps := vacuum(0); steps > 5 {
		t.Errorf("vacuum of a freshly loaded table stepped over %d entries", steps)
	}
	e.updateCommitted(t, "r042", 2)
	if steps := vacuum(2); steps > 20 {
		t.Errorf("vacuum of one updated row stepped over %d entries", steps)
	}

	// A read-only transaction that rolls back changes nothing.
	ro := e.begin(t)
	e.lookup(t, e.tm.Snapshot(ro, 0), "r001")
	ro.Rollback()
	if steps := vacuum(0); steps > 5 {
		t.Errorf("vacuum after a read-only rollback stepped over %d entries", steps)
	}

	// A rolled-back insert is marked nowhere: the whole table is walked.
	tx := e.begin(t)
	e.insert(t, tx, 0, "zzz", "x")
	tx.Rollback()
	if steps := vacuum(1); steps < 500 {
		t.Errorf("vacuum after a rollback stepped over %d entries, want the whole table", steps)
	}
	if steps := vacuum(0); steps > 5 {
		t.Errorf("vacuum after a whole walk stepped over %d entries", steps)
	}

	// So is one rolled back to a savepoint, even when a background pass
	// came between.
	tx = e.begin(t)
	if _, err := tx.Savepoint(); err != nil {
		t.Fatal(err)
	}
	e.insert(t, tx, 0, "zzy", "x")
	if err := tx.RollbackTo(1); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, partial, err := e.h.VacuumDirty(table); err != nil || !partial {
		t.Fatalf("VacuumDirty: partial %v, %v", partial, err)
	}
	if steps := vacuum(1); steps < 500 {
		t.Errorf("vacuum after a savepoint's rollback stepped over %d entries, want the whole table", steps)
	}
	if got := len(e.rows(t, e.tm.ReadSnapshot())); got != 500 {
		t.Errorf("%d rows after the vacuums, want 500", got)
	}
}
