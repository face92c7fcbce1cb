package types

import "testing"

func TestXIDInput(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"512", 512},
		{" 0x10", 16},
		{"010", 8},
		{"-1", 4294967295},
		{"4294967301", 5},
		{"12abc", 12},
		{"abc", 0},
		{"0x", 0},
		{"99999999999999999999999", 4294967295},
	} {
		if got := parseXID(c.in); got != c.want {
			t.Errorf("xid %q = %v, want %d", c.in, got, c.want)
		}
	}
	if _, err := parseXID8("18446744073709551615"); err == nil {
		t.Error("xid8 beyond int64: no error")
	}
	if v, err := parseXID8("0x7fffffffffffffff"); err != nil || v != int64(1<<63-1) {
		t.Errorf("xid8 max = %v, %v", v, err)
	}
}
