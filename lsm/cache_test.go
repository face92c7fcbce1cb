package lsm

import (
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

func TestBlockCacheLRU(t *testing.T) {
	c := newBlockCache(300)
	var blk any = block{data: []byte("k")}
	k := func(n uint64) blockKey { return blockKey{fileNum: 1, offset: n} }
	c.add(k(1), blk, 100)
	c.add(k(2), blk, 100)
	c.add(k(3), blk, 100)
	if _, ok := c.get(k(1)); !ok { // 1 is now the most recent
		t.Fatal("block 1 missing")
	}
	c.add(k(4), blk, 100) // evicts 2, the least recently used
	if _, ok := c.get(k(2)); ok {
		t.Fatal("block 2 survived eviction")
	}
	for _, n := range []uint64{1, 3, 4} {
		if _, ok := c.get(k(n)); !ok {
			t.Fatalf("block %d evicted", n)
		}
	}
	c.add(k(5), blk, 301) // larger than the cache: not kept
	if _, ok := c.get(k(5)); ok {
		t.Fatal("oversized block cached")
	}
	hits, misses, used := c.stats()
	if hits != 4 || misses != 2 || used != 300 {
		t.Fatalf("hits %d misses %d used %d; want 4, 2, 300", hits, misses, used)
	}
	c.add(blockKey{fileNum: 2, offset: 1}, blk, 100)
	c.evictFile(1)
	if _, _, used := c.stats(); used != 100 {
		t.Fatalf("after evicting file 1, %d bytes used", used)
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
