package lsm

import (
	"sync"
	"sync/atomic"
)

// blockKey names a block of a table file: file numbers are never reused
// within a DB, so a key cannot name two different blocks.
type blockKey struct {
	fileNum uint64
	offset  uint64
}

// cacheEntry is one cached block in its LRU list.
type cacheEntry struct {
	key    blockKey
	value  any
	charge int64
	meta   bool // an index or filter block
	// ref, if set, points at this entry and is cleared when it is
	// evicted; referenced is set by a hit through it, which does not
	// move the entry in its list: eviction gives such an entry a second
	// chance instead.
	ref        *cacheRef
	referenced atomic.Bool
	prev, next *cacheEntry
}

// cacheRef reaches a cached index or filter block without a lookup: the
// cache points it at the block's entry when the block is added or found,
// and clears it when the block is evicted. A table keeps one for its top
// index, and a top index one per partition for its filter and its index.
type cacheRef struct {
	e atomic.Pointer[cacheEntry]
}

// lruList is a doubly linked list of entries around a sentinel: next of
// the sentinel is the most recently used.
type lruList struct {
	root cacheEntry
	used int64
}

func (l *lruList) init() { l.root.next, l.root.prev = &l.root, &l.root }

func (l *lruList) empty() bool { return l.root.next == &l.root }

func (l *lruList) unlink(e *cacheEntry) { e.prev.next, e.next.prev = e.next, e.prev }

func (l *lruList) pushFront(e *cacheEntry) {
	e.prev, e.next = &l.root, l.root.next
	e.prev.next, e.next.prev = e, e
}

// blockCache is an LRU cache of verified, parsed blocks with a byte
// limit, shared by all tables of a DB: data blocks (block), index
// partitions ([]indexEntry), top indexes ([]topEntry) and filters
// (bloomFilter). It holds only blocks whose CRC matched and that passed
// their checks, so a hit needs no verification. Cached values are shared
// by every reader and never modified; evicting one drops only the cache's
// reference, so a reader still using it is unaffected. Safe for
// concurrent use.
//
// Index and filter blocks ("meta") have their own LRU list and are
// evicted only when they hold more than cacheMetaPercent of the limit, or
// when no data block is left: a lookup needs its partition's filter and
// index before any data block, and a scan through many data blocks must
// not push them out, or every Get would read them from the file again.
type blockCache struct {
	// shards split the cache by block key, each with its own lock,
	// lists and a share of the limit, so that concurrent readers
	// rarely wait for one another: one shard per cacheShardBytesMin of
	// the limit, at most cacheShardsMax (a power of two), one for a
	// small cache (whose LRU order is then exact).
	shards []cacheShard
}

// cacheShard is one shard of a blockCache: an LRU cache as described
// there, for the block keys that hash to it.
type cacheShard struct {
	capacity int64
	metaMax  int64 // what meta blocks may hold before they are evicted first

	mu struct {
		sync.Mutex
		data   lruList
		meta   lruList
		blocks map[blockKey]*cacheEntry
		hits   uint64
		misses uint64
	}
	refHits atomic.Uint64 // hits through a cacheRef
	_       [64]byte      // keeps neighbouring shards' locks on other cache lines
}

func newBlockCache(capacity int64) *blockCache {
	n := 1
	for n < cacheShardsMax && capacity/int64(2*n) >= cacheShardBytesMin {
		n *= 2
	}
	c := &blockCache{shards: make([]cacheShard, n)}
	for i := range c.shards {
		c.shards[i].init(capacity / int64(n))
	}
	return c
}

// shard returns the shard of the block k.
func (c *blockCache) shard(k blockKey) *cacheShard {
	if len(c.shards) == 1 {
		return &c.shards[0]
	}
	h := (k.fileNum*0x9e3779b97f4a7c15 ^ k.offset) * 0xff51afd7ed558ccd
	return &c.shards[h>>32&uint64(len(c.shards)-1)]
}

// get returns the cached value of block k (see cacheShard.get).
func (c *blockCache) get(k blockKey, ref *cacheRef) (any, bool) {
	return c.shard(k).get(k, ref)
}

// add caches a block (see cacheShard.add).
func (c *blockCache) add(k blockKey, v any, charge int64, meta bool, ref *cacheRef) {
	c.shard(k).add(k, v, charge, meta, ref)
}

// evictFile drops every block of a table file that is being deleted.
func (c *blockCache) evictFile(fileNum uint64) {
	for i := range c.shards {
		c.shards[i].evictFile(fileNum)
	}
}

// stats returns hits, misses and the bytes in use, over all shards.
func (c *blockCache) stats() (hits, misses uint64, used int64) {
	for i := range c.shards {
		h, m, u := c.shards[i].stats()
		hits, misses, used = hits+h, misses+m, used+u
	}
	return hits, misses, used
}

// init makes c an empty shard holding at most capacity bytes; c must not
// move in memory afterwards (its lists point at themselves).
func (c *cacheShard) init(capacity int64) {
	c.capacity, c.metaMax = capacity, capacity*cacheMetaPercent/100
	c.mu.blocks = make(map[blockKey]*cacheEntry)
	c.mu.data.init()
	c.mu.meta.init()
}

func (c *cacheShard) listLocked(e *cacheEntry) *lruList {
	if e.meta {
		return &c.mu.meta
	}
	return &c.mu.data
}

// get returns the cached value and counts a hit or a miss. If ref is not
// nil, it is tried first, and pointed at the entry on a hit.
func (c *cacheShard) get(k blockKey, ref *cacheRef) (any, bool) {
	if ref != nil {
		if e := ref.e.Load(); e != nil {
			if !e.referenced.Load() {
				// Written only when it changes: readers on other cores
				// then share the entry's cache line.
				e.referenced.Store(true)
			}
			c.refHits.Add(1)
			return e.value, true
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.mu.blocks[k]
	if !ok {
		c.mu.misses++
		return nil, false
	}
	c.mu.hits++
	c.touchLocked(e, ref)
	return e.value, true
}

// touchLocked moves e to the front of its list and points ref (if not
// nil) at it.
func (c *cacheShard) touchLocked(e *cacheEntry, ref *cacheRef) {
	if l := c.listLocked(e); l.root.next != e {
		l.unlink(e)
		l.pushFront(e)
	}
	if ref != nil {
		e.ref = ref
		ref.e.Store(e)
	}
}

// add inserts a verified value charged charge bytes (meta: an index or
// filter block; ref: see get) and evicts least recently used ones until
// the cache is within its limit. A value larger than the whole cache is
// not kept.
func (c *cacheShard) add(k blockKey, v any, charge int64, meta bool, ref *cacheRef) {
	if charge > c.capacity {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.mu.blocks[k]; ok {
		// A concurrent reader loaded the same block first.
		c.touchLocked(e, ref)
		return
	}
	e := &cacheEntry{key: k, value: v, charge: charge, meta: meta}
	c.mu.blocks[k] = e
	l := c.listLocked(e)
	l.pushFront(e)
	l.used += charge
	c.touchLocked(e, ref)
	// Readers set used bits without the lock, so the second chances are
	// bounded: past cacheSecondChancesMax, the back of the list goes.
	chances := 0
	for c.mu.data.used+c.mu.meta.used > c.capacity {
		victim := c.mu.data.root.prev
		if c.mu.meta.used > c.metaMax || c.mu.data.empty() {
			victim = c.mu.meta.root.prev
			if victim != e && chances < cacheSecondChancesMax && victim.referenced.Swap(false) {
				chances++
				// Used through its ref since it reached the back: a
				// second chance.
				c.mu.meta.unlink(victim)
				c.mu.meta.pushFront(victim)
				continue
			}
		}
		c.removeLocked(victim)
	}
}

func (c *cacheShard) removeLocked(e *cacheEntry) {
	l := c.listLocked(e)
	l.unlink(e)
	l.used -= e.charge
	delete(c.mu.blocks, e.key)
	if e.ref != nil {
		e.ref.e.CompareAndSwap(e, nil)
	}
}

// evictFile drops every block of a table file that is being deleted.
func (c *cacheShard) evictFile(fileNum uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range []*lruList{&c.mu.data, &c.mu.meta} {
		for e := l.root.next; e != &l.root; {
			next := e.next
			if e.key.fileNum == fileNum {
				c.removeLocked(e)
			}
			e = next
		}
	}
}

// stats returns hits, misses and the bytes in use.
func (c *cacheShard) stats() (hits, misses uint64, used int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.hits + c.refHits.Load(), c.mu.misses, c.mu.data.used + c.mu.meta.used
}
