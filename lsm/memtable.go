package lsm

import (
	"bytes"
)

// entry is one version of a key in a memtable or table block: key is an
// internal key (ikey.go) in both, and in a block's blockIter.
type entry struct {
	key     []byte
	value   []byte
	deleted bool
}

// memtable is the in-memory, mutable head of the store: every version
// applied since the last flush, by internal key, in an arena skiplist
// (skiplist.go). Written under DB.mu (held for writing) while it is the
// active memtable, read-only once frozen for a flush; readers of the
// skiplist need no lock. The fields other than the skiplist are guarded
// by DB.mu.
type memtable struct {
	list   *skiplist
	size   int64  // arena bytes used, plus the range tombstones
	maxLSN uint64 // highest lsn passed to Apply
	maxSeq uint64 // highest sequence number applied
	// rangeDels are the range tombstones applied, in order. Only
	// appended to (readers keep a prefix of it).
	rangeDels     []rangeDel
	rangeDelBytes int64
	ikey          []byte // the writer's buffer for the internal key being inserted
}

func newMemtable() *memtable {
	m := &memtable{list: newSkiplist()}
	m.size = m.list.usedBytes
	return m
}

// len returns the number of versions held (not range tombstones).
func (m *memtable) len() int { return m.list.count }

// apply inserts the batch's operations as versions seq, seq+1, ...: a later
// operation on a key in the batch is the newer version.
func (m *memtable) apply(b *Batch, seq uint64) {
	for i, op := range b.ops {
		if op.kind == kindRangeDelete {
			if bytes.Compare(op.key, op.value) < 0 {
				rd := rangeDel{start: appendUserPart(nil, op.key), end: appendUserPart(nil, op.value), seq: seq + uint64(i)}
				m.rangeDels = append(m.rangeDels, rd)
				m.rangeDelBytes += int64(len(rd.start)+len(rd.end)) + entryOverheadBytes
			}
			continue
		}
		m.ikey = appendIKey(m.ikey[:0], op.key, seq+uint64(i))
		m.list.add(m.ikey, op.value, op.kind == kindDelete)
	}
	if n := len(b.ops); n > 0 {
		m.maxSeq = seq + uint64(n) - 1
	}
	m.size = m.list.usedBytes + m.rangeDelBytes
}

// get returns the newest version of the key whose user part is part with a
// sequence number at most that of lookup (ikey of the key at the reader's
// sequence number). The entry's key and value alias the arena.
func (m *memtable) get(lookup, part []byte) (entry, bool) {
	r := m.list.reader()
	x := r.seekGE(lookup)
	if x == 0 {
		return entry{}, false
	}
	k := r.key(x)
	if !bytes.Equal(userPart(k), part) {
		return entry{}, false
	}
	return entry{key: k, value: r.value(x), deleted: r.deleted(x)}, true
}

// forEach calls fn with every version in order, until fn returns an error.
// For a frozen memtable (or under DB.mu).
func (m *memtable) forEach(fn func(entry) error) error {
	r := m.list.reader()
	for x := r.first(); x != 0; x = r.next(x, 0) {
		if err := fn(entry{key: r.key(x), value: r.value(x), deleted: r.deleted(x)}); err != nil {
			return err
		}
	}
	return nil
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
