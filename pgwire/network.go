package pgwire

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/sql/types"
)

// inet_send's and inet_recv's form of inet and cidr: the family (2 for
// IPv4, 3 for IPv6, PGSQL_AF_INET and PGSQL_AF_INET6), the mask length,
// an is-cidr flag, the address length (4 or 16), then the address.
const (
	pgAFInet  = 2
	pgAFInet6 = 3
)

func appendInetBinary(buf []byte, t types.T, v types.InetValue) []byte {
	fam, isCidr := byte(pgAFInet), byte(0)
	if v.V6 {
		fam = pgAFInet6
	}
	if t.ID == types.Cidr {
		isCidr = 1
	}
	buf = append(buf, fam, v.Bits, isCidr, byte(v.Size()))
	return append(buf, v.Addr[:v.Size()]...)
}

// decodeInetBinary is inet_recv and cidr_recv, with their errors
// (22P03): the is-cidr flag is ignored, and a cidr may not have bits set
// right of its mask.
func decodeInetBinary(t types.T, raw []byte) (types.Datum, error) {
	name := t.Name()
	if len(raw) < 4 {
		return nil, pgerr.New(invalidBinaryRepresentation, "insufficient data left in message")
	}
	var v types.InetValue
	switch raw[0] {
	case pgAFInet:
	case pgAFInet6:
		v.V6 = true
	default:
		return nil, pgerr.New(invalidBinaryRepresentation, "invalid address family in external \"%s\" value", name)
	}
	if int(raw[1]) > v.MaxBits() {
		return nil, pgerr.New(invalidBinaryRepresentation, "invalid bits in external \"%s\" value", name)
	}
	v.Bits = raw[1]
	if int(raw[3]) != v.Size() {
		return nil, pgerr.New(invalidBinaryRepresentation, "invalid length in external \"%s\" value", name)
	}
	if len(raw) != 4+v.Size() {
		return nil, pgerr.New(invalidBinaryRepresentation, "incorrect binary data format")
	}
	copy(v.Addr[:], raw[4:])
	if t.ID == types.Cidr && v != v.Network() {
		return nil, pgerr.New(invalidBinaryRepresentation, "invalid external \"cidr\" value").
			WithDetail("Value has bits set to right of mask.")
	}
	return v, nil
}
