package lsm

import (
	"encoding/binary"
	"errors"
	"slices"
)

// Internal keys (see doc.go). Every stored version of a key is an internal
// key: the user key escaped (each 0x00 byte written as 0x00 0xFF), the
// terminator 0x00 0x01, and the sequence number inverted (^seq), 8 bytes
// big-endian. Plain bytewise order of internal keys is then user key
// ascending, sequence number descending, so tables, blocks, the index and
// the memtable compare them with bytes.Compare and know nothing of the
// encoding. The escaped user key with its terminator (userPart) sorts like
// the user key, so two versions belong to the same key exactly when their
// user parts are equal.
const (
	seqBytes = 8
	// maxSeq is above every sequence number: ikey(u, maxSeq) is below
	// every version of u. Sequence numbers start at 1; 0 is the sequence
	// number of entries in tables written before sequence numbers, which
	// are older than every other version.
	maxSeq = ^uint64(0)
)

var errIKey = errors.New("malformed internal key")

// appendUserPart appends the escaped user key and the terminator. Keys
// are short and often hold many 0x00 bytes (big-endian integers), so one
// pass byte by byte beats searching for each 0x00.
func appendUserPart(dst, user []byte) []byte {
	dst = slices.Grow(dst, len(user)+2)
	for _, c := range user {
		dst = append(dst, c)
		if c == 0 {
			dst = append(dst, 0xff)
		}
	}
	return append(dst, 0x00, 0x01)
}

// appendIKey appends the internal key of user at seq.
func appendIKey(dst, user []byte, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(appendUserPart(dst, user), ^seq)
}

// makeIKey returns the internal key of user at seq in a new slice.
func makeIKey(user []byte, seq uint64) []byte {
	return appendIKey(make([]byte, 0, len(user)+2+seqBytes+4), user, seq)
}

// userPart returns the escaped user key and terminator of an internal key.
// The key must be one the store made (checked by validIKey when read).
func userPart(ikey []byte) []byte { return ikey[:len(ikey)-seqBytes] }

// ikeySeq returns the sequence number of an internal key.
func ikeySeq(ikey []byte) uint64 {
	return ^binary.BigEndian.Uint64(ikey[len(ikey)-seqBytes:])
}

// appendUserKey appends the user key an escaped user part encodes. It
// never panics, whatever the bytes (validIKey says whether they are
// well formed).
func appendUserKey(dst, part []byte) []byte {
	part = part[:max(len(part)-2, 0)]
	dst = slices.Grow(dst, len(part))
	for i := 0; i < len(part); i++ {
		c := part[i]
		dst = append(dst, c)
		if c == 0 {
			i++ // the escape byte after it
		}
	}
	return dst
}

// validIKey reports whether b is a well-formed internal key: escaped bytes,
// one terminator, then 8 bytes.
func validIKey(b []byte) bool {
	if len(b) < 2+seqBytes {
		return false
	}
	p := b[:len(b)-seqBytes]
	if p[len(p)-2] != 0x00 || p[len(p)-1] != 0x01 {
		return false
	}
	p = p[:len(p)-2]
	for i := 0; i < len(p); i++ {
		if p[i] == 0 {
			if i+1 == len(p) || p[i+1] != 0xff {
				return false
			}
			i++
		}
	}
	return true
}
