package heap

import (
	"bytes"
	"testing"
)

// TestRowBounds checks that rowBounds gives rowPrefix and prefixEnd of it,
// including primary keys that end in 0xff bytes, and that appending to
// the prefix cannot overwrite the end.
func TestRowBounds(t *testing.T) {
	for _, pk := range [][]byte{nil, {0}, {1, 2, 3}, {0xff}, {7, 0xff, 0xff}, bytes.Repeat([]byte{0xff}, 20)} {
		for _, table := range []uint32{0, 7, 0xffffffff} {
			prefix, end := rowBounds(table, pk)
			if want := rowPrefix(table, pk); !bytes.Equal(prefix, want) {
				t.Fatalf("table %d pk %x: prefix %x, want %x", table, pk, prefix, want)
			}
			wantEnd := prefixEnd(rowPrefix(table, pk))
			if !bytes.Equal(end, wantEnd) {
				t.Fatalf("table %d pk %x: end %x, want %x", table, pk, end, wantEnd)
			}
			_ = append(prefix, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x11, 0x22)
			if !bytes.Equal(end, wantEnd) {
				t.Fatalf("table %d pk %x: appending to the prefix changed the end to %x", table, pk, end)
			}
		}
	}
}

// TestTupleOf checks that a tuple's ID and data are copies that an append
// to either cannot overwrite.
func TestTupleOf(t *testing.T) {
	key, data := []byte("key"), []byte("data")
	tu := tupleOf(key, data)
	key[0], data[0] = 'x', 'x'
	_ = append(tu.ID, 'z', 'z', 'z', 'z')
	if string(tu.ID) != "key" || string(tu.Data) != "data" {
		t.Fatalf("tuple %q %q", tu.ID, tu.Data)
	}
	if tu := tupleOf([]byte("k"), nil); tu.Data != nil {
		t.Fatalf("empty data: %q, want nil", tu.Data)
	}
}
