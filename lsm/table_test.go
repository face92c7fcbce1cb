package lsm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// layout is where a table's blocks are, read through the table's own
// reader.
type layout struct {
	tbl        *table
	top        blockHandle
	partitions []partition
	blocks     []blockHandle // data blocks, in key order
	lastKeys   [][]byte      // of each data block
}

func tableLayout(t *testing.T, fs vfs.FS, name string) layout {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := loadTable(f, name, 1, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	l := layout{tbl: tbl, top: tbl.top}
	if tbl.empty() {
		return l
	}
	top, err := tbl.topIndex(false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range top {
		l.partitions = append(l.partitions, top[i].p)
		idx, err := tbl.indexPartition(&top[i], false)
		if err != nil {
			t.Fatal(err)
		}
		for _, ie := range idx {
			l.blocks = append(l.blocks, ie.h)
			l.lastKeys = append(l.lastKeys, ie.lastKey)
		}
	}
	return l
}

// rewriteBlock replaces the payload of the version 4 block at h in a
// table file image by payload with compression type typ and a matching
// CRC (as a writer bug would produce: the CRC cannot catch it). payload
// must have the old payload's length.
func rewriteBlock(t *testing.T, data []byte, h blockHandle, payload []byte, typ byte) {
	t.Helper()
	if uint64(len(payload)) != h.length {
		t.Fatalf("rewriteBlock: %d bytes for a block of %d", len(payload), h.length)
	}
	copy(data[h.offset:], payload)
	data[h.offset+h.length] = typ
	sum := crc32.Checksum(data[h.offset:h.offset+h.length+1], castagnoli)
	binary.LittleEndian.PutUint32(data[h.offset+h.length+1:], sum)
}

// writeTestTable writes a table of the given entries as file 1 of a new
// store in fs, with a manifest naming it, without compression.
func writeTestTable(t *testing.T, fs vfs.FS, ents []entry) string {
	t.Helper()
	return writeTestTableCompressed(t, fs, ents, compressionNone)
}

func writeTestTableCompressed(t *testing.T, fs vfs.FS, ents []entry, compression byte) string {
	t.Helper()
	if err := fs.MkdirAll(dir); err != nil {
		t.Fatal(err)
	}
	name := dir + "/" + tableName(1)
	f, err := fs.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	tw := newTableWriter(f, compression, uint64(len(ents)))
	for _, e := range ents {
		if err := tw.add(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(tw.finish(), f.Sync(), f.Close()); err != nil {
		t.Fatal(err)
	}
	if len(ents) > 0 {
		writeUserKeyManifest(t, fs, ents)
	}
	return name
}

// writeUserKeyManifest writes a manifest whose version is table 1 in L1,
// a table of user keys (manifest tag 5, read as versions at sequence
// number 0) from the first to the last key of ents. The manifest records
// the key range, so Open reads nothing of the table but its footer and
// top index.
func writeUserKeyManifest(t *testing.T, fs vfs.FS, ents []entry) {
	t.Helper()
	size, err := fs.Stat(dir + "/" + tableName(1))
	if err != nil {
		t.Fatal(err)
	}
	var levels [numLevels][]*fileMeta
	levels[1] = []*fileMeta{{
		fileNum: 1, size: uint64(size), legacyKeys: true,
		smallest: makeIKey(ents[0].key, 0), largest: makeIKey(ents[len(ents)-1].key, 0),
	}}
	w, _, err := createManifest(fs, dir, 1, snapshotEdit(levels, nil, 0, 2, 0, [numLevels][]byte{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
}

func numberedEntries(n int, value func(i int) string) []entry {
	ents := make([]entry, n)
	for i := range ents {
		ents[i] = entry{key: []byte(fmt.Sprintf("key%07d", i)), value: []byte(value(i)), deleted: i%11 == 5}
	}
	return ents
}

// TestPartitionedTable writes tables of several sizes and checks the
// partition layout and every read path against the entries: Get of each
// key and of absent keys, forward and backward scans, and seeks that
// land on block and partition boundaries.
func TestPartitionedTable(t *testing.T) {
	rng := testRand(t)
	for _, tc := range []struct {
		name       string
		n          int
		value      func(i int) string
		partitions int // at least
	}{
		{"one entry", 1, func(int) string { return "v" }, 1},
		{"one block", 20, func(i int) string { return fmt.Sprint(i) }, 1},
		{"many small entries", 3 * filterPartitionKeysMax, func(i int) string { return "" }, 3},
		{"large values", 3000, func(i int) string { return strings.Repeat("x", 100+i%50) }, 1},
		{"values over a block", 40, func(i int) string { return strings.Repeat("y", 5000) }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			ents := numberedEntries(tc.n, tc.value)
			name := writeTestTable(t, fs, ents)
			l := tableLayout(t, fs, name)
			if len(l.partitions) < tc.partitions {
				t.Fatalf("%d partitions, want at least %d", len(l.partitions), tc.partitions)
			}
			for _, p := range l.partitions {
				if p.filterLen > filterPartitionKeysMax*bloomBitsPerKey/8+1 {
					t.Fatalf("filter partition of %d bytes", p.filterLen)
				}
			}
			if l.tbl.count != uint64(tc.n) {
				t.Fatalf("footer count %d, want %d", l.tbl.count, tc.n)
			}
			d, err := Open(fs, dir, Options{BlockCacheBytes: 32 << 10, DisableAutoCompaction: true})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var want []string
			for _, e := range ents {
				v, ok, err := d.Get(e.key)
				if err != nil || ok == e.deleted || ok && !bytes.Equal(v, e.value) {
					t.Fatalf("Get(%s) = %.10q, %v, %v", e.key, v, ok, err)
				}
				if _, ok, err := d.Get(append(e.key, '!')); ok || err != nil {
					t.Fatalf("Get(absent %s!) = %v, %v", e.key, ok, err)
				}
				if !e.deleted {
					want = append(want, string(e.key)+"="+string(e.value))
				}
			}
			if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("forward scan: %d keys, want %d", len(got), len(want))
			}
			if got := reverseScan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(reversed(want), ",") {
				t.Fatalf("backward scan: %d keys, want %d", len(got), len(want))
			}
			// Seeks at, just below and just above block boundaries (and so
			// partition boundaries), against the entries.
			var targets [][]byte
			for _, k := range l.lastKeys {
				targets = append(targets, k, append(append([]byte(nil), k...), 0), k[:len(k)-1])
			}
			for range 50 {
				targets = append(targets, ents[rng.Intn(tc.n)].key)
			}
			targets = append(targets, []byte(""), []byte("zzz"))
			src := newTableSource(l.tbl, false)
			for _, k := range targets {
				i := sort.Search(tc.n, func(i int) bool { return bytes.Compare(ents[i].key, k) >= 0 })
				src.seekGE(k)
				if src.valid() != (i < tc.n) || src.valid() && !bytes.Equal(src.key(), ents[i].key) {
					t.Fatalf("seekGE(%q): valid %v key %q, want entry %d", k, src.valid(), src.key(), i)
				}
				if i < tc.n-1 {
					src.next()
					if !src.valid() || !bytes.Equal(src.key(), ents[i+1].key) {
						t.Fatalf("seekGE(%q) then next: %q, want %q", k, src.key(), ents[i+1].key)
					}
				}
				src.seekLT(k)
				if src.valid() != (i > 0) || src.valid() && !bytes.Equal(src.key(), ents[i-1].key) {
					t.Fatalf("seekLT(%q): valid %v key %q, want entry %d", k, src.valid(), src.key(), i-1)
				}
				if i > 1 {
					src.prev()
					if !src.valid() || !bytes.Equal(src.key(), ents[i-2].key) {
						t.Fatalf("seekLT(%q) then prev: %q, want %q", k, src.key(), ents[i-2].key)
					}
				}
			}
			if src.err() != nil {
				t.Fatal(src.err())
			}
		})
	}
}

// TestEmptyTable: a table with no entries (a compaction that dropped
// everything writes one before removing it) opens and reads as empty.
func TestEmptyTable(t *testing.T) {
	fs := vfs.NewMem()
	name := writeTestTable(t, fs, nil)
	l := tableLayout(t, fs, name)
	if !l.tbl.empty() || l.top.length != 0 {
		t.Fatalf("empty table: top index %+v", l.top)
	}
	if _, ok, err := l.tbl.get([]byte("a"), keyHash([]byte("a"))); ok || err != nil {
		t.Fatalf("get: %v, %v", ok, err)
	}
	src := newTableSource(l.tbl, false)
	for _, move := range []func(){src.first, src.last, func() { src.seekGE(nil) }, func() { src.seekLT([]byte("z")) }} {
		move()
		if src.valid() || src.err() != nil {
			t.Fatalf("empty table positioned: %v, %v", src.valid(), src.err())
		}
	}
}

// TestIndexAndFilterThroughCache: a table holds none of its index or
// filter; they are read through the block cache, stay within its limit,
// are evicted like data blocks, and are read again when needed.
func TestIndexAndFilterThroughCache(t *testing.T) {
	fs := vfs.NewMem()
	ents := numberedEntries(20*filterPartitionKeysMax, func(i int) string { return "value" })
	writeTestTable(t, fs, ents)
	const limit = 64 << 10
	d, err := Open(fs, dir, Options{BlockCacheBytes: limit, DisableAutoCompaction: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// Open read (and cached) only the top index.
	if m := d.Metrics(); m.MetaBlockReads != 1 || m.BlockReads != 0 || m.BlockCacheBytes == 0 {
		t.Fatalf("after open: %+v", m)
	}
	rng := testRand(t)
	for range 5000 {
		k := ents[rng.Intn(len(ents))].key
		if rng.Intn(2) == 0 {
			k = append(k, '!')
		}
		if _, _, err := d.Get(k); err != nil {
			t.Fatal(err)
		}
		if m := d.Metrics(); m.BlockCacheBytes > limit {
			t.Fatalf("cache holds %d bytes, limit %d", m.BlockCacheBytes, limit)
		}
	}
	m := d.Metrics()
	// 20 partitions' filters and indexes (about 10 KiB each) do not fit in
	// 64 KiB: they were evicted and read again.
	if m.MetaBlockReads < 100 {
		t.Fatalf("%d index and filter reads: not evicted", m.MetaBlockReads)
	}
	if m.BlockCacheMisses != m.BlockReads+m.MetaBlockReads {
		t.Fatalf("%d misses, %d data and %d index or filter reads", m.BlockCacheMisses, m.BlockReads, m.MetaBlockReads)
	}
	// Absent keys are still answered by filters: about 1% reach a block.
	before := d.Metrics()
	for i := range 2000 {
		if _, ok, err := d.Get([]byte(fmt.Sprintf("key%07d!", i*37))); ok || err != nil {
			t.Fatalf("absent Get: %v, %v", ok, err)
		}
	}
	after := d.Metrics()
	if skips := after.FilterSkips - before.FilterSkips; skips < 1900 {
		t.Fatalf("filters answered %d of 2000 absent lookups", skips)
	}
	// A repeated lookup reads nothing.
	key := ents[12345].key
	if _, _, err := d.Get(key); err != nil {
		t.Fatal(err)
	}
	before = d.Metrics()
	if _, _, err := d.Get(key); err != nil {
		t.Fatal(err)
	}
	after = d.Metrics()
	if after.BlockReads != before.BlockReads || after.MetaBlockReads != before.MetaBlockReads {
		t.Fatalf("repeated Get read %d data and %d other blocks", after.BlockReads-before.BlockReads, after.MetaBlockReads-before.MetaBlockReads)
	}
}

// TestCorruptIndexAndFilterPartitions damages an index partition or a
// filter partition (recomputing its CRC, as a writer bug would): the
// table still opens (they are read lazily), and the reads that use the
// damaged block fail with ErrCorrupt, as does Check.
func TestCorruptIndexAndFilterPartitions(t *testing.T) {
	for _, tc := range []struct {
		name      string
		block     func(p partition) blockHandle
		scanFails bool
	}{
		{"index partition", func(p partition) blockHandle { return p.index }, true},
		{"filter partition", partition.filter, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			ents := numberedEntries(3*filterPartitionKeysMax, func(int) string { return "v" })
			name := writeTestTable(t, fs, ents)
			l := tableLayout(t, fs, name)
			data := readAll(t, fs, name)
			h := tc.block(l.partitions[1])
			payload := append([]byte(nil), data[h.offset:h.offset+h.length]...)
			payload[len(payload)-1] ^= 0x40 // a block length or the probe count
			rewriteBlock(t, data, h, payload, compressionNone)
			writeAll(t, fs, name, data)
			d, err := Open(fs, dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, _, err := d.Get(ents[0].key); err != nil {
				t.Fatalf("Get in an intact partition: %v", err)
			}
			if _, _, err := d.Get(ents[filterPartitionKeysMax+10].key); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Get in the damaged partition: %v, want ErrCorrupt", err)
			}
			it := d.NewIter(nil, nil)
			for ok := it.First(); ok; ok = it.Next() {
			}
			if err := it.Close(); errors.Is(err, ErrCorrupt) != tc.scanFails {
				t.Fatalf("scan: %v, want ErrCorrupt %v", err, tc.scanFails)
			}
			if _, err := d.Check(); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Check: %v, want ErrCorrupt", err)
			}
		})
	}
}

// TestReadsOlderVersions reads tables written by earlier versions of the
// writer (testdata/vN.sst: keys k0000..k0499, every 7th a tombstone,
// values "v<i>-" and 20 x's): Get, both scan directions, and a compaction
// that rewrites them in the current version.
func TestReadsOlderVersions(t *testing.T) {
	var want []string
	for i := range 500 {
		if i%7 != 0 {
			want = append(want, fmt.Sprintf("k%04d=v%d-%s", i, i, strings.Repeat("x", 20)))
		}
	}
	for _, version := range []uint32{tableVersion1, tableVersion2, tableVersion3} {
		t.Run(fmt.Sprintf("v%d", version), func(t *testing.T) {
			img, err := os.ReadFile(fmt.Sprintf("testdata/v%d.sst", version))
			if err != nil {
				t.Fatal(err)
			}
			if v := binary.LittleEndian.Uint32(img[len(img)-16:]); v != version {
				t.Fatalf("fixture has version %d", v)
			}
			fs := vfs.NewMem()
			if err := fs.MkdirAll(dir); err != nil {
				t.Fatal(err)
			}
			writeAll(t, fs, dir+"/"+tableName(1), img)
			if err := writeManifestV1(fs, dir, 0, 2, 1); err != nil {
				t.Fatal(err)
			}
			d := mustOpen(t, fs)
			defer d.Close()
			if v, ok, err := d.Get([]byte("k0043")); string(v) != "v43-"+strings.Repeat("x", 20) || !ok || err != nil {
				t.Fatalf("Get = %q, %v, %v", v, ok, err)
			}
			for _, k := range []string{"k0042", "k1000", "k0043!", ""} {
				if _, ok, err := d.Get([]byte(k)); ok || err != nil {
					t.Fatalf("Get(%q) = %v, %v", k, ok, err)
				}
			}
			if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("forward scan:\n got %v\nwant %v", got, want)
			}
			if got := reverseScan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(reversed(want), ",") {
				t.Fatalf("backward scan:\n got %v\nwant %v", got, reversed(want))
			}
			if got := scan(t, d, []byte("k0100"), []byte("k0200")); len(got) != 100-100/7 {
				t.Fatalf("bounded scan: %d keys", len(got))
			}
			if _, err := d.Check(); err != nil {
				t.Fatal(err)
			}
			if err := d.Compact(); err != nil {
				t.Fatal(err)
			}
			data := readAll(t, fs, dir+"/"+tableName(2))
			if v := binary.LittleEndian.Uint32(data[len(data)-16:]); v != tableVersion {
				t.Fatalf("compaction wrote version %d", v)
			}
			if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("scan after rewriting:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// TestIndexByteDamage changes single bytes of a top index and of an index
// partition, recomputing the CRC each time (as a writer bug would): no
// read may panic or fail with anything but ErrCorrupt, and if Check
// passes, every Get must be right. (A changed key that keeps the index in
// order can send a Get to the wrong block or partition unnoticed; Check
// compares every index's last key with the level above and finds it.)
func TestIndexByteDamage(t *testing.T) {
	rng := testRand(t)
	base := vfs.NewMem()
	ents := numberedEntries(3*filterPartitionKeysMax, func(i int) string { return fmt.Sprint(i) })
	name := writeTestTable(t, base, ents)
	l := tableLayout(t, base, name)
	img := readAll(t, base, name)
	probes := []int{0, 1, filterPartitionKeysMax - 1, filterPartitionKeysMax, len(ents) - 1}
	for range 20 {
		probes = append(probes, rng.Intn(len(ents)))
	}
	for _, h := range []blockHandle{l.top, l.partitions[0].index} {
		for range 150 {
			data := bytes.Clone(img)
			payload := bytes.Clone(data[h.offset : h.offset+h.length])
			i := rng.Intn(len(payload))
			payload[i] ^= byte(1 + rng.Intn(255))
			rewriteBlock(t, data, h, payload, compressionNone)
			fs := vfs.NewMem()
			if err := fs.MkdirAll(dir); err != nil {
				t.Fatal(err)
			}
			writeAll(t, fs, name, data)
			writeUserKeyManifest(t, fs, ents)
			d, err := Open(fs, dir, Options{BlockCacheBytes: -1})
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("block at %d, byte %d: open: %v", h.offset, i, err)
				}
				continue
			}
			_, checkErr := d.Check()
			if checkErr != nil && !errors.Is(checkErr, ErrCorrupt) {
				t.Fatalf("block at %d, byte %d: Check: %v", h.offset, i, checkErr)
			}
			for _, k := range probes {
				e := ents[k]
				v, ok, err := d.Get(e.key)
				if err == nil && checkErr == nil && (ok == e.deleted || ok && !bytes.Equal(v, e.value)) {
					t.Fatalf("block at %d, byte %d: Get(%s) = %q, %v: wrong data, and Check passed", h.offset, i, e.key, v, ok)
				}
				if err != nil && !errors.Is(err, ErrCorrupt) {
					t.Fatalf("block at %d, byte %d: Get: %v", h.offset, i, err)
				}
			}
			d.Close()
		}
	}
}

// TestReadahead: a forward scan of uncached blocks reads them a run at a
// time, growing to readaheadBytes; a bounded scan does not fail on a
// damaged block beyond its bound that the read-ahead covered, and a full
// scan does.
func TestReadahead(t *testing.T) {
	fs := vfs.NewMem()
	ents := numberedEntries(3*filterPartitionKeysMax, func(i int) string { return strings.Repeat("v", 100) })
	name := writeTestTable(t, fs, ents)
	l := tableLayout(t, fs, name)
	reads := 0
	fs.InjectError(func(op vfs.Op, file string) error {
		if op == vfs.OpRead && file == name {
			reads++
		}
		return nil
	})
	d, err := Open(fs, dir, Options{BlockCacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	reads = 0
	got := scan(t, d, nil, nil)
	if len(got) != len(ents)-len(ents)/11 {
		t.Fatalf("scan: %d keys", len(got))
	}
	// The table's blocks (about 1000) at up to readaheadBytes (16 blocks)
	// per read, plus the indexes and the top index.
	want := len(l.blocks)*blockSizeTarget/readaheadBytes + 2*len(l.partitions) + 16
	if reads > want || reads < len(l.blocks)/(readaheadBytes/blockSizeTarget) {
		t.Fatalf("scan of %d blocks made %d reads, want about %d", len(l.blocks), reads, want)
	}
	d.Close()
	fs.InjectError(nil)

	// Damage block 5 (its CRC no longer matches): a scan that stops
	// before it succeeds, though a read-ahead (blocks 3 to 6) covers it.
	// (The iterator steps one entry past the last key it returns: the
	// bound ends block 3, so that step stays in block 4.)
	data := readAll(t, fs, name)
	data[l.blocks[5].offset+10] ^= 1
	writeAll(t, fs, name, data)
	d, err = Open(fs, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	upper := l.lastKeys[3]
	if got := scan(t, d, nil, append(bytes.Clone(upper), 0)); len(got) == 0 {
		t.Fatal("bounded scan saw nothing")
	}
	it := d.NewIter(nil, nil)
	for ok := it.First(); ok; ok = it.Next() {
	}
	if err := it.Close(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("full scan: %v, want ErrCorrupt", err)
	}
}

// TestVersionsSpanPartitions: the versions of one user key fill several
// partitions of a table (a flush writes every version), and a Get at each
// snapshot's sequence number lands in the partition holding the version
// it wants, whose filter (of user parts) holds the key.
func TestVersionsSpanPartitions(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, Options{DisableAutoCompaction: true, BlockCacheBytes: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	set(t, d, 1, "a", "first", "z", "last")
	type snap struct {
		s    *Snapshot
		want string
	}
	var snaps []snap
	const versions = 2*filterPartitionKeysMax + 500
	for i := range versions {
		set(t, d, uint64(i+2), "k", fmt.Sprint(i))
		if i%250 == 0 {
			snaps = append(snaps, snap{d.NewSnapshot(), fmt.Sprint(i)})
		}
	}
	defer func() {
		for _, s := range snaps {
			s.s.Close()
		}
	}()
	check := func(stage string) {
		t.Helper()
		for _, s := range snaps {
			if v, ok, err := s.s.Get([]byte("k")); string(v) != s.want || !ok || err != nil {
				t.Fatalf("%s: Get at seq %d = %q, %v, %v; want %q", stage, s.s.Seq(), v, ok, err, s.want)
			}
		}
		if v, ok, err := d.Get([]byte("k")); string(v) != fmt.Sprint(versions-1) || !ok || err != nil {
			t.Fatalf("%s: Get = %q, %v, %v", stage, v, ok, err)
		}
		for _, k := range []string{"j", "k0", "l"} {
			if _, ok, err := d.Get([]byte(k)); ok || err != nil {
				t.Fatalf("%s: Get(%s) = %v, %v", stage, k, ok, err)
			}
		}
		if _, err := d.Check(); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
	}
	flush(t, d)
	tables := allTables(d)
	if len(tables) != 1 {
		t.Fatalf("%d tables", len(tables))
	}
	top, err := tables[0].topIndex(false)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) < 3 {
		t.Fatalf("%d partitions, want the versions of k in 3", len(top))
	}
	check("flushed")
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	check("compacted")
}
