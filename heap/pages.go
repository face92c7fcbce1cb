package heap

import (
	"bytes"

	"github.com/cairndb/cairn/internal/pgerr"
	"github.com/cairndb/cairn/txn"
)

// Pages cut a table's key range into pieces of about one stored block of
// versions each, the heap's pages for a reader that samples the table by
// pages as PostgreSQL's ANALYZE does (ScanPages): reading a page costs
// about one block, however many pages the table has.
type Pages struct {
	table uint32
	// bounds are the last keys of the pages but the last one, ascending:
	// page i holds the keys in (bounds[i-1], bounds[i]].
	bounds [][]byte
}

// Len is the number of pages.
func (p Pages) Len() int { return len(p.bounds) + 1 }

// BlockLister is a store that can tell where the data blocks holding a
// key range end (the node's store, lsm.DB.BlockBounds).
type BlockLister interface {
	BlockBounds(lower, upper []byte) ([][]byte, error)
}

// TablePages returns the pages of table as its store holds it now: one
// page for each stored block of its versions (blocks of overlapping
// levels each count), plus one; versions not yet in a block (the
// memtable's) fall in the page of their key. A store that cannot list
// its blocks gives one page, the whole table.
func (h *Heap) TablePages(table uint32) (Pages, error) {
	p := Pages{table: table}
	bl, ok := h.store.(BlockLister)
	if !ok {
		return p, nil
	}
	prefix := tablePrefixKey(table)
	bounds, err := bl.BlockBounds(prefix, prefixEnd(prefix))
	if err != nil {
		return p, pgerr.Wrapf(err, pgerr.Code(err), "heap: listing the blocks of table %d", table)
	}
	p.bounds = bounds
	return p, nil
}

// ScanPages calls fn for each version snap sees in the given pages of p
// (indexes below p.Len(), ascending), in key order. The tuple fn gets is
// lent: its ID and Data are valid only until fn returns.
func (h *Heap) ScanPages(snap txn.Snapshot, p Pages, pages []int, fn func(Tuple) error) error {
	if snap.Serializable {
		if err := h.tm.RecordRead(snap.Top, txn.TableTarget(p.table)); err != nil {
			return err
		}
	}
	prefix := tablePrefixKey(p.table)
	it := h.store.NewLiveIter(prefix, prefixEnd(prefix))
	defer it.Close()
	// pageEnd is the first key after page i: its last key and a zero byte.
	pageEnd := func(i int) []byte {
		if i >= len(p.bounds) {
			return nil
		}
		return append(p.bounds[i][:len(p.bounds[i]):len(p.bounds[i])], 0)
	}
	ok, positioned := false, -1 // positioned: the page the iterator is in
	var creator creatorMemo
	for _, i := range pages {
		if i > 0 && positioned != i {
			ok = it.SeekGE(pageEnd(i - 1))
		} else if i == 0 && positioned != 0 {
			ok = it.First()
		}
		end := pageEnd(i)
		for ; ok; ok = it.Next() {
			if end != nil && bytes.Compare(it.Key(), end) >= 0 {
				break
			}
			v, data, err := decodeHeader(it.Value())
			if err != nil {
				return err
			}
			visible := creator.visible(snap, v)
			if snap.Serializable {
				if err := h.readConflicts(snap, v, visible); err != nil {
					return err
				}
			}
			if visible {
				if err := fn(Tuple{ID: it.Key(), Data: data}); err != nil {
					return err
				}
			}
		}
		// The iterator is at the first key of a later page, or done.
		positioned = i + 1
	}
	if err := it.Err(); err != nil {
		return pgerr.Wrapf(err, pgerr.DataCorrupted, "heap: scanning table")
	}
	return nil
}
