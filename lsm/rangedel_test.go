package lsm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

func rangeDelete(t *testing.T, d *DB, lsn uint64, start, end string) {
	t.Helper()
	var b Batch
	b.DeleteRange([]byte(start), []byte(end))
	// Through the WAL encoding, as recovery would apply it.
	b2, err := DecodeBatch(b.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(b2, lsn); err != nil {
		t.Fatal(err)
	}
}

// TestRangeDelete: a range delete hides every older version of the keys in
// [start, end) — in the memtable, in L0 and in deeper levels — from Get and
// iterators in both directions, not newer ones, not keys outside; it
// survives flushes, compactions and reopens; a snapshot from before it
// still sees the keys; and once compaction has removed what it hid, it goes
// from the version.
func TestRangeDelete(t *testing.T) {
	tests := []struct {
		name string
		// where the older data lies when the range delete is applied
		setup func(t *testing.T, d *DB)
		// what happens after the range delete
		after func(t *testing.T, d *DB)
	}{
		{"memtable", func(*testing.T, *DB) {}, func(*testing.T, *DB) {}},
		{"L0", func(t *testing.T, d *DB) { flush(t, d) }, func(*testing.T, *DB) {}},
		{"deeper level", func(t *testing.T, d *DB) {
			flush(t, d)
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
		}, func(*testing.T, *DB) {}},
		{"flushed with its data", func(*testing.T, *DB) {}, func(t *testing.T, d *DB) { flush(t, d) }},
		{"flushed apart", func(t *testing.T, d *DB) { flush(t, d) }, func(t *testing.T, d *DB) { flush(t, d) }},
		{"compacted", func(t *testing.T, d *DB) { flush(t, d) }, func(t *testing.T, d *DB) {
			flush(t, d)
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			d, err := Open(fs, dir, manualOpts)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { d.Close() }()
			var kv []string
			for i := range 20 {
				kv = append(kv, fmt.Sprintf("k%02d", i), "old")
			}
			set(t, d, 1, kv...)
			tc.setup(t, d)
			snap := d.NewSnapshot()
			defer snap.Close()
			rangeDelete(t, d, 2, "k05", "k15")
			set(t, d, 3, "k07", "new") // newer than the range delete
			tc.after(t, d)
			want := "k00=old,k01=old,k02=old,k03=old,k04=old,k07=new,k15=old,k16=old,k17=old,k18=old,k19=old"
			checkAll := func(what string) {
				t.Helper()
				if got := strings.Join(scan(t, d, nil, nil), ","); got != want {
					t.Fatalf("%s: scan = %s", what, got)
				}
				if got := strings.Join(reversed(reverseScan(t, d, nil, nil)), ","); got != want {
					t.Fatalf("%s: reverse scan = %s", what, got)
				}
				if got := strings.Join(scan(t, d, []byte("k06"), []byte("k16")), ","); got != "k07=new,k15=old" {
					t.Fatalf("%s: bounded scan = %s", what, got)
				}
				for i := range 20 {
					k := fmt.Sprintf("k%02d", i)
					v, ok, err := d.Get([]byte(k))
					wantOK := i < 5 || i >= 15 || i == 7
					if err != nil || ok != wantOK || (ok && string(v) != map[bool]string{true: "new", false: "old"}[i == 7]) {
						t.Fatalf("%s: Get(%s) = %q, %v, %v", what, k, v, ok, err)
					}
				}
			}
			checkAll("applied")
			if snap != nil {
				if v, ok, err := snap.Get([]byte("k10")); !ok || string(v) != "old" || err != nil {
					t.Fatalf("snapshot from before the range delete: Get(k10) = %q, %v, %v", v, ok, err)
				}
			}
			flush(t, d)
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
			checkAll("compacted")
			if v, ok, _ := snap.Get([]byte("k10")); !ok || string(v) != "old" {
				t.Fatal("compaction dropped a version a snapshot sees")
			}
			d.Close()
			if d, err = Open(fs, dir, manualOpts); err != nil {
				t.Fatal(err)
			}
			checkAll("reopened")
			// With no snapshot, compaction drops what the range delete hid,
			// and then the range delete.
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
			checkAll("compacted after reopen")
			d.mu.RLock()
			n := len(d.mu.current.rangeDels)
			d.mu.RUnlock()
			if live, tomb := tableEntries(t, d); n != 0 || live != 11 || tomb != 0 {
				t.Fatalf("after the last compaction: %d range tombstones, %d values, %d tombstones; want 0, 11, 0", n, live, tomb)
			}
			checkAll("range tombstone dropped")
		})
	}
}

// TestIteratorRangeDelsWithinBounds checks that an iterator keeps only the
// range tombstones that overlap its bounds and are at or below its
// sequence number (a lookup in one table's rows pays nothing for the
// tombstones of another's), and still honors those it keeps.
func TestIteratorRangeDelsWithinBounds(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	defer d.Close()
	for i, k := range []string{"a1", "b1", "b2", "c1", "d1"} {
		set(t, d, uint64(i+1), k, "v")
	}
	rangeDelete(t, d, 10, "a", "b")  // in the memtable
	flush(t, d)                      // now in the version
	rangeDelete(t, d, 11, "c", "c2") // in the memtable again
	for _, tc := range []struct {
		lower, upper string // "" unbounded
		kept         int
		keys         string
	}{
		{"b", "c", 0, "b1,b2"},
		{"b1", "b2", 0, "b1"},
		{"a5", "b2", 1, "b1"},
		{"b", "c1", 1, "b1,b2"},
		{"c1", "", 1, "d1"},
		{"d", "", 0, "d1"},
		{"", "", 2, "b1,b2,d1"},
		{"", "a", 0, ""},
	} {
		var lower, upper []byte
		if tc.lower != "" {
			lower = []byte(tc.lower)
		}
		if tc.upper != "" {
			upper = []byte(tc.upper)
		}
		it := d.NewIter(lower, upper)
		var keys []string
		for ok := it.First(); ok; ok = it.Next() {
			keys = append(keys, string(it.Key()))
		}
		if err := it.Close(); err != nil {
			t.Fatal(err)
		}
		if len(it.rangeDels) != tc.kept || strings.Join(keys, ",") != tc.keys {
			t.Errorf("[%q, %q): %d range tombstones kept, keys %v; want %d, %s", tc.lower, tc.upper, len(it.rangeDels), keys, tc.kept, tc.keys)
		}
	}
}
