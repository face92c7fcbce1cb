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
	// Explicit VACUUM always walks the whole table, and resets the count.
	e.updateCommitted(t, "r300", 2)
	if removed, err := e.h.Vacuum(table); err != nil || removed != 2 {
		t.Fatalf("Vacuum = %d, %v; want 2", removed, err)
	}
	vacuum(0, true)
}
