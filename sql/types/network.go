package types

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// The network address types: inet and cidr (network.c, inet_net_pton.c,
// inet_cidr_ntop.c, inet_net_ntop.c), macaddr (mac.c) and macaddr8
// (mac8.c). An inet or cidr value is an InetValue: an IPv4 or IPv6
// address and a netmask length; a cidr value has no bits set right of its
// mask. They order as network_cmp does: IPv4 before IPv6, then by the
// network part (the bits both masks cover), then the shorter mask first,
// then by the whole address. A macaddr value is a MacAddrValue, a macaddr8
// one a MacAddr8Value; both order bytewise.
const (
	Inet          ID = 869
	InetArray     ID = 1041
	Cidr          ID = 650
	CidrArray     ID = 651
	MacAddr       ID = 829
	MacAddrArray  ID = 1040
	MacAddr8      ID = 774
	MacAddr8Array ID = 775
)

// InetValue is the Go form of inet and cidr values. An IPv4 address uses
// the first four bytes of Addr; the others are zero.
type InetValue struct {
	V6   bool // the family: IPv6 when set, IPv4 otherwise
	Bits uint8
	Addr [16]byte
}

// MacAddrValue is the Go form of a macaddr value.
type MacAddrValue [6]byte

// MacAddr8Value is the Go form of a macaddr8 value.
type MacAddr8Value [8]byte

func init() {
	register(
		&Info{ID: Inet, Typname: "inet", SQLName: "inet", Len: -1, Array: InetArray, arrays: true,
			Category: 'I', Preferred: true, aliases: []string{"inet"}, assignment: []ID{Cidr},
			input: func(_ T, s string) (Datum, error) { return ParseInet(s, false) }, cast: castToNetwork},
		&Info{ID: Cidr, Typname: "cidr", SQLName: "cidr", Len: -1, Array: CidrArray, arrays: true,
			Category: 'I', aliases: []string{"cidr"}, implicit: []ID{Inet},
			input: func(_ T, s string) (Datum, error) { return ParseInet(s, true) }, cast: castToNetwork},
		&Info{ID: MacAddr, Typname: "macaddr", SQLName: "macaddr", Len: 6, Array: MacAddrArray, arrays: true,
			Category: 'U', aliases: []string{"macaddr"}, implicit: []ID{MacAddr8},
			input: func(_ T, s string) (Datum, error) { return ParseMacAddr(s) }, cast: castToNetwork},
		&Info{ID: MacAddr8, Typname: "macaddr8", SQLName: "macaddr8", Len: 8, Array: MacAddr8Array, arrays: true,
			Category: 'U', aliases: []string{"macaddr8"}, implicit: []ID{MacAddr},
			input: func(_ T, s string) (Datum, error) { return ParseMacAddr8(s) }, cast: castToNetwork},
	)
}

// IsNetwork reports whether t is inet or cidr.
func (t T) IsNetwork() bool { return t.ID == Inet || t.ID == Cidr }

// Size is the address's length in bytes: 4 or 16.
func (v InetValue) Size() int {
	if v.V6 {
		return 16
	}
	return 4
}

// MaxBits is the longest netmask of the address's family: 32 or 128.
func (v InetValue) MaxBits() int { return 8 * v.Size() }

// Family is family(): 4 or 6.
func (v InetValue) Family() int64 {
	if v.V6 {
		return 6
	}
	return 4
}

// ParseInet is inet_in (cidr false) and cidr_in: an IPv6 address when
// the text has a colon, an IPv4 one otherwise, as inet_net_pton reads
// them; cidr accepts abbreviated IPv4 networks ('10.1', class-based
// masks) and refuses bits set right of the mask.
func ParseInet(s string, cidr bool) (InetValue, error) {
	t := New(Inet)
	if cidr {
		t = New(Cidr)
	}
	var v InetValue
	bits := -1
	if strings.IndexByte(s, 0) < 0 {
		if strings.IndexByte(s, ':') >= 0 {
			v.V6 = true
			bits = parseIPv6(s, &v.Addr)
		} else if cidr {
			bits = parseIPv4Cidr(s, &v.Addr)
		} else {
			bits = parseIPv4Inet(s, &v.Addr)
		}
	}
	if bits < 0 || bits > v.MaxBits() {
		return InetValue{}, invalidInput(t, s)
	}
	v.Bits = uint8(bits)
	if cidr && !v.hostZero() {
		return InetValue{}, pgerr.New(pgerr.InvalidTextRepresentation, "invalid cidr value: \"%s\"", s).
			WithDetail("Value has bits set to right of mask.")
	}
	return v, nil
}

// cstr reads s as C reads a NUL-terminated string: 0 past its end.
func cstr(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseMaskLen reads the digits of a "/n" suffix at s[i] (the first is a
// digit), returning the bits and the character after them (0 at the end).
func parseMaskLen(s string, i int) (int, byte) {
	bits := 0
	ch := cstr(s, i)
	i++
	for {
		if bits < 1000 {
			bits = bits*10 + int(ch-'0')
		}
		ch = cstr(s, i)
		i++
		if ch == 0 || !isDigit(ch) {
			return bits, ch
		}
	}
}

// parseIPv4Inet is inet_net_pton_ipv4: one to four dotted decimal
// octets, then an optional /n; without /n all four octets. It returns the
// netmask length, or -1 when s is not an address.
func parseIPv4Inet(s string, dst *[16]byte) int {
	n, i := 0, 0
	var ch byte
	for {
		ch = cstr(s, i)
		i++
		if !isDigit(ch) {
			break
		}
		tmp := 0
		for {
			tmp = tmp*10 + int(ch-'0')
			if tmp > 255 {
				return -1
			}
			ch = cstr(s, i)
			i++
			if ch == 0 || !isDigit(ch) {
				break
			}
		}
		if n == 4 {
			return -1
		}
		dst[n] = byte(tmp)
		n++
		if ch == 0 || ch == '/' {
			break
		}
		if ch != '.' {
			return -1
		}
	}
	bits := -1
	if ch == '/' && isDigit(cstr(s, i)) && n > 0 {
		bits, ch = parseMaskLen(s, i)
		if ch != 0 || bits > 32 {
			return -1
		}
	}
	if ch != 0 {
		return -1
	}
	if bits == -1 {
		if n != 4 {
			return -1
		}
		bits = 32
	}
	if n == 0 || bits/8 > n {
		return -1
	}
	return bits
}

// parseIPv4Cidr is inet_cidr_pton_ipv4: dotted decimal octets (or 0x and
// hex digits), then an optional /n; without /n the mask is the octets
// given, widened to the address's class (A /8, B /16, C /24, D /4 or /8,
// E /32).
func parseIPv4Cidr(s string, dst *[16]byte) int {
	n, i := 0, 0
	ch := cstr(s, i)
	i++
	switch {
	case ch == '0' && (cstr(s, i) == 'x' || cstr(s, i) == 'X') && isHex(cstr(s, i+1)):
		i++
		dirty, tmp := 0, byte(0)
		for {
			ch = cstr(s, i)
			i++
			if ch == 0 {
				break
			}
			h, ok := hexValue(ch)
			if !ok {
				return -1
			}
			if dirty == 0 {
				tmp = h
			} else {
				tmp = tmp<<4 | h
			}
			if dirty++; dirty == 2 {
				if n == 4 {
					return -1
				}
				dst[n] = tmp
				n++
				dirty = 0
			}
		}
		if dirty > 0 {
			if n == 4 {
				return -1
			}
			dst[n] = tmp << 4
			n++
		}
	case isDigit(ch):
		for {
			tmp := 0
			for {
				tmp = tmp*10 + int(ch-'0')
				if tmp > 255 {
					return -1
				}
				ch = cstr(s, i)
				i++
				if ch == 0 || !isDigit(ch) {
					break
				}
			}
			if n == 4 {
				return -1
			}
			dst[n] = byte(tmp)
			n++
			if ch == 0 || ch == '/' {
				break
			}
			if ch != '.' {
				return -1
			}
			ch = cstr(s, i)
			i++
			if !isDigit(ch) {
				return -1
			}
		}
	default:
		return -1
	}
	bits := -1
	if ch == '/' && isDigit(cstr(s, i)) && n > 0 {
		bits, ch = parseMaskLen(s, i)
		if ch != 0 || bits > 32 {
			return -1
		}
	}
	if ch != 0 || n == 0 {
		return -1
	}
	if bits == -1 {
		switch first := dst[0]; {
		case first >= 240:
			bits = 32
		case first >= 224:
			bits = 8
		case first >= 192:
			bits = 24
		case first >= 128:
			bits = 16
		default:
			bits = 8
		}
		if bits < n*8 {
			bits = n * 8
		}
		if bits == 8 && dst[0] == 224 {
			bits = 4
		}
	}
	return bits
}

func isHex(c byte) bool {
	_, ok := hexValue(c)
	return ok
}

// parseIPv6 is inet_cidr_pton_ipv6: groups of up to four hex digits
// separated by colons, one :: for a run of zero groups, optionally an
// IPv4 address in the last 32 bits, then an optional /n.
func parseIPv6(s string, dst *[16]byte) int {
	var tmp [16]byte
	tp, colonp, i := 0, -1, 0
	if cstr(s, 0) == ':' {
		i = 1
		if cstr(s, 1) != ':' {
			return -1
		}
	}
	curtok := i
	sawXDigit := false
	val, digits, bits := 0, 0, -1
	for {
		ch := cstr(s, i)
		i++
		if ch == 0 {
			break
		}
		if h, ok := hexValue(ch); ok {
			val = val<<4 | int(h)
			if digits++; digits > 4 {
				return -1
			}
			sawXDigit = true
			continue
		}
		if ch == ':' {
			curtok = i
			if !sawXDigit {
				if colonp >= 0 {
					return -1
				}
				colonp = tp
				continue
			} else if cstr(s, i) == 0 {
				return -1
			}
			if tp+2 > 16 {
				return -1
			}
			tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
			tp += 2
			sawXDigit, digits, val = false, 0, 0
			continue
		}
		if ch == '.' && tp+4 <= 16 {
			if b, ok := getv4(s[curtok:], tmp[tp:tp+4]); ok {
				if b >= 0 {
					bits = b
				}
				tp += 4
				sawXDigit = false
				break
			}
		}
		if ch == '/' {
			if b, ok := getMaskBits(s[i:]); ok {
				bits = b
				break
			}
		}
		return -1
	}
	if sawXDigit {
		if tp+2 > 16 {
			return -1
		}
		tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
		tp += 2
	}
	if bits == -1 {
		bits = 128
	}
	if colonp >= 0 {
		n := tp - colonp
		if tp == 16 {
			return -1
		}
		for k := 1; k <= n; k++ {
			tmp[16-k] = tmp[colonp+n-k]
			tmp[colonp+n-k] = 0
		}
		tp = 16
	}
	if tp != 16 {
		return -1
	}
	*dst = tmp
	return bits
}

// getMaskBits is inet_net_pton.c's getbits: a decimal netmask length up
// to 128 without leading zeros.
func getMaskBits(s string) (int, bool) {
	val, n := 0, 0
	for j := 0; j < len(s); j++ {
		ch := s[j]
		if !isDigit(ch) {
			return 0, false
		}
		if n != 0 && val == 0 {
			return 0, false
		}
		n++
		if val = val*10 + int(ch-'0'); val > 128 {
			return 0, false
		}
	}
	return val, n > 0
}

// getv4 is inet_net_pton.c's getv4: the dotted IPv4 tail of an IPv6
// address, written into dst, and its /n when one follows (-1 if not).
func getv4(s string, dst []byte) (int, bool) {
	val, n, o := 0, 0, 0
	for j := 0; j < len(s); j++ {
		ch := s[j]
		if isDigit(ch) {
			if n != 0 && val == 0 {
				return 0, false
			}
			n++
			if val = val*10 + int(ch-'0'); val > 255 {
				return 0, false
			}
			continue
		}
		if ch == '.' || ch == '/' {
			if o > 3 {
				return 0, false
			}
			dst[o] = byte(val)
			o++
			if ch == '/' {
				return getMaskBits(s[j+1:])
			}
			val, n = 0, 0
			continue
		}
		return 0, false
	}
	if n == 0 || o > 3 {
		return 0, false
	}
	dst[o] = byte(val)
	return -1, true
}

// hostZero reports whether no bit right of the netmask is set
// (addressOK).
func (v InetValue) hostZero() bool {
	return v == v.Network()
}

// Network is the address with the bits right of the mask cleared.
func (v InetValue) Network() InetValue {
	out := InetValue{V6: v.V6, Bits: v.Bits}
	for i := 0; i < v.Size(); i++ {
		out.Addr[i] = v.Addr[i] & maskByte(int(v.Bits), i)
	}
	return out
}

// Broadcast is the address with the bits right of the mask set.
func (v InetValue) Broadcast() InetValue {
	out := v
	for i := 0; i < v.Size(); i++ {
		out.Addr[i] = v.Addr[i] | ^maskByte(int(v.Bits), i)
	}
	return out
}

// Netmask is the mask as an address, with the family's full length.
func (v InetValue) Netmask() InetValue {
	out := InetValue{V6: v.V6, Bits: uint8(v.MaxBits())}
	for i := 0; i < v.Size(); i++ {
		out.Addr[i] = maskByte(int(v.Bits), i)
	}
	return out
}

// Hostmask is the inverse of the mask as an address.
func (v InetValue) Hostmask() InetValue {
	out := InetValue{V6: v.V6, Bits: uint8(v.MaxBits())}
	for i := 0; i < v.Size(); i++ {
		out.Addr[i] = ^maskByte(int(v.Bits), i)
	}
	return out
}

// maskByte is byte i of a netmask of bits bits.
func maskByte(bits, i int) byte {
	switch n := bits - 8*i; {
	case n >= 8:
		return 0xff
	case n <= 0:
		return 0
	default:
		return byte(0xff << (8 - n))
	}
}

// bitncmp compares the first n bits of two addresses: -1, 0 or 1.
func bitncmp(l, r *[16]byte, n int) int {
	b := n / 8
	if c := bytes.Compare(l[:b], r[:b]); c != 0 || n%8 == 0 {
		return c
	}
	m := maskByte(n%8, 0)
	return cmpByte(l[b]&m, r[b]&m)
}

func cmpByte(a, b byte) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareInet is network_cmp: IPv4 before IPv6, then the network part
// both masks cover, then the shorter mask, then the whole address.
func CompareInet(a, b InetValue) int {
	if a.V6 != b.V6 {
		if a.V6 {
			return 1
		}
		return -1
	}
	if c := bitncmp(&a.Addr, &b.Addr, int(min(a.Bits, b.Bits))); c != 0 {
		return c
	}
	if a.Bits != b.Bits {
		return cmpByte(a.Bits, b.Bits)
	}
	return bitncmp(&a.Addr, &b.Addr, a.MaxBits())
}

// Within is a << b (strict) or a <<= b: a's network lies inside b's.
func (v InetValue) Within(b InetValue, orEqual bool) bool {
	if v.V6 != b.V6 || v.Bits < b.Bits || v.Bits == b.Bits && !orEqual {
		return false
	}
	return bitncmp(&v.Addr, &b.Addr, int(b.Bits)) == 0
}

// Overlaps is a && b: either network contains the other.
func (v InetValue) Overlaps(b InetValue) bool {
	return v.V6 == b.V6 && bitncmp(&v.Addr, &b.Addr, int(min(v.Bits, b.Bits))) == 0
}

// String is inet_out's form of an inet value: the address, and /n
// unless the mask covers the whole address.
func (v InetValue) String() string { return string(v.appendNtop(nil, int(v.Bits))) }

// CidrString is cidr_out's form: the address and always /n.
func (v InetValue) CidrString() string {
	out := v.appendNtop(nil, int(v.Bits))
	if bytes.IndexByte(out, '/') < 0 {
		out = strconv.AppendInt(append(out, '/'), int64(v.Bits), 10)
	}
	return string(out)
}

// Show is network_show, what text(inet) and a cast to text give: the
// address and always /n.
func (v InetValue) Show() string {
	out := v.appendNtop(nil, v.MaxBits())
	return string(strconv.AppendInt(append(out, '/'), int64(v.Bits), 10))
}

// Host is host(): the address without the mask.
func (v InetValue) Host() string { return string(v.appendNtop(nil, v.MaxBits())) }

// appendNtop is inet_net_ntop: the whole address, then /bits unless bits
// is the family's full length.
func (v InetValue) appendNtop(out []byte, bits int) []byte {
	if !v.V6 {
		for i := 0; i < 4; i++ {
			if i > 0 {
				out = append(out, '.')
			}
			out = strconv.AppendUint(out, uint64(v.Addr[i]), 10)
		}
		if bits != 32 {
			out = strconv.AppendInt(append(out, '/'), int64(bits), 10)
		}
		return out
	}
	var words [8]int
	for i := range words {
		words[i] = int(v.Addr[2*i])<<8 | int(v.Addr[2*i+1])
	}
	// The longest run of zero words (at least two) becomes ::.
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i, w := range words {
		if w == 0 {
			if curBase == -1 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
			continue
		}
		if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	for i := 0; i < 8; i++ {
		if bestBase != -1 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				out = append(out, ':')
			}
			continue
		}
		if i != 0 {
			out = append(out, ':')
		}
		// An encapsulated IPv4 address (::a.b.c.d, ::ffff:a.b.c.d).
		if i == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 7 && words[7] != 1 || bestLen == 5 && words[5] == 0xffff) {
			for j := 12; j < 16; j++ {
				if j > 12 {
					out = append(out, '.')
				}
				out = strconv.AppendUint(out, uint64(v.Addr[j]), 10)
			}
			break
		}
		out = strconv.AppendUint(out, uint64(words[i]), 16)
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		out = append(out, ':')
	}
	if bits != -1 && bits != 128 {
		out = strconv.AppendInt(append(out, '/'), int64(bits), 10)
	}
	return out
}

// AbbrevCidr is abbrev(cidr), inet_cidr_ntop: only the octets (IPv4) or
// words (IPv6) the mask covers, then /n.
func (v InetValue) AbbrevCidr() string {
	bits := int(v.Bits)
	var out []byte
	if !v.V6 {
		if bits == 0 {
			out = append(out, '0')
		}
		for b := 0; b < bits/8; b++ {
			out = strconv.AppendUint(out, uint64(v.Addr[b]), 10)
			if b < bits/8-1 {
				out = append(out, '.')
			}
		}
		if b := bits % 8; b > 0 {
			if len(out) > 0 {
				out = append(out, '.')
			}
			out = strconv.AppendUint(out, uint64(v.Addr[bits/8]&maskByte(b, 0)), 10)
		}
		return string(strconv.AppendInt(append(out, '/'), int64(bits), 10))
	}
	if bits == 0 {
		out = append(out, ':', ':')
	} else {
		s := v.Network().Addr
		words := (bits + 15) / 16
		if words == 1 {
			words = 2
		}
		// The longest run of zero words, found as inet_cidr_ntop_ipv6
		// finds it (a run is forgotten only when a longer one ends).
		zeroS, zeroL, tmpS, tmpL := 0, 0, 0, 0
		for i := 0; i < words*2; i += 2 {
			if s[i]|s[i+1] == 0 {
				if tmpL == 0 {
					tmpS = i / 2
				}
				tmpL++
			} else if tmpL != 0 && zeroL < tmpL {
				zeroS, zeroL, tmpL = tmpS, tmpL, 0
			}
		}
		if tmpL != 0 && zeroL < tmpL {
			zeroS, zeroL = tmpS, tmpL
		}
		isIPv4 := zeroL != words && zeroS == 0 && (zeroL == 6 || zeroL == 5 && s[10] == 0xff && s[11] == 0xff ||
			zeroL == 7 && s[14] != 0 && s[15] != 1)
		k := 0
		for p := 0; p < words; p++ {
			if zeroL != 0 && p >= zeroS && p < zeroS+zeroL {
				if p == zeroS {
					out = append(out, ':')
				}
				if p == words-1 {
					out = append(out, ':')
				}
				k += 2
				continue
			}
			if isIPv4 && p > 5 {
				if p == 6 {
					out = append(out, ':')
				} else {
					out = append(out, '.')
				}
				out = strconv.AppendUint(out, uint64(s[k]), 10)
				k++
				if p != 7 || bits > 120 {
					out = append(out, '.')
					out = strconv.AppendUint(out, uint64(s[k]), 10)
					k++
				}
				continue
			}
			if len(out) > 0 {
				out = append(out, ':')
			}
			out = strconv.AppendUint(out, uint64(s[k])*256+uint64(s[k+1]), 16)
			k += 2
		}
	}
	return string(strconv.AppendInt(append(out, '/'), int64(bits), 10))
}

// ParseMacAddr is macaddr_in: six hex fields in one of PostgreSQL's seven
// layouts (08:00:2b:01:02:03, 08-00-2b-01-02-03, 08002b:010203,
// 08002b-010203, 0800.2b01.0203, 0800-2b01-0203, 08002b010203), read as
// sscanf's %x reads them; trailing blanks are allowed.
func ParseMacAddr(s string) (Datum, error) {
	layouts := []struct {
		sep   string // the separator after each field ("" for none)
		width int    // a field's most characters (0: unlimited)
	}{
		{":::::", 0}, {"-----", 0},
		{"\x00\x00:\x00\x00", 2}, {"\x00\x00-\x00\x00", 2},
		{"\x00.\x00.\x00", 2}, {"\x00-\x00-\x00", 2}, {"\x00\x00\x00\x00\x00", 2},
	}
	for _, l := range layouts {
		var f [6]int64
		rest, ok := s, true
		for i := 0; i < 6 && ok; i++ {
			f[i], rest, ok = scanHex(rest, l.width)
			if ok && i < 5 && l.sep[i] != 0 {
				if rest == "" || rest[0] != l.sep[i] {
					ok = false
				} else {
					rest = rest[1:]
				}
			}
		}
		if !ok || strings.TrimLeft(rest, " \t\n\v\f\r") != "" {
			continue
		}
		var m MacAddrValue
		for i, x := range f {
			if x < 0 || x > 255 {
				return nil, pgerr.New(pgerr.NumericValueOutOfRange, "invalid octet value in \"macaddr\" value: \"%s\"", s)
			}
			m[i] = byte(x)
		}
		return m, nil
	}
	return nil, invalidInput(New(MacAddr), s)
}

// scanHex reads one %x (width 0) or %2x conversion as glibc's sscanf
// does: blanks skipped, an optional sign and 0x, hex digits, the value
// stored in a C int (so -1 and values past 32 bits wrap).
func scanHex(s string, width int) (int64, string, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	limit := len(s)
	if width > 0 && width < limit {
		limit = width
	}
	i, neg := 0, false
	if i < limit && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := false
	if i+1 < limit && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') {
		// glibc takes "0x" with no hex digit after it for a zero.
		i += 2
		digits = true
	}
	var v uint64
	over := false
	for i < limit && isHex(s[i]) {
		h, _ := hexValue(s[i])
		if v > (1<<64-1)>>4 {
			over = true
		}
		v = v<<4 | uint64(h)
		i++
		digits = true
	}
	if !digits {
		return 0, s, false
	}
	if over {
		v = 1<<64 - 1
	} else if neg {
		v = -v
	}
	return int64(int32(uint32(v))), s[i:], true
}

// String is macaddr_out's form: six pairs of hex digits and colons.
func (m MacAddrValue) String() string { return formatMac(m[:]) }

// String is macaddr8_out's form: eight pairs of hex digits and colons.
func (m MacAddr8Value) String() string { return formatMac(m[:]) }

func formatMac(b []byte) string {
	out := make([]byte, 0, 3*len(b))
	for i, x := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, hexDigits[x>>4], hexDigits[x&0xf])
	}
	return string(out)
}

// ParseMacAddr8 is macaddr8_in: six or eight pairs of hex digits, each
// pair optionally followed by one separator (':', '-' or '.', the same
// throughout); six bytes become an EUI-64 with FF:FE in the middle.
func ParseMacAddr8(s string) (Datum, error) {
	fail := func() (Datum, error) { return nil, invalidInput(New(MacAddr8), s) }
	var b [8]byte
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	count := 0
	var spacer byte
	for cstr(s, i) != 0 && cstr(s, i+1) != 0 {
		count++
		if count > 8 {
			return fail()
		}
		hi, ok1 := hexValue(s[i])
		lo, ok2 := hexValue(s[i+1])
		if !ok1 || !ok2 {
			return fail()
		}
		b[count-1] = hi<<4 | lo
		i += 2
		if c := cstr(s, i); c == ':' || c == '-' || c == '.' {
			if spacer == 0 {
				spacer = c
			} else if spacer != c {
				return fail()
			}
			i++
		}
		if (count == 6 || count == 8) && isSpace(cstr(s, i)) {
			for i++; i < len(s) && isSpace(s[i]); i++ {
			}
			if i < len(s) {
				return fail()
			}
		}
	}
	switch count {
	case 6:
		return MacAddr8Value{b[0], b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]}, nil
	case 8:
		return MacAddr8Value(b), nil
	}
	return fail()
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// MacAddr8ToMacAddr is macaddr8tomacaddr: only an EUI-64 made from a
// 48-bit address (FF:FE as its 4th and 5th bytes) converts.
func MacAddr8ToMacAddr(m MacAddr8Value) (MacAddrValue, error) {
	if m[3] != 0xff || m[4] != 0xfe {
		return MacAddrValue{}, pgerr.New(pgerr.NumericValueOutOfRange, "macaddr8 data out of range to convert to macaddr").
			WithHint("Only addresses that have FF and FE as values in the 4th and 5th bytes from the left, for example xx:xx:xx:ff:fe:xx:xx:xx, are eligible to be converted from macaddr8 to macaddr.")
	}
	return MacAddrValue{m[0], m[1], m[2], m[5], m[6], m[7]}, nil
}

// castToNetwork converts to inet, cidr, macaddr and macaddr8: from the
// string types through their input, between inet and cidr (a cidr keeps
// only the network part, as inet_to_cidr does), and between macaddr and
// macaddr8.
func castToNetwork(d Datum, from, to T, explicit bool) (Datum, error) {
	if s, ok := d.(string); ok && from.IsString() {
		return castFromText(s, to, explicit)
	}
	switch v := d.(type) {
	case InetValue:
		switch to.ID {
		case Inet:
			return v, nil
		case Cidr:
			return v.Network(), nil
		}
	case MacAddrValue:
		switch to.ID {
		case MacAddr:
			return v, nil
		case MacAddr8:
			return MacAddr8Value{v[0], v[1], v[2], 0xff, 0xfe, v[3], v[4], v[5]}, nil
		}
	case MacAddr8Value:
		switch to.ID {
		case MacAddr8:
			return v, nil
		case MacAddr:
			return MacAddr8ToMacAddr(v)
		}
	}
	return nil, cannotCast(from, to)
}

// formatNetwork is the output form of a network value of type t.
func formatNetwork(t T, d Datum) (string, bool) {
	switch v := d.(type) {
	case InetValue:
		if t.ID == Cidr {
			return v.CidrString(), true
		}
		return v.String(), true
	case MacAddrValue:
		return v.String(), true
	case MacAddr8Value:
		return v.String(), true
	}
	return "", false
}

// appendInetKey appends an order-preserving key: the family, the network
// part (the address with the host bits cleared), the mask length, then the
// whole address. Comparing those in turn orders as network_cmp does: two
// networks that differ in the bits both masks cover differ the same way
// in their network parts; when they agree there, the shorter mask has
// zeros where the longer one has its bits, so it sorts first or ties and
// the mask length decides.
func appendInetKey(buf []byte, v InetValue) []byte {
	fam := byte(0)
	if v.V6 {
		fam = 1
	}
	n := v.Network()
	buf = append(buf, fam)
	buf = append(buf, n.Addr[:v.Size()]...)
	buf = append(buf, v.Bits)
	return append(buf, v.Addr[:v.Size()]...)
}
