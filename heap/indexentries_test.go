package heap

import (
	"testing"
)

// TestScanIndexEntries checks that every entry in range comes, in entry
// order, with its key and row key apart, stale and uncommitted ones too
// (the caller reads the rows), and nothing of another index.
func TestScanIndexEntries(t *testing.T) {
	e := newEnv(t)
	tx := e.begin(t)
	e.insert(t, tx, 0, "a", "1")
	e.insert(t, tx, 0, "b", "1")
	e.entry(t, tx, "1", "a")
	e.entry(t, tx, "1", "b")
	commit(t, tx)
	e.updateIndexed(t, "a", "2")
	run := e.begin(t)
	e.insert(t, run, 0, "c", "3")
	e.entry(t, run, "3", "c")

	entries := func(lower, upper []byte) []string {
		var out []string
		if err := e.h.ScanIndexEntries(e.tm.ReadSnapshot(), table, index, lower, upper, func(key, row []byte) error {
			out = append(out, string(key)+">"+string(row))
			return nil
		}); err != nil {
			t.Fatalf("ScanIndexEntries: %v", err)
		}
		return out
	}
	k := func(s string) string { return string(pk(s)) }
	wantRows(t, "all", entries(nil, nil), k("1")+">"+k("a"), k("1")+">"+k("b"), k("2")+">"+k("a"), k("3")+">"+k("c"))
	wantRows(t, "key 1", entries(pk("1"), prefixEnd(pk("1"))), k("1")+">"+k("a"), k("1")+">"+k("b"))
	wantRows(t, "from 2", entries(pk("2"), nil), k("2")+">"+k("a"), k("3")+">"+k("c"))
	if err := e.h.ScanIndexEntries(e.tm.ReadSnapshot(), table, index+1, nil, nil, func(key, row []byte) error {
		t.Errorf("another index yields %q", row)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
