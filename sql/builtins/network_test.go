package builtins

import (
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// TestNetworkFunctions calls the network address functions and
// operators through the registry's resolution, with arguments given in
// text; the expected answers (and SQLSTATEs) are PostgreSQL 15's.
func TestNetworkFunctions(t *testing.T) {
	type arg struct {
		t  types.ID
		in string
	}
	for _, c := range []struct {
		kind string // f function, o binary operator, p prefix operator
		name string
		args []arg
		want string
	}{
		{"f", "abbrev", []arg{{types.Cidr, "10.1.0.0/16"}}, "10.1/16"},
		{"f", "abbrev", []arg{{types.Cidr, "0.0.0.0/0"}}, "0/0"},
		{"f", "abbrev", []arg{{types.Cidr, "10.1.2.0/23"}}, "10.1.2/23"},
		{"f", "abbrev", []arg{{types.Cidr, "::/0"}}, "::/0"},
		{"f", "abbrev", []arg{{types.Cidr, "10:23::/32"}}, "10:23/32"},
		{"f", "abbrev", []arg{{types.Cidr, "::ffff:1.2.3.0/120"}}, "::ffff:1.2.3/120"},
		{"f", "abbrev", []arg{{types.Cidr, "::ffff:1.2.3.4/128"}}, "::ffff:1.2.3.4/128"},
		{"f", "abbrev", []arg{{types.Cidr, "::4.3.2.1/128"}}, "::4.3.2.1/128"},
		{"f", "abbrev", []arg{{types.Cidr, "1:0:0:1::/64"}}, "1::1/64"},
		{"f", "abbrev", []arg{{types.Cidr, "0:0:1::/48"}}, "::1/48"},
		{"f", "abbrev", []arg{{types.Cidr, "1::/16"}}, "1::/16"},
		{"f", "abbrev", []arg{{types.Cidr, "1:0:2:0:0:3::/96"}}, "1:0:2::3/96"},
		{"f", "abbrev", []arg{{types.Inet, "10.1.2.3/32"}}, "10.1.2.3"},
		{"f", "abbrev", []arg{{types.Inet, "10.1.2.3/8"}}, "10.1.2.3/8"},
		{"f", "host", []arg{{types.Inet, "10:23::f1/64"}}, "10:23::f1"},
		{"f", "text", []arg{{types.Inet, "::1"}}, "::1/128"},
		{"f", "netmask", []arg{{types.Inet, "10.1.2.3/20"}}, "255.255.240.0"},
		{"f", "hostmask", []arg{{types.Inet, "10:23::f1/70"}}, "::3ff:ffff:ffff:ffff"},
		{"f", "broadcast", []arg{{types.Inet, "192.168.1.5/26"}}, "192.168.1.63/26"},
		{"f", "network", []arg{{types.Inet, "192.168.1.5/26"}}, "192.168.1.0/26"},
		{"f", "set_masklen", []arg{{types.Inet, "10.1.2.3/8"}, {types.Int4, "20"}}, "10.1.2.3/20"},
		{"f", "set_masklen", []arg{{types.Cidr, "10.1.2.0/24"}, {types.Int4, "12"}}, "10.0.0.0/12"},
		{"f", "set_masklen", []arg{{types.Inet, "::1"}, {types.Int4, "-1"}}, "::1"},
		{"f", "set_masklen", []arg{{types.Inet, "10.1.2.3"}, {types.Int4, "33"}}, "ERROR 22023"},
		{"f", "set_masklen", []arg{{types.Inet, "10.1.2.3"}, {types.Int4, "-2"}}, "ERROR 22023"},
		{"f", "inet_merge", []arg{{types.Inet, "192.168.1.5/24"}, {types.Inet, "192.168.2.5/24"}}, "192.168.0.0/22"},
		{"f", "inet_merge", []arg{{types.Inet, "10.0.0.1"}, {types.Inet, "10.0.0.1"}}, "10.0.0.1/32"},
		{"f", "inet_merge", []arg{{types.Inet, "::1"}, {types.Inet, "::ffff:0:0:1"}}, "::/64"},
		{"f", "inet_merge", []arg{{types.Inet, "10.0.0.1"}, {types.Inet, "::1"}}, "ERROR 22023"},
		{"f", "trunc", []arg{{types.MacAddr, "08:00:2b:01:02:03"}}, "08:00:2b:00:00:00"},
		{"f", "trunc", []arg{{types.MacAddr8, "08:00:2b:01:02:03:04:05"}}, "08:00:2b:00:00:00:00:00"},
		{"f", "macaddr8_set7bit", []arg{{types.MacAddr8, "08:00:2b:01:02:03:04:05"}}, "0a:00:2b:01:02:03:04:05"},
		{"f", "macaddr", []arg{{types.MacAddr8, "08:00:2b:ff:fe:01:02:03"}}, "08:00:2b:01:02:03"},
		{"f", "macaddr", []arg{{types.MacAddr8, "08:00:2b:01:02:03:04:05"}}, "ERROR 22003"},
		{"f", "macaddr8", []arg{{types.MacAddr, "08:00:2b:01:02:03"}}, "08:00:2b:ff:fe:01:02:03"},
		{"f", "cidr", []arg{{types.Inet, "10.1.2.3/8"}}, "10.0.0.0/8"},
		{"o", "+", []arg{{types.Inet, "127.0.0.1"}, {types.Int8, "257"}}, "127.0.1.2"},
		{"o", "+", []arg{{types.Inet, "255.255.255.255"}, {types.Int8, "1"}}, "ERROR 22003"},
		{"o", "+", []arg{{types.Inet, "0.0.0.1"}, {types.Int8, "-1"}}, "0.0.0.0"},
		{"o", "+", []arg{{types.Inet, "0.0.0.1"}, {types.Int8, "-2"}}, "ERROR 22003"},
		{"o", "+", []arg{{types.Inet, "::1"}, {types.Int8, "-9223372036854775808"}}, "ERROR 22003"},
		{"o", "+", []arg{{types.Inet, "ffff::/16"}, {types.Int8, "9223372036854775807"}}, "ffff::7fff:ffff:ffff:ffff/16"},
		{"o", "+", []arg{{types.Int8, "3"}, {types.Inet, "10.0.0.1/8"}}, "10.0.0.4/8"},
		{"o", "-", []arg{{types.Inet, "10.0.0.1"}, {types.Int8, "2"}}, "9.255.255.255"},
		{"o", "-", []arg{{types.Inet, "10.0.0.1"}, {types.Inet, "10.0.0.3"}}, "-2"},
		{"o", "-", []arg{{types.Inet, "255.255.255.255"}, {types.Inet, "0.0.0.0"}}, "4294967295"},
		{"o", "-", []arg{{types.Inet, "0.0.0.0"}, {types.Inet, "255.255.255.255"}}, "-4294967295"},
		{"o", "-", []arg{{types.Inet, "::8000:0:0:0"}, {types.Inet, "::"}}, "ERROR 22003"},
		{"o", "-", []arg{{types.Inet, "::7fff:ffff:ffff:ffff"}, {types.Inet, "::"}}, "9223372036854775807"},
		{"o", "-", []arg{{types.Inet, "::"}, {types.Inet, "::8000:0:0:0"}}, "-9223372036854775808"},
		{"o", "-", []arg{{types.Inet, "::"}, {types.Inet, "::8000:0:0:1"}}, "ERROR 22003"},
		{"o", "-", []arg{{types.Inet, "10.0.0.1"}, {types.Inet, "::1"}}, "ERROR 22023"},
		{"o", "&", []arg{{types.Inet, "10.1.2.3/8"}, {types.Inet, "255.255.0.0/16"}}, "10.1.0.0/16"},
		{"o", "|", []arg{{types.Inet, "10.1.2.3/24"}, {types.Inet, "0.0.0.255/8"}}, "10.1.2.255/24"},
		{"o", "&", []arg{{types.Inet, "10.1.2.3"}, {types.Inet, "::1"}}, "ERROR 22023"},
		{"o", "|", []arg{{types.Inet, "10.1.2.3"}, {types.Inet, "::1"}}, "ERROR 22023"},
		{"o", "<<", []arg{{types.Inet, "10.1.2.3"}, {types.Inet, "10.0.0.0/8"}}, "t"},
		{"o", "<<", []arg{{types.Inet, "10.0.0.0/8"}, {types.Inet, "10.0.0.0/8"}}, "f"},
		{"o", "<<=", []arg{{types.Inet, "10.0.0.0/8"}, {types.Inet, "10.0.0.0/8"}}, "t"},
		{"o", ">>", []arg{{types.Inet, "10.0.0.0/8"}, {types.Inet, "10.1.0.0/16"}}, "t"},
		{"o", ">>=", []arg{{types.Inet, "10.0.0.0/8"}, {types.Inet, "11.0.0.0/16"}}, "f"},
		{"o", "&&", []arg{{types.Inet, "10.0.0.0/8"}, {types.Inet, "10.1.2.3/32"}}, "t"},
		{"o", "&&", []arg{{types.Inet, "10.0.0.0/8"}, {types.Inet, "::/0"}}, "f"},
		{"o", "&", []arg{{types.MacAddr, "08:00:2b:01:02:03"}, {types.MacAddr, "00:00:00:ff:ff:ff"}}, "00:00:00:01:02:03"},
		{"o", "|", []arg{{types.MacAddr8, "08:00:2b:01:02:03:04:05"}, {types.MacAddr8, "01:02:03:04:05:06:07:08"}}, "09:02:2b:05:07:07:07:0d"},
		{"p", "~", []arg{{types.Inet, "10.1.2.3/8"}}, "245.254.253.252/8"},
		{"p", "~", []arg{{types.Inet, "::1/64"}}, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/64"},
		{"p", "~", []arg{{types.MacAddr, "08:00:2b:01:02:03"}}, "f7:ff:d4:fe:fd:fc"},
		{"p", "~", []arg{{types.MacAddr8, "08:00:2b:01:02:03:04:05"}}, "f7:ff:d4:fe:fd:fc:fb:fa"},
	} {
		var f *Func
		var ok bool
		switch c.kind {
		case "f":
			f, ok = Lookup(c.name)
		default:
			f, ok = LookupOperator(c.name, c.kind == "p")
		}
		if !ok {
			t.Fatalf("%s %s is not registered", c.kind, c.name)
		}
		argTypes := make([]types.T, len(c.args))
		vals := make([]types.Datum, len(c.args))
		for i, a := range c.args {
			argTypes[i] = types.New(a.t)
			v, err := types.ParseText(argTypes[i], a.in)
			if err != nil {
				t.Fatalf("%s: %v", a.in, err)
			}
			vals[i] = v
		}
		o, err := f.Resolve(argTypes)
		if err != nil {
			t.Errorf("%s%v: %v", c.name, c.args, err)
			continue
		}
		for i := range vals {
			if vals[i], err = types.Cast(vals[i], argTypes[i], types.New(o.Args[i]), false); err != nil {
				t.Fatal(err)
			}
		}
		v, err := o.Fn(vals)
		got := ""
		if err != nil {
			got = "ERROR " + pgerr.Code(err)
		} else {
			got = types.FormatText(types.New(o.Result), v)
		}
		if got != c.want {
			t.Errorf("%s %s%v = %s, want %s", c.kind, c.name, c.args, got, c.want)
		}
		if strings.HasPrefix(c.want, "ERROR") && err == nil {
			t.Errorf("%s%v: no error", c.name, c.args)
		}
	}
}
