package lsm

import (
	"bytes"

	"github.com/google/btree"
)

// entry is one key's newest version in a memtable or table block.
type entry struct {
	key     []byte
	value   []byte
	deleted bool
}

func entryLess(a, b entry) bool { return bytes.Compare(a.key, b.key) < 0 }

// btreeDegree is the B-tree node fan-out of the memtable.
const btreeDegree = 32

// memtable is the in-memory, mutable head of the store. Guarded by DB.mu
// while it is the active memtable; read-only once frozen for a flush.
type memtable struct {
	tree   *btree.BTreeG[entry]
	size   int64  // approximate bytes held
	maxLSN uint64 // highest lsn passed to Apply
}

func newMemtable() *memtable {
	return &memtable{tree: btree.NewG(btreeDegree, entryLess)}
}

func entrySize(e entry) int64 {
	return int64(len(e.key)+len(e.value)) + entryOverheadBytes
}

func (m *memtable) apply(b *Batch) {
	for _, op := range b.ops {
		e := entry{key: op.key, value: op.value, deleted: op.kind == kindDelete}
		if old, replaced := m.tree.ReplaceOrInsert(e); replaced {
			m.size -= entrySize(old)
		}
		m.size += entrySize(e)
	}
}

func (m *memtable) get(key []byte) (entry, bool) {
	return m.tree.Get(entry{key: key})
}
