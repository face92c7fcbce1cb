package heap

import (
	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// ScanIndexEntries calls fn with the key and row key of each entry of
// index with a key in [lower, upper) (nil upper: to the end of the index),
// in entry order, without reading the rows: for an access method whose
// entries the caller tests first (a bounding box, an array element) and
// whose rows it then reads with ScanKey, in an order of its own. A row
// may have several entries. The key slices are valid only during the
// call. A serializable snapshot leaves a SIREAD mark on the whole table,
// as ScanIndex does, since the entries read stand for a condition on all
// of its rows.
func (h *Heap) ScanIndexEntries(snap txn.Snapshot, table, index uint32, lower, upper []byte, fn func(key, pk []byte) error) error {
	if snap.Serializable {
		if err := h.tm.RecordRead(snap.Top, txn.TableTarget(table)); err != nil {
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
	for ok := it.First(); ok; ok = it.Next() {
		entry := it.Key()
		pk, err := entryRowKey(entry, it.Value())
		if err != nil {
			return err
		}
		if err := fn(entry[len(prefix):len(entry)-len(pk)], pk); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: scanning index entries")
	}
	return nil
}
