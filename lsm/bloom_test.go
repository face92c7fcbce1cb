package lsm

import (
	"encoding/binary"
	"errors"
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
		part := userPart(makeIKey(k, 0)) // what filters and ranges hold
		for _, f := range tables {
			// A table whose key range rules the key out is not probed.
			if !f.contains(part) {
				continue
			}
			probes++
			if f.t.filter.mayContain(keyHash(part)) {
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

func TestReadsVersion1Tables(t *testing.T) {
	fs := vfs.NewMem()
	if err := fs.MkdirAll(dir); err != nil {
		t.Fatal(err)
	}
	f, err := fs.Create(dir + "/" + tableName(1))
	if err != nil {
		t.Fatal(err)
	}
	tw := newTableWriter(f, 100)
	tw.version = tableVersion1
	for i := range 100 {
		if err := tw.add(entry{key: []byte(fmt.Sprintf("k%03d", i)), value: []byte("v1")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.finish(); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		t.Fatal(err)
	}
	if err := writeManifestV1(fs, dir, 0, 2, 1); err != nil {
		t.Fatal(err)
	}
	d := mustOpen(t, fs)
	defer d.Close()
	if v, ok, err := d.Get([]byte("k042")); string(v) != "v1" || !ok || err != nil {
		t.Fatalf("Get from a version 1 table = %q, %v, %v", v, ok, err)
	}
	if _, ok, err := d.Get([]byte("k1000")); ok || err != nil {
		t.Fatalf("absent key: %v, %v", ok, err)
	}
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	data := readAll(t, fs, dir+"/"+tableName(2))
	if v := binary.LittleEndian.Uint32(data[len(data)-16:]); v != tableVersion {
		t.Fatalf("compaction wrote version %d", v)
	}
	if got := len(scan(t, d, nil, nil)); got != 100 {
		t.Fatalf("scan after rewriting the version 1 table: %d keys", got)
	}
}

func TestCorruptFilterFailsOpen(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	set(t, d, 1, "a", "1", "b", "2")
	flush(t, d)
	d.Close()
	name := dir + "/" + tableName(1)
	data := readAll(t, fs, name)
	filterOff := binary.LittleEndian.Uint64(data[len(data)-footerSize:])
	data[filterOff] ^= 1
	writeAll(t, fs, name, data)
	if _, err := Open(fs, dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open with a corrupt filter: %v, want ErrCorrupt", err)
	}
}

// TestBloomFit: folding an oversized filter keeps every added key and
// brings the size down to about bloomBitsPerKey per key.
func TestBloomFit(t *testing.T) {
	f := newBloomFilter(100_000)
	var hashes []uint64
	for i := 0; i < 1000; i++ {
		h := keyHash([]byte(fmt.Sprintf("key-%d", i)))
		hashes = append(hashes, h)
		f.add(h)
	}
	before := len(f.bits)
	f.fit(1000)
	if len(f.bits) >= before || len(f.bits)*8 < 1000*bloomBitsPerKey || len(f.bits)*8 >= 4*1000*bloomBitsPerKey {
		t.Fatalf("fit: %d bytes before, %d after, for 1000 keys", before, len(f.bits))
	}
	for _, h := range hashes {
		if !f.mayContain(h) {
			t.Fatal("folding lost a key")
		}
	}
	fp := 0
	for i := 0; i < 10000; i++ {
		if f.mayContain(keyHash([]byte(fmt.Sprintf("absent-%d", i)))) {
			fp++
		}
	}
	if fp > 300 {
		t.Fatalf("false positives after folding: %d of 10000", fp)
	}
}
