package types

import (
	"math"
	"strings"

	"github.com/cairndb/cairn/internal/pgerr"
)

// Transaction ids: xid, the 32-bit id pg_locks.transactionid and a
// table's xid columns hold, and xid8, the 64-bit id with its epoch that
// pg_current_xact_id returns. Both are int64 values. xid8 converts to
// xid explicitly (dropping the epoch); neither converts from an integer.
// xid has only equality; xid8 is ordered.
const (
	XID       ID = 28
	XID8      ID = 5069
	XIDArray  ID = 1011
	XID8Array ID = 271
)

func init() {
	register(
		&Info{ID: XID, Typname: "xid", SQLName: "xid", Len: 4, Array: XIDArray, arrays: true,
			Category: 'U', aliases: []string{"xid"},
			input: func(_ T, s string) (Datum, error) { return parseXID(s), nil }, cast: castToXID},
		&Info{ID: XID8, Typname: "xid8", SQLName: "xid8", Len: 8, Array: XID8Array, arrays: true,
			Category: 'U', aliases: []string{"xid8"},
			input: func(_ T, s string) (Datum, error) { return parseXID8(s) }, cast: castToXID8},
	)
}

// parseXID is PostgreSQL 15's xidin: strtoul, cut to 32 bits.
func parseXID(s string) Datum { return int64(uint32(strtoul(s))) }

// parseXID8 is PostgreSQL 15's xid8in: strtoull. cairn's int64 values
// hold ids below 2^63, far beyond any transaction's.
func parseXID8(s string) (Datum, error) {
	n := strtoul(s)
	if n > 1<<63-1 {
		return nil, pgerr.New(pgerr.NumericValueOutOfRange, "value \"%s\" is out of range for type xid8", s)
	}
	return int64(n), nil
}

// strtoul reads s as C's strtoul does with base 0, which PostgreSQL 15's
// xid input functions call without checking what it read: leading
// white space, a sign (a minus negates the value modulo 2^64), 0x for
// hex or a leading 0 for octal, then the digits it can read; an
// overflow gives the largest value.
func strtoul(s string) uint64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := uint64(10)
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && strings.ContainsRune("0123456789abcdefABCDEF", rune(s[2])):
		base, s = 16, s[2:]
	case len(s) > 0 && s[0] == '0':
		base = 8
	}
	var n uint64
	for _, c := range s {
		d := uint64(strings.IndexRune("0123456789abcdef", c|0x20))
		if c > 0x7f || d >= base {
			break
		}
		if n > (math.MaxUint64-d)/base {
			return math.MaxUint64
		}
		n = n*base + d
	}
	if neg {
		n = -n
	}
	return n
}

func castToXID(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case int64:
		if from.ID == XID8 && explicit {
			return int64(uint32(v)), nil
		}
		if from.ID == XID {
			return v, nil
		}
	case string:
		return castFromText(v, to, explicit)
	}
	return nil, cannotCast(from, to)
}

func castToXID8(d Datum, from, to T, explicit bool) (Datum, error) {
	switch v := d.(type) {
	case int64:
		if from.ID == XID8 {
			return v, nil
		}
	case string:
		return castFromText(v, to, explicit)
	}
	return nil, cannotCast(from, to)
}
