package lsm

import (
	"bytes"
	"slices"
)

// BlockBounds returns the user key each data block of the store's tables
// ends with, for the blocks that hold keys in [lower, upper) (nil bounds
// are unbounded) and end inside it, ascending and without duplicates. The
// bounds cut [lower, upper) into len+1 pieces of about one block each
// (more where levels overlap): a reader that wants a sample of the range
// reads a sample of the pieces, as PostgreSQL's ANALYZE reads a sample of
// a table's pages. The memtable's keys lie in no block; a range that only
// the memtable holds is one piece.
//
// Only the index blocks are read (without filling the cache: a sampling
// reader should not push out what others read); versions and tombstones
// count alike, so a piece may hold no live key.
func (d *DB) BlockBounds(lower, upper []byte) ([][]byte, error) {
	d.mu.RLock()
	if d.mu.closed {
		d.mu.RUnlock()
		return nil, ErrClosed
	}
	v := d.mu.current
	v.refs.Add(1)
	d.mu.RUnlock()
	defer d.unrefVersion(v)

	var lo, hi []byte // user parts, for fileMeta.overlaps
	if lower != nil {
		lo = appendUserPart(nil, lower)
	}
	if upper != nil {
		hi = appendUserPart(nil, upper)
	}
	var bounds [][]byte
	var err error
	v.forEach(func(_ int, f *fileMeta) {
		if err != nil || !f.overlaps(lo, hi) {
			return
		}
		bounds, err = f.t.appendBlockBounds(bounds, lower, upper, f.legacyKeys)
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(bounds, bytes.Compare)
	return slices.CompactFunc(bounds, bytes.Equal), nil
}

// appendBlockBounds appends to dst the user keys the table's data blocks
// end with that lie in [lower, upper), for BlockBounds. A legacy table's
// keys are user keys (fileMeta.legacyKeys).
func (t *table) appendBlockBounds(dst [][]byte, lower, upper []byte, legacy bool) ([][]byte, error) {
	if t.empty() {
		return dst, nil
	}
	// The bounds as the table's keys: the smallest internal key of a
	// user key is its version at maxSeq.
	iLower, iUpper := lower, upper
	if !legacy {
		if lower != nil {
			iLower = makeIKey(lower, maxSeq)
		}
		if upper != nil {
			iUpper = makeIKey(upper, maxSeq)
		}
	}
	top, err := t.topIndex(false)
	if err != nil {
		return dst, err
	}
	start := 0
	if iLower != nil {
		start = searchTop(top, iLower)
	}
	for pi := start; pi < len(top); pi++ {
		idx, err := t.indexPartition(&top[pi], false)
		if err != nil {
			return dst, err
		}
		bi := 0
		if iLower != nil {
			bi = searchIndex(idx, iLower)
		}
		for ; bi < len(idx); bi++ {
			last := idx[bi].lastKey
			if iUpper != nil && bytes.Compare(last, iUpper) >= 0 {
				// This block reaches past upper: it ends no piece of
				// the range, and no later block starts inside it.
				return dst, nil
			}
			if legacy {
				dst = append(dst, bytes.Clone(last))
			} else {
				dst = append(dst, appendUserKey(nil, userPart(last)))
			}
		}
	}
	return dst, nil
}
