package lsm

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// TestBlockBounds: the bounds are the last keys of the data blocks inside
// the range, ascending, from every level; each piece between two bounds
// holds about a block's keys; the memtable adds none.
func TestBlockBounds(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	if err := ingestKeys(d, "k", 5000); err != nil {
		t.Fatal(err)
	}
	all, err := d.BlockBounds(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 5000 keys of about 20 bytes with their values fill several blocks.
	if len(all) < 10 {
		t.Fatalf("%d bounds over 5000 keys, want at least 10", len(all))
	}
	for i := 1; i < len(all); i++ {
		if bytes.Compare(all[i-1], all[i]) >= 0 {
			t.Fatalf("bounds out of order at %d: %q, %q", i, all[i-1], all[i])
		}
	}
	// Every key lies in exactly one piece, and the pieces are even.
	keys := scan(t, d, []byte("k"), []byte("l"))
	counts := make([]int, len(all)+1)
	piece := 0
	for _, k := range keys {
		for piece < len(all) && bytes.Compare([]byte(k), all[piece]) > 0 {
			piece++
		}
		counts[piece]++
	}
	for i, n := range counts[:len(all)] {
		if n == 0 || n > 2*5000/len(all)+1 {
			t.Errorf("piece %d holds %d keys of %d over %d pieces", i, n, len(keys), len(all)+1)
		}
	}

	// A sub-range gets the bounds inside it only.
	lower, upper := []byte("k1000"), []byte("k2000")
	some, err := d.BlockBounds(lower, upper)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for _, b := range all {
		if bytes.Compare(b, lower) >= 0 && bytes.Compare(b, upper) < 0 {
			want = append(want, b)
		}
	}
	if fmt.Sprint(some) != fmt.Sprint(want) || len(some) == 0 {
		t.Errorf("bounds in [k1000, k2000): %q, want %q", some, want)
	}

	// Keys only in the memtable add no bound; once flushed, their table
	// adds its own.
	set(t, d, 2, "m1", "x", "m2", "y")
	if got, err := d.BlockBounds([]byte("m"), []byte("n")); err != nil || len(got) != 0 {
		t.Errorf("bounds over the memtable: %q, %v; want none", got, err)
	}
	flush(t, d)
	if got, err := d.BlockBounds([]byte("m"), []byte("n")); err != nil || len(got) != 1 || string(got[0]) != "m2" {
		t.Errorf("bounds over the flushed table: %q, %v; want [m2]", got, err)
	}
	if got, err := d.BlockBounds(nil, nil); err != nil || len(got) != len(all)+1 {
		t.Errorf("%d bounds over both tables, %v; want %d", len(got), err, len(all)+1)
	}
}
