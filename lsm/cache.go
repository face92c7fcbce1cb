package lsm

import (
	"container/list"
	"sync"
)

// blockKey names a data block: file numbers are never reused within a DB,
// so a key cannot name two different blocks.
type blockKey struct {
	fileNum uint64
	offset  uint64
}

// cachedBlock is one checksum-verified, checked data block.
type cachedBlock struct {
	key    blockKey
	blk    block
	charge int64
}

// blockCache is an LRU cache of parsed data blocks with a byte limit,
// shared by all tables of a DB. It holds only blocks whose CRC matched and
// that passed checkBlock, so a hit needs no verification. Cached blocks are
// shared by every reader and never modified. Safe for concurrent use.
type blockCache struct {
	capacity int64

	mu struct {
		sync.Mutex
		used   int64
		lru    list.List // of *cachedBlock, most recently used at the front
		blocks map[blockKey]*list.Element
		hits   uint64
		misses uint64
	}
}

func newBlockCache(capacity int64) *blockCache {
	c := &blockCache{capacity: capacity}
	c.mu.blocks = make(map[blockKey]*list.Element)
	return c
}

// blockCharge is what a block counts against the limit: its bytes (entries
// are decoded from them as they are read) plus the bookkeeping.
func blockCharge(dataBytes int) int64 {
	return int64(dataBytes) + cachedBlockOverheadBytes
}

// get returns the block and counts a hit or a miss.
func (c *blockCache) get(k blockKey) (block, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.mu.blocks[k]
	if !ok {
		c.mu.misses++
		return block{}, false
	}
	c.mu.hits++
	c.mu.lru.MoveToFront(el)
	return el.Value.(*cachedBlock).blk, true
}

// add inserts a verified block and evicts least recently used blocks until
// the cache is within its limit. A block larger than the whole cache is not
// kept.
func (c *blockCache) add(k blockKey, b block, charge int64) {
	if charge > c.capacity {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.mu.blocks[k]; ok {
		// A concurrent reader loaded the same block first.
		c.mu.lru.MoveToFront(el)
		return
	}
	c.mu.blocks[k] = c.mu.lru.PushFront(&cachedBlock{key: k, blk: b, charge: charge})
	c.mu.used += charge
	for c.mu.used > c.capacity {
		c.removeLocked(c.mu.lru.Back())
	}
}

func (c *blockCache) removeLocked(el *list.Element) {
	b := c.mu.lru.Remove(el).(*cachedBlock)
	delete(c.mu.blocks, b.key)
	c.mu.used -= b.charge
}

// evictFile drops every block of a table file that is being deleted.
func (c *blockCache) evictFile(fileNum uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.mu.lru.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*cachedBlock).key.fileNum == fileNum {
			c.removeLocked(el)
		}
		el = next
	}
}

// stats returns hits, misses and the bytes in use.
func (c *blockCache) stats() (hits, misses uint64, used int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.hits, c.mu.misses, c.mu.used
}
