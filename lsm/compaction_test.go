package lsm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairndb/cairn/internal/vfs"
)

var manualOpts = Options{DisableAutoCompaction: true, L0CompactionThreshold: 100, L0StopWritesThreshold: 200}

// layeredTables writes four tables with overwrites and deletes across them
// and returns the expected scan.
func layeredTables(t *testing.T, d *DB) []string {
	t.Helper()
	var lsn uint64
	for round := range 4 {
		var b Batch
		for i := range 300 {
			k := []byte(fmt.Sprintf("k%04d", i))
			switch {
			case (i+round)%7 == 0:
				b.Delete(k)
			case i%(round+2) == 0:
				b.Set(k, []byte(fmt.Sprintf("v%d-%d", round, i)))
			}
		}
		lsn++
		if err := d.Apply(&b, lsn); err != nil {
			t.Fatal(err)
		}
		flush(t, d)
	}
	return scan(t, d, nil, nil)
}

func tableEntries(t *testing.T, d *DB) (live, tombstones int) {
	t.Helper()
	for _, tbl := range allTables(d) {
		s := newTableSource(tbl, false)
		for s.first(); s.valid(); s.next() {
			if s.deleted() {
				tombstones++
			} else {
				live++
			}
		}
		if err := s.err(); err != nil {
			t.Fatal(err)
		}
	}
	return live, tombstones
}

func TestCompactMergesAndDropsTombstones(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := layeredTables(t, d)
	if _, tomb := tableEntries(t, d); tomb == 0 {
		t.Fatal("test setup wrote no tombstones")
	}
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	if m := d.Metrics(); m.Tables != 1 || m.Compactions != 1 {
		t.Fatalf("after Compact: %+v", m)
	}
	live, tomb := tableEntries(t, d)
	if tomb != 0 || live != len(want) {
		t.Fatalf("output holds %d values and %d tombstones; want %d and 0", live, tomb, len(want))
	}
	if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("scan after compaction differs:\n got %v\nwant %v", got, want)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoStrayFiles(t, fs)
	d = mustOpen(t, fs)
	defer d.Close()
	if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal("scan after reopen differs")
	}
}

func TestCompactEverythingDeleted(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	set(t, d, 1, "a", "1", "b", "2")
	flush(t, d)
	del(t, d, 2, "a", "b")
	flush(t, d)
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	if m := d.Metrics(); m.Tables != 0 {
		t.Fatalf("%d tables after compacting only deletions", m.Tables)
	}
	checkNoStrayFiles(t, fs)
}

// allTables returns the tables of the current version, L0 first.
func allTables(d *DB) []*table {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []*table
	d.mu.current.forEach(func(_ int, f *fileMeta) { out = append(out, f.t) })
	return out
}

// levelsOf describes the current version: per non-empty level, its
// table count.
func levelsOf(d *DB) string {
	var parts []string
	for l, lm := range d.Metrics().Levels {
		if lm.Tables > 0 {
			parts = append(parts, fmt.Sprintf("L%d:%d", l, lm.Tables))
		}
	}
	return strings.Join(parts, " ")
}

func TestNonBottomCompactionKeepsTombstones(t *testing.T) {
	d, err := Open(vfs.NewMem(), dir, Options{DisableAutoCompaction: true,
		CompactionFilter: func(key, value []byte) bool { return string(value) == "filter-me" }})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	set(t, d, 1, "a", "old", "filtered", "x", "b", "1", "z", "1")
	flush(t, d)
	// Compact moves the table below L0's target level: L0 -> L1, then
	// L1 -> L2.
	for range 2 {
		if err := d.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	if got := levelsOf(d); got != "L2:1" {
		t.Fatalf("levels %s, want L2:1", got)
	}
	del(t, d, 2, "a")
	set(t, d, 3, "filtered", "filter-me", "c", "3")
	flush(t, d)
	del(t, d, 4, "y") // no "y" anywhere, but L2's range [a, z] holds it
	flush(t, d)
	if _, err := d.compactPicked(func(v *version, _ *[numLevels][]byte) *compaction { return pickAll(v, 0) }); err != nil {
		t.Fatal(err)
	}
	if got := levelsOf(d); got != "L1:1 L2:1" {
		t.Fatalf("levels %s, want L1:1 L2:1", got)
	}
	live, tomb := tableEntries(t, d)
	// "a" and "y" stay tombstones and the filtered value becomes one: the
	// L2 table's range holds all three, so each could hide an older
	// version there.
	if live != 5 || tomb != 3 {
		t.Fatalf("%d values, %d tombstones; want 5 (a, b, filtered, z in L2; c) and 3 (a, filtered, y)", live, tomb)
	}
	if got := strings.Join(scan(t, d, nil, nil), ","); got != "b=1,c=3,z=1" {
		t.Fatalf("scan = %s", got)
	}
	// Into the bottom: the tombstones go, with what they hid.
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	if live, tomb := tableEntries(t, d); live != 3 || tomb != 0 {
		t.Fatalf("after Compact: %d values, %d tombstones; want 3 and 0", live, tomb)
	}
}

// TestTombstoneDroppedWhereNothingBelow: a compaction into a level that is
// not the deepest drops a tombstone whose key no deeper table's range
// holds.
func TestTombstoneDroppedWhereNothingBelow(t *testing.T) {
	d, err := Open(vfs.NewMem(), dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	set(t, d, 1, "m", "1", "n", "1")
	flush(t, d)
	for range 2 {
		if err := d.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	set(t, d, 2, "a", "1")
	flush(t, d)
	del(t, d, 3, "a", "m")
	flush(t, d)
	if _, err := d.compactPicked(func(v *version, _ *[numLevels][]byte) *compaction { return pickAll(v, 0) }); err != nil {
		t.Fatal(err)
	}
	// "a" is below nothing: its tombstone and value both go; "m" lies in
	// L2's range [m, n]: its tombstone stays.
	if live, tomb := tableEntries(t, d); live != 2 || tomb != 1 {
		t.Fatalf("%d values, %d tombstones; want 2 (m, n in L2) and 1 (m)", live, tomb)
	}
	if got := strings.Join(scan(t, d, nil, nil), ","); got != "n=1" {
		t.Fatalf("scan = %s", got)
	}
}

func TestCompactionFilter(t *testing.T) {
	var calls []string
	opts := manualOpts
	opts.CompactionFilter = func(key, value []byte) bool {
		calls = append(calls, string(key)+"="+string(value))
		return strings.HasPrefix(string(value), "dead")
	}
	d, err := Open(vfs.NewMem(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	set(t, d, 1, "a", "live", "b", "dead-old", "c", "dead", "d", "gone")
	flush(t, d)
	set(t, d, 2, "b", "live-new")
	del(t, d, 3, "d")
	flush(t, d)
	set(t, d, 4, "e", "dead-in-memtable")
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	// Only the newest version of each live key is offered, never a
	// tombstone, never the memtable.
	if got := strings.Join(calls, ","); got != "a=live,b=live-new,c=dead" {
		t.Fatalf("filter calls: %s", got)
	}
	if got := strings.Join(scan(t, d, nil, nil), ","); got != "a=live,b=live-new,e=dead-in-memtable" {
		t.Fatalf("scan = %s", got)
	}
}

func TestIteratorPinsCompactedTables(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := layeredTables(t, d)
	it := d.NewIter(nil, nil)
	if !it.First() {
		t.Fatal("empty")
	}
	set(t, d, 100, "k0001", "changed")
	flush(t, d)
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	names, err := fs.List(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2+4+1 { // CURRENT and the manifest, 4 pinned inputs, the output (the fifth table was not pinned)
		t.Fatalf("while pinned: files %v", names)
	}
	got := []string{string(it.Key()) + "=" + string(it.Value())}
	for it.Next() {
		got = append(got, string(it.Key())+"="+string(it.Value()))
	}
	if err := it.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal("iterator opened before the compaction saw a different state")
	}
	checkNoStrayFiles(t, fs)
	if err := it.Close(); err != nil { // closing twice is harmless
		t.Fatal(err)
	}
	if m := d.Metrics(); m.Tables != 1 || m.ObsoleteRemoveFails != 0 {
		t.Fatalf("metrics %+v", m)
	}
}

func TestBackgroundCompaction(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, Options{L0CompactionThreshold: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := layeredTables(t, d)
	// Poll until the background goroutine has run; the bound only
	// catches a hang, however loaded the machine.
	deadline := time.Now().Add(30 * time.Second)
	for d.Metrics().Tables > 2 {
		if time.Now().After(deadline) {
			t.Fatalf("no background compaction within 30s: %+v", d.Metrics())
		}
		time.Sleep(time.Millisecond)
	}
	if m := d.Metrics(); m.Compactions == 0 || m.CompactionFailures != 0 {
		t.Fatalf("metrics %+v", m)
	}
	if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal("scan after background compaction differs")
	}
}

func TestFlushBackpressure(t *testing.T) {
	d, err := Open(vfs.NewMem(), dir, Options{DisableAutoCompaction: true, L0CompactionThreshold: 2, L0StopWritesThreshold: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i := range 3 {
		set(t, d, uint64(i+1), fmt.Sprintf("k%d", i), "v", "shared", "v")
		flush(t, d)
	}
	if m := d.Metrics(); m.Tables != 3 || m.WriteStalls != 0 {
		t.Fatalf("before the stall: %+v", m)
	}
	set(t, d, 4, "k3", "v", "shared", "v")
	flush(t, d)
	if m := d.Metrics(); m.Tables != 2 || m.WriteStalls != 1 || m.Compactions != 1 {
		t.Fatalf("after the stalled flush: %+v", m)
	}
	if got := len(scan(t, d, nil, nil)); got != 5 {
		t.Fatalf("%d keys", got)
	}
}

func TestFlushBackpressureCompactionFails(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, Options{DisableAutoCompaction: true, L0CompactionThreshold: 1, L0StopWritesThreshold: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i := range 2 {
		set(t, d, uint64(i+1), fmt.Sprintf("k%d", i), "v", "shared", "v")
		flush(t, d)
	}
	// Fail the compaction's output file only: the flush goes on.
	fs.InjectError(func(op vfs.Op, name string) error {
		if op == vfs.OpCreate && strings.HasSuffix(name, tableName(3)) {
			return syscall.ENOSPC
		}
		return nil
	})
	set(t, d, 3, "k2", "v", "shared", "v")
	flush(t, d)
	fs.InjectError(nil)
	if m := d.Metrics(); m.Tables != 3 || m.CompactionFailures != 1 || !errors.Is(m.LastCompactionError, syscall.ENOSPC) {
		t.Fatalf("metrics %+v", m)
	}
}

// compactionScenario builds a store with layered tables and returns it, the
// expected scan, and the file system.
func compactionScenario(t *testing.T) (*DB, *vfs.MemFS, []string) {
	t.Helper()
	fs := vfs.NewMem()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	return d, fs, layeredTables(t, d)
}

func reopenAndScan(t *testing.T, fs vfs.FS) []string {
	t.Helper()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer d.Close()
	got := scan(t, d, nil, nil)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoStrayFiles(t, fs)
	return got
}

// TestCompactionCrashAtEveryStep crashes (CrashClone) before each file
// system operation of a compaction in turn; every crash image must reopen
// to exactly the contents from before the compaction.
func TestCompactionCrashAtEveryStep(t *testing.T) {
	d, fs, _ := compactionScenario(t)
	ops := 0
	fs.InjectError(func(vfs.Op, string) error { ops++; return nil })
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	fs.InjectError(nil)
	d.Close()
	if ops < 10 {
		t.Fatalf("compaction did only %d file operations", ops)
	}
	for n := 1; n <= ops+1; n++ {
		d, fs, want := compactionScenario(t)
		var crashed *vfs.MemFS
		var crashOp string
		i := 0
		fs.InjectError(func(op vfs.Op, name string) error {
			i++
			if i == n {
				crashed, crashOp = fs.CrashClone(), op.String()+" "+name
			}
			return nil
		})
		if err := d.Compact(); err != nil {
			t.Fatal(err)
		}
		fs.InjectError(nil)
		if crashed == nil {
			crashed, crashOp = fs.CrashClone(), "after the compaction"
		}
		d.Close()
		if got := reopenAndScan(t, crashed); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("crash before op %d (%s): contents differ:\n got %v\nwant %v", n, crashOp, got, want)
		}
	}
}

// TestCompactionErrorAtEveryStep fails each file system operation of a
// compaction in turn with EIO or ENOSPC: the compaction fails without
// losing or changing data, a later one succeeds (unless the failure was
// the sticky directory sync after the manifest rename), and the files
// reopen, cleanly or after a crash, to the same contents.
func TestCompactionErrorAtEveryStep(t *testing.T) {
	for _, cause := range []error{syscall.EIO, syscall.ENOSPC} {
		for n := 1; ; n++ {
			d, fs, want := compactionScenario(t)
			i := 0
			var failedOp vfs.Op
			fs.InjectError(func(op vfs.Op, name string) error {
				i++
				if i == n {
					failedOp = op
					return cause
				}
				return nil
			})
			err := d.Compact()
			fs.InjectError(nil)
			if failedOp == 0 {
				// n is past the last operation: every step was covered.
				d.Close()
				if n < 10 {
					t.Fatalf("only %d operations", n)
				}
				break
			}
			where := fmt.Sprintf("%v at op %d (%s)", cause, n, failedOp)
			if err == nil {
				// Only failures after the install (removing an input) are
				// not the compaction's failure.
				if failedOp != vfs.OpRemove && failedOp != vfs.OpClose {
					t.Fatalf("%s: compaction succeeded", where)
				}
			} else if !errors.Is(err, cause) {
				t.Fatalf("%s: err = %v", where, err)
			}
			if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("%s: contents changed", where)
			}
			crashed := fs.CrashClone()
			// One failed operation never leaves the manifest uncertain: a
			// failed append is followed by a new manifest log without the
			// edit.
			sticky := errors.Is(err, ErrFailed)
			if sticky {
				t.Fatalf("%s: sticky: %v", where, err)
			}
			if err != nil && !sticky {
				// The partial output and manifest are gone.
				checkNoStrayFiles(t, fs)
				if err := d.Compact(); err != nil {
					t.Fatalf("%s: retry: %v", where, err)
				}
				if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
					t.Fatalf("%s: contents changed after the retry", where)
				}
			}
			d.Close()
			for _, img := range []*vfs.MemFS{fs, crashed} {
				if got := reopenAndScan(t, img); strings.Join(got, ",") != strings.Join(want, ",") {
					t.Fatalf("%s: contents differ after reopen", where)
				}
			}
		}
	}
}

// TestCheck: Check passes on healthy tables and finds a flipped byte.
func TestCheck(t *testing.T) {
	fs := vfs.NewMem()
	d := mustOpen(t, fs)
	for i := 0; i < 3; i++ {
		set(t, d, uint64(i+1), fmt.Sprintf("k%03d", i), "v")
		flush(t, d)
	}
	rep, err := d.Check()
	if err != nil || rep.Tables != 3 || rep.Entries != 3 {
		t.Fatalf("Check = %v, %v; want 3 tables, 3 entries", rep, err)
	}
	d.Close()
	names, _ := fs.List(dir)
	var sst string
	for _, n := range names {
		if strings.HasSuffix(n, ".sst") {
			sst = fs.PathJoin(dir, n)
			break
		}
	}
	data := readAll(t, fs, sst)
	data[10] ^= 0xff
	f, err := fs.Create(sst)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(data)
	f.Sync()
	f.Close()
	d2, err := Open(fs, dir, Options{DisableAutoCompaction: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if _, err := d2.Check(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Check after a flipped byte: %v, want ErrCorrupt", err)
	}
}

// writeManifestV1 writes a version 1 manifest (tables newest first), the
// format before levels.
func writeManifestV1(fs vfs.FS, dir string, flushedLSN, nextFileNum uint64, tables ...uint64) error {
	out := binary.LittleEndian.AppendUint32(nil, legacyMagic)
	out = binary.LittleEndian.AppendUint32(out, legacyVersion1)
	out = binary.LittleEndian.AppendUint64(out, flushedLSN)
	out = binary.LittleEndian.AppendUint64(out, nextFileNum)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(tables)))
	for _, n := range tables {
		out = binary.LittleEndian.AppendUint64(out, n)
	}
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
	f, err := fs.Create(fs.PathJoin(dir, legacyManifestName))
	if err != nil {
		return err
	}
	_, err = f.Write(out)
	return errors.Join(err, f.Sync(), f.Close())
}

// TestCompactionDebt: the debt is L0's bytes once L0 reaches the compaction
// threshold, and none after a compaction brings it below.
func TestCompactionDebt(t *testing.T) {
	d, err := Open(vfs.NewMem(), dir, Options{DisableAutoCompaction: true, L0CompactionThreshold: 2, L0StopWritesThreshold: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	set(t, d, 1, "k1", "v")
	flush(t, d)
	if m := d.Metrics(); m.CompactionDebtBytes != 0 {
		t.Fatalf("one L0 table: debt %d, want 0", m.CompactionDebtBytes)
	}
	set(t, d, 2, "k2", "v")
	flush(t, d)
	m := d.Metrics()
	if m.CompactionDebtBytes == 0 || m.CompactionDebtBytes != m.Levels[0].Bytes {
		t.Fatalf("two L0 tables: debt %d, want L0's %d bytes", m.CompactionDebtBytes, m.Levels[0].Bytes)
	}
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	if m := d.Metrics(); m.CompactionDebtBytes != 0 {
		t.Fatalf("after compaction: debt %d, want 0", m.CompactionDebtBytes)
	}
}
