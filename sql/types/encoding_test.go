package types

import (
	"reflect"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestDecodeRowPrefix: the first n values come back as DecodeRow gives
// them, with the row's number of values, whatever follows them; n past
// the row's end gives the whole row; a malformed prefix is XX001.
func TestDecodeRowPrefix(t *testing.T) {
	row := []Datum{int64(7), nil, "text", &Array{Elems: []Datum{int64(1), int64(2)}}, true, 2.5}
	enc := EncodeRow(row)
	full, err := DecodeRow(enc)
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= len(row)+1; n++ {
		got, total, err := DecodeRowPrefix(enc, n)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		want := full[:min(n, len(full))]
		if total != len(row) || !reflect.DeepEqual(got, want) {
			t.Errorf("n=%d: %v of %d values, want %v of %d", n, got, total, want, len(row))
		}
	}
	// The rest of the row is not read: damage after the prefix goes
	// unnoticed, damage inside it does not.
	damaged := append([]byte(nil), enc[:len(enc)-3]...)
	if got, _, err := DecodeRowPrefix(damaged, 1); err != nil || got[0] != int64(7) {
		t.Errorf("damage after the prefix: %v, %v", got, err)
	}
	for _, bad := range [][]byte{nil, {0x80}, {3, 0xff}} {
		if _, _, err := DecodeRowPrefix(bad, 1); pgerr.Code(err) != pgerr.DataCorrupted {
			t.Errorf("DecodeRowPrefix(%x): %v, want XX001", bad, err)
		}
	}
}
