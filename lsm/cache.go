package lsm

import (
	"sync"
)

// blockKey names a block of a table file: file numbers are never reused
// within a DB, so a key cannot name two different blocks.
type blockKey struct {
	fileNum uint64
	offset  uint64
}

// cacheEntry is one cached block in the LRU list.
type cacheEntry struct {
	key        blockKey
	value      any
	charge     int64
	prev, next *cacheEntry
}

// blockCache is an LRU cache of verified, parsed blocks with a byte
// limit, shared by all tables of a DB: data blocks (block), index
// partitions ([]indexEntry), top indexes ([]topEntry) and filters
// (bloomFilter). It holds only blocks whose CRC matched and that passed
// their checks, so a hit needs no verification. Cached values are shared
// by every reader and never modified; evicting one drops only the cache's
// reference, so a reader still using it is unaffected. Safe for
// concurrent use.
type blockCache struct {
	capacity int64

	mu struct {
		sync.Mutex
		used   int64
		lru    cacheEntry // sentinel: lru.next is the most recently used
		blocks map[blockKey]*cacheEntry
		hits   uint64
		misses uint64
	}
}

func newBlockCache(capacity int64) *blockCache {
	c := &blockCache{capacity: capacity}
	c.mu.blocks = make(map[blockKey]*cacheEntry)
	c.mu.lru.next, c.mu.lru.prev = &c.mu.lru, &c.mu.lru
	return c
}

func (c *blockCache) unlinkLocked(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *blockCache) pushFrontLocked(e *cacheEntry) {
	e.prev, e.next = &c.mu.lru, c.mu.lru.next
	e.prev.next, e.next.prev = e, e
}

// get returns the cached value and counts a hit or a miss.
func (c *blockCache) get(k blockKey) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.mu.blocks[k]
	if !ok {
		c.mu.misses++
		return nil, false
	}
	c.mu.hits++
	if c.mu.lru.next != e {
		c.unlinkLocked(e)
		c.pushFrontLocked(e)
	}
	return e.value, true
}

// add inserts a verified value charged charge bytes and evicts least
// recently used ones until the cache is within its limit. A value larger
// than the whole cache is not kept.
func (c *blockCache) add(k blockKey, v any, charge int64) {
	if charge > c.capacity {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.mu.blocks[k]; ok {
		// A concurrent reader loaded the same block first.
		c.unlinkLocked(e)
		c.pushFrontLocked(e)
		return
	}
	e := &cacheEntry{key: k, value: v, charge: charge}
	c.mu.blocks[k] = e
	c.pushFrontLocked(e)
	c.mu.used += charge
	for c.mu.used > c.capacity {
		c.removeLocked(c.mu.lru.prev)
	}
}

func (c *blockCache) removeLocked(e *cacheEntry) {
	c.unlinkLocked(e)
	delete(c.mu.blocks, e.key)
	c.mu.used -= e.charge
}

// evictFile drops every block of a table file that is being deleted.
func (c *blockCache) evictFile(fileNum uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.mu.lru.next; e != &c.mu.lru; {
		next := e.next
		if e.key.fileNum == fileNum {
			c.removeLocked(e)
		}
		e = next
	}
}

// stats returns hits, misses and the bytes in use.
func (c *blockCache) stats() (hits, misses uint64, used int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.hits, c.mu.misses, c.mu.used
}
