package heap

import (
	"bytes"
	"encoding/binary"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

const indexPrefix = 'i'

// RowKey returns the primary key bytes of the row that version id belongs
// to: the key Insert and Update took (or the row id Insert chose).
func RowKey(id TupleID) []byte {
	return id[5 : len(id)-seqSize]
}

func indexPrefixKey(index uint32) []byte {
	k := make([]byte, 0, 5)
	k = append(k, indexPrefix)
	return binary.BigEndian.AppendUint32(k, index)
}

// indexEntry returns the key and value of the entry of row pk under key.
// The value is the length of pk, since the heap cannot parse the caller's
// key to find where pk starts.
func indexEntry(index uint32, key, pk []byte) (entry, value []byte) {
	entry = append(append(indexPrefixKey(index), key...), pk...)
	return entry, binary.AppendUvarint(nil, uint64(len(pk)))
}

// entryRowKey extracts the primary key from an index entry.
func entryRowKey(entry, value []byte) ([]byte, error) {
	n, k := binary.Uvarint(value)
	if k <= 0 || k != len(value) || n > uint64(len(entry)-5) {
		return nil, pgerr.New(pgerr.DataCorrupted, "heap: index entry of %d bytes names a key of %d bytes", len(entry), n)
	}
	return entry[len(entry)-int(n):], nil
}

// InsertIndexEntry records that row pk has the (encoded) key in index.
// Entries are not versioned: writing one that exists already changes
// nothing, and an entry outlives the row version it was written for, so
// readers must re-check the row (see ScanIndex).
func (h *Heap) InsertIndexEntry(op Op, index uint32, key, pk []byte) error {
	entry, value := indexEntry(index, key, pk)
	return h.write(op.Tx, entry, value)
}

// InsertUniqueIndexEntry is InsertIndexEntry for a unique index of table:
// it first fails with ErrDuplicateKey (23505) if another row of table holds
// key in a version that is live or may become live, waiting for running
// transactions that will decide which, under the same rules as primary
// keys. matches reports whether a version's row data holds key, since an
// entry may outlive the values it was written for. The check and the write
// happen under one lock, so of two concurrent writers of one key the second
// always meets the first's entry.
func (h *Heap) InsertUniqueIndexEntry(op Op, table, index uint32, key, pk []byte, matches func(data []byte) (bool, error)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		holder, what, err := h.indexConflictLocked(op.Snap, table, index, key, pk, matches)
		if err != nil {
			return err
		}
		if holder == 0 {
			break
		}
		if err := h.waitLocked(op, holder, what); err != nil {
			return err
		}
	}
	entry, value := indexEntry(index, key, pk)
	return h.write(op.Tx, entry, value)
}

// CheckUniqueIndexEntry is the check of InsertUniqueIndexEntry without
// the write, for an entry written earlier unchecked (a deferrable unique
// constraint's): it fails with ErrDuplicateKey if a row of table other
// than pk holds key in a version that is live or may become live,
// waiting for running transactions that will decide which.
func (h *Heap) CheckUniqueIndexEntry(op Op, table, index uint32, key, pk []byte, matches func(data []byte) (bool, error)) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		holder, what, err := h.indexConflictLocked(op.Snap, table, index, key, pk, matches)
		if err != nil || holder == 0 {
			return err
		}
		if err := h.waitLocked(op, holder, what); err != nil {
			return err
		}
	}
}

// indexConflictLocked returns a running transaction the unique check must
// wait for, or the verdict, over the rows that key's entries lead to.
func (h *Heap) indexConflictLocked(snap txn.Snapshot, table, index uint32, key, pk []byte, matches func([]byte) (bool, error)) (txn.XID, string, error) {
	prefix := append(indexPrefixKey(index), key...)
	it := h.store.NewLiveIter(prefix, prefixEnd(prefix))
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		other, err := entryRowKey(it.Key(), it.Value())
		if err != nil {
			return 0, "", err
		}
		if len(prefix)+len(other) != len(it.Key()) || bytes.Equal(other, pk) {
			continue // the row itself, which never conflicts with itself
		}
		rowPrefix, rowEnd := rowBounds(table, other)
		holder, what, err := h.liveConflictLocked(snap, rowPrefix, rowEnd, matches)
		if err != nil || holder != 0 {
			return holder, what, err
		}
	}
	return 0, "", it.Err()
}

// ScanIndex calls fn once for each row of table that has an entry in index
// with a key in [lower, upper) (nil upper: to the end of the index) and a
// version snap sees; fn gets that version. The version need not hold the
// key its entry was written for (entries are not versioned), so the caller
// re-checks its condition on the row. Rows come in entry order, each once.
// A serializable snapshot leaves a SIREAD mark on the whole table, as Scan
// does, and reports the antidependencies of the versions it meets.
func (h *Heap) ScanIndex(snap txn.Snapshot, table, index uint32, lower, upper []byte, fn func(Tuple) error) error {
	if snap.Serializable {
		if err := h.tm.RecordRead(snap.XID, txn.TableTarget(table)); err != nil {
			return err
		}
	}
	prefix := indexPrefixKey(index)
	hi := prefixEnd(prefix)
	if upper != nil {
		hi = append(append([]byte(nil), prefix...), upper...)
	}
	it := h.store.NewLiveIter(append(prefix, lower...), hi)
	defer it.Close()
	seen := make(map[string]bool)
	for ok := it.First(); ok; ok = it.Next() {
		pk, err := entryRowKey(it.Key(), it.Value())
		if err != nil {
			return err
		}
		if seen[string(pk)] {
			continue
		}
		seen[string(pk)] = true
		prefix, end := rowBounds(table, pk)
		if err := h.scanRow(snap, prefix, end, fn); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: scanning index")
	}
	return nil
}
