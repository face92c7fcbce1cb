package lsm

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

func TestBlockCacheLRU(t *testing.T) {
	c := newBlockCache(300)
	var blk any = block{data: []byte("k")}
	k := func(n uint64) blockKey { return blockKey{fileNum: 1, offset: n} }
	c.add(k(1), blk, 100, false, nil)
	c.add(k(2), blk, 100, false, nil)
	c.add(k(3), blk, 100, false, nil)
	if _, ok := c.get(k(1), nil); !ok { // 1 is now the most recent
		t.Fatal("block 1 missing")
	}
	c.add(k(4), blk, 100, false, nil) // evicts 2, the least recently used
	if _, ok := c.get(k(2), nil); ok {
		t.Fatal("block 2 survived eviction")
	}
	for _, n := range []uint64{1, 3, 4} {
		if _, ok := c.get(k(n), nil); !ok {
			t.Fatalf("block %d evicted", n)
		}
	}
	c.add(k(5), blk, 301, false, nil) // larger than the cache: not kept
	if _, ok := c.get(k(5), nil); ok {
		t.Fatal("oversized block cached")
	}
	hits, misses, used := c.stats()
	if hits != 4 || misses != 2 || used != 300 {
		t.Fatalf("hits %d misses %d used %d; want 4, 2, 300", hits, misses, used)
	}
	c.add(blockKey{fileNum: 2, offset: 1}, blk, 100, false, nil)
	c.evictFile(1)
	if _, _, used := c.stats(); used != 100 {
		t.Fatalf("after evicting file 1, %d bytes used", used)
	}
}

// TestBlockCacheKeepsMeta: index and filter blocks are evicted after data
// blocks while they hold at most cacheMetaPercent of the cache, and like
// data blocks (least recently used first) beyond it.
func TestBlockCacheKeepsMeta(t *testing.T) {
	var v any = block{}
	k := func(n uint64) blockKey { return blockKey{fileNum: 1, offset: n} }
	for _, tc := range []struct {
		name string
		adds []bool   // meta or not, charged 100 each, keys 1, 2, ...
		gets []uint64 // touched after the adds, in order
		add  bool     // then one more of this kind
		gone []uint64 // evicted by it
	}{
		{"data goes first", []bool{true, false, false, true, false, false, false, false, false, false}, nil, false, []uint64{2}},
		{"least recent data goes", []bool{false, false, true, false, false, false, false, false, false, false}, []uint64{1}, true, []uint64{2}},
		{"meta over its share goes", []bool{true, true, true, true, true, false, false, false, false, false}, []uint64{1}, true, []uint64{2}},
		{"meta goes when no data is left", []bool{true, true, true, true, true, true, true, true, true, true}, nil, false, []uint64{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newBlockCache(1000) // meta may hold 500
			for i, meta := range tc.adds {
				c.add(k(uint64(i+1)), v, 100, meta, nil)
			}
			for _, n := range tc.gets {
				if _, ok := c.get(k(n), nil); !ok {
					t.Fatalf("block %d missing", n)
				}
			}
			c.add(k(100), v, 100, tc.add, nil)
			for n := uint64(1); n <= uint64(len(tc.adds)); n++ {
				_, ok := c.get(k(n), nil)
				if gone := slices.Contains(tc.gone, n); ok == gone {
					t.Errorf("block %d: cached %v, want evicted %v", n, ok, gone)
				}
			}
			if _, _, used := c.stats(); used != 1000 {
				t.Fatalf("%d bytes used", used)
			}
		})
	}
}

func TestBlockCacheLimitHoldsInDB(t *testing.T) {
	const limit = 64 << 10
	fs := vfs.NewMem()
	d, err := Open(fs, dir, Options{BlockCacheBytes: limit, DisableAutoCompaction: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rng := testRand(t)
	for i := range 5000 {
		set(t, d, uint64(i+1), fmt.Sprintf("key%05d", i), fmt.Sprintf("%0100d", i))
	}
	flush(t, d)
	for range 3000 {
		if _, ok, err := d.Get([]byte(fmt.Sprintf("key%05d", rng.Intn(5000)))); !ok || err != nil {
			t.Fatalf("Get: %v, %v", ok, err)
		}
		if m := d.Metrics(); m.BlockCacheBytes > limit {
			t.Fatalf("cache holds %d bytes, limit %d", m.BlockCacheBytes, limit)
		}
	}
	m := d.Metrics()
	if m.BlockCacheHits == 0 || m.BlockCacheMisses == 0 || m.BlockCacheBytes < limit/2 {
		t.Fatalf("cache metrics %+v: want hits, misses and a full cache", m)
	}
	if m.BlockCacheMisses != m.BlockReads+m.MetaBlockReads {
		t.Fatalf("%d misses but %d data and %d index or filter block reads", m.BlockCacheMisses, m.BlockReads, m.MetaBlockReads)
	}
	// A repeated lookup is a hit and reads nothing.
	key := []byte("key04321")
	if _, _, err := d.Get(key); err != nil {
		t.Fatal(err)
	}
	before := d.Metrics()
	if _, _, err := d.Get(key); err != nil {
		t.Fatal(err)
	}
	after := d.Metrics()
	// It hits the top index, the filter, the index partition and the block.
	if after.BlockCacheHits != before.BlockCacheHits+4 || after.BlockCacheMisses != before.BlockCacheMisses {
		t.Fatalf("repeated Get: hits %d→%d, misses %d→%d", before.BlockCacheHits, after.BlockCacheHits, before.BlockCacheMisses, after.BlockCacheMisses)
	}
	// Iterators fill the cache too, and stay within the limit.
	if got := len(scan(t, d, nil, nil)); got != 5000 {
		t.Fatalf("scan: %d keys", got)
	}
	if m := d.Metrics(); m.BlockCacheBytes > limit {
		t.Fatalf("after a scan the cache holds %d bytes, limit %d", m.BlockCacheBytes, limit)
	}
}

// TestCacheRef: a ref reaches its entry without a lookup while it is
// cached, is cleared when it is evicted, and a hit through it gives the
// entry a second chance at eviction.
func TestCacheRef(t *testing.T) {
	c := newBlockCache(400) // meta may hold 200
	k := func(n uint64) blockKey { return blockKey{fileNum: 1, offset: n} }
	var r1, r2, r3 cacheRef
	c.add(k(10), "data", 100, false, nil)
	c.add(k(11), "data", 100, false, nil)
	c.add(k(1), "one", 100, true, &r1)
	c.add(k(2), "two", 100, true, &r2)
	if v, ok := c.get(k(1), &r1); !ok || v != "one" {
		t.Fatalf("through ref: %v, %v", v, ok)
	}
	if hits, misses, _ := c.stats(); hits != 1 || misses != 0 {
		t.Fatalf("hits %d misses %d", hits, misses)
	}
	// The cache is full and meta holds its share (200): adding a third
	// meta block evicts the least recent, 1, but its hit through the ref
	// saves it once: 2 goes.
	c.add(k(3), "three", 100, true, &r3)
	if r2.e.Load() != nil {
		t.Fatal("evicted entry's ref not cleared")
	}
	if _, ok := c.get(k(2), &r2); ok {
		t.Fatal("block 2 survived")
	}
	if r1.e.Load() == nil || r3.e.Load() == nil {
		t.Fatal("refs of cached blocks cleared")
	}
	// A lookup by key points a fresh ref at the entry.
	var fresh cacheRef
	if v, ok := c.get(k(1), &fresh); !ok || v != "one" || fresh.e.Load() == nil {
		t.Fatalf("lookup with a fresh ref: %v, %v", v, ok)
	}
	c.evictFile(1)
	if fresh.e.Load() != nil || r3.e.Load() != nil {
		t.Fatal("evictFile left refs set")
	}
}

// TestCacheSecondChancesBounded: an insertion gives at most
// cacheSecondChancesMax used blocks a second chance, then evicts the back
// of the list even if it was used (readers set used bits without the
// lock, so an unbounded loop could chase them).
func TestCacheSecondChancesBounded(t *testing.T) {
	const n = cacheSecondChancesMax + 36
	c := newBlockCache(2 * n * 100) // meta may hold n blocks of 100
	k := func(i int) blockKey { return blockKey{fileNum: 1, offset: uint64(i)} }
	refs := make([]cacheRef, n+1)
	for i := range n {
		c.add(k(i), i, 100, true, &refs[i])
		c.add(k(1000+i), i, 100, false, nil) // data fills the other half
	}
	for i := range n {
		if _, ok := c.get(k(i), &refs[i]); !ok { // through the ref: used
			t.Fatalf("block %d missing", i)
		}
	}
	c.add(k(n), n, 100, true, &refs[n])
	// Blocks 0..63 (the back of the list, oldest first) got their second
	// chance; block 64 was used too but is evicted.
	for i := range n {
		_, ok := c.get(k(i), nil)
		if want := i != cacheSecondChancesMax; ok != want {
			t.Errorf("block %d cached %v, want %v", i, ok, want)
		}
	}
	if _, _, used := c.stats(); used != 2*n*100 {
		t.Fatalf("%d bytes used", used)
	}
}

// TestBlockCacheShards checks that a large cache is split into shards that
// share its limit, that the blocks of one table spread over them, and that
// lookups, the limit and evicting a file hold across shards.
func TestBlockCacheShards(t *testing.T) {
	for _, tc := range []struct {
		capacity int64
		shards   int
	}{
		{1 << 20, 1},
		{cacheShardBytesMin, 1},
		{2 * cacheShardBytesMin, 2},
		{128 << 20, cacheShardsMax},
		{1 << 40, cacheShardsMax},
	} {
		c := newBlockCache(tc.capacity)
		if len(c.shards) != tc.shards {
			t.Errorf("capacity %d: %d shards, want %d", tc.capacity, len(c.shards), tc.shards)
		}
		var sum int64
		for i := range c.shards {
			sum += c.shards[i].capacity
		}
		if sum > tc.capacity || sum < tc.capacity-int64(len(c.shards)) {
			t.Errorf("capacity %d: shards hold %d", tc.capacity, sum)
		}
	}
	const blockBytes = 4 << 10
	c := newBlockCache(64 << 20)
	used := map[*cacheShard]bool{}
	for file := uint64(1); file <= 2; file++ {
		for off := uint64(0); off < 32<<20; off += blockBytes {
			k := blockKey{fileNum: file, offset: off}
			c.add(k, off, blockBytes, false, nil)
			used[c.shard(k)] = true
		}
	}
	if len(used) != len(c.shards) {
		t.Errorf("blocks went to %d of %d shards", len(used), len(c.shards))
	}
	if _, _, n := c.stats(); n > 64<<20 {
		t.Errorf("cache holds %d bytes, limit %d", n, 64<<20)
	}
	k := blockKey{fileNum: 2, offset: 32<<20 - blockBytes}
	if v, ok := c.get(k, nil); !ok || v.(uint64) != k.offset {
		t.Fatalf("last block added: %v %v", v, ok)
	}
	c.evictFile(2)
	for off := uint64(0); off < 32<<20; off += blockBytes {
		if _, ok := c.get(blockKey{fileNum: 2, offset: off}, nil); ok {
			t.Fatalf("block at %d of an evicted file still cached", off)
		}
	}
}
