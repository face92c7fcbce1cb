package lsm

// keyHash is the one 64-bit hash of a key that the bloom filter derives all
// its probes from: FNV-1a over the bytes, then the MurmurHash3 64-bit
// finalizer so that both 32-bit halves are well mixed. It is part of the
// table format: changing it makes every existing filter wrong.
func keyHash(key []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range key {
		h ^= uint64(c)
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// bloomFilter is a bit array probed bloomProbes times per key by double
// hashing: probe i sets bit (h1 + i*h2) mod m, where h1 and h2 are the low
// and high halves of keyHash. A nil filter (tables of format version 1)
// answers "maybe" for every key.
type bloomFilter struct {
	bits   []byte
	probes int
}

// newBloomFilter sizes a filter for keys keys at bloomBitsPerKey (at
// least bloomMinBytes). The writer builds one per partition, once it knows
// the partition's keys, so the size is exact; probes work for any size.
func newBloomFilter(keys uint64) bloomFilter {
	n := max((keys*bloomBitsPerKey+7)/8, bloomMinBytes)
	return bloomFilter{bits: make([]byte, n), probes: bloomProbes}
}

// Probe i is bit (h1 + i*h2) mod m. It is computed incrementally, with
// two divisions per key instead of one per probe: (h1 + i*h2) mod m =
// (h1 mod m + i*(h2 mod m)) mod m, and adding d = h2 mod m to a bit below
// m needs at most one subtraction of m to stay below m.

// probeStart returns h1 mod m and h2 mod m, in 32-bit arithmetic when m
// fits (every filter up to maxFilterBytes does), which divides faster.
func probeStart(h, m uint64) (bit, d uint64) {
	if m < 1<<32 {
		m32 := uint32(m)
		return uint64(uint32(h) % m32), uint64(uint32(h>>32) % m32)
	}
	return (h & 0xffffffff) % m, (h >> 32) % m
}

func (f bloomFilter) add(h uint64) {
	m := uint64(len(f.bits)) * 8
	bit, d := probeStart(h, m)
	for range f.probes {
		f.bits[bit/8] |= 1 << (bit % 8)
		if bit += d; bit >= m {
			bit -= m
		}
	}
}

// mayContain reports false only if no key with hash h was added.
func (f bloomFilter) mayContain(h uint64) bool {
	if f.bits == nil {
		return true
	}
	m := uint64(len(f.bits)) * 8
	bit, d := probeStart(h, m)
	for range f.probes {
		if f.bits[bit/8]&(1<<(bit%8)) == 0 {
			return false
		}
		if bit += d; bit >= m {
			bit -= m
		}
	}
	return true
}

// encode returns the filter block body: the bit array, then one byte with
// the probe count.
func (f bloomFilter) encode() []byte {
	return append(append(make([]byte, 0, len(f.bits)+1), f.bits...), byte(f.probes))
}

// decodeBloomFilter parses a verified filter block body. The result aliases
// data.
func decodeBloomFilter(data []byte) (bloomFilter, bool) {
	if len(data) < 2 {
		return bloomFilter{}, false
	}
	probes := int(data[len(data)-1])
	if probes < 1 || probes > bloomProbesMax {
		return bloomFilter{}, false
	}
	return bloomFilter{bits: data[: len(data)-1 : len(data)-1], probes: probes}, true
}
