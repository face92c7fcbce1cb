package pgwire

import (
	"bytes"
	"encoding/binary"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/cairndb/cairn/internal/pgerr"
)

// decodeBind decodes a Bind body into dst as decodeExact with pgproto3's
// decoder does (the same errors for the same bodies), reusing dst's slices
// and, when they did not change, its names: a client that binds the same
// statement over and over then costs no allocation per Bind. The
// parameter values point into body, as pgproto3's do.
func decodeBind(dst *pgproto3.Bind, body []byte) error {
	malformed := func() error {
		return pgerr.New(pgerr.ProtocolViolation, "%s", "insufficient data left in message")
	}
	rp := 0
	name := func(old string) (string, bool) {
		i := bytes.IndexByte(body[rp:], 0)
		if i < 0 {
			return "", false
		}
		b := body[rp : rp+i]
		rp += i + 1
		if string(b) == old {
			return old, true
		}
		return string(b), true
	}
	var ok bool
	if dst.DestinationPortal, ok = name(dst.DestinationPortal); !ok {
		return malformed()
	}
	if dst.PreparedStatement, ok = name(dst.PreparedStatement); !ok {
		return malformed()
	}
	codes := func(into []int16) ([]int16, bool) {
		if len(body)-rp < 2 {
			return nil, false
		}
		n := int(binary.BigEndian.Uint16(body[rp:]))
		rp += 2
		if len(body)-rp < 2*n {
			return nil, false
		}
		into = into[:0]
		for range n {
			into = append(into, int16(binary.BigEndian.Uint16(body[rp:])))
			rp += 2
		}
		return into, true
	}
	if dst.ParameterFormatCodes, ok = codes(dst.ParameterFormatCodes); !ok {
		return malformed()
	}
	if len(body)-rp < 2 {
		return malformed()
	}
	n := int(binary.BigEndian.Uint16(body[rp:]))
	rp += 2
	params := dst.Parameters[:0]
	for range n {
		if len(body)-rp < 4 {
			return malformed()
		}
		size := int(int32(binary.BigEndian.Uint32(body[rp:])))
		rp += 4
		if size == -1 {
			params = append(params, nil) // NULL
			continue
		}
		if size < 0 || len(body)-rp < size {
			return malformed()
		}
		params = append(params, body[rp:rp+size])
		rp += size
	}
	dst.Parameters = params
	if dst.ResultFormatCodes, ok = codes(dst.ResultFormatCodes); !ok {
		return malformed()
	}
	if rp != len(body) {
		return errInvalidMessageFormat
	}
	return nil
}
