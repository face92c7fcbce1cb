package lsm

import (
	"bytes"
	"sync/atomic"
	"unsafe"
)

// skiplist is the memtable's ordered set of internal keys (see doc.go,
// Memtable): a skiplist whose nodes and values live in an arena of large
// chunks, written by one goroutine at a time and read by any number
// without locks.
//
// A chunk is a []uint64 (so 8-byte aligned for atomic access) also seen as
// the []byte over the same memory. It holds no Go pointer, so the garbage
// collector does not scan it, and a memtable of millions of entries is a
// few hundred objects. A reference is the chunk's index in the chunk table
// times 2^32 plus an offset in the chunk: in words for a node, in bytes
// for a value. Nodes fill one chunk at a time, values another, so that a
// search walks dense memory. A node is
//
//	word 0     key length
//	word 1     value length << 8 | 1<<7 if a tombstone | height
//	word 2     reference of the value
//	words 3+   the tower: height references of the next node at each
//	           level (0: none)
//	then       the key bytes, padded to a word
//
// so that a search reads a node's tower and key from the same place. The
// head is the node at reference 0, with a tower of skipMaxHeight words
// and an empty key; since no tower points at it, 0 also means "no node".
//
// Chunks are never moved, reused or freed while the skiplist is
// referenced, so a slice of a key or value stays valid as long as the
// caller holds it. Only the writer appends to the chunk table; readers see
// it through an atomic pointer that the writer stores after adding a chunk
// and before linking any node that uses it. The writer fills in a node
// and its value whole, then links it with atomic stores of tower words,
// level 0 first; readers load tower words atomically, so a reader that
// reaches a node sees all of it.
type skiplist struct {
	// The writer's state; readers never touch it.
	chunks    []arenaChunk
	cur       int    // index of the chunk being filled with nodes
	used      int    // words used in it
	vcur      int    // index of the chunk being filled with values
	vused     int    // bytes used in it
	rnd       uint64 // state of the random height generator
	count     int    // nodes, not counting the head
	usedBytes int64  // arena bytes used by nodes (not the head) and values, unusable chunk tails included
	// last is the node inserted last (0: none), and splice[i] its
	// predecessor at level i (itself below its height): an insert just
	// after it, as in ascending runs of keys, starts from there.
	last   uint64
	splice [skipMaxHeight]uint64

	// What readers load.
	chunkTab atomic.Pointer[[]arenaChunk]
	height   atomic.Int32 // the highest tower in use (at least 1)
}

// arenaChunk is one chunk of the arena, as words and as bytes.
type arenaChunk struct {
	w []uint64
	b []byte
}

func newArenaChunk(words int) arenaChunk {
	w := make([]uint64, words)
	return arenaChunk{w: w, b: unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), 8*words)}
}

const (
	nodeKeyLen   = 0
	nodeMeta     = 1
	nodeValueRef = 2
	nodeTower    = 3

	nodeDeleted = 1 << 7
	nodeHeight  = 1<<7 - 1
)

func newSkiplist() *skiplist {
	l := &skiplist{rnd: 0x9E3779B97F4A7C15}
	l.chunks = []arenaChunk{newArenaChunk(skipFirstChunkWords), newArenaChunk(skipFirstChunkWords)}
	l.used = nodeTower + skipMaxHeight // the head
	l.chunks[0].w[nodeMeta] = skipMaxHeight
	l.vcur = 1
	l.publish()
	l.height.Store(1)
	return l
}

func (l *skiplist) publish() {
	t := l.chunks
	l.chunkTab.Store(&t)
}

// randomHeight returns 1 with probability 3/4, 2 with 3/16, and so on
// (each level a quarter of the one below), capped at skipMaxHeight.
func (l *skiplist) randomHeight() int {
	x := l.rnd // xorshift64
	x ^= x << 13
	x ^= x >> 7
	x ^= x << 17
	l.rnd = x
	h := 1
	for h < skipMaxHeight && x&3 == 0 {
		h++
		x >>= 2
	}
	return h
}

// alloc returns a reference to words zeroed words of arena. A node too
// big for a chunk gets a chunk of its own.
func (l *skiplist) alloc(words int) uint64 {
	if l.used+words > len(l.chunks[l.cur].w) {
		if words > skipMaxChunkWords/4 {
			l.chunks = append(l.chunks, newArenaChunk(words))
			l.usedBytes += 8 * int64(words)
			l.publish()
			return uint64(len(l.chunks)-1) << 32
		}
		n := len(l.chunks[l.cur].w)
		l.usedBytes += 8 * int64(n-l.used)
		l.chunks = append(l.chunks, newArenaChunk(max(min(2*n, skipMaxChunkWords), words)))
		l.cur, l.used = len(l.chunks)-1, 0
		l.publish()
	}
	ref := uint64(l.cur)<<32 | uint64(l.used)
	l.used += words
	l.usedBytes += 8 * int64(words)
	return ref
}

// allocValue returns a reference to n bytes of arena for a value, and
// the bytes. A value too big for a chunk gets a chunk of its own.
func (l *skiplist) allocValue(n int) (uint64, []byte) {
	if l.vused+n > len(l.chunks[l.vcur].b) {
		if n > 8*skipMaxChunkWords/4 {
			l.chunks = append(l.chunks, newArenaChunk((n+7)/8))
			l.usedBytes += int64(n)
			l.publish()
			return uint64(len(l.chunks)-1) << 32, l.chunks[len(l.chunks)-1].b[:n:n]
		}
		size := len(l.chunks[l.vcur].b)
		l.usedBytes += int64(size - l.vused)
		l.chunks = append(l.chunks, newArenaChunk(max(min(2*size, 8*skipMaxChunkWords), n+7)/8))
		l.vcur, l.vused = len(l.chunks)-1, 0
		l.publish()
	}
	ref := uint64(l.vcur)<<32 | uint64(l.vused)
	b := l.chunks[l.vcur].b[l.vused : l.vused+n : l.vused+n]
	l.vused += n
	l.usedBytes += int64(n)
	return ref, b
}

// add inserts a version. Only one goroutine may call add at a time (the
// memtable's writer holds DB.mu); readers may run concurrently. key must
// not already be in the list (internal keys are unique: each version has
// its own sequence number).
func (l *skiplist) add(key, value []byte, deleted bool) {
	// The writer's view is its own table, always current.
	w := skipReader{l: l, chunks: l.chunks}
	var prev [skipMaxHeight]uint64 // head (0) above the list's height
	if l.last != 0 && bytes.Compare(key, w.key(l.last)) > 0 {
		// After the last insert: if nothing lies between the two, the
		// last insert's predecessors are this key's.
		if nx := w.nextPlain(l.last, 0); nx == 0 || bytes.Compare(w.key(nx), key) > 0 {
			prev = l.splice
			goto found
		}
	}
	{
		x, stop := uint64(0), uint64(0) // stop: a node known to be >= key
		for i := int(l.height.Load()) - 1; i >= 0; i-- {
			for {
				nx := w.nextPlain(x, i)
				if nx == 0 || nx == stop || bytes.Compare(w.key(nx), key) >= 0 {
					stop = nx
					break
				}
				x = nx
			}
			prev[i] = x
		}
	}
found:
	h := l.randomHeight()
	vref, vb := l.allocValue(len(value))
	copy(vb, value)
	ref := l.alloc(nodeTower + h + (len(key)+7)/8)
	c := &l.chunks[ref>>32]
	off := int(uint32(ref))
	nd := c.w[off:]
	nd[nodeKeyLen] = uint64(len(key))
	meta := uint64(len(value))<<8 | uint64(h)
	if deleted {
		meta |= nodeDeleted
	}
	nd[nodeMeta] = meta
	nd[nodeValueRef] = vref
	copy(c.b[8*(off+nodeTower+h):], key)
	w.chunks = l.chunks
	for i := range h {
		nd[nodeTower+i] = w.nextPlain(prev[i], i)
	}
	if int32(h) > l.height.Load() {
		l.height.Store(int32(h))
	}
	// Publish, bottom up: a reader finding the node at level i finds it
	// at every level below.
	for i := range h {
		atomic.StoreUint64(&w.node(prev[i])[nodeTower+i], ref)
	}
	for i := range skipMaxHeight {
		if i < h {
			l.splice[i] = ref
		} else {
			l.splice[i] = prev[i]
		}
	}
	l.last = ref
	l.count++
}

// reader returns a view for reading the list, safe concurrently with add.
func (l *skiplist) reader() skipReader {
	return skipReader{l: l, chunks: *l.chunkTab.Load()}
}

// skipReader reads a skiplist through a cached copy of its chunk table,
// reloaded when a reference names a chunk added since.
type skipReader struct {
	l      *skiplist
	chunks []arenaChunk
}

func (r *skipReader) chunk(ref uint64) *arenaChunk {
	c := ref >> 32
	if c >= uint64(len(r.chunks)) {
		r.chunks = *r.l.chunkTab.Load()
	}
	return &r.chunks[c]
}

func (r *skipReader) node(ref uint64) []uint64 {
	return r.chunk(ref).w[uint32(ref):]
}

// next returns the node after x at level i (0: none).
func (r *skipReader) next(x uint64, i int) uint64 {
	return atomic.LoadUint64(&r.node(x)[nodeTower+i])
}

// nextPlain is next for the writer, which alone stores tower words.
func (r *skipReader) nextPlain(x uint64, i int) uint64 {
	return r.node(x)[nodeTower+i]
}

// key returns the internal key of node x.
func (r *skipReader) key(x uint64) []byte {
	c := r.chunk(x)
	off := uint64(uint32(x))
	n := c.w[off+nodeKeyLen]
	start := 8 * (off + nodeTower + c.w[off+nodeMeta]&nodeHeight)
	return c.b[start : start+n : start+n]
}

// value returns the value of node x.
func (r *skipReader) value(x uint64) []byte {
	nd := r.node(x)
	ref, n := nd[nodeValueRef], nd[nodeMeta]>>8
	start := uint64(uint32(ref))
	return r.chunk(ref).b[start : start+n : start+n]
}

// deleted reports whether node x is a tombstone.
func (r *skipReader) deleted(x uint64) bool {
	return r.node(x)[nodeMeta]&nodeDeleted != 0
}

// seekGE returns the first node with key >= key (0: none).
func (r *skipReader) seekGE(key []byte) uint64 {
	x, stop := uint64(0), uint64(0) // stop: a node known to be > key
	for i := int(r.l.height.Load()) - 1; i >= 0; i-- {
		for {
			nx := r.next(x, i)
			if nx == 0 || nx == stop {
				break
			}
			c := bytes.Compare(r.key(nx), key)
			if c == 0 {
				return nx
			}
			if c > 0 {
				stop = nx
				break
			}
			x = nx
		}
	}
	return r.next(x, 0)
}

// seekLT returns the last node with key < key (0: none).
func (r *skipReader) seekLT(key []byte) uint64 {
	x, stop := uint64(0), uint64(0) // stop: a node known to be >= key
	for i := int(r.l.height.Load()) - 1; i >= 0; i-- {
		for {
			nx := r.next(x, i)
			if nx == 0 || nx == stop || bytes.Compare(r.key(nx), key) >= 0 {
				stop = nx
				break
			}
			x = nx
		}
	}
	return x
}

// first returns the first node (0: none).
func (r *skipReader) first() uint64 { return r.next(0, 0) }

// last returns the last node (0: none).
func (r *skipReader) last() uint64 {
	x := uint64(0)
	for i := int(r.l.height.Load()) - 1; i >= 0; i-- {
		for {
			nx := r.next(x, i)
			if nx == 0 {
				break
			}
			x = nx
		}
	}
	return x
}
