package heap

import "github.com/cairndb/cairn/internal/pgerr"

// Sizes. What a relation occupies is measured as the bytes of the keys
// and values the store holds for it: every tuple version (live, dead
// until vacuum removes it, and those of running or aborted
// transactions), with its header, or every index entry. It is the size
// before the store's block compression and per-file overhead, and it
// counts memtable contents not yet written to a table: an estimate of the
// stored size, read by walking the range (a cost in proportion to the
// relation's size, as a scan has). tick is called once per key so that a
// long walk can be cancelled; its error ends the walk.

// Size is a relation's measured bytes: Keys are those of its keys, Values
// of its values.
type Size struct {
	Keys, Values int64
}

// TableSize measures the versions of table.
func (h *Heap) TableSize(table uint32, tick func() error) (Size, error) {
	p := tablePrefixKey(table)
	return h.rangeSize(p, prefixEnd(p), tick)
}

// IndexSize measures the entries of index.
func (h *Heap) IndexSize(index uint32, tick func() error) (Size, error) {
	p := indexPrefixKey(index)
	return h.rangeSize(p, prefixEnd(p), tick)
}

// SequenceSize measures the one key of sequence id.
func (h *Heap) SequenceSize(id uint32) (Size, error) {
	k := sequenceKey(id)
	v, ok, err := h.store.Get(k)
	if err != nil || !ok {
		return Size{}, err
	}
	return Size{Keys: int64(len(k)), Values: int64(len(v))}, nil
}

// StoreSize measures everything the store holds: every relation's data
// and the transaction and catalog state beside it.
func (h *Heap) StoreSize(tick func() error) (Size, error) {
	return h.rangeSize(nil, nil, tick)
}

func (h *Heap) rangeSize(lower, upper []byte, tick func() error) (Size, error) {
	var s Size
	it := h.store.NewLiveIter(lower, upper)
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		if err := tick(); err != nil {
			return Size{}, err
		}
		s.Keys += int64(len(it.Key()))
		s.Values += int64(len(it.Value()))
	}
	if err := it.Err(); err != nil {
		return Size{}, pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: measuring a relation")
	}
	return s, nil
}
