package sql

import (
	"math/bits"

	"github.com/cairndb/cairn/sql/types"
)

// partitionHash is PostgreSQL's compute_partition_hash_value: each
// non-NULL key value's extended hash under the partition seed, combined
// with hash_combine64, so that a row lands in the hash partition it
// lands in under PostgreSQL. Types without a hash function here hash
// their text form as text does.
func partitionHash(keyTypes []types.T, key []types.Datum) uint64 {
	var row uint64
	for i, v := range key {
		if v == nil {
			continue
		}
		h := hashExtended(keyTypes[i], v, hashPartitionSeed)
		row ^= h + 0x49a0f4dd15e5a8e3 + (row << 54) + (row >> 7)
	}
	return row
}

// hashPartitionSeed is PostgreSQL's HASH_PARTITION_SEED.
const hashPartitionSeed uint64 = 0x7A5B22367996DCFD

func hashExtended(t types.T, v types.Datum, seed uint64) uint64 {
	switch x := v.(type) {
	case int64:
		switch t.ID {
		case types.Int2, types.Int4:
			return hashUint32Extended(uint32(int32(x)), seed)
		}
		lo, hi := uint32(x), uint32(x>>32)
		if x >= 0 {
			lo ^= hi
		} else {
			lo ^= ^hi
		}
		return hashUint32Extended(lo, seed)
	case bool:
		if x {
			return hashUint32Extended(1, seed)
		}
		return hashUint32Extended(0, seed)
	case string:
		return hashBytesExtended([]byte(x), seed)
	}
	return hashBytesExtended([]byte(types.FormatText(t, v)), seed)
}

func rot(x uint32, k int) uint32 { return bits.RotateLeft32(x, k) }

func mix(a, b, c uint32) (uint32, uint32, uint32) {
	a -= c
	a ^= rot(c, 4)
	c += b
	b -= a
	b ^= rot(a, 6)
	a += c
	c -= b
	c ^= rot(b, 8)
	b += a
	a -= c
	a ^= rot(c, 16)
	c += b
	b -= a
	b ^= rot(a, 19)
	a += c
	c -= b
	c ^= rot(b, 4)
	b += a
	return a, b, c
}

func final(a, b, c uint32) (uint32, uint32, uint32) {
	c ^= b
	c -= rot(b, 14)
	a ^= c
	a -= rot(c, 11)
	b ^= a
	b -= rot(a, 25)
	c ^= b
	c -= rot(b, 16)
	a ^= c
	a -= rot(c, 4)
	b ^= a
	b -= rot(a, 14)
	c ^= b
	c -= rot(b, 24)
	return a, b, c
}

// hashUint32Extended is PostgreSQL's hash_uint32_extended.
func hashUint32Extended(k uint32, seed uint64) uint64 {
	a := uint32(0x9e3779b9) + 4 + 3923095
	b, c := a, a
	if seed != 0 {
		a += uint32(seed >> 32)
		b += uint32(seed)
		a, b, c = mix(a, b, c)
	}
	a += k
	_, b, c = final(a, b, c)
	return uint64(b)<<32 | uint64(c)
}

// hashBytesExtended is PostgreSQL's hash_bytes_extended (Bob Jenkins'
// lookup3, little-endian byte order).
func hashBytesExtended(k []byte, seed uint64) uint64 {
	a := uint32(0x9e3779b9) + uint32(len(k)) + 3923095
	b, c := a, a
	if seed != 0 {
		a += uint32(seed >> 32)
		b += uint32(seed)
		a, b, c = mix(a, b, c)
	}
	word := func(p []byte) uint32 {
		return uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16 | uint32(p[3])<<24
	}
	for len(k) >= 12 {
		a += word(k[0:])
		b += word(k[4:])
		c += word(k[8:])
		a, b, c = mix(a, b, c)
		k = k[12:]
	}
	n := len(k)
	if n >= 11 {
		c += uint32(k[10]) << 24
	}
	if n >= 10 {
		c += uint32(k[9]) << 16
	}
	if n >= 9 {
		c += uint32(k[8]) << 8
	}
	if n >= 8 {
		b += uint32(k[7]) << 24
	}
	if n >= 7 {
		b += uint32(k[6]) << 16
	}
	if n >= 6 {
		b += uint32(k[5]) << 8
	}
	if n >= 5 {
		b += uint32(k[4])
	}
	if n >= 4 {
		a += uint32(k[3]) << 24
	}
	if n >= 3 {
		a += uint32(k[2]) << 16
	}
	if n >= 2 {
		a += uint32(k[1]) << 8
	}
	if n >= 1 {
		a += uint32(k[0])
	}
	_, b, c = final(a, b, c)
	return uint64(b)<<32 | uint64(c)
}
