package lsm

// tableSource iterates a table: its position is a partition of the top
// index, a data block of that partition's index, and an entry of that
// block, which a block iterator decodes one step at a time. It holds the
// top index, one index partition and one data block (shared, immutable)
// while it uses them, and reads every other block through the cache.
//
// Stepping forward into a block that is not cached reads ahead: that
// block and the ones after it in its partition, in one ReadAt, twice as
// many blocks as the previous read-ahead in a row (2, 4, 8...), at most
// readaheadBytes, so that a scan makes one system call per readaheadBytes
// rather than per block, while a short range read reads little more than
// it needs. The blocks read ahead are verified at once (up to the first
// that fails), kept by the source (at most readaheadBytes), and cached as
// it reaches them.
type tableSource struct {
	t         *table
	fillCache bool // false for compactions and Check, which read each block once
	top       []topEntry
	topLoaded bool
	// pi is the current partition; idx is its index when idxLoaded.
	pi        int
	idx       []indexEntry
	idxLoaded bool
	// bi is the current block of idx; data iterates it when dataLoaded.
	bi         int
	data       blockIter
	dataOff    uint64
	dataLoaded bool
	// ahead holds verified blocks aheadFrom... of partition aheadPi, read
	// ahead; aheadBuf is the buffer they were read into, reused (the
	// blocks are copied out of it, or decompressed from it).
	ahead     []block
	aheadFrom int
	aheadPi   int
	aheadBuf  []byte
	// aheadRun counts the read-aheads since the source was positioned
	// by a seek, first or last: each reads twice as much as the one before.
	aheadRun int
	e        error
	// keyBuf is the first buffer of data's rebuilt keys, so that a
	// source's first block needs no allocation for them.
	keyBuf [tableSourceKeyBytes]byte
}

func newTableSource(t *table, fillCache bool) *tableSource {
	s := &tableSource{}
	s.reset(t, fillCache)
	return s
}

// reset makes s an unpositioned source over t, keeping its buffers: a
// level source moving on to its next table reuses its table source. s
// must not move in memory afterwards (its key buffer may be keyBuf).
func (s *tableSource) reset(t *table, fillCache bool) {
	ahead, aheadBuf, keys := s.ahead[:0], s.aheadBuf, s.data.buf
	*s = tableSource{t: t, fillCache: fillCache, ahead: ahead, aheadBuf: aheadBuf}
	if keys == nil {
		keys = s.keyBuf[:0]
	}
	s.data.buf = keys[:0]
}

// fail records the first error and invalidates the source.
func (s *tableSource) fail(err error) bool {
	if s.e == nil {
		s.e = err
	}
	s.data.valid = false
	return false
}

// loadTop loads the top index once and invalidates the position; false
// on an error.
func (s *tableSource) loadTop() bool {
	s.data.valid = false
	if s.e != nil {
		return false
	}
	if s.topLoaded {
		return true
	}
	top, err := s.t.topIndex(s.fillCache)
	if err != nil {
		return s.fail(err)
	}
	s.top, s.topLoaded = top, true
	return true
}

// setPartition makes partition pi current, loading its index unless it
// already is; false if there is no such partition or on an error.
func (s *tableSource) setPartition(pi int) bool {
	if pi < 0 || pi >= len(s.top) {
		s.data.valid = false
		return false
	}
	if s.idxLoaded && pi == s.pi {
		return true
	}
	idx, err := s.t.indexPartition(&s.top[pi], s.fillCache)
	if err != nil {
		s.idxLoaded = false
		return s.fail(err)
	}
	s.pi, s.idx, s.idxLoaded = pi, idx, true
	return true
}

// setBlock makes block bi of the current partition current, loading it
// unless it already is (reading ahead if forward: see tableSource); false
// if there is no such block or on an error.
func (s *tableSource) setBlock(bi int, forward bool) bool {
	if bi < 0 || bi >= len(s.idx) {
		s.data.valid = false
		return false
	}
	s.bi = bi
	ie := &s.idx[bi]
	if s.dataLoaded && ie.h.offset == s.dataOff {
		return true
	}
	b, err := s.loadBlock(bi, forward)
	if err != nil {
		s.dataLoaded = false
		return s.fail(err)
	}
	s.dataOff, s.dataLoaded = ie.h.offset, true
	s.data.init(b)
	return true
}

// loadBlock returns block bi of the current partition: read ahead, cached,
// or read (with the blocks after it, if forward).
func (s *tableSource) loadBlock(bi int, forward bool) (block, error) {
	ie := &s.idx[bi]
	if i := bi - s.aheadFrom; s.aheadPi == s.pi && i >= 0 && i < len(s.ahead) {
		b := s.ahead[i]
		s.t.fill(ie.h.offset, b, int64(len(b.data)), nil, s.fillCache)
		return b, nil
	}
	if !forward {
		return s.t.readBlock(ie.h, ie.lastKey, s.fillCache)
	}
	if v, ok := s.t.cached(ie.h.offset, nil); ok {
		return v.(block), nil
	}
	blocks := 2 << min(s.aheadRun, 16)
	end := bi + 1
	for end < len(s.idx) && end-bi < blocks && s.idx[end].h.offset+s.idx[end].h.length-ie.h.offset <= readaheadBytes {
		end++
	}
	s.aheadRun++
	var err error
	s.ahead, s.aheadBuf, err = s.t.readBlocks(s.idx[bi:end], s.ahead[:0], s.aheadBuf)
	if len(s.ahead) == 0 {
		return block{}, err
	}
	// A block after the first that fails is read again, and fails, only
	// if the source reaches it: a bounded scan must not fail on a block
	// beyond its bound.
	s.aheadFrom, s.aheadPi = bi, s.pi
	b := s.ahead[0]
	s.t.fill(ie.h.offset, b, int64(len(b.data)), nil, s.fillCache)
	return b, nil
}

// check turns an entry error of the block iterator into the source's
// error. Blocks pass checkBlock before use, so this reports a bug or
// memory damage, not bad file bytes.
func (s *tableSource) check() {
	if s.data.err != nil {
		s.fail(s.t.iterErr(&s.data))
	}
}

func (s *tableSource) first() {
	s.aheadRun = 0
	if s.loadTop() && s.setPartition(0) && s.setBlock(0, false) {
		s.data.first()
		s.check()
	}
}

func (s *tableSource) last() {
	s.aheadRun = 0
	if s.loadTop() && s.setPartition(len(s.top)-1) && s.setBlock(len(s.idx)-1, false) {
		s.data.last()
		s.check()
	}
}

// seekBlock makes current the data block that holds the first key >= key,
// if the table has one (found false: every key is below key).
func (s *tableSource) seekBlock(key []byte) (found, ok bool) {
	s.aheadRun = 0
	if !s.loadTop() {
		return false, false
	}
	pi := searchTop(s.top, key)
	if pi == len(s.top) {
		return false, true
	}
	if !s.setPartition(pi) {
		return false, false
	}
	// The partition's last key is >= key, and so is its last block's.
	bi := searchIndex(s.idx, key)
	if bi == len(s.idx) {
		return false, s.fail(corruptf(s.t.name, "index at %d: no block for a key it covers", s.top[pi].p.index.offset))
	}
	return true, s.setBlock(bi, false)
}

func (s *tableSource) seekGE(key []byte) {
	if found, ok := s.seekBlock(key); found && ok {
		// The block's last key is >= key, so the seek lands in it.
		s.data.seekGE(key)
		s.check()
	}
}

func (s *tableSource) seekLT(key []byte) {
	found, ok := s.seekBlock(key)
	switch {
	case !ok:
	case !found:
		// Every key is below key.
		s.last()
	case s.data.seekGE(key):
		// The entry before the first one >= key, possibly in the block
		// before.
		s.prev()
	default:
		// Unreachable for a checked block, whose last key is >= key.
		s.check()
		if s.e == nil {
			s.data.last()
			s.check()
		}
	}
}

func (s *tableSource) next() {
	if s.data.next() {
		return
	}
	s.check()
	if s.e != nil {
		return
	}
	if s.bi+1 < len(s.idx) {
		if !s.setBlock(s.bi+1, true) {
			return
		}
	} else if !s.setPartition(s.pi+1) || !s.setBlock(0, true) {
		return
	}
	s.data.first()
	s.check()
}

func (s *tableSource) prev() {
	if s.data.prev() {
		return
	}
	s.check()
	if s.e != nil {
		return
	}
	if s.bi > 0 {
		if !s.setBlock(s.bi-1, false) {
			return
		}
	} else if !s.setPartition(s.pi-1) || !s.setBlock(len(s.idx)-1, false) {
		return
	}
	s.data.last()
	s.check()
}

// partition returns the current partition; valid only while the source
// is.
func (s *tableSource) partition() *topEntry { return &s.top[s.pi] }

func (s *tableSource) valid() bool   { return s.e == nil && s.data.valid }
func (s *tableSource) key() []byte   { return s.data.key }
func (s *tableSource) value() []byte { return s.data.value }
func (s *tableSource) deleted() bool { return s.data.kind == kindDelete }
func (s *tableSource) err() error    { return s.e }
