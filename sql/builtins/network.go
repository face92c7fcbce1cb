package builtins

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// The functions and operators of the network address types (network.c,
// mac.c, mac8.c): host, hostmask, masklen, set_masklen, netmask, network,
// broadcast, family, abbrev, text, inet_same_family, inet_merge, the
// containment operators << <<= >> >>= &&, the bitwise ~ & | and the
// address arithmetic + and - of inet; trunc, ~, & and | of macaddr and
// macaddr8, and macaddr8_set7bit.
//
// inet(x), cidr(x), macaddr(x) and macaddr8(x) are registered as
// functions for what PostgreSQL does as a function-style cast: a string
// argument (and an untyped literal, which prefers the string overload)
// goes through the type's input, so cidr('10.1.2.3/8') fails as
// '10.1.2.3/8'::cidr does; cidr(inet) is inet_to_cidr.

func init() {
	const inet, cidr, text, i4, i8, b = types.Inet, types.Cidr, types.Text, types.Int4, types.Int8, types.Bool
	const mac, mac8 = types.MacAddr, types.MacAddr8
	one := func(arg, result types.ID, f func(v types.InetValue) (types.Datum, error)) *Overload {
		return &Overload{Args: []types.ID{arg}, Result: result, Fn: func(a []types.Datum) (types.Datum, error) {
			return f(a[0].(types.InetValue))
		}}
	}
	two := func(result types.ID, f func(x, y types.InetValue) (types.Datum, error)) *Overload {
		return &Overload{Args: []types.ID{inet, inet}, Result: result, Fn: func(a []types.Datum) (types.Datum, error) {
			return f(a[0].(types.InetValue), a[1].(types.InetValue))
		}}
	}
	register("host", one(inet, text, func(v types.InetValue) (types.Datum, error) { return v.Host(), nil }))
	register("text", one(inet, text, func(v types.InetValue) (types.Datum, error) { return v.Show(), nil }),
		// text(x) of any other string is x, as the cast would be.
		&Overload{Args: []types.ID{text}, Result: text, Fn: func(a []types.Datum) (types.Datum, error) { return a[0], nil }})
	register("abbrev",
		one(inet, text, func(v types.InetValue) (types.Datum, error) { return v.String(), nil }),
		one(cidr, text, func(v types.InetValue) (types.Datum, error) { return v.AbbrevCidr(), nil }))
	register("masklen", one(inet, i4, func(v types.InetValue) (types.Datum, error) { return int64(v.Bits), nil }))
	register("family", one(inet, i4, func(v types.InetValue) (types.Datum, error) { return v.Family(), nil }))
	register("netmask", one(inet, inet, func(v types.InetValue) (types.Datum, error) { return v.Netmask(), nil }))
	register("hostmask", one(inet, inet, func(v types.InetValue) (types.Datum, error) { return v.Hostmask(), nil }))
	register("broadcast", one(inet, inet, func(v types.InetValue) (types.Datum, error) { return v.Broadcast(), nil }))
	register("network", one(inet, cidr, func(v types.InetValue) (types.Datum, error) { return v.Network(), nil }))
	setMasklen := func(arg types.ID) *Overload {
		return &Overload{Args: []types.ID{arg, i4}, Result: arg, Fn: func(a []types.Datum) (types.Datum, error) {
			return SetMasklen(a[0].(types.InetValue), a[1].(int64), arg == cidr)
		}}
	}
	register("set_masklen", setMasklen(inet), setMasklen(cidr))
	register("inet_same_family", two(b, func(x, y types.InetValue) (types.Datum, error) { return x.V6 == y.V6, nil }))
	register("inet_merge", two(cidr, InetMerge))

	parse := func(to types.ID) *Overload {
		return &Overload{Args: []types.ID{text}, Result: to, Fn: func(a []types.Datum) (types.Datum, error) {
			return types.ParseText(types.New(to), a[0].(string))
		}}
	}
	register("inet", parse(inet), one(inet, inet, func(v types.InetValue) (types.Datum, error) { return v, nil }))
	register("cidr", parse(cidr), one(inet, cidr, func(v types.InetValue) (types.Datum, error) { return v.Network(), nil }))
	register("macaddr", parse(mac), &Overload{Args: []types.ID{mac8}, Result: mac, Fn: func(a []types.Datum) (types.Datum, error) {
		return types.MacAddr8ToMacAddr(a[0].(types.MacAddr8Value))
	}})
	register("macaddr8", parse(mac8), &Overload{Args: []types.ID{mac}, Result: mac8, Fn: func(a []types.Datum) (types.Datum, error) {
		return types.Cast(a[0], types.New(mac), types.New(mac8), false)
	}})

	contains := func(f func(x, y types.InetValue) bool) *Overload {
		return two(b, func(x, y types.InetValue) (types.Datum, error) { return f(x, y), nil })
	}
	registerOperator("<<", contains(func(x, y types.InetValue) bool { return x.Within(y, false) }))
	registerOperator("<<=", contains(func(x, y types.InetValue) bool { return x.Within(y, true) }))
	registerOperator(">>", contains(func(x, y types.InetValue) bool { return y.Within(x, false) }))
	registerOperator(">>=", contains(func(x, y types.InetValue) bool { return y.Within(x, true) }))
	registerOperator("&&", contains(func(x, y types.InetValue) bool { return x.Overlaps(y) }))
	registerOperator("~", one(inet, inet, func(v types.InetValue) (types.Datum, error) {
		for i := 0; i < v.Size(); i++ {
			v.Addr[i] = ^v.Addr[i]
		}
		return v, nil
	}))
	registerOperator("&", two(inet, func(x, y types.InetValue) (types.Datum, error) { return inetBitwise(x, y, "AND") }))
	registerOperator("|", two(inet, func(x, y types.InetValue) (types.Datum, error) { return inetBitwise(x, y, "OR") }))
	registerOperator("+",
		&Overload{Args: []types.ID{inet, i8}, Result: inet, Fn: func(a []types.Datum) (types.Datum, error) {
			return InetAdd(a[0].(types.InetValue), a[1].(int64))
		}},
		&Overload{Args: []types.ID{i8, inet}, Result: inet, Fn: func(a []types.Datum) (types.Datum, error) {
			return InetAdd(a[1].(types.InetValue), a[0].(int64))
		}})
	registerOperator("-",
		&Overload{Args: []types.ID{inet, i8}, Result: inet, Fn: func(a []types.Datum) (types.Datum, error) {
			return InetAdd(a[0].(types.InetValue), -a[1].(int64))
		}},
		two(i8, func(x, y types.InetValue) (types.Datum, error) { return InetSub(x, y) }))

	for _, id := range []types.ID{mac, mac8} {
		n := 6
		if id == mac8 {
			n = 8
		}
		bytesOf := func(d types.Datum) []byte {
			if m, ok := d.(types.MacAddrValue); ok {
				return m[:]
			}
			m := d.(types.MacAddr8Value)
			return m[:]
		}
		mk := func(b []byte) types.Datum {
			if n == 6 {
				return types.MacAddrValue(b)
			}
			return types.MacAddr8Value(b)
		}
		bin := func(f func(x, y byte) byte) *Overload {
			return &Overload{Args: []types.ID{id, id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
				x, y := bytesOf(a[0]), bytesOf(a[1])
				var out []byte
				for i := range x {
					out = append(out, f(x[i], y[i]))
				}
				return mk(out), nil
			}}
		}
		registerOperator("&", bin(func(x, y byte) byte { return x & y }))
		registerOperator("|", bin(func(x, y byte) byte { return x | y }))
		registerOperator("~", &Overload{Args: []types.ID{id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
			x := bytesOf(a[0])
			var out []byte
			for _, c := range x {
				out = append(out, ^c)
			}
			return mk(out), nil
		}})
		// trunc keeps the manufacturer's part: the first three bytes.
		register("trunc", &Overload{Args: []types.ID{id}, Result: id, Fn: func(a []types.Datum) (types.Datum, error) {
			out := append([]byte{}, bytesOf(a[0])...)
			for i := 3; i < n; i++ {
				out[i] = 0
			}
			return mk(out), nil
		}})
	}
	register("macaddr8_set7bit", &Overload{Args: []types.ID{mac8}, Result: mac8, Fn: func(a []types.Datum) (types.Datum, error) {
		m := a[0].(types.MacAddr8Value)
		m[0] |= 0x02
		return m, nil
	}})
}

// SetMasklen is set_masklen: -1 means the family's full length; a cidr
// keeps only the network part under the new mask.
func SetMasklen(v types.InetValue, bits int64, cidr bool) (types.Datum, error) {
	if bits == -1 {
		bits = int64(v.MaxBits())
	}
	if bits < 0 || bits > int64(v.MaxBits()) {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "invalid mask length: %d", bits)
	}
	v.Bits = uint8(bits)
	if cidr {
		return v.Network(), nil
	}
	return v, nil
}

// InetMerge is inet_merge: the smallest network that includes both.
func InetMerge(x, y types.InetValue) (types.Datum, error) {
	if x.V6 != y.V6 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot merge addresses from different families")
	}
	n := int(min(x.Bits, y.Bits))
	common := 0
	for common < n {
		i, bit := common/8, byte(0x80)>>(common%8)
		if x.Addr[i]&bit != y.Addr[i]&bit {
			break
		}
		common++
	}
	x.Bits = uint8(common)
	return x.Network(), nil
}

// inetBitwise is inetand and inetor: the mask is the longer of the two.
func inetBitwise(x, y types.InetValue, op string) (types.Datum, error) {
	if x.V6 != y.V6 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot %s inet values of different sizes", op)
	}
	out := types.InetValue{V6: x.V6, Bits: max(x.Bits, y.Bits)}
	for i := 0; i < x.Size(); i++ {
		if op == "AND" {
			out.Addr[i] = x.Addr[i] & y.Addr[i]
		} else {
			out.Addr[i] = x.Addr[i] | y.Addr[i]
		}
	}
	return out, nil
}

// InetAdd is inetpl: the address plus n, which must stay inside the
// family's addresses (22003 otherwise); the mask is kept.
func InetAdd(v types.InetValue, n int64) (types.Datum, error) {
	carry := 0
	for i := v.Size() - 1; i >= 0; i-- {
		carry += int(v.Addr[i]) + int(n&0xff)
		v.Addr[i] = byte(carry)
		carry >>= 8
		n >>= 8 // arithmetic: the bytes of a negative addend are its two's complement
	}
	if !(n == 0 && carry == 0 || n == -1 && carry == 1) {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "result is out of range")
	}
	return v, nil
}

// InetSub is inetmi: the difference of two addresses of one family as a
// bigint (22003 when it does not fit).
func InetSub(x, y types.InetValue) (types.Datum, error) {
	if x.V6 != y.V6 {
		return nil, pgerr.New(pgerr.InvalidParameterValue, "cannot subtract inet values of different sizes")
	}
	var res int64
	carry, k := 1, 0
	for i := x.Size() - 1; i >= 0; i-- {
		carry += int(x.Addr[i]) + int(^y.Addr[i])
		lo := byte(carry)
		if k < 8 {
			res |= int64(lo) << (8 * k)
		} else if res < 0 && lo != 0xff || res >= 0 && lo != 0 {
			return nil, pgerr.New(pgerr.NumericValueOutOfRange, "result is out of range")
		}
		carry >>= 8
		k++
	}
	if carry == 0 && k < 8 {
		res |= -1 << (8 * k)
	}
	return res, nil
}
