package types

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
)

// TestNetworkInputOutput reads and prints inet, cidr, macaddr and
// macaddr8 values; the expected answers are PostgreSQL 15's.
func TestNetworkInputOutput(t *testing.T) {
	ids := map[string]ID{"inet": Inet, "cidr": Cidr, "macaddr": MacAddr, "macaddr8": MacAddr8}
	for _, c := range []struct{ typ, in, want string }{
		{"inet", "192.168.1.226/24", "192.168.1.226/24"},
		{"inet", "192.168.1.226", "192.168.1.226"},
		{"inet", "10.1.2.3/8", "10.1.2.3/8"},
		{"inet", "10/8", "10.0.0.0/8"},
		{"inet", "10", "ERROR: invalid input syntax for type inet: \"10\""},
		{"inet", "10.1.2.3/33", "ERROR: invalid input syntax for type inet: \"10.1.2.3/33\""},
		{"inet", "10:23::f1/64", "10:23::f1/64"},
		{"inet", "10:23::ffff", "10:23::ffff"},
		{"inet", "::4.3.2.1/24", "::4.3.2.1/24"},
		{"inet", "::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"inet", "1234::1234::1234", "ERROR: invalid input syntax for type inet: \"1234::1234::1234\""},
		{"inet", "::1.2.3.4", "::1.2.3.4"},
		{"inet", "::", "::"},
		{"inet", "::1", "::1"},
		{"inet", "1::", "1::"},
		{"inet", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{"inet", "0000:0000:0000:0000:0000:0000:0000:0001/128", "::1"},
		{"inet", "255.255.000.000/16", "255.255.0.0/16"},
		{"inet", "1.2.3.4/", "ERROR: invalid input syntax for type inet: \"1.2.3.4/\""},
		{"inet", "1.2.3.4/08", "1.2.3.4/8"},
		{"inet", "::1/08", "ERROR: invalid input syntax for type inet: \"::1/08\""},
		{"inet", "::1/0", "::1/0"},
		{"inet", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
		{"inet", "1:2:3:4:5:6:7:8:9", "ERROR: invalid input syntax for type inet: \"1:2:3:4:5:6:7:8:9\""},
		{"inet", "1:0:0:2:0:0:0:3", "1:0:0:2::3"},
		{"inet", "1:0:0:2::3", "1:0:0:2::3"},
		{"inet", ":1", "ERROR: invalid input syntax for type inet: \":1\""},
		{"inet", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
		{"inet", "::1.2.3", "::1.2.3.0"},
		{"inet", "abc", "ERROR: invalid input syntax for type inet: \"abc\""},
		{"inet", "", "ERROR: invalid input syntax for type inet: \"\""},
		{"inet", "1.2.3.4.5", "ERROR: invalid input syntax for type inet: \"1.2.3.4.5\""},
		{"inet", "10.1.2.3/24", "10.1.2.3/24"},
		{"inet", "::0.0.0.2", "::2"},
		{"cidr", "192.168.1", "192.168.1.0/24"},
		{"cidr", "192.168.1.0/26", "192.168.1.0/26"},
		{"cidr", "10", "10.0.0.0/8"},
		{"cidr", "10.0.0.0", "10.0.0.0/32"},
		{"cidr", "10.1.2.3", "10.1.2.3/32"},
		{"cidr", "10.1.2", "10.1.2.0/24"},
		{"cidr", "10.1", "10.1.0.0/16"},
		{"cidr", "10:23::f1", "10:23::f1/128"},
		{"cidr", "10:23::8000/113", "10:23::8000/113"},
		{"cidr", "::ffff:1.2.3.4", "::ffff:1.2.3.4/128"},
		{"cidr", "192.168.1.2/30", "ERROR: invalid cidr value: \"192.168.1.2/30\""},
		{"cidr", "ffff:ffff:ffff:ffff::/24", "ERROR: invalid cidr value: \"ffff:ffff:ffff:ffff::/24\""},
		{"cidr", "224", "224.0.0.0/4"},
		{"cidr", "224.1", "224.1.0.0/16"},
		{"cidr", "240", "240.0.0.0/32"},
		{"cidr", "128", "128.0.0.0/16"},
		{"cidr", "0x0a", "10.0.0.0/8"},
		{"cidr", "0xa01", "160.16.0.0/16"},
		{"cidr", "10.1.2.3/8", "ERROR: invalid cidr value: \"10.1.2.3/8\""},
		{"cidr", "10/8", "10.0.0.0/8"},
		{"cidr", "0/0", "0.0.0.0/0"},
		{"cidr", "::/0", "::/0"},
		{"cidr", "1.2.3.4/33", "ERROR: invalid input syntax for type cidr: \"1.2.3.4/33\""},
		{"macaddr", "08:00:2b:01:02:03", "08:00:2b:01:02:03"},
		{"macaddr", "08-00-2b-01-02-03", "08:00:2b:01:02:03"},
		{"macaddr", "08002b:010203", "08:00:2b:01:02:03"},
		{"macaddr", "08002b-010203", "08:00:2b:01:02:03"},
		{"macaddr", "0800.2b01.0203", "08:00:2b:01:02:03"},
		{"macaddr", "0800-2b01-0203", "08:00:2b:01:02:03"},
		{"macaddr", "08002b010203", "08:00:2b:01:02:03"},
		{"macaddr", "0800:2b01:0203", "ERROR: invalid input syntax for type macaddr: \"0800:2b01:0203\""},
		{"macaddr", "not even close", "ERROR: invalid input syntax for type macaddr: \"not even close\""},
		{"macaddr", "1ff:0:0:0:0:0", "ERROR: invalid octet value in \"macaddr\" value: \"1ff:0:0:0:0:0\""},
		{"macaddr", "-f:0:0:0:0:0", "ERROR: invalid octet value in \"macaddr\" value: \"-f:0:0:0:0:0\""},
		{"macaddr", "001:00:2b:01:02:03", "01:00:2b:01:02:03"},
		{"macaddr", "0x1:00:2b:01:02:03", "01:00:2b:01:02:03"},
		{"macaddr", "+f:00:2b:01:02:03", "0f:00:2b:01:02:03"},
		{"macaddr", "aa: bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:ff"},
		{"macaddr", "08:00:2b:01:02:03  ", "08:00:2b:01:02:03"},
		{"macaddr", "0x:00:2b:01:02:03", "00:00:2b:01:02:03"},
		{"macaddr", "100000001:0:0:0:0:0", "01:00:00:00:00:00"},
		{"macaddr", "08:00:2b:01:02:03 x", "ERROR: invalid input syntax for type macaddr: \"08:00:2b:01:02:03 x\""},
		{"macaddr8", "08:00:2b:01:02:03:04:05", "08:00:2b:01:02:03:04:05"},
		{"macaddr8", "08-00-2b-01-02-03-04-05", "08:00:2b:01:02:03:04:05"},
		{"macaddr8", "08002b0102030405", "08:00:2b:01:02:03:04:05"},
		{"macaddr8", "0800.2b01.0203.0405", "08:00:2b:01:02:03:04:05"},
		{"macaddr8", "08:00:2b:01:02:03", "08:00:2b:ff:fe:01:02:03"},
		{"macaddr8", "08:00:2b:01:02:03:0", "08:00:2b:ff:fe:01:02:03"},
		{"macaddr8", "  08:00:2b:01:02:03:04:05  ", "08:00:2b:01:02:03:04:05"},
		{"macaddr8", "08:00-2b:01:02:03:04:05", "ERROR: invalid input syntax for type macaddr8: \"08:00-2b:01:02:03:04:05\""},
		{"macaddr8", "08:00:2b:01:02:03:04:05:06", "ERROR: invalid input syntax for type macaddr8: \"08:00:2b:01:02:03:04:05:06\""},
		{"macaddr8", "08:00:2b:01:02", "ERROR: invalid input syntax for type macaddr8: \"08:00:2b:01:02\""},
		{"macaddr8", "08:00:2b:01:02:03 x", "ERROR: invalid input syntax for type macaddr8: \"08:00:2b:01:02:03 x\""},
		{"macaddr8", "zz:00:2b:01:02:03", "ERROR: invalid input syntax for type macaddr8: \"zz:00:2b:01:02:03\""},
	} {
		typ := New(ids[c.typ])
		v, err := ParseText(typ, c.in)
		if strings.HasPrefix(c.want, "ERROR: ") {
			if err == nil || err.Error() != strings.TrimPrefix(c.want, "ERROR: ") && !strings.HasSuffix(err.Error(), strings.TrimPrefix(c.want, "ERROR: ")) {
				t.Errorf("%s %q: got %v, %v; want %s", c.typ, c.in, v, err, c.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %q: %v, want %s", c.typ, c.in, err, c.want)
			continue
		}
		if got := FormatText(typ, v); got != c.want {
			t.Errorf("%s %q: got %s, want %s", c.typ, c.in, got, c.want)
		}
	}
}

// TestNetworkInputSQLSTATE checks the codes of bad input: 22P02 for
// what is not an address (and a cidr with host bits), 22003 for a
// macaddr octet out of range.
func TestNetworkInputSQLSTATE(t *testing.T) {
	for _, c := range []struct {
		t    ID
		in   string
		code string
	}{
		{Inet, "10", pgerr.InvalidTextRepresentation},
		{Cidr, "10.1.2.3/8", pgerr.InvalidTextRepresentation},
		{MacAddr, "1ff:0:0:0:0:0", pgerr.NumericValueOutOfRange},
		{MacAddr8, "08:00", pgerr.InvalidTextRepresentation},
	} {
		_, err := ParseText(New(c.t), c.in)
		if pe := pgerr.Find(err); pe == nil || pe.Code != c.code {
			t.Errorf("%d %q: got %v, want SQLSTATE %s", c.t, c.in, err, c.code)
		}
	}
}

// TestInetOrder sorts inet values by Compare and by their key encoding;
// both must give PostgreSQL 15's ORDER BY (inet.sql's sortsupport test).
func TestInetOrder(t *testing.T) {
	want := []string{
		"0.0.0.0/0",
		"0.0.0.1/0",
		"127.126.127.127/0",
		"127.127.127.127/0",
		"127.128.127.127/0",
		"192.168.1.4/0",
		"192.168.1.5/0",
		"255.0.0.0/0",
		"255.1.0.0/0",
		"255.2.0.0/0",
		"255.3.0.0/0",
		"255.255.0.0/0",
		"255.255.0.0/0",
		"255.255.255.255/0",
		"255.255.255.255/0",
		"255.255.255.255/0",
		"0.0.0.0/1",
		"0.0.0.1/1",
		"0.0.0.0",
		"192.168.1.3/1",
		"255.255.255.255/1",
		"192.168.1.1/5",
		"192.168.1.255/5",
		"192.168.1.1/6",
		"192.168.1.255/6",
		"192.168.1.1/23",
		"192.168.1.2/23",
		"192.168.1.3/23",
		"192.168.1.0/24",
		"192.168.1.0/25",
		"192.168.1.1/25",
		"192.168.1.2/25",
		"192.168.1.1/26",
		"192.168.1.2/26",
		"255.255.0.0/15",
		"255.255.0.0/16",
		"255.255.255.255/16",
		"255.255.255.255/16",
		"255.255.255.1/31",
		"255.255.255.0",
		"255.255.255.1",
		"255.255.255.2/31",
		"255.255.255.3/31",
		"255.255.255.3",
		"255.255.255.252",
		"255.255.255.253",
		"255.255.255.255/31",
		"255.255.255.254",
		"255.255.255.255",
		"::/0",
		"ffff:fffa:ffff:ffff:ffff:ffff:ffff:ffff/0",
		"ffff:fffb:ffff:ffff:ffff:ffff:ffff:ffff/0",
		"ffff:fffc:ffff:ffff:ffff:ffff:ffff:ffff/0",
		"ffff:fffd:ffff:ffff:ffff:ffff:ffff:ffff/0",
		"ffff:fffe:ffff:ffff:ffff:ffff:ffff:ffff/0",
		"ffff:ffff:ffff:fffa:ffff:ffff:ffff:ffff/0",
		"ffff:ffff:ffff:fffb:ffff:ffff:ffff:ffff/0",
		"ffff:ffff:ffff:fffc:ffff:ffff:ffff:ffff/0",
		"ffff:ffff:ffff:fffd:ffff:ffff:ffff:ffff/0",
		"ffff:ffff:ffff:fffe:ffff:ffff:ffff:ffff/0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0",
		"::4:3:2:0/24",
		"::4:3:2:1/24",
		"::4:3:2:2/24",
		"::",
		"::1",
		"::1:ffff:ffff:ffff:ffff",
		"::2:ffff:ffff:ffff:ffff",
		"10:23::f1/64",
		"10:23::f1/65",
		"10:23::ffff",
		"127::1",
		"127::2",
		"8000::/1",
		"ffff:83e7:f118:57dc:6093:6d92:689d:58cf/70",
		"ffff:84b0:4775:536e:c3ed:7116:a6d6:34f0/44",
		"ffff:8566:f84:5867:47f1:7867:d2ba:8a1a/69",
		"ffff:8883:f028:7d2:4d68:d510:7d6b:ac43/73",
		"ffff:8ae8:7c14:65b3:196:8e4a:89ae:fb30/89",
		"ffff:8dd0:646:694c:7c16:7e35:6a26:171/104",
		"ffff:8eef:cbf:700:eda3:ae32:f4b4:318b/121",
		"ffff:90e7:e744:664:a93:8efe:1f25:7663/122",
		"ffff:9597:c69c:8b24:57a:8639:ec78:6026/111",
		"ffff:9e86:79ea:f16e:df31:8e4d:7783:532e/88",
		"ffff:a0c7:82d3:24de:f762:6e1f:316d:3fb2/23",
		"ffff:ffff:ffff:ffff:4:3:2:0/24",
		"ffff:ffff:ffff:ffff:4:3:2:1/24",
		"ffff:ffff:ffff:ffff:4:3:2:2/24",
		"ffff:ffff:ffff:fffd::",
		"ffff:ffff:ffff:fffe::",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	}
	var vals []InetValue
	for i := len(want) - 1; i >= 0; i-- {
		v, err := ParseInet(want[i], false)
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, v)
	}
	byCompare := slices.Clone(vals)
	slices.SortStableFunc(byCompare, func(a, b InetValue) int { return Compare(a, b) })
	byKey := slices.Clone(vals)
	slices.SortStableFunc(byKey, func(a, b InetValue) int {
		return bytes.Compare(EncodeKey([]Datum{a}), EncodeKey([]Datum{b}))
	})
	for i := range want {
		if got := byCompare[i].String(); got != want[i] {
			t.Errorf("Compare: position %d is %s, want %s", i, got, want[i])
		}
		if got := byKey[i].String(); got != want[i] {
			t.Errorf("EncodeKey: position %d is %s, want %s", i, got, want[i])
		}
	}
	for i := 1; i < len(byKey); i++ {
		eq := Compare(byKey[i-1], byKey[i]) == 0
		if keq := bytes.Equal(EncodeKey([]Datum{byKey[i-1]}), EncodeKey([]Datum{byKey[i]})); eq != keq {
			t.Errorf("%s and %s: equal %v, keys equal %v", byKey[i-1], byKey[i], eq, keq)
		}
	}
}

// FuzzNetworkInput feeds any text to the four input functions: none may
// panic, and a value read back from its own output is the same value.
func FuzzNetworkInput(f *testing.F) {
	for _, s := range []string{"10.1.2.3/8", "::ffff:1.2.3.4", "1:0:0:2::3/64", "10.1", "0x0a01", "::1.2.3/7",
		"08:00:2b:01:02:03", "0800.2b01.0203", "-f:0:0:0:0:0", "08:00:2b:01:02:03:04:05", " 08-00-2b-01-02-03 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, id := range []ID{Inet, Cidr, MacAddr, MacAddr8} {
			v, err := ParseText(New(id), s)
			if err != nil {
				if pgerr.Find(err) == nil {
					t.Errorf("%d %q: error without SQLSTATE: %v", id, s, err)
				}
				continue
			}
			out := FormatText(New(id), v)
			again, err := ParseText(New(id), out)
			if err != nil || Compare(v, again) != 0 || again != v {
				t.Errorf("%d %q: printed %q, read back %v, %v", id, s, out, again, err)
			}
		}
	})
}
