package lsm

import (
	"bytes"
	"sort"
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
	_ source = (*levelSource)(nil)
	_ source = (*legacySource)(nil)
)

// memSource iterates a memtable's skiplist in place. It needs no lock,
// even over the active memtable while Apply inserts: a node is linked only
// once whole, and the merging Iterator skips the versions above its
// sequence number, which is every version inserted after it was created.
// Keys and values are slices of the arena, never moved or reused.
type memSource struct {
	r skipReader
	x uint64 // current node; 0 (the head): none
}

func newMemSource(m *memtable) memSource { return memSource{r: m.list.reader()} }

func (s *memSource) first()            { s.x = s.r.first() }
func (s *memSource) last()             { s.x = s.r.last() }
func (s *memSource) seekGE(key []byte) { s.x = s.r.seekGE(key) }
func (s *memSource) seekLT(key []byte) { s.x = s.r.seekLT(key) }
func (s *memSource) next()             { s.x = s.r.next(s.x, 0) }

// prev searches for the predecessor: towers link forward only.
func (s *memSource) prev() { s.x = s.r.seekLT(s.r.key(s.x)) }

func (s *memSource) valid() bool   { return s.x != 0 }
func (s *memSource) key() []byte   { return s.r.key(s.x) }
func (s *memSource) value() []byte { return s.r.value(s.x) }
func (s *memSource) deleted() bool { return s.r.deleted(s.x) }
func (s *memSource) err() error    { return nil }

// levelSource iterates the tables of one level below L0, which are
// sorted and do not overlap, as one source: it opens a table source when
// it reaches the table, and moves to the next (or previous) table when one
// runs out.
type levelSource struct {
	files     []*fileMeta
	fillCache bool
	i         int    // index of the current table in files
	cur       source // nil: no table loaded
	e         error
	// own is the source of the current table (unless it holds user
	// keys), made for the first and reused from table to table.
	own *fileSource
}

func newLevelSource(files []*fileMeta, fillCache bool) *levelSource {
	s := &levelSource{}
	s.init(files, fillCache)
	return s
}

// init makes s a source over files; s must not move in memory afterwards.
func (s *levelSource) init(files []*fileMeta, fillCache bool) {
	s.files, s.fillCache, s.i = files, fillCache, -1
}

// load makes table i current; false if there is none.
func (s *levelSource) load(i int) bool {
	if i < 0 || i >= len(s.files) {
		s.cur = nil
		return false
	}
	if s.cur == nil || s.i != i {
		if f := s.files[i]; f.legacyKeys {
			s.cur = newFileSource(f, s.fillCache)
		} else {
			if s.own == nil {
				s.own = &fileSource{}
			}
			s.own.reset(f.t, s.fillCache)
			s.cur = &s.own.checked
		}
	}
	s.i = i
	return true
}

// settle moves on from an exhausted table, forward or backward, to the
// first or last entry of the next table, until an entry or an error.
func (s *levelSource) settle(backward bool) {
	for s.cur != nil && !s.cur.valid() {
		if err := s.cur.err(); err != nil {
			s.e = err
			return
		}
		if backward {
			if s.load(s.i - 1) {
				s.cur.last()
			}
		} else if s.load(s.i + 1) {
			s.cur.first()
		}
	}
}

func (s *levelSource) first() {
	s.e = nil
	if s.load(0) {
		s.cur.first()
		s.settle(false)
	}
}

func (s *levelSource) last() {
	s.e = nil
	if s.load(len(s.files) - 1) {
		s.cur.last()
		s.settle(true)
	}
}

func (s *levelSource) seekGE(key []byte) {
	s.e = nil
	i := sort.Search(len(s.files), func(i int) bool { return bytes.Compare(s.files[i].largest, key) >= 0 })
	if s.load(i) {
		s.cur.seekGE(key)
		s.settle(false)
	}
}

func (s *levelSource) seekLT(key []byte) {
	s.e = nil
	i := sort.Search(len(s.files), func(i int) bool { return bytes.Compare(s.files[i].smallest, key) >= 0 }) - 1
	if s.load(i) {
		s.cur.seekLT(key)
		s.settle(true)
	}
}

func (s *levelSource) next() {
	if s.cur != nil && s.e == nil {
		s.cur.next()
		s.settle(false)
	}
}

func (s *levelSource) prev() {
	if s.cur != nil && s.e == nil {
		s.cur.prev()
		s.settle(true)
	}
}

func (s *levelSource) valid() bool   { return s.e == nil && s.cur != nil && s.cur.valid() }
func (s *levelSource) key() []byte   { return s.cur.key() }
func (s *levelSource) value() []byte { return s.cur.value() }
func (s *levelSource) deleted() bool { return s.cur.deleted() }
func (s *levelSource) err() error    { return s.e }

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

// newFileSource returns a source over a table's entries as internal keys.
func newFileSource(f *fileMeta, fillCache bool) source {
	if f.legacyKeys {
		return &legacySource{tableSource: newTableSource(f.t, fillCache)}
	}
	fs := &fileSource{}
	fs.reset(f.t, fillCache)
	return &fs.checked
}

// fileSource is the source of a table of internal keys: a checkedSource
// and the tableSource it wraps, in one allocation.
type fileSource struct {
	checked checkedSource
	ts      tableSource
}

// reset makes fs an unpositioned source over t (see tableSource.reset);
// fs must not move in memory afterwards.
func (fs *fileSource) reset(t *table, fillCache bool) {
	fs.ts.reset(t, fillCache)
	fs.checked.tableSource = &fs.ts
}

// checkedSource is a tableSource over internal keys that checks each key
// it stops at is long enough to be one, so that a well-checksummed but
// wrong key is an error, not a panic.
type checkedSource struct {
	*tableSource
}

func (s *checkedSource) check() {
	if s.tableSource.valid() && len(s.tableSource.key()) < 2+seqBytes {
		s.e = corruptf(s.t.name, "key %q is not an internal key", s.tableSource.key())
	}
}

func (s *checkedSource) first()            { s.tableSource.first(); s.check() }
func (s *checkedSource) last()             { s.tableSource.last(); s.check() }
func (s *checkedSource) seekGE(key []byte) { s.tableSource.seekGE(key); s.check() }
func (s *checkedSource) seekLT(key []byte) { s.tableSource.seekLT(key); s.check() }
func (s *checkedSource) next()             { s.tableSource.next(); s.check() }
func (s *checkedSource) prev()             { s.tableSource.prev(); s.check() }

// legacySource reads a table written before sequence numbers, whose keys
// are user keys, as internal keys at sequence number 0 (older than every
// other version). Seeks translate: every version of a user key u with a
// sequence number is below ikey(u, 0), so seekGE(ikey(u, s)) is seekGE(u)
// and seekLT(ikey(u, s)) is seekLT(u).
type legacySource struct {
	*tableSource
	ikey []byte
	user []byte
}

func (s *legacySource) convert() {
	if s.tableSource.valid() {
		s.ikey = appendIKey(s.ikey[:0], s.tableSource.key(), 0)
	}
}

func (s *legacySource) target(ikey []byte) []byte {
	s.user = appendUserKey(s.user[:0], userPart(ikey))
	return s.user
}

func (s *legacySource) first()            { s.tableSource.first(); s.convert() }
func (s *legacySource) last()             { s.tableSource.last(); s.convert() }
func (s *legacySource) seekGE(key []byte) { s.tableSource.seekGE(s.target(key)); s.convert() }
func (s *legacySource) seekLT(key []byte) { s.tableSource.seekLT(s.target(key)); s.convert() }
func (s *legacySource) next()             { s.tableSource.next(); s.convert() }
func (s *legacySource) prev()             { s.tableSource.prev(); s.convert() }
func (s *legacySource) key() []byte       { return s.ikey }

// tableGet returns the newest version in table f of the user key user
// whose sequence number is at most lookup's (lookup is ikey(user, seq)),
// and its sequence number; h is keyHash of its user part. The value
// aliases a shared block.
func tableGet(f *fileMeta, user, lookup []byte, h uint64) (entry, uint64, bool, error) {
	t := f.t
	if f.legacyKeys {
		// User keys, at sequence number 0, below every reader.
		e, ok, err := t.get(user, keyHash(user))
		return e, 0, ok, err
	}
	var it blockIter
	if ok, err := t.find(lookup, h, &it); !ok || err != nil {
		return entry{}, 0, false, err
	}
	if len(it.key) < 2+seqBytes {
		return entry{}, 0, false, corruptf(t.name, "key %q is not an internal key", it.key)
	}
	if !bytes.Equal(userPart(it.key), userPart(lookup)) {
		return entry{}, 0, false, nil
	}
	return entry{key: lookup, value: it.value, deleted: it.kind == kindDelete}, ikeySeq(it.key), true, nil
}

// Iterator walks the live keys in [lower, upper) in either direction, as
// of its sequence number: for each user key, the newest version at or
// below it, if that is not a tombstone. Key and Value return slices that
// stay valid after the iterator moves and must not be modified. An
// Iterator is not safe for concurrent use. After an error Valid is false
// and Err reports it.
//
// An Iterator pins the table files it reads: a compaction that replaces
// them deletes them only after the last iterator over them is closed, so
// close every iterator.
type Iterator struct {
	sources        []source // newest first
	lower, upper   []byte   // user keys
	iLower, iUpper []byte   // ikey(lower, maxSeq), ikey(upper, maxSeq): nil when unbounded
	seq            uint64
	rangeDels      []rangeDel // the range tombstones it may see
	key, value     []byte
	ok             bool
	// backward says the sources were last positioned for Prev: each is
	// at the last entry below every version of key. Otherwise each is
	// at the first entry above every version of key.
	backward bool
	err      error
	// arena holds copies of returned keys (table sources rebuild keys in
	// buffers they reuse); a full chunk is left to the caller's slices
	// and the garbage collector.
	arena []byte
	part  []byte // user part of the current key
	// db and ver: the version whose tables the iterator pins; nil once
	// closed.
	db  *DB
	ver *version
	// mems are the memtable sources, kept here to save an allocation.
	mems [2]memSource
	// target is the seek key's buffer, reused (sources keep no reference
	// to a key they seek to).
	target []byte
	// heap orders the valid sources for forward steps while heapOK
	// (see buildHeap).
	heap   []int
	heapOK bool
	// skipPending says the sources still stand on the current key's
	// versions: findNext leaves them there, and Next steps past them
	// first, so that a read that stops at its first key (a lookup by
	// primary key) does not move a source, or read a block, beyond it.
	skipPending bool
	// steps counts the entries the sources moved past (see Steps).
	steps int
	// levels counts the level sources taken from inl.levels.
	levels int
	// inl is storage for the first sources, level sources, bounds, seek
	// key and returned keys, so that a short read makes few
	// allocations. The iterator must not move in memory (it is always
	// used by pointer).
	inl struct {
		sources [iterInlineSources]source
		heap    [iterInlineSources]int
		levels  [iterInlineLevels]levelSource
		bounds  [iterInlineBoundBytes]byte
		target  [tableSourceKeyBytes]byte
		part    [tableSourceKeyBytes]byte
		arena   [iterKeyFirstArenaBytes]byte
	}
}

// seekKey returns the internal key of key at maxSeq, in the iterator's
// reused buffer.
func (it *Iterator) seekKey(key []byte) []byte {
	if it.target == nil {
		it.target = it.inl.target[:0]
	}
	it.target = appendIKey(it.target[:0], key, maxSeq)
	return it.target
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
		if it.iUpper != nil {
			s.seekLT(it.iUpper)
		} else {
			s.last()
		}
	}
	it.backward, it.heapOK, it.skipPending = true, false, false
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
	target := it.seekKey(key)
	for _, s := range it.sources {
		s.seekGE(target)
	}
	it.backward, it.heapOK, it.skipPending = false, false, false
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
	target := it.seekKey(key)
	for _, s := range it.sources {
		s.seekLT(target)
	}
	it.backward, it.heapOK, it.skipPending = true, false, false
	return it.findPrev()
}

// Next moves to the next live key. It returns false at the end, and does
// nothing on an iterator that is not positioned.
func (it *Iterator) Next() bool {
	if !it.ok {
		return false
	}
	if it.backward {
		// Re-seek every source to the first entry above every version
		// of the current key: ikey(key, 0) is the last of them.
		target := appendIKey(nil, it.key, 0)
		for _, s := range it.sources {
			s.seekGE(target)
			for s.valid() && bytes.Equal(userPart(s.key()), it.part) {
				s.next()
				it.steps++
			}
		}
		it.backward, it.heapOK = false, false
	} else if it.skipPending {
		it.skipPending = false
		if err := it.skipForward(); err != nil {
			it.ok, it.err = false, err
			return false
		}
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
		target := it.seekKey(it.key)
		for _, s := range it.sources {
			s.seekLT(target)
		}
		it.backward, it.heapOK, it.skipPending = true, false, false
	}
	return it.findPrev()
}

// findNext merges the sources forward: the smallest internal key is the
// newest version of the smallest user key; versions above the iterator's
// sequence number are skipped, the first one at or below it decides (a
// value is returned, a tombstone hides the key), and every other version
// of that user key is stepped over: at once for a hidden key, by the next
// Next for a returned one (skipPending).
func (it *Iterator) findNext() bool {
	it.ok = false
	if !it.heapOK {
		if err := it.buildHeap(); err != nil {
			it.err = err
			return false
		}
	}
	for {
		if len(it.heap) == 0 {
			return false
		}
		s := it.sources[it.heap[0]]
		k := s.key()
		if it.iUpper != nil && bytes.Compare(k, it.iUpper) >= 0 {
			return false
		}
		if ikeySeq(k) > it.seq {
			if err := it.stepTop(); err != nil {
				it.err = err
				return false
			}
			continue
		}
		it.part = append(it.part[:0], userPart(k)...)
		deleted, value := s.deleted(), s.value()
		if len(it.rangeDels) > 0 && coverSeq(it.rangeDels, it.part, it.seq) > ikeySeq(k) {
			deleted = true
		}
		if !deleted {
			it.key, it.value, it.ok = it.stableKey(it.part), value, true
			it.skipPending = true
			return true
		}
		if err := it.skipForward(); err != nil {
			it.err = err
			return false
		}
	}
}

// The forward merge keeps the valid sources in a binary min-heap (it.heap,
// indexes into it.sources) ordered by current key, then by source index so
// that the newest source wins a tie, as smallest does. A step costs about
// log2(sources) comparisons instead of one per source. The heap holds only
// while the sources move forward through findNext: every other positioning
// (seeks, Last, Prev, a change of direction) clears heapOK, and the next
// findNext rebuilds it.

// buildHeap heaps the valid sources, failing on the first source error.
func (it *Iterator) buildHeap() error {
	it.heap = it.heap[:0]
	for i, s := range it.sources {
		if err := s.err(); err != nil {
			return err
		}
		if s.valid() {
			it.heap = append(it.heap, i)
		}
	}
	for i := len(it.heap)/2 - 1; i >= 0; i-- {
		it.siftDown(i)
	}
	it.heapOK = true
	return nil
}

func (it *Iterator) heapLess(a, b int) bool {
	x, y := it.heap[a], it.heap[b]
	if c := bytes.Compare(it.sources[x].key(), it.sources[y].key()); c != 0 {
		return c < 0
	}
	return x < y
}

func (it *Iterator) siftDown(i int) {
	n := len(it.heap)
	for {
		least := i
		if l := 2*i + 1; l < n && it.heapLess(l, least) {
			least = l
		}
		if r := 2*i + 2; r < n && it.heapLess(r, least) {
			least = r
		}
		if least == i {
			return
		}
		it.heap[i], it.heap[least] = it.heap[least], it.heap[i]
		i = least
	}
}

// stepTop moves the source with the smallest key forward and restores the
// heap, dropping the source once it is exhausted.
func (it *Iterator) stepTop() error {
	s := it.sources[it.heap[0]]
	s.next()
	it.steps++
	if err := s.err(); err != nil {
		it.heapOK = false
		return err
	}
	if !s.valid() {
		last := len(it.heap) - 1
		it.heap[0] = it.heap[last]
		it.heap = it.heap[:last]
	}
	if len(it.heap) > 0 {
		it.siftDown(0)
	}
	return nil
}

// skipForward steps every source past the versions of the user key it.part:
// they are the smallest keys, so they come to the top of the heap in turn.
func (it *Iterator) skipForward() error {
	for len(it.heap) > 0 && bytes.Equal(userPart(it.sources[it.heap[0]].key()), it.part) {
		if err := it.stepTop(); err != nil {
			return err
		}
	}
	return nil
}

// findPrev merges the sources backward: the largest internal key is the
// oldest version of the largest user key; stepping back through that
// key's versions (oldest to newest), the last one at or below the
// iterator's sequence number is the visible one.
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
		k := it.sources[w].key()
		if it.iLower != nil && bytes.Compare(k, it.iLower) < 0 {
			return false
		}
		it.part = append(it.part[:0], userPart(k)...)
		found, deleted := false, false
		var value []byte
		var foundSeq uint64
		for {
			s := it.sources[w]
			if k := s.key(); ikeySeq(k) <= it.seq {
				found, deleted, value, foundSeq = true, s.deleted(), s.value(), ikeySeq(k)
			}
			s.prev()
			it.steps++
			if w, err = largest(it.sources); err != nil {
				it.err = err
				return false
			}
			if w < 0 || !bytes.Equal(userPart(it.sources[w].key()), it.part) {
				break
			}
		}
		if found && len(it.rangeDels) > 0 && coverSeq(it.rangeDels, it.part, it.seq) > foundSeq {
			deleted = true
		}
		if found && !deleted {
			it.key, it.value, it.ok = it.stableKey(it.part), value, true
			return true
		}
	}
}

// stableKey decodes the user key of part into the arena, capped so that
// an append by the caller cannot reach the next key. Chunks grow from
// iterKeyFirstArenaBytes to iterKeyArenaBytes.
func (it *Iterator) stableKey(part []byte) []byte {
	n := len(part) // the user key is no longer than its user part
	if it.arena == nil && n <= len(it.inl.arena) {
		it.arena = it.inl.arena[:0]
	}
	if cap(it.arena)-len(it.arena) < n {
		size := min(max(2*cap(it.arena), iterKeyFirstArenaBytes), iterKeyArenaBytes)
		it.arena = make([]byte, 0, max(size, n))
	}
	start := len(it.arena)
	it.arena = appendUserKey(it.arena, part)
	return it.arena[start:len(it.arena):len(it.arena)]
}

// Valid reports whether the iterator is positioned at a key.
func (it *Iterator) Valid() bool { return it.ok }

// Key returns the current key.
func (it *Iterator) Key() []byte { return it.key }

// Value returns the current value.
func (it *Iterator) Value() []byte { return it.value }

// Steps returns how many times the iterator has moved one of its sources
// by one entry (a version or a tombstone) since it was created; seeks are
// not counted. It measures the work of stepping over versions and
// tombstones, so that tests can check what a read costs without timing it.
func (it *Iterator) Steps() int { return it.steps }

// Err returns the first error met, if any (ErrCorrupt for a bad block).
func (it *Iterator) Err() error { return it.err }

// Close releases the iterator and its pinned tables, and returns Err.
// Closing twice is harmless.
func (it *Iterator) Close() error {
	it.sources, it.ok = nil, false
	if it.ver != nil {
		it.db.unrefVersion(it.ver)
		it.db, it.ver = nil, nil
	}
	return it.err
}
