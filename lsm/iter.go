package lsm

import (
	"bytes"
	"sync"

	"github.com/google/btree"
)

// source is one sorted input of a merging Iterator: a memtable or a table.
// Entries include tombstones.
type source interface {
	// seekGE positions at the first entry with key >= key (nil: the first).
	seekGE(key []byte)
	next()
	valid() bool
	cur() entry
	err() error
}

// memSource iterates a B-tree by copying up to iterFillCount entries at a
// time, so that no callback outlives a call.
type memSource struct {
	tree *btree.BTreeG[entry]
	// upper, when set, is the iterator's exclusive upper bound: filling
	// stops there, so a short range (a primary-key lookup) copies only the
	// entries it can return.
	upper []byte
	// mu, when set, guards a live tree that writers still change
	// (NewLiveIter); each refill reads it under the read lock.
	mu   *sync.RWMutex
	buf  []entry
	pos  int
	more bool // the tree may hold entries after buf
}

func (s *memSource) fill(from []byte, inclusive bool) {
	if s.mu != nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	s.buf, s.pos = s.buf[:0], 0
	s.tree.AscendGreaterOrEqual(entry{key: from}, func(e entry) bool {
		if !inclusive && bytes.Equal(e.key, from) {
			return true
		}
		if s.upper != nil && bytes.Compare(e.key, s.upper) >= 0 {
			return false
		}
		s.buf = append(s.buf, e)
		return len(s.buf) < iterFillCount
	})
	s.more = len(s.buf) == iterFillCount
}

func (s *memSource) seekGE(key []byte) { s.fill(key, true) }

func (s *memSource) next() {
	s.pos++
	if s.pos == len(s.buf) && s.more {
		s.fill(s.buf[len(s.buf)-1].key, false)
	}
}

func (s *memSource) valid() bool { return s.pos < len(s.buf) }
func (s *memSource) cur() entry  { return s.buf[s.pos] }
func (s *memSource) err() error  { return nil }

// tableSource iterates a table one block at a time.
type tableSource struct {
	t         *table
	fillCache bool // false for compactions, which read each block once
	block     int
	ents      []entry
	pos       int
	e         error
}

func (s *tableSource) load(block int) {
	s.block, s.ents, s.pos = block, nil, 0
	if block >= len(s.t.index) || s.e != nil {
		return
	}
	ents, err := s.t.readBlock(block, s.fillCache)
	if err != nil {
		s.e = err
		return
	}
	s.ents = ents
}

func (s *tableSource) seekGE(key []byte) {
	s.load(s.t.findBlock(key))
	s.pos = searchEntries(s.ents, key)
}

func (s *tableSource) next() {
	s.pos++
	if s.pos >= len(s.ents) {
		s.load(s.block + 1)
	}
}

func (s *tableSource) valid() bool { return s.e == nil && s.pos < len(s.ents) }
func (s *tableSource) cur() entry  { return s.ents[s.pos] }
func (s *tableSource) err() error  { return s.e }

// mergeNext returns the newest version (possibly a tombstone) of the
// smallest key among the sources, which are newest first, and steps every
// source past that key. ok is false when all sources are exhausted.
func mergeNext(sources []source) (e entry, ok bool, err error) {
	var min []byte
	winner := -1
	for i, s := range sources {
		if err := s.err(); err != nil {
			return entry{}, false, err
		}
		if !s.valid() {
			continue
		}
		if k := s.cur().key; winner < 0 || bytes.Compare(k, min) < 0 {
			min, winner = k, i
		}
	}
	if winner < 0 {
		return entry{}, false, nil
	}
	e = sources[winner].cur()
	for _, s := range sources {
		if s.valid() && bytes.Equal(s.cur().key, e.key) {
			s.next()
		}
	}
	return e, true, nil
}

// Iterator walks the live keys in [lower, upper) in increasing order, as of
// the NewIter call. Key and Value return slices that stay valid after the
// iterator moves and must not be modified. An Iterator is not safe for
// concurrent use. After an error Valid is false and Err reports it.
//
// An Iterator pins the table files it reads: a compaction that replaces
// them deletes them only after the last iterator over them is closed, so
// close every iterator.
type Iterator struct {
	sources      []source // newest first
	lower, upper []byte
	key, value   []byte
	ok           bool
	err          error
	release      func() // unpins the tables; nil once closed
}

// First positions at the first live key >= lower.
func (it *Iterator) First() bool { return it.SeekGE(it.lower) }

// SeekGE positions at the first live key >= key (and >= lower).
func (it *Iterator) SeekGE(key []byte) bool {
	if it.err != nil {
		it.ok = false
		return false
	}
	if it.lower != nil && bytes.Compare(key, it.lower) < 0 {
		key = it.lower
	}
	for _, s := range it.sources {
		s.seekGE(key)
	}
	return it.findNext()
}

// Next moves to the next live key. It returns false at the end, and does
// nothing on an iterator that is not positioned.
func (it *Iterator) Next() bool {
	if !it.ok {
		return false
	}
	return it.findNext()
}

// findNext picks the smallest key among the sources, taking the newest
// source's version and stepping every source past that key, until the
// winner is not a tombstone.
func (it *Iterator) findNext() bool {
	it.ok = false
	for {
		e, ok, err := mergeNext(it.sources)
		if err != nil {
			it.err = err
			return false
		}
		if !ok || it.upper != nil && bytes.Compare(e.key, it.upper) >= 0 {
			return false
		}
		if !e.deleted {
			it.key, it.value, it.ok = e.key, e.value, true
			return true
		}
	}
}

// Valid reports whether the iterator is positioned at a key.
func (it *Iterator) Valid() bool { return it.ok }

// Key returns the current key.
func (it *Iterator) Key() []byte { return it.key }

// Value returns the current value.
func (it *Iterator) Value() []byte { return it.value }

// Err returns the first error met, if any (ErrCorrupt for a bad block).
func (it *Iterator) Err() error { return it.err }

// Close releases the iterator and its pinned tables, and returns Err.
// Closing twice is harmless.
func (it *Iterator) Close() error {
	it.sources, it.ok = nil, false
	if it.release != nil {
		it.release()
		it.release = nil
	}
	return it.err
}
