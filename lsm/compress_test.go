package lsm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
	"github.com/golang/snappy"
)

// blockTypes returns the compression type byte of each data block of a
// version 4 table image.
func blockTypes(data []byte, l layout) []byte {
	var types []byte
	for _, h := range l.blocks {
		types = append(types, data[h.offset+h.length])
	}
	return types
}

// TestCompressionRoundTrip writes tables of compressible, incompressible
// and mixed values with and without compression, checks which blocks were
// stored compressed, and reads every entry back.
func TestCompressionRoundTrip(t *testing.T) {
	rng := testRand(t)
	random := make([]byte, 1<<20)
	rng.Read(random)
	compressible := func(i int) string { return strings.Repeat(fmt.Sprintf("row %d of the table; ", i%10), 5) }
	incompressible := func(i int) string { return string(random[i*100%(len(random)-100):][:100]) }
	for _, tc := range []struct {
		name        string
		compression byte
		value       func(i int) string
		want        byte // the type of every data block; 0xff: some of each
	}{
		{"snappy/compressible", compressionSnappy, compressible, compressionSnappy},
		{"snappy/incompressible", compressionSnappy, incompressible, compressionNone},
		{"snappy/mixed", compressionSnappy, func(i int) string {
			if i/200%2 == 0 {
				return compressible(i)
			}
			return incompressible(i)
		}, 0xff},
		{"none/compressible", compressionNone, compressible, compressionNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			ents := numberedEntries(3000, tc.value)
			name := writeTestTableCompressed(t, fs, ents, tc.compression)
			data := readAll(t, fs, name)
			l := tableLayout(t, fs, name)
			types := blockTypes(data, l)
			counts := map[byte]int{}
			for _, typ := range types {
				counts[typ]++
			}
			switch {
			case tc.want == 0xff && (counts[compressionNone] == 0 || counts[compressionSnappy] == 0):
				t.Fatalf("block types %v, want both", counts)
			case tc.want != 0xff && counts[tc.want] != len(types):
				t.Fatalf("block types %v, want all %d", counts, tc.want)
			}
			// A compressed block saves at least 1/8 of its bytes.
			for i, h := range l.blocks {
				if types[i] == compressionSnappy {
					n, err := snappy.DecodedLen(data[h.offset : h.offset+h.length])
					if err != nil || h.length > uint64(n-n/8) {
						t.Fatalf("block %d: %d bytes compressed from %d (%v)", i, h.length, n, err)
					}
				}
			}
			d, err := Open(fs, dir, Options{Compression: NoCompression})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for _, e := range ents {
				v, ok, err := d.Get(e.key)
				if err != nil || ok == e.deleted || ok && !bytes.Equal(v, e.value) {
					t.Fatalf("Get(%s) = %.20q, %v, %v", e.key, v, ok, err)
				}
			}
			if _, err := d.Check(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCompressionOption: the DB compresses by default, NoCompression
// turns it off, compaction applies the DB's setting, and tables of either
// kind are read by a DB of either setting.
func TestCompressionOption(t *testing.T) {
	fill := func(t *testing.T, fs vfs.FS, opts Options) {
		d, err := Open(fs, dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		for i := range 2000 {
			set(t, d, uint64(i+1), fmt.Sprintf("key%05d", i), strings.Repeat("abc", 30))
		}
		flush(t, d)
	}
	size := func(t *testing.T, fs vfs.FS, n uint64) int {
		return len(readAll(t, fs, dir+"/"+tableName(n)))
	}
	fs := vfs.NewMem()
	fill(t, fs, Options{DisableAutoCompaction: true})
	d, err := Open(fs, dir, Options{Compression: NoCompression, DisableAutoCompaction: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Options().Compression != NoCompression {
		t.Fatalf("options: %v", d.Options().Compression)
	}
	compressed := size(t, fs, 1)
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	raw := size(t, fs, 2)
	if compressed*4 > raw {
		t.Fatalf("default table %d bytes, uncompressed rewrite %d: not compressed", compressed, raw)
	}
	if got := len(scan(t, d, nil, nil)); got != 2000 {
		t.Fatalf("scan: %d keys", got)
	}
	d.Close()
	d, err = Open(fs, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Options().Compression != SnappyCompression {
		t.Fatalf("default compression: %v", d.Options().Compression)
	}
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	if got := size(t, fs, 3); got != compressed {
		t.Fatalf("snappy rewrite %d bytes, first table %d", got, compressed)
	}
	if _, err := Open(vfs.NewMem(), dir, Options{Compression: 42}); err == nil {
		t.Fatal("unknown compression accepted")
	}
}

// TestCacheHoldsDecompressedBlocks: a compressed block is cached
// decompressed and charged its decompressed size.
func TestCacheHoldsDecompressedBlocks(t *testing.T) {
	fs := vfs.NewMem()
	ents := numberedEntries(100, func(i int) string { return strings.Repeat("x", 100) })
	name := writeTestTableCompressed(t, fs, ents, compressionSnappy)
	l := tableLayout(t, fs, name)
	d, err := Open(fs, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	before := d.Metrics().BlockCacheBytes
	if _, ok, err := d.Get(ents[0].key); !ok || err != nil {
		t.Fatalf("Get: %v, %v", ok, err)
	}
	h := l.blocks[0]
	v, ok := d.cache.get(blockKey{fileNum: 1, offset: h.offset}, nil)
	if !ok {
		t.Fatal("block not cached")
	}
	b := v.(block)
	if uint64(len(b.data)) < 4*h.length {
		t.Fatalf("cached block of %d bytes for %d compressed bytes", len(b.data), h.length)
	}
	// Charged: the data block, its partition's filter and index.
	if grew := d.Metrics().BlockCacheBytes - before; grew < int64(len(b.data)) {
		t.Fatalf("cache grew by %d bytes for a %d-byte block", grew, len(b.data))
	}
}

// TestCorruptCompressedBlocks damages a compressed data or index block
// and recomputes its CRC (as a writer bug or a bad compressor would):
// reads fail with ErrCorrupt, never a panic or a huge allocation.
func TestCorruptCompressedBlocks(t *testing.T) {
	rng := testRand(t)
	type damage struct {
		name string
		fn   func(payload []byte) []byte // returns the new payload, same length
	}
	damages := []damage{
		{"length header claims 4 GiB", func(p []byte) []byte {
			hdr := binary.AppendUvarint(nil, 0xffffffff)
			return append(hdr, p[len(hdr):]...)
		}},
		{"length header claims more than the expansion bound", func(p []byte) []byte {
			hdr := binary.AppendUvarint(nil, uint64(snappyMaxExpansion*len(p)+1))
			return append(hdr, p[len(hdr):]...)
		}},
		{"length header claims one byte less", func(p []byte) []byte {
			n, _ := binary.Uvarint(p)
			hdr := binary.AppendUvarint(nil, n-1)
			if _, old := binary.Uvarint(p); old != len(hdr) {
				return nil // skip: the header changed length
			}
			return append(hdr, p[len(hdr):]...)
		}},
		{"bad uvarint header", func(p []byte) []byte {
			q := bytes.Clone(p)
			for i := range min(len(q), 10) {
				q[i] = 0xff
			}
			return q
		}},
		{"truncated stream", func(p []byte) []byte {
			q := bytes.Clone(p)
			for i := len(q) / 2; i < len(q); i++ {
				q[i] = 0
			}
			return q
		}},
		{"random bytes", func(p []byte) []byte {
			q := bytes.Clone(p)
			for range 1 + rng.Intn(4) {
				q[rng.Intn(len(q))] ^= byte(1 + rng.Intn(255))
			}
			return q
		}},
	}
	fs := vfs.NewMem()
	ents := numberedEntries(2*filterPartitionKeysMax, func(i int) string { return strings.Repeat(fmt.Sprint(i%7), 40) })
	name := writeTestTableCompressed(t, fs, ents, compressionSnappy)
	img := readAll(t, fs, name)
	l := tableLayout(t, fs, name)
	targets := map[string]blockHandle{"data block": l.blocks[len(l.blocks)/2], "index partition": l.partitions[1].index}
	for _, what := range []string{"data block", "index partition"} {
		h := targets[what]
		if img[h.offset+h.length] != compressionSnappy {
			t.Fatalf("%s is not compressed", what)
		}
		for _, dm := range damages {
			for attempt := range 20 {
				payload := dm.fn(bytes.Clone(img[h.offset : h.offset+h.length]))
				if payload == nil {
					break
				}
				data := bytes.Clone(img)
				rewriteBlock(t, data, h, payload, compressionSnappy)
				fs := vfs.NewMem()
				if err := fs.MkdirAll(dir); err != nil {
					t.Fatal(err)
				}
				writeAll(t, fs, name, data)
				writeUserKeyManifest(t, fs, ents)
				d, err := Open(fs, dir, Options{})
				if err != nil {
					t.Fatal(err)
				}
				_, checkErr := d.Check()
				if !errors.Is(checkErr, ErrCorrupt) && dm.name != "random bytes" {
					t.Fatalf("%s, %s: Check: %v, want ErrCorrupt", what, dm.name, checkErr)
				}
				if checkErr != nil && !errors.Is(checkErr, ErrCorrupt) {
					t.Fatalf("%s, %s: Check: %v", what, dm.name, checkErr)
				}
				// Gets of keys in the damaged block or partition.
				for _, k := range []int{filterPartitionKeysMax, filterPartitionKeysMax + 1, len(ents)/2 - 3, len(ents) / 2, rng.Intn(len(ents))} {
					e := ents[k]
					v, ok, err := d.Get(e.key)
					if err != nil && !errors.Is(err, ErrCorrupt) {
						t.Fatalf("%s, %s: Get: %v", what, dm.name, err)
					}
					if err == nil && checkErr == nil && (ok == e.deleted || ok && !bytes.Equal(v, e.value)) {
						t.Fatalf("%s, %s: Get(%s) = %q, %v: wrong data, and Check passed", what, dm.name, e.key, v, ok)
					}
				}
				d.Close()
				if dm.name != "random bytes" || attempt == 19 {
					break
				}
			}
		}
	}
}

// TestDecompressSnappyBounds feeds decompressSnappy malformed input: an
// error, never a panic.
func TestDecompressSnappyBounds(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	valid := snappy.Encode(nil, bytes.Repeat([]byte("hello, world "), 100))
	for _, src := range [][]byte{
		nil,
		{0},
		{0x80},
		binary.AppendUvarint(nil, 1<<31),
		binary.AppendUvarint(nil, maxBlockBytes+1),
		valid[:len(valid)-1],
		append(bytes.Clone(valid), 0),
	} {
		if out, err := decompressSnappy(src); err == nil && len(src) > 1 {
			t.Errorf("decompressSnappy(%x...) = %d bytes, no error", src[:min(len(src), 8)], len(out))
		}
	}
	for range 2000 {
		src := bytes.Clone(valid)
		src[rng.Intn(len(src))] = byte(rng.Intn(256))
		_, _ = decompressSnappy(src) // must not panic
	}
	if out, err := decompressSnappy(valid); err != nil || len(out) != 1300 {
		t.Fatalf("valid input: %d bytes, %v", len(out), err)
	}
}
