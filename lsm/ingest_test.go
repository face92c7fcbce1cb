package lsm

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// ingestKeys ingests keys prefix0000 .. prefix<n-1> with values v<i>.
func ingestKeys(d *DB, prefix string, n int) error {
	return d.Ingest(func(add func(key, value []byte) error) error {
		for i := range n {
			if err := add([]byte(fmt.Sprintf("%s%04d", prefix, i)), []byte(fmt.Sprintf("v%d", i))); err != nil {
				return err
			}
		}
		return nil
	})
}

// TestIngest: an ingested table is read like any other, survives a crash
// that loses everything unflushed, goes below the levels whose tables do
// not meet its range, and versions applied after it, before or after a
// reopen, are newer; a range delete over it hides it.
func TestIngest(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	set(t, d, 1, "a", "1", "z", "2")
	flush(t, d)
	set(t, d, 2, "m1", "unflushed")
	if err := ingestKeys(d, "k", 5000); err != nil {
		t.Fatal(err)
	}
	m := d.Metrics()
	if m.BytesIngested == 0 {
		t.Error("no bytes counted as ingested")
	}
	// "a".."z" spans L0's table; the levels below are empty.
	if m.Levels[numLevels-1].Tables != 1 {
		t.Errorf("levels after the ingest: %+v, want the table in L%d", m.Levels, numLevels-1)
	}
	check := func(d *DB, when, k0100 string, n int) {
		t.Helper()
		if v, ok, err := d.Get([]byte("k0100")); err != nil || !ok || string(v) != k0100 {
			t.Fatalf("%s: k0100 = %q, %v, %v; want %q", when, v, ok, err, k0100)
		}
		if got := scan(t, d, []byte("k"), []byte("l")); len(got) != n {
			t.Fatalf("%s: %d keys under k, want %d", when, len(got), n)
		}
	}
	check(d, "after the ingest", "v100", 5000)
	set(t, d, 3, "k0100", "updated")
	check(d, "after an update", "updated", 5000)

	// A crash loses the unflushed sets, not the ingested table.
	crashed := fs.CrashClone()
	d2 := mustOpen(t, crashed)
	check(d2, "after a crash", "v100", 5000)
	if _, ok, _ := d2.Get([]byte("m1")); ok {
		t.Fatal("an unflushed set survived the crash")
	}
	// Numbers go on above the ingested versions after the reopen.
	set(t, d2, 4, "k0100", "after reopen")
	check(d2, "an update after the reopen", "after reopen", 5000)
	flush(t, d2)
	if err := d2.Compact(); err != nil {
		t.Fatal(err)
	}
	check(d2, "after a compaction", "after reopen", 5000)
	var b Batch
	b.DeleteRange([]byte("k"), []byte("l"))
	if err := d2.Apply(&b, 5); err != nil {
		t.Fatal(err)
	}
	if got := scan(t, d2, []byte("k"), []byte("l")); len(got) != 0 {
		t.Fatalf("a range delete left %d keys", len(got))
	}
	if err := d2.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoStrayFiles(t, crashed)
	d.Close()
}

// TestIngestRefusesDisorder: keys out of order fail the ingest, which
// adds nothing and leaves no file behind; the store goes on.
func TestIngestRefusesDisorder(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	err := d.Ingest(func(add func(key, value []byte) error) error {
		if err := add([]byte("b"), []byte("1")); err != nil {
			return err
		}
		return add([]byte("a"), []byte("2"))
	})
	if err == nil {
		t.Fatal("keys out of order were ingested")
	}
	if got := scan(t, d, nil, nil); len(got) != 0 {
		t.Fatalf("after the failed ingest: %v", got)
	}
	if err := ingestKeys(d, "k", 3); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoStrayFiles(t, fs)
}

// TestIngestBelowOverlap: a table whose range meets a table of L1 goes to
// L0, above it.
func TestIngestBelowOverlap(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	set(t, d, 1, "k0000x", "old", "k9", "9")
	flush(t, d)
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	before := d.Metrics()
	if err := ingestKeys(d, "k", 10); err != nil {
		t.Fatal(err)
	}
	after := d.Metrics()
	if after.Levels[0].Tables != before.Levels[0].Tables+1 {
		t.Fatalf("levels %+v then %+v: want the table in L0", before.Levels, after.Levels)
	}
	if got := scan(t, d, []byte("k"), []byte("l")); len(got) != 12 {
		t.Fatalf("%d keys, want 12: %v", len(got), got)
	}
	d.Close()
}
