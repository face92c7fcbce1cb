package heap

import (
	"hash/maphash"
	"sync/atomic"
)

// hotRows is the set of rows, by key prefix, that lookups read newest
// first (see scanRow). It is lossy: a direct-mapped table of the rows'
// hashes, where a row evicts whatever row shared its slot. Membership is
// only a hint of which way to read a row, both ways finding the same
// version, so a row forgotten costs one slower lookup of it and a false
// member (two rows with one 64-bit hash) one lookup from the other end;
// neither gives a wrong answer. Reads and additions are single atomic
// loads and stores, so the busy rows of many sessions are looked up and
// marked without a lock or an allocation.
type hotRows struct {
	slots [hotRowsSlots]atomic.Uint64
}

// hotSeed hashes row prefixes; one seed for the process is enough, as the
// set lives in memory only.
var hotSeed = maphash.MakeSeed()

// hotHash is a row's hash, never 0 (the empty slot).
func hotHash(prefix []byte) uint64 {
	return maphash.Bytes(hotSeed, prefix) | 1
}

func (s *hotRows) has(prefix []byte) bool {
	h := hotHash(prefix)
	return s.slots[h%hotRowsSlots].Load() == h
}

// add puts rows in the set, each evicting the row its slot held.
func (s *hotRows) add(rows ...[]byte) {
	for _, r := range rows {
		h := hotHash(r)
		s.slots[h%hotRowsSlots].Store(h)
	}
}
