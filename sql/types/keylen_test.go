package types

import (
	"testing"
	"time"
)

func TestKeyValueLen(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    Datum
		ok   bool
	}{
		{"null", nil, true},
		{"bool", true, true},
		{"int", int64(-42), true},
		{"float", 1.5, true},
		{"text", "ab\x00c", true},
		{"empty text", "", true},
		{"timestamp", time.Unix(100, 0).UTC(), true},
		{"uuid", UUIDValue{1, 2, 3}, true},
		{"point", Point{X: 1, Y: 2}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			one := EncodeKey([]Datum{tc.v})
			key := EncodeKey([]Datum{tc.v, int64(7)})
			n, ok := KeyValueLen(key)
			if ok != tc.ok {
				t.Fatalf("KeyValueLen ok = %v, want %v", ok, tc.ok)
			}
			if ok && n != len(one) {
				t.Fatalf("KeyValueLen = %d, want %d", n, len(one))
			}
			if ok {
				if _, ok := KeyValueLen(key[:n-1]); ok && n > 1 {
					t.Fatalf("a truncated key reads as whole")
				}
			}
		})
	}
}
