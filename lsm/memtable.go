package lsm

import (
	"bytes"

	"github.com/google/btree"
)

// entry is one version of a key in a memtable or table block: key is an
// internal key (ikey.go) in both, and in a block's blockIter.
type entry struct {
	key     []byte
	value   []byte
	deleted bool
}

func entryLess(a, b entry) bool { return bytes.Compare(a.key, b.key) < 0 }

// btreeDegree is the B-tree node fan-out of the memtable.
const btreeDegree = 32

// memtable is the in-memory, mutable head of the store: every version
// applied since the last flush, by internal key. Guarded by DB.mu while it
// is the active memtable; read-only once frozen for a flush.
type memtable struct {
	tree   *btree.BTreeG[entry]
	size   int64  // approximate bytes held
	maxLSN uint64 // highest lsn passed to Apply
	maxSeq uint64 // highest sequence number applied
	// rangeDels are the range tombstones applied, in order. Only
	// appended to (readers keep a prefix of it).
	rangeDels []rangeDel
}

func newMemtable() *memtable {
	return &memtable{tree: btree.NewG(btreeDegree, entryLess)}
}

func entrySize(e entry) int64 {
	return int64(len(e.key)+len(e.value)) + entryOverheadBytes
}

// apply inserts the batch's operations as versions seq, seq+1, ...: a later
// operation on a key in the batch is the newer version.
func (m *memtable) apply(b *Batch, seq uint64) {
	for i, op := range b.ops {
		if op.kind == kindRangeDelete {
			if bytes.Compare(op.key, op.value) < 0 {
				rd := rangeDel{start: appendUserPart(nil, op.key), end: appendUserPart(nil, op.value), seq: seq + uint64(i)}
				m.rangeDels = append(m.rangeDels, rd)
				m.size += int64(len(rd.start)+len(rd.end)) + entryOverheadBytes
			}
			continue
		}
		e := entry{key: makeIKey(op.key, seq+uint64(i)), value: op.value, deleted: op.kind == kindDelete}
		m.tree.ReplaceOrInsert(e)
		m.size += entrySize(e)
	}
	if n := len(b.ops); n > 0 {
		m.maxSeq = seq + uint64(n) - 1
	}
}

// get returns the newest version of the key whose user part is part with a
// sequence number at most that of lookup (ikey of the key at the reader's
// sequence number).
func (m *memtable) get(lookup, part []byte) (entry, bool) {
	var found entry
	ok := false
	m.tree.AscendGreaterOrEqual(entry{key: lookup}, func(e entry) bool {
		found, ok = e, bytes.Equal(userPart(e.key), part)
		return false
	})
	return found, ok
}

// rangeDel is a range tombstone: it hides every version of the keys in
// [start, end) with a sequence number below seq. start and end are user
// parts (ikey.go), which sort like the user keys.
type rangeDel struct {
	start, end []byte
	seq        uint64
}

func (r *rangeDel) covers(part []byte) bool {
	return bytes.Compare(part, r.start) >= 0 && bytes.Compare(part, r.end) < 0
}

// coverSeq returns the highest sequence number, at most readSeq, of the
// range tombstones covering the key with user part part, or 0.
func coverSeq(rds []rangeDel, part []byte, readSeq uint64) uint64 {
	var n uint64
	for i := range rds {
		if r := &rds[i]; r.seq <= readSeq && r.seq > n && r.covers(part) {
			n = r.seq
		}
	}
	return n
}
