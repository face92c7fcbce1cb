package lsm

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

var seedFlag = flag.Int64("seed", 0, "seed for randomized tests (0 = time-based)")

func testRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	return rand.New(rand.NewSource(seed))
}

const dir = "/db/lsm"

func mustOpen(t *testing.T, fs vfs.FS) *DB {
	t.Helper()
	d, err := Open(fs, dir, Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return d
}

func set(t *testing.T, d *DB, lsn uint64, kv ...string) {
	t.Helper()
	var b Batch
	for i := 0; i < len(kv); i += 2 {
		b.Set([]byte(kv[i]), []byte(kv[i+1]))
	}
	if err := d.Apply(&b, lsn); err != nil {
		t.Fatal(err)
	}
}

func del(t *testing.T, d *DB, lsn uint64, keys ...string) {
	t.Helper()
	var b Batch
	for _, k := range keys {
		b.Delete([]byte(k))
	}
	if err := d.Apply(&b, lsn); err != nil {
		t.Fatal(err)
	}
}

func flush(t *testing.T, d *DB) {
	t.Helper()
	if err := d.Flush(); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

func scan(t *testing.T, d *DB, lower, upper []byte) []string {
	t.Helper()
	it := d.NewIter(lower, upper)
	var out []string
	for ok := it.First(); ok; ok = it.Next() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Close(); err != nil {
		t.Fatalf("iterate: %v", err)
	}
	return out
}

// reverseScan is scan walking from Last with Prev.
func reverseScan(t *testing.T, d *DB, lower, upper []byte) []string {
	t.Helper()
	it := d.NewIter(lower, upper)
	var out []string
	for ok := it.Last(); ok; ok = it.Prev() {
		out = append(out, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Close(); err != nil {
		t.Fatalf("iterate backward: %v", err)
	}
	return out
}

func reversed(s []string) []string {
	r := make([]string, len(s))
	for i, x := range s {
		r[len(s)-1-i] = x
	}
	return r
}

// randomWalk moves an iterator over [lower, upper) by random SeekGE,
// SeekLT, First, Last, Next and Prev calls and checks each position
// against want (the model's sorted "key=value" strings of the range).
// Returned keys must stay intact after the iterator moves.
func randomWalk(t *testing.T, rng *rand.Rand, d *DB, lower, upper []byte, want []string, target func() string) {
	t.Helper()
	it := d.NewIter(lower, upper)
	defer it.Close()
	keys := make([]string, len(want))
	for i, kv := range want {
		keys[i] = strings.SplitN(kv, "=", 2)[0]
	}
	pos := -1 // index into want; -1 or len(want): not positioned
	var seen [][]byte
	var seenWant []string
	var ops []string
	for range 40 {
		var ok bool
		switch r := rng.Intn(10); {
		case r == 0:
			ok, pos = it.First(), 0
			ops = append(ops, "First")
		case r == 1:
			ok, pos = it.Last(), len(want)-1
			ops = append(ops, "Last")
		case r == 2:
			k := target()
			ok = it.SeekGE([]byte(k))
			pos = sort.SearchStrings(keys, k)
			ops = append(ops, fmt.Sprintf("SeekGE(%q)", k))
		case r == 3:
			k := target()
			ok = it.SeekLT([]byte(k))
			pos = sort.SearchStrings(keys, k) - 1
			ops = append(ops, fmt.Sprintf("SeekLT(%q)", k))
		case r < 7:
			wasValid := it.Valid()
			ok = it.Next()
			if wasValid {
				pos++
			}
			ops = append(ops, "Next")
		default:
			wasValid := it.Valid()
			ok = it.Prev()
			if wasValid {
				pos--
			}
			ops = append(ops, "Prev")
		}
		wantOK := pos >= 0 && pos < len(want)
		if !wantOK {
			pos = -1 // Next and Prev on an unpositioned iterator do nothing
		}
		if ok != wantOK || ok != it.Valid() {
			t.Fatalf("walk [%q, %q) %v: ok %v, want %v (err %v)", lower, upper, ops, ok, wantOK, it.Err())
		}
		if ok {
			if got := string(it.Key()) + "=" + string(it.Value()); got != want[pos] {
				t.Fatalf("walk [%q, %q) %v: at %q, want %q", lower, upper, ops, got, want[pos])
			}
			seen, seenWant = append(seen, it.Key()), append(seenWant, keys[pos])
		}
	}
	for i, k := range seen {
		if string(k) != seenWant[i] {
			t.Fatalf("walk [%q, %q): key %d returned as %q changed to %q after the iterator moved", lower, upper, i, seenWant[i], k)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
}

// walRecord stands in for the node's WAL in these tests.
type walRecord struct {
	lsn   uint64
	batch []byte
}

// TestModel runs random operations against the DB and a map, with flushes,
// compactions, clean reopens and crashes, replaying the simulated WAL after
// FlushedLSN on every open, and compares Get and bounded iteration. An
// iterator held across later operations must keep showing the state as of
// its creation. The "manual" run is deterministic for a seed (compactions
// only by Compact and Flush backpressure); "background" adds the
// background compaction, whose timing varies.
func TestModel(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"manual", Options{DisableAutoCompaction: true, L0CompactionThreshold: 3, L0StopWritesThreshold: 6, BlockCacheBytes: 32 << 10}},
		{"background", Options{L0CompactionThreshold: 2, L0StopWritesThreshold: 4}},
		// Small levels and tables: data reaches L3 and beyond, and level
		// iterators cross many table boundaries.
		{"leveled-manual", Options{DisableAutoCompaction: true, L0CompactionThreshold: 2, L0StopWritesThreshold: 6,
			L1TargetBytes: 8 << 10, TargetFileBytes: 2 << 10, BlockCacheBytes: 32 << 10}},
		{"leveled-background", Options{L0CompactionThreshold: 2, L0StopWritesThreshold: 4, L1TargetBytes: 8 << 10, TargetFileBytes: 2 << 10}},
		// A cache smaller than a few blocks: index and filter blocks are
		// evicted and read again all the time.
		{"tiny cache", Options{DisableAutoCompaction: true, L0CompactionThreshold: 3, L0StopWritesThreshold: 6, BlockCacheBytes: 6 << 10}},
		{"no cache, no compression", Options{L0CompactionThreshold: 2, L0StopWritesThreshold: 4, BlockCacheBytes: -1, Compression: NoCompression}},
		// Level iterators (with read-ahead) over compressed tables whose
		// index and filter partitions keep leaving a tiny cache.
		{"leveled, tiny cache", Options{L0CompactionThreshold: 2, L0StopWritesThreshold: 4, L1TargetBytes: 8 << 10, TargetFileBytes: 2 << 10, BlockCacheBytes: 6 << 10}},
	} {
		t.Run(tc.name, func(t *testing.T) { testModel(t, tc.opts) })
	}
}

func copyModel(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func modelScan(model map[string]string, lower, upper []byte) []string {
	var want []string
	for k, v := range model {
		if (lower == nil || k >= string(lower)) && (upper == nil || k < string(upper)) {
			want = append(want, k+"="+v)
		}
	}
	sort.Strings(want)
	return want
}

func testModel(t *testing.T, opts Options) {
	rng := testRand(t)
	fs := vfs.NewMem()
	d, err := Open(fs, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	model := map[string]string{}
	var wal []walRecord
	var lsn uint64
	// A held iterator and the model as of its creation.
	var held *Iterator
	var heldModel map[string]string
	checkHeld := func(step int) {
		if held == nil {
			return
		}
		var got, gotBack []string
		for ok := held.First(); ok; ok = held.Next() {
			got = append(got, string(held.Key())+"="+string(held.Value()))
		}
		for ok := held.Last(); ok; ok = held.Prev() {
			gotBack = append(gotBack, string(held.Key())+"="+string(held.Value()))
		}
		if err := held.Close(); err != nil {
			t.Fatalf("step %d: held iterator: %v", step, err)
		}
		want := modelScan(heldModel, nil, nil)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("step %d: held iterator:\n got %v\nwant %v", step, got, want)
		}
		if strings.Join(gotBack, ",") != strings.Join(reversed(want), ",") {
			t.Fatalf("step %d: held iterator backward:\n got %v\nwant %v", step, gotBack, reversed(want))
		}
		held, heldModel = nil, nil
	}

	key := func() string {
		if rng.Intn(20) == 0 {
			return ""
		}
		return fmt.Sprintf("k%03d", rng.Intn(300))
	}
	var compactions, stalls uint64
	reopen := func(newFS *vfs.MemFS) {
		m := d.Metrics()
		compactions += m.Compactions
		stalls += m.WriteStalls
		d.Close()
		fs = newFS
		var err error
		d, err = Open(fs, dir, opts)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		for _, r := range wal {
			if r.lsn <= d.FlushedLSN() {
				continue
			}
			b, err := DecodeBatch(r.batch)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Apply(b, r.lsn); err != nil {
				t.Fatal(err)
			}
		}
	}
	const steps = 4000
	for step := range steps {
		switch r := rng.Intn(100); {
		case r < 45:
			var b Batch
			for range 1 + rng.Intn(5) {
				k := key()
				if rng.Intn(3) == 0 {
					b.Delete([]byte(k))
					delete(model, k)
				} else {
					v := strings.Repeat(string(rune('a'+rng.Intn(26))), rng.Intn(200))
					b.Set([]byte(k), []byte(v))
					model[k] = v
				}
			}
			lsn++
			wal = append(wal, walRecord{lsn, b.Encode()})
			if err := d.Apply(&b, lsn); err != nil {
				t.Fatal(err)
			}
		case r < 70:
			k := key()
			v, ok, err := d.Get([]byte(k))
			want, wantOK := model[k]
			if err != nil || ok != wantOK || string(v) != want {
				t.Fatalf("step %d: Get(%q) = %q, %v, %v; want %q, %v", step, k, v, ok, err, want, wantOK)
			}
		case r < 85:
			var lower, upper []byte
			if rng.Intn(3) > 0 {
				lower = []byte(key())
			}
			if rng.Intn(3) > 0 {
				upper = []byte(key())
			}
			want := modelScan(model, lower, upper)
			got := scan(t, d, lower, upper)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("step %d: scan [%q, %q):\n got %v\nwant %v", step, lower, upper, got, want)
			}
			if got := reverseScan(t, d, lower, upper); strings.Join(got, ",") != strings.Join(reversed(want), ",") {
				t.Fatalf("step %d: reverse scan [%q, %q):\n got %v\nwant %v", step, lower, upper, got, reversed(want))
			}
			randomWalk(t, rng, d, lower, upper, want, key)
			if len(want) > 0 {
				// SeekGE into the middle of the range.
				i := rng.Intn(len(want))
				target := strings.SplitN(want[i], "=", 2)[0]
				it := d.NewIter(lower, upper)
				if !it.SeekGE([]byte(target)) || string(it.Key()) != target {
					t.Fatalf("step %d: SeekGE(%q) landed on %q", step, target, it.Key())
				}
				it.Close()
			}
		case r < 91:
			flush(t, d)
		case r < 93:
			if rng.Intn(3) == 0 {
				if err := d.Compact(); err != nil {
					t.Fatalf("step %d: compact: %v", step, err)
				}
				break
			}
			// What the background compaction would do, now.
			for {
				ran, err := d.compactPicked(d.pickCompaction)
				if err != nil {
					t.Fatalf("step %d: compact: %v", step, err)
				}
				if !ran {
					break
				}
			}
		case r < 95:
			checkHeld(step)
			held, heldModel = d.NewIter(nil, nil), copyModel(model)
		case r < 98:
			checkHeld(step)
			reopen(fs)
		default:
			checkHeld(step)
			reopen(fs.CrashClone())
		}
		if d.MemtableSize() > 16<<10 {
			flush(t, d)
		}
	}
	checkHeld(steps)
	if _, err := d.Check(); err != nil {
		t.Fatal(err)
	}
	m := d.Metrics()
	t.Logf("%d compactions, %d write stalls; metrics of the last open: %+v", compactions+m.Compactions, stalls+m.WriteStalls, m)
	if m.CompactionFailures != 0 {
		t.Fatalf("compaction failures: %v", m.LastCompactionError)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoStrayFiles(t, fs)
}

// checkNoStrayFiles checks that the directory holds the manifest and the
// tables it names, and nothing else.
func checkNoStrayFiles(t *testing.T, fs vfs.FS) {
	t.Helper()
	st, err := readManifest(fs, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{currentName, st.file}
	for _, files := range st.levels {
		for _, f := range files {
			want = append(want, tableName(f.fileNum))
		}
	}
	sort.Strings(want)
	got, err := fs.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("files %v, want %v", got, want)
	}
}

func TestTombstoneHidesOlderTable(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	defer d.Close()
	set(t, d, 1, "a", "1", "b", "2", "c", "3")
	flush(t, d)
	del(t, d, 2, "b")
	flush(t, d)
	set(t, d, 3, "c", "33")
	if _, ok, err := d.Get([]byte("b")); ok || err != nil {
		t.Fatalf("deleted key visible: ok=%v err=%v", ok, err)
	}
	if got := strings.Join(scan(t, d, nil, nil), ","); got != "a=1,c=33" {
		t.Fatalf("scan = %s", got)
	}
	if d.FlushedLSN() != 2 {
		t.Fatalf("FlushedLSN = %d, want 2", d.FlushedLSN())
	}
}

func TestIteratorIsSnapshot(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	defer d.Close()
	set(t, d, 1, "a", "1", "b", "2")
	it := d.NewIter(nil, nil)
	set(t, d, 2, "a", "changed", "c", "3")
	del(t, d, 3, "b")
	flush(t, d)
	var got []string
	for ok := it.First(); ok; ok = it.Next() {
		got = append(got, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "a=1,b=2" {
		t.Fatalf("snapshot iterator saw %v", got)
	}
}

// TestIteratorSteps pins what Steps counts: each entry a source moves past,
// versions and tombstones alike, in either direction; seeks are free.
func TestIteratorSteps(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	defer d.Close()
	for i := 1; i <= 5; i++ {
		set(t, d, uint64(i), "a", fmt.Sprint(i))
	}
	set(t, d, 6, "b", "1")
	del(t, d, 7, "c")
	set(t, d, 8, "d", "1")
	// A forward move stops on the newest version of the key it lands on,
	// and the next forward move first steps past that key's versions (a
	// lookup that reads one key moves no source beyond it); a backward
	// move steps onto the key before it.
	moves := []struct {
		name  string
		move  func(it *Iterator) bool
		key   string // "" when the move ends the iteration
		steps int
	}{
		{"First", (*Iterator).First, "a", 0}, // on a's newest version
		{"Next", (*Iterator).Next, "b", 5},   // past a's five versions
		{"Next", (*Iterator).Next, "d", 7},   // past b and c's tombstone
		{"Next", (*Iterator).Next, "", 8},    // past d: nothing left
		{"Last", (*Iterator).Last, "d", 9},   // back onto c
		{"Prev", (*Iterator).Prev, "b", 11},  // back past c, onto a
		{"Prev", (*Iterator).Prev, "a", 16},  // through a's versions, off the start
		{"SeekGE c", func(it *Iterator) bool { return it.SeekGE([]byte("c")) }, "d", 17},
	}
	it := d.NewIter(nil, nil)
	defer it.Close()
	for _, m := range moves {
		ok := m.move(it)
		if got := string(it.Key()); ok != (m.key != "") || ok && got != m.key {
			t.Fatalf("%s: at %q (%v), want %q", m.name, got, ok, m.key)
		}
		if it.Steps() != m.steps {
			t.Fatalf("%s: Steps = %d, want %d", m.name, it.Steps(), m.steps)
		}
	}
}

func readAll(t *testing.T, fs vfs.FS, name string) []byte {
	t.Helper()
	f, err := fs.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeAll(t *testing.T, fs vfs.FS, name string, data []byte) {
	t.Helper()
	f, err := fs.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCorruption(t *testing.T) {
	build := func(t *testing.T) (*vfs.MemFS, string, int) {
		fs := vfs.NewMem()
		// Uncompressed, so that the offsets below fall in the first data
		// block and on its CRC.
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
		return fs, name, len(readAll(t, fs, name))
	}
	tests := []struct {
		name string
		// offset to flip, from the start (>= 0) or the end (< 0) of the table
		offset   int
		failOpen bool
	}{
		{"data block byte", 100, false},
		{"data block crc", blockSizeTarget - 2, false},
		{"footer magic", -1, true},
		{"footer index offset", -footerSize, true},
		{"top index byte", -footerSize - blockTrailerSize - 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, name, size := build(t)
			data := readAll(t, fs, name)
			off := tc.offset
			if off < 0 {
				off += size
			}
			data[off] ^= 0x10
			writeAll(t, fs, name, data)
			d, err := Open(fs, dir, Options{})
			if tc.failOpen {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("open: err = %v, want ErrCorrupt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var sawCorrupt bool
			for i := range 200 {
				k := fmt.Sprintf("key%04d", i)
				v, ok, err := d.Get([]byte(k))
				switch {
				case errors.Is(err, ErrCorrupt):
					sawCorrupt = true
				case err != nil:
					t.Fatalf("Get(%s): %v", k, err)
				case !ok || string(v) != strings.Repeat("v", 50):
					t.Fatalf("Get(%s) = %q, %v: wrong data instead of an error", k, v, ok)
				}
			}
			if !sawCorrupt {
				t.Fatal("no Get reported ErrCorrupt")
			}
			it := d.NewIter(nil, nil)
			for ok := it.First(); ok; ok = it.Next() {
			}
			if err := it.Close(); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("iterator err = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestCorruptManifest(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	set(t, d, 1, "a", "1")
	flush(t, d)
	d.Close()
	st, err := readManifest(fs, dir)
	if err != nil {
		t.Fatal(err)
	}
	name := dir + "/" + st.file
	data := readAll(t, fs, name)
	data[manifestLogHeaderSize+recordHeaderSize+1] ^= 1
	// Append a valid-looking record, so the damaged one is not the tail.
	data = appendRecord(data, []byte{tagFlushedLSN, 1})
	writeAll(t, fs, name, data)
	if _, err := Open(fs, dir, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open: err = %v, want ErrCorrupt", err)
	}
}

func TestCrashAfterFlush(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	set(t, d, 5, "flushed", "yes", "gone", "old")
	flush(t, d)
	del(t, d, 6, "gone")
	set(t, d, 7, "unflushed", "lost")
	crashed := fs.CrashClone()
	d.Close()

	d = mustOpen(t, crashed)
	defer d.Close()
	if d.FlushedLSN() != 5 {
		t.Fatalf("FlushedLSN after crash = %d, want 5", d.FlushedLSN())
	}
	tests := []struct {
		key, value string
		ok         bool
	}{
		{"flushed", "yes", true},
		{"gone", "old", true}, // the delete was never flushed
		{"unflushed", "", false},
	}
	for _, tc := range tests {
		v, ok, err := d.Get([]byte(tc.key))
		if err != nil || ok != tc.ok || string(v) != tc.value {
			t.Errorf("Get(%q) = %q, %v, %v; want %q, %v", tc.key, v, ok, err, tc.value, tc.ok)
		}
	}
}

func TestOpenRemovesUnlistedFiles(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	set(t, d, 1, "a", "1")
	flush(t, d)
	d.Close()
	writeAll(t, fs, dir+"/"+tableName(99), []byte("half-written"))
	writeAll(t, fs, dir+"/"+currentTmpName, []byte("stale"))
	writeAll(t, fs, dir+"/"+manifestFileName(98), []byte("stale"))
	d = mustOpen(t, fs)
	defer d.Close()
	names, err := fs.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 3 || names[0] != tableName(1) || names[1] != currentName || !strings.HasPrefix(names[2], manifestPrefix) {
		t.Fatalf("files after open: %v", names)
	}
	checkNoStrayFiles(t, fs)
}

func TestFlushFailureIsSticky(t *testing.T) {
	tests := []struct {
		op    vfs.Op
		file  string // a part of the failing file's name
		cause error
	}{
		{vfs.OpSync, ".sst", syscall.EIO},
		{vfs.OpSyncDir, "", syscall.EIO},
		{vfs.OpWrite, manifestPrefix, syscall.ENOSPC},
		{vfs.OpSync, manifestPrefix, syscall.EIO},
	}
	for _, tc := range tests {
		t.Run(tc.op.String()+" "+tc.file, func(t *testing.T) {
			fs := vfs.NewMem()
			d := mustOpen(t, fs)
			defer d.Close()
			set(t, d, 1, "a", "1")
			fs.InjectError(func(op vfs.Op, name string) error {
				if op == tc.op && strings.Contains(name, tc.file) {
					return tc.cause
				}
				return nil
			})
			if err := d.Flush(); !errors.Is(err, ErrFailed) || !errors.Is(err, tc.cause) {
				t.Fatalf("flush: err = %v, want ErrFailed and %v", err, tc.cause)
			}
			fs.InjectError(nil)
			if err := d.Flush(); !errors.Is(err, ErrFailed) {
				t.Fatalf("second flush: err = %v, want ErrFailed", err)
			}
			if d.FlushedLSN() != 0 {
				t.Fatalf("FlushedLSN moved to %d after a failed flush", d.FlushedLSN())
			}
			if v, ok, err := d.Get([]byte("a")); err != nil || !ok || string(v) != "1" {
				t.Fatalf("data lost after failed flush: %q %v %v", v, ok, err)
			}
		})
	}
}

// TestFlushFullDisk checks that a flush that meets a full disk before its
// manifest edit is durable (writing the table, or appending the edit when a
// new manifest log without it can still be started) does not fail the
// store: the frozen memtable stays readable, writes go on, no partial table
// is left, and once space is back the next Flush writes both memtables.
func TestFlushFullDisk(t *testing.T) {
	tests := []struct {
		name string
		// full makes the disk full for the flush; it returns a function
		// that frees space again.
		full func(fs *vfs.MemFS) (free func())
	}{
		{"table write", func(fs *vfs.MemFS) func() {
			fs.SetQuota(fs.Used())
			return func() { fs.SetQuota(0) }
		}},
		{"manifest append once", func(fs *vfs.MemFS) func() {
			var once sync.Once
			fs.InjectError(func(op vfs.Op, name string) error {
				err := error(nil)
				if op == vfs.OpWrite && strings.Contains(name, manifestPrefix) {
					once.Do(func() { err = syscall.ENOSPC })
				}
				return err
			})
			return func() { fs.InjectError(nil) }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			d := mustOpen(t, fs)
			set(t, d, 1, "a", "1")
			free := tc.full(fs)
			if err := d.Flush(); !vfs.IsNoSpace(err) || errors.Is(err, ErrFailed) {
				t.Fatalf("flush on a full disk: err = %v, want ENOSPC without ErrFailed", err)
			}
			if err := d.Failed(); err != nil {
				t.Fatalf("store failed on a full disk: %v", err)
			}
			if d.FlushedLSN() != 0 {
				t.Fatalf("FlushedLSN moved to %d after a failed flush", d.FlushedLSN())
			}
			set(t, d, 2, "b", "2")
			for _, k := range []string{"a", "b"} {
				if v, ok, err := d.Get([]byte(k)); err != nil || !ok || v == nil {
					t.Fatalf("%s after a failed flush: %q %v %v", k, v, ok, err)
				}
			}
			free()
			checkNoStrayFiles(t, fs)
			if err := d.Flush(); err != nil {
				t.Fatalf("flush after space came back: %v", err)
			}
			if d.FlushedLSN() != 2 {
				t.Fatalf("FlushedLSN = %d after the retry, want 2", d.FlushedLSN())
			}
			checkNoStrayFiles(t, fs)
			d.Close()
			d = mustOpen(t, fs.CrashClone())
			defer d.Close()
			for k, want := range map[string]string{"a": "1", "b": "2"} {
				if v, ok, err := d.Get([]byte(k)); err != nil || !ok || string(v) != want {
					t.Fatalf("%s after reopen: %q %v %v, want %q", k, v, ok, err, want)
				}
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	defer d.Close()
	var wg sync.WaitGroup
	var lsnMu sync.Mutex
	var lsn uint64
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				var b Batch
				b.Set([]byte(fmt.Sprintf("w%d-%04d", w, i)), []byte("v"))
				lsnMu.Lock()
				lsn++
				err := d.Apply(&b, lsn)
				lsnMu.Unlock()
				if err != nil {
					t.Error(err)
					return
				}
				if i%100 == 0 {
					if err := d.Flush(); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 20 {
			if err := d.Compact(); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				it := d.NewIter([]byte("w1"), []byte("w2"))
				prev := []byte(nil)
				for ok := it.First(); ok; ok = it.Next() {
					if prev != nil && bytes.Compare(prev, it.Key()) >= 0 {
						t.Errorf("iterator out of order: %q then %q", prev, it.Key())
					}
					prev = it.Key()
				}
				if err := it.Close(); err != nil {
					t.Error(err)
				}
				if _, _, err := d.Get([]byte("w0-0001")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	flush(t, d)
	if got := len(scan(t, d, nil, nil)); got != 1200 {
		t.Fatalf("scan found %d keys, want 1200", got)
	}
	if d.FlushedLSN() != 1200 || d.MemtableSize() != 0 {
		t.Fatalf("FlushedLSN = %d, MemtableSize = %d", d.FlushedLSN(), d.MemtableSize())
	}
}

// TestLiveIterator: an iterator reads the memtable live, in key order, and
// sees only the versions at or below its sequence number.
func TestLiveIterator(t *testing.T) {
	d := mustOpen(t, vfs.NewMem())
	defer d.Close()
	set(t, d, 1, "a", "1", "c", "3")
	it := d.NewLiveIter(nil, nil)
	if !it.First() || string(it.Key()) != "a" {
		t.Fatal("First")
	}
	set(t, d, 2, "b", "2", "d", "4")
	var got []string
	for ok := it.Next(); ok; ok = it.Next() {
		got = append(got, string(it.Key()))
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	// "b" and "d" are in the memtable the iterator walks ("d" after its
	// position), but applied after it was created: neither shows.
	if strings.Join(got, ",") != "c" {
		t.Fatalf("live iterator after writes saw %v", got)
	}
	bounded := d.NewLiveIter([]byte("b"), []byte("c"))
	defer bounded.Close()
	if !bounded.First() || string(bounded.Key()) != "b" || bounded.Next() {
		t.Fatal("a bounded live iterator must see exactly b")
	}
}
