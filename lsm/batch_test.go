package lsm

import (
	"bytes"
	"errors"
	"testing"
)

func TestBatchRoundTrip(t *testing.T) {
	type op struct {
		del, rangeDel bool
		key, value    string // for a range delete: start, end
	}
	tests := []struct {
		name string
		ops  []op
	}{
		{"empty", nil},
		{"one set", []op{{key: "a", value: "1"}}},
		{"empty key and value", []op{{key: "", value: ""}}},
		{"delete", []op{{del: true, key: "gone"}}},
		{"mixed", []op{{key: "a", value: "1"}, {del: true, key: "b"}, {key: "a", value: string(bytes.Repeat([]byte("v"), 300))}}},
		{"range delete", []op{{key: "a", value: "1"}, {rangeDel: true, key: "a", value: "m"}, {rangeDel: true, key: "", value: ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b Batch
			for _, o := range tc.ops {
				if o.del {
					b.Delete([]byte(o.key))
				} else if o.rangeDel {
					b.DeleteRange([]byte(o.key), []byte(o.value))
				} else {
					b.Set([]byte(o.key), []byte(o.value))
				}
			}
			if b.Len() != len(tc.ops) {
				t.Fatalf("Len = %d, want %d", b.Len(), len(tc.ops))
			}
			enc := b.Encode()
			got, err := DecodeBatch(enc)
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != len(tc.ops) {
				t.Fatalf("decoded Len = %d, want %d", got.Len(), len(tc.ops))
			}
			for i, o := range tc.ops {
				g := got.ops[i]
				if (g.kind == kindDelete) != o.del || (g.kind == kindRangeDelete) != o.rangeDel || string(g.key) != o.key || string(g.value) != o.value {
					t.Fatalf("op %d = %+v, want %+v", i, g, o)
				}
			}
			if !bytes.Equal(got.Encode(), enc) {
				t.Fatal("re-encoding differs")
			}
		})
	}
}

func TestDecodeBatchCorrupt(t *testing.T) {
	var b Batch
	b.Set([]byte("key"), []byte("value"))
	b.Delete([]byte("other"))
	b.DeleteRange([]byte("a"), []byte("z"))
	enc := b.Encode()
	var cases [][]byte
	for cut := 0; cut < len(enc); cut++ {
		cases = append(cases, enc[:cut])
	}
	cases = append(cases,
		append(append([]byte(nil), enc...), 0),           // trailing byte
		[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, // huge count
		[]byte{1, 7, 0}, // unknown kind
		[]byte{1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f}, // key length beyond data
		[]byte{0x80}, // bad varint
	)
	for _, data := range cases {
		if _, err := DecodeBatch(data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("DecodeBatch(%x): err = %v, want ErrCorrupt", data, err)
		}
	}
}
