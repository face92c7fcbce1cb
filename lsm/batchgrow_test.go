package lsm

import (
	"bytes"
	"fmt"
	"testing"
)

// TestBatchGrow: Sets into room made by Grow cost no allocation, Sets that
// do not fit still work, and every operation keeps its bytes (nothing
// moves when the room runs out), through Encode and DecodeBatch.
func TestBatchGrow(t *testing.T) {
	var b Batch
	b.Grow(3, 3*8)
	key := []byte("key0")
	val := []byte("val0")
	if allocs := testing.AllocsPerRun(1, func() {
		b.Set(key, val)
	}); allocs != 0 {
		t.Errorf("a Set into grown room allocated %v times", allocs)
	}
	for i := 1; i < 6; i++ { // the room runs out after the third
		k, v := []byte(fmt.Sprintf("key%d", i)), []byte(fmt.Sprintf("val%d", i))
		b.Set(k, v)
		k[0], v[0] = 'X', 'X' // the batch holds copies
	}
	d, err := DecodeBatch(b.Encode())
	if err != nil {
		t.Fatal(err)
	}
	for _, bb := range []*Batch{&b, d} {
		if bb.Len() != 7 {
			t.Fatalf("%d operations, want 7", bb.Len())
		}
		for i, op := range bb.ops[1:] {
			if want := fmt.Sprintf("key%d", i); !bytes.Equal(op.key, []byte(want)) || !bytes.Equal(op.value, []byte(fmt.Sprintf("val%d", i))) {
				t.Errorf("operation %d: %q = %q", i+1, op.key, op.value)
			}
		}
	}
}
