package lsm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// randomBlockEntries returns n distinct sorted entries whose keys share
// prefixes of varied lengths (and may include the empty key).
func randomBlockEntries(rng *rand.Rand, n int) []entry {
	seen := map[string]bool{}
	var ents []entry
	for len(ents) < n {
		var k string
		switch rng.Intn(4) {
		case 0:
			k = fmt.Sprintf("user/%06d", rng.Intn(1000000))
		case 1:
			k = fmt.Sprintf("user/%06d/%s", rng.Intn(100), strings.Repeat("x", rng.Intn(40)))
		case 2:
			k = string([]byte{byte(rng.Intn(256)), byte(rng.Intn(256))})
		default:
			k = strings.Repeat("a", rng.Intn(5))
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		ents = append(ents, entry{
			key:     []byte(k),
			value:   bytes.Repeat([]byte{byte(rng.Intn(256))}, rng.Intn(300)),
			deleted: rng.Intn(5) == 0,
		})
	}
	sort.Slice(ents, func(i, j int) bool { return bytes.Compare(ents[i].key, ents[j].key) < 0 })
	return ents
}

func buildBlock(ents []entry) []byte {
	var w blockWriter
	for _, e := range ents {
		kind := kindSet
		if e.deleted {
			kind = kindDelete
		}
		w.add(e.key, e.value, kind)
	}
	return append([]byte(nil), w.finish()...)
}

func checkedBlock(t *testing.T, data, lastKey []byte) block {
	t.Helper()
	b, err := parseBlock(data)
	if err == nil {
		err = checkBlock(b, lastKey)
	}
	if err != nil {
		t.Fatalf("valid block rejected: %v", err)
	}
	return b
}

func sameEntry(it *blockIter, e entry) bool {
	return it.valid && bytes.Equal(it.key, e.key) && bytes.Equal(it.value, e.value) && (it.kind == kindDelete) == e.deleted
}

// TestBlockRoundTrip writes random blocks and reads them back forward,
// backward and by seeks, against the sorted entries.
func TestBlockRoundTrip(t *testing.T) {
	rng := testRand(t)
	for _, n := range []int{1, 2, restartInterval - 1, restartInterval, restartInterval + 1, 100, 1000} {
		ents := randomBlockEntries(rng, n)
		data := buildBlock(ents)
		b := checkedBlock(t, data, ents[n-1].key)
		if want := (n + restartInterval - 1) / restartInterval; b.restarts != want {
			t.Fatalf("n=%d: %d restarts, want %d", n, b.restarts, want)
		}
		var it blockIter
		it.init(b)
		i := 0
		for ok := it.first(); ok; ok = it.next() {
			if !sameEntry(&it, ents[i]) {
				t.Fatalf("n=%d: forward entry %d = %q, want %q", n, i, it.key, ents[i].key)
			}
			i++
		}
		if i != n || it.err != nil {
			t.Fatalf("n=%d: forward saw %d entries, err %v", n, i, it.err)
		}
		i = n - 1
		for ok := it.last(); ok; ok = it.prev() {
			if !sameEntry(&it, ents[i]) {
				t.Fatalf("n=%d: backward entry %d = %q, want %q", n, i, it.key, ents[i].key)
			}
			i--
		}
		if i != -1 || it.err != nil {
			t.Fatalf("n=%d: backward stopped at %d, err %v", n, i, it.err)
		}
		for range 200 {
			var target []byte
			if rng.Intn(2) == 0 {
				target = ents[rng.Intn(n)].key
			} else {
				target = randomBlockEntries(rng, 1)[0].key
			}
			want := sort.Search(n, func(i int) bool { return bytes.Compare(ents[i].key, target) >= 0 })
			ok := it.seekGE(target)
			if ok != (want < n) || ok && !sameEntry(&it, ents[want]) {
				t.Fatalf("n=%d: seekGE(%q) = %v %q, want entry %d", n, target, ok, it.key, want)
			}
		}
	}
}

func TestBlockWriterSharesPrefixes(t *testing.T) {
	var ents []entry
	for i := range 64 {
		ents = append(ents, entry{key: []byte(fmt.Sprintf("a-long-common-prefix/%04d", i))})
	}
	data := buildBlock(ents)
	full := 0
	for _, e := range ents {
		full += len(e.key)
	}
	// 4 restarts carry whole keys (24 bytes); the rest carry 1 or 2.
	if keyBytes := len(data) - 64*4 - 4*4 - 4; keyBytes > full/4 {
		t.Fatalf("%d bytes of keys and headers for %d bytes of keys: prefixes not shared", keyBytes, full)
	}
}

// corruptions are hand-made damages to a valid block's restart array and
// entries; each must be reported as an error, without a panic.
func TestCorruptRestartArrays(t *testing.T) {
	rng := testRand(t)
	ents := randomBlockEntries(rng, 100)
	good := buildBlock(ents)
	lastKey := ents[len(ents)-1].key
	n := int(binary.LittleEndian.Uint32(good[len(good)-4:]))
	restartsOff := len(good) - 4 - 4*n
	setRestart := func(d []byte, i int, v uint32) {
		binary.LittleEndian.PutUint32(d[restartsOff+4*i:], v)
	}
	restart := func(i int) uint32 { return binary.LittleEndian.Uint32(good[restartsOff+4*i:]) }
	tests := []struct {
		name   string
		damage func(d []byte) []byte
	}{
		{"count zero", func(d []byte) []byte { binary.LittleEndian.PutUint32(d[len(d)-4:], 0); return d }},
		{"count huge", func(d []byte) []byte { binary.LittleEndian.PutUint32(d[len(d)-4:], 1<<31); return d }},
		{"count one more", func(d []byte) []byte { binary.LittleEndian.PutUint32(d[len(d)-4:], uint32(n+1)); return d }},
		{"count one less", func(d []byte) []byte { binary.LittleEndian.PutUint32(d[len(d)-4:], uint32(n-1)); return d }},
		{"first restart not zero", func(d []byte) []byte { setRestart(d, 0, 1); return d }},
		{"restarts out of order", func(d []byte) []byte { setRestart(d, 1, restart(2)); setRestart(d, 2, restart(1)); return d }},
		{"restart repeated", func(d []byte) []byte { setRestart(d, 2, restart(1)); return d }},
		{"restart beyond entries", func(d []byte) []byte { setRestart(d, n-1, uint32(restartsOff)); return d }},
		{"restart far out", func(d []byte) []byte { setRestart(d, n-1, 0xffffffff); return d }},
		{"restart inside an entry", func(d []byte) []byte { setRestart(d, 1, restart(1)+1); return d }},
		{"restart on a shared entry", func(d []byte) []byte {
			// Move restart i (i >= 1) onto a later entry of its interval
			// whose shared prefix is not 0.
			b, _ := parseBlock(good)
			keyLen, entryIndex := 0, 0
			for off := 0; off < b.restartsOff; entryIndex++ {
				h, _ := b.decodeEntry(off, keyLen)
				if i := entryIndex / restartInterval; i >= 1 && entryIndex%restartInterval != 0 && h.shared > 0 {
					setRestart(d, i, uint32(off))
					return d
				}
				keyLen, off = h.shared+h.valueOff-h.keyOff, h.end
			}
			t.Fatal("no entry with a shared prefix")
			return d
		}},
		{"truncated to the count", func(d []byte) []byte { return d[len(d)-4:] }},
		{"three bytes", func(d []byte) []byte { return d[:3] }},
		{"empty", func(d []byte) []byte { return d[:0] }},
		{"entries cut", func(d []byte) []byte {
			// Drop the last entry's bytes but keep the restart array.
			tail := append([]byte(nil), d[restartsOff:]...)
			return append(d[:restartsOff-1], tail...)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.damage(append([]byte(nil), good...))
			b, err := parseBlock(data)
			if err == nil {
				err = checkBlock(b, lastKey)
			}
			if err == nil {
				t.Fatal("damaged block accepted")
			}
		})
	}
	// Random damage: never a panic; an accepted block iterates cleanly.
	for range 2000 {
		data := append([]byte(nil), good...)
		for range 1 + rng.Intn(3) {
			if rng.Intn(2) == 0 {
				data[restartsOff+rng.Intn(len(data)-restartsOff)] = byte(rng.Intn(256))
			} else {
				data[rng.Intn(len(data))] ^= byte(1 << rng.Intn(8))
			}
		}
		b, err := parseBlock(data)
		if err == nil {
			err = checkBlock(b, lastKey)
		}
		if err != nil {
			continue
		}
		var it blockIter
		it.init(b)
		for ok := it.last(); ok; ok = it.prev() {
		}
		it.seekGE(ents[rng.Intn(len(ents))].key)
		if it.err != nil {
			t.Fatalf("checked block failed to iterate: %v", it.err)
		}
	}
}

// TestCorruptRestartArrayInTable damages a table's restart array and
// recomputes the block's CRC (as a writer bug would): Get and iterators
// return ErrCorrupt.
func TestCorruptRestartArrayInTable(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, Options{Compression: NoCompression})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		set(t, d, uint64(i+1), fmt.Sprintf("key%04d", i), strings.Repeat("v", 50))
	}
	flush(t, d)
	d.Close()
	name := dir + "/" + tableName(1)
	data := readAll(t, fs, name)
	h := tableLayout(t, fs, name).blocks[0]
	blk := append([]byte(nil), data[h.offset:h.offset+h.length]...)
	n := binary.LittleEndian.Uint32(blk[len(blk)-4:])
	restarts := blk[len(blk)-4-4*int(n):]
	binary.LittleEndian.PutUint32(restarts[4:], binary.LittleEndian.Uint32(restarts[4:])+3)
	rewriteBlock(t, data, h, blk, compressionNone)
	writeAll(t, fs, name, data)

	d, err = Open(fs, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, _, err := d.Get([]byte("key0000")); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Get: %v, want ErrCorrupt", err)
	}
	it := d.NewIter(nil, nil)
	for ok := it.Last(); ok; ok = it.Prev() {
	}
	if err := it.Close(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("iterator: %v, want ErrCorrupt", err)
	}
}

func FuzzBlock(f *testing.F) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{1, 17, 60} {
		ents := randomBlockEntries(rng, n)
		f.Add(buildBlock(ents), ents[n-1].key, ents[0].key)
	}
	f.Fuzz(func(t *testing.T, data, lastKey, target []byte) {
		b, err := parseBlock(data)
		if err == nil {
			err = checkBlock(b, lastKey)
		}
		if err != nil {
			return
		}
		var it blockIter
		it.init(b)
		var keys [][]byte
		for ok := it.first(); ok; ok = it.next() {
			keys = append(keys, append([]byte(nil), it.key...))
		}
		i := len(keys) - 1
		for ok := it.last(); ok; ok = it.prev() {
			if i < 0 || !bytes.Equal(it.key, keys[i]) {
				t.Fatalf("backward walk disagrees at %d", i)
			}
			i--
		}
		if it.seekGE(target) && bytes.Compare(it.key, target) < 0 {
			t.Fatalf("seekGE(%q) landed on %q", target, it.key)
		}
		if it.err != nil {
			t.Fatalf("checked block failed to iterate: %v", it.err)
		}
	})
}

// TestBlockHeaderLengths round-trips entries whose shared, unshared and
// value lengths sit on either side of a one-byte uvarint (127, 128), so
// that both header decoders are used. (Keys share the prefix and differ
// in the two digits after it: unshared is the suffix length, except at
// restarts.)
func TestBlockHeaderLengths(t *testing.T) {
	for _, tc := range []struct{ prefix, suffix, value int }{
		{0, 2, 0}, {127, 2, 127}, {128, 2, 128}, {126, 127, 127}, {127, 128, 1},
		{128, 128, 128}, {1, 300, 5000}, {300, 2, 0},
	} {
		t.Run(fmt.Sprintf("%d/%d/%d", tc.prefix, tc.suffix, tc.value), func(t *testing.T) {
			prefix := strings.Repeat("p", tc.prefix)
			var ents []entry
			for i := range 3 * restartInterval {
				key := prefix + fmt.Sprintf("%02d", i) + strings.Repeat("s", tc.suffix-2)
				ents = append(ents, entry{key: []byte(key), value: bytes.Repeat([]byte{byte(i)}, tc.value)})
			}
			sort.Slice(ents, func(i, j int) bool { return bytes.Compare(ents[i].key, ents[j].key) < 0 })
			b := checkedBlock(t, buildBlock(ents), ents[len(ents)-1].key)
			var it blockIter
			it.init(b)
			i := 0
			for ok := it.first(); ok; ok = it.next() {
				if !sameEntry(&it, ents[i]) {
					t.Fatalf("entry %d: %q, want %q", i, it.key, ents[i].key)
				}
				i++
			}
			if i != len(ents) || it.err != nil {
				t.Fatalf("%d entries, err %v", i, it.err)
			}
			for _, e := range ents {
				if !it.seekGE(e.key) || !sameEntry(&it, e) {
					t.Fatalf("seekGE(%.20q) = %.20q", e.key, it.key)
				}
			}
		})
	}
}
