package lsm

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

func TestBloomFalsePositiveRate(t *testing.T) {
	const keys, probes = 10000, 100000
	f := newBloomFilter(keys)
	for i := range keys {
		f.add(keyHash([]byte(fmt.Sprintf("present-%d", i))))
	}
	g, ok := decodeBloomFilter(f.encode())
	if !ok {
		t.Fatal("filter does not decode")
	}
	for i := range keys {
		if !g.mayContain(keyHash([]byte(fmt.Sprintf("present-%d", i)))) {
			t.Fatalf("false negative for present-%d", i)
		}
	}
	fp := 0
	for i := range probes {
		if g.mayContain(keyHash([]byte(fmt.Sprintf("absent-%d", i)))) {
			fp++
		}
	}
	// 10 bits per key and 7 probes give about 0.82%.
	rate := float64(fp) / probes
	t.Logf("false-positive rate %.3f%%", 100*rate)
	if rate > 0.015 || rate < 0.002 {
		t.Fatalf("false-positive rate %.3f%%, want about 0.8%%", 100*rate)
	}
}

func TestDecodeBloomFilterRejectsBadProbes(t *testing.T) {
	for _, data := range [][]byte{nil, {7}, {0xff, 0}, {0xff, bloomProbesMax + 1}} {
		if _, ok := decodeBloomFilter(data); ok {
			t.Errorf("decodeBloomFilter(%v) accepted", data)
		}
	}
}

// fourTables writes four tables whose keys interleave over one range, so
// that only the filters can rule a table out.
func fourTables(t *testing.T, fs vfs.FS, opts Options) *DB {
	t.Helper()
	d, err := Open(fs, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	var lsn uint64
	for tbl := range 4 {
		var b Batch
		for i := tbl; i < 10000; i += 4 {
			b.Set([]byte(fmt.Sprintf("key%05d", i)), []byte("value"))
		}
		lsn++
		if err := d.Apply(&b, lsn); err != nil {
			t.Fatal(err)
		}
		flush(t, d)
	}
	return d
}

func TestGetAbsentKeyReadsNoBlocks(t *testing.T) {
	d := fourTables(t, vfs.NewMem(), Options{BlockCacheBytes: -1, DisableAutoCompaction: true})
	defer d.Close()
	d.mu.RLock()
	tables := d.mu.current.levels[0]
	d.mu.RUnlock()
	if len(tables) != 4 {
		t.Fatalf("%d tables, want 4", len(tables))
	}
	before := d.Metrics()
	const lookups = 2000
	falsePositives, probes := uint64(0), uint64(0)
	for i := range lookups {
		k := []byte(fmt.Sprintf("key%05d-absent", i*5))
		lookup := makeIKey(k, maxSeq) // what Get searches for
		part := userPart(lookup)      // what filters and ranges hold
		for _, f := range tables {
			// A table whose key range rules the key out is not probed.
			if !f.contains(part) {
				continue
			}
			probes++
			if filterMayContain(t, f.t, lookup, part) {
				falsePositives++
			}
		}
		if _, ok, err := d.Get(k); ok || err != nil {
			t.Fatalf("Get(%s) = %v, %v", k, ok, err)
		}
	}
	after := d.Metrics()
	reads := after.BlockReads - before.BlockReads
	skips := after.FilterSkips - before.FilterSkips
	if reads != falsePositives {
		t.Fatalf("absent-key Gets read %d blocks; the filters let %d lookups through", reads, falsePositives)
	}
	if skips != probes-falsePositives || probes < 4*lookups*9/10 {
		t.Fatalf("filter skips %d in %d probes, want %d", skips, probes, probes-falsePositives)
	}
	if falsePositives > 4*lookups/50 {
		t.Fatalf("%d false positives in %d table lookups", falsePositives, 4*lookups)
	}
	// Present keys still read exactly one block each.
	before = d.Metrics()
	for i := range 100 {
		if _, ok, err := d.Get([]byte(fmt.Sprintf("key%05d", i*97))); !ok || err != nil {
			t.Fatalf("Get(key%05d) = %v, %v", i*97, ok, err)
		}
	}
	if got := d.Metrics().BlockReads - before.BlockReads; got < 100 || got > 110 {
		t.Fatalf("100 present-key Gets read %d blocks", got)
	}
}

// TestBloomFilterSize: a filter is sized at bloomBitsPerKey for the keys
// it is built for (at least bloomMinBytes).
func TestBloomFilterSize(t *testing.T) {
	for _, tc := range []struct{ keys, bytes uint64 }{
		{0, bloomMinBytes},
		{1, bloomMinBytes},
		{7, 9},
		{filterPartitionKeysMax, filterPartitionKeysMax * bloomBitsPerKey / 8},
	} {
		f := newBloomFilter(tc.keys)
		if uint64(len(f.bits)) != tc.bytes || f.probes != bloomProbes {
			t.Errorf("newBloomFilter(%d): %d bytes, %d probes; want %d bytes", tc.keys, len(f.bits), f.probes, tc.bytes)
		}
		if enc := f.encode(); uint64(len(enc)) != tc.bytes+1 {
			t.Errorf("encoding of %d bytes", len(enc))
		}
	}
}

// filterMayContain reads the filter of the partition of tbl that would
// hold key (the partition a lookup of key searches) and probes it with
// filterKey (what the filter holds for key: the user part of an internal
// key).
func filterMayContain(t *testing.T, tbl *table, key, filterKey []byte) bool {
	t.Helper()
	top, err := tbl.topIndex(false)
	if err != nil {
		t.Fatal(err)
	}
	pi := searchTop(top, key)
	if pi == len(top) {
		return false
	}
	f, err := tbl.filter(&top[pi], false)
	if err != nil {
		t.Fatal(err)
	}
	return f.mayContain(keyHash(filterKey))
}

// TestBloomProbesMatchFormula: the incremental probes set exactly the bits
// (h1 + i*h2) mod m that the format defines, for filters of several sizes
// (powers of two or not, as old tables and new partitions have).
func TestBloomProbesMatchFormula(t *testing.T) {
	rng := testRand(t)
	for _, size := range []int{bloomMinBytes, 9, 100, 1 << 10, 5120, 65537} {
		for range 200 {
			h := rng.Uint64()
			if rng.Intn(4) == 0 {
				h |= 0xffffffff // h1 at its largest
			}
			f := bloomFilter{bits: make([]byte, size), probes: bloomProbes}
			f.add(h)
			want := make([]byte, size)
			m := uint64(size) * 8
			for i := range uint64(bloomProbes) {
				bit := (h&0xffffffff + i*(h>>32)) % m
				want[bit/8] |= 1 << (bit % 8)
			}
			if !bytes.Equal(f.bits, want) {
				t.Fatalf("size %d, hash %#x: probes differ from the format", size, h)
			}
			if !f.mayContain(h) {
				t.Fatalf("size %d, hash %#x: added key not found", size, h)
			}
		}
	}
}
