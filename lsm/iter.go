package lsm

import (
	"bytes"
	"sync"

	"github.com/google/btree"
)

// source is one sorted input of a merging Iterator: a memtable or a table.
// Entries include tombstones. A source is positioned by first, last, seekGE
// or seekLT, and then moved by next after a forward positioning (first,
// seekGE) or prev after a backward one (last, seekLT); the merging code
// re-seeks every source when it changes direction.
type source interface {
	first()
	last()
	// seekGE positions at the first entry with key >= key.
	seekGE(key []byte)
	// seekLT positions at the last entry with key < key.
	seekLT(key []byte)
	next()
	prev()
	valid() bool
	// key is valid until the source moves.
	key() []byte
	// value stays valid and unmodified for the life of the source.
	value() []byte
	deleted() bool
	err() error
}

var (
	_ source = (*memSource)(nil)
	_ source = (*tableSource)(nil)
)

// memSource iterates a B-tree by copying up to iterFillCount entries at a
// time, so that no callback outlives a call. Memtable entries are never
// modified, so their keys stay valid too.
type memSource struct {
	tree *btree.BTreeG[entry]
	// lower and upper, when set, are the iterator's bounds: filling stops
	// at them, so a short range (a primary-key lookup) copies only the
	// entries it can return.
	lower, upper []byte
	// mu, when set, guards a live tree that writers still change
	// (NewLiveIter); each refill reads it under the read lock.
	mu       *sync.RWMutex
	buf      []entry // in the direction of travel
	pos      int
	more     bool // the tree may hold entries beyond buf
	backward bool
}

// fillForward copies entries from from (nil: the smallest), skipping from
// itself unless inclusive.
func (s *memSource) fillForward(from []byte, inclusive bool) {
	if s.mu != nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	s.buf, s.pos, s.backward = s.buf[:0], 0, false
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

// fillBackward copies entries below from (or from the largest, if
// fromEnd), in decreasing order.
func (s *memSource) fillBackward(from []byte, fromEnd bool) {
	if s.mu != nil {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	s.buf, s.pos, s.backward = s.buf[:0], 0, true
	visit := func(e entry) bool {
		if !fromEnd && bytes.Equal(e.key, from) {
			return true
		}
		if s.lower != nil && bytes.Compare(e.key, s.lower) < 0 {
			return false
		}
		s.buf = append(s.buf, e)
		return len(s.buf) < iterFillCount
	}
	if fromEnd {
		s.tree.Descend(visit)
	} else {
		s.tree.DescendLessOrEqual(entry{key: from}, visit)
	}
	s.more = len(s.buf) == iterFillCount
}

func (s *memSource) first()            { s.fillForward(nil, true) }
func (s *memSource) seekGE(key []byte) { s.fillForward(key, true) }
func (s *memSource) seekLT(key []byte) { s.fillBackward(key, false) }

func (s *memSource) last() {
	if s.upper != nil {
		s.fillBackward(s.upper, false)
	} else {
		s.fillBackward(nil, true)
	}
}

func (s *memSource) next() { s.step(false) }
func (s *memSource) prev() { s.step(true) }

func (s *memSource) step(backward bool) {
	if backward != s.backward {
		// Not done by the merging Iterator, which re-seeks instead;
		// kept correct for any other caller.
		if !s.valid() {
			return
		}
		from := s.cur().key
		if backward {
			s.fillBackward(from, false)
		} else {
			s.fillForward(from, false)
		}
		return
	}
	s.pos++
	if s.pos == len(s.buf) && s.more {
		from := s.buf[len(s.buf)-1].key
		if backward {
			s.fillBackward(from, false)
		} else {
			s.fillForward(from, false)
		}
	}
}

func (s *memSource) valid() bool   { return s.pos < len(s.buf) }
func (s *memSource) cur() entry    { return s.buf[s.pos] }
func (s *memSource) key() []byte   { return s.buf[s.pos].key }
func (s *memSource) value() []byte { return s.buf[s.pos].value }
func (s *memSource) deleted() bool { return s.buf[s.pos].deleted }
func (s *memSource) err() error    { return nil }

// smallest returns the index of the source holding the smallest key, the
// newest such source (sources are newest first), or -1 when all are
// exhausted.
func smallest(sources []source) (int, error) {
	winner := -1
	var min []byte
	for i, s := range sources {
		if err := s.err(); err != nil {
			return -1, err
		}
		if !s.valid() {
			continue
		}
		if k := s.key(); winner < 0 || bytes.Compare(k, min) < 0 {
			min, winner = k, i
		}
	}
	return winner, nil
}

// largest is smallest for backward iteration.
func largest(sources []source) (int, error) {
	winner := -1
	var max []byte
	for i, s := range sources {
		if err := s.err(); err != nil {
			return -1, err
		}
		if !s.valid() {
			continue
		}
		if k := s.key(); winner < 0 || bytes.Compare(k, max) > 0 {
			max, winner = k, i
		}
	}
	return winner, nil
}

// stepPast moves every source positioned at the winner's key one entry on
// (forward, or backward if backward), the winner last: its key buffer is
// what the others compare with.
func stepPast(sources []source, winner int, backward bool) {
	key := sources[winner].key()
	for i, s := range sources {
		if i == winner || !s.valid() || !bytes.Equal(s.key(), key) {
			continue
		}
		if backward {
			s.prev()
		} else {
			s.next()
		}
	}
	if backward {
		sources[winner].prev()
	} else {
		sources[winner].next()
	}
}

// Iterator walks the live keys in [lower, upper) in either direction, as
// of the NewIter call. Key and Value return slices that stay valid after
// the iterator moves and must not be modified. An Iterator is not safe for
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
	// backward says the sources were last positioned for Prev: each is
	// at the last entry below key. Otherwise each is at the first entry
	// above key.
	backward bool
	err      error
	// arena holds copies of returned keys (table sources rebuild keys in
	// buffers they reuse); a full chunk is left to the caller's slices
	// and the garbage collector.
	arena   []byte
	release func() // unpins the tables; nil once closed
}

// First positions at the first live key >= lower.
func (it *Iterator) First() bool { return it.SeekGE(it.lower) }

// Last positions at the last live key < upper.
func (it *Iterator) Last() bool {
	if it.err != nil {
		it.ok = false
		return false
	}
	for _, s := range it.sources {
		if it.upper != nil {
			s.seekLT(it.upper)
		} else {
			s.last()
		}
	}
	it.backward = true
	return it.findPrev()
}

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
	it.backward = false
	return it.findNext()
}

// SeekLT positions at the last live key < key (and < upper).
func (it *Iterator) SeekLT(key []byte) bool {
	if it.err != nil {
		it.ok = false
		return false
	}
	if it.upper != nil && bytes.Compare(key, it.upper) > 0 {
		key = it.upper
	}
	for _, s := range it.sources {
		s.seekLT(key)
	}
	it.backward = true
	return it.findPrev()
}

// Next moves to the next live key. It returns false at the end, and does
// nothing on an iterator that is not positioned.
func (it *Iterator) Next() bool {
	if !it.ok {
		return false
	}
	if it.backward {
		// Re-seek every source to the first entry above the current key.
		for _, s := range it.sources {
			s.seekGE(it.key)
			if s.valid() && bytes.Equal(s.key(), it.key) {
				s.next()
			}
		}
		it.backward = false
	}
	return it.findNext()
}

// Prev moves to the previous live key. It returns false at the start, and
// does nothing on an iterator that is not positioned.
func (it *Iterator) Prev() bool {
	if !it.ok {
		return false
	}
	if !it.backward {
		for _, s := range it.sources {
			s.seekLT(it.key)
		}
		it.backward = true
	}
	return it.findPrev()
}

// findNext picks the smallest key among the sources, taking the newest
// source's version and stepping every source past that key, until the
// winner is not a tombstone.
func (it *Iterator) findNext() bool {
	it.ok = false
	for {
		w, err := smallest(it.sources)
		if err != nil {
			it.err = err
			return false
		}
		if w < 0 {
			return false
		}
		s := it.sources[w]
		if it.upper != nil && bytes.Compare(s.key(), it.upper) >= 0 {
			return false
		}
		if !s.deleted() {
			it.key, it.value, it.ok = it.stableKey(s.key()), s.value(), true
			stepPast(it.sources, w, false)
			return true
		}
		stepPast(it.sources, w, false)
	}
}

// findPrev is findNext backward.
func (it *Iterator) findPrev() bool {
	it.ok = false
	for {
		w, err := largest(it.sources)
		if err != nil {
			it.err = err
			return false
		}
		if w < 0 {
			return false
		}
		s := it.sources[w]
		if it.lower != nil && bytes.Compare(s.key(), it.lower) < 0 {
			return false
		}
		if !s.deleted() {
			it.key, it.value, it.ok = it.stableKey(s.key()), s.value(), true
			stepPast(it.sources, w, true)
			return true
		}
		stepPast(it.sources, w, true)
	}
}

// stableKey copies k into the arena, capped so that an append by the
// caller cannot reach the next key. Chunks grow from
// iterKeyFirstArenaBytes to iterKeyArenaBytes.
func (it *Iterator) stableKey(k []byte) []byte {
	if cap(it.arena)-len(it.arena) < len(k) {
		size := min(max(2*cap(it.arena), iterKeyFirstArenaBytes), iterKeyArenaBytes)
		it.arena = make([]byte, 0, max(size, len(k)))
	}
	start := len(it.arena)
	it.arena = append(it.arena, k...)
	return it.arena[start:len(it.arena):len(it.arena)]
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
