package lsm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"syscall"
	"testing"

	"github.com/cairndb/cairn/internal/vfs"
)

// flushes writes n flushed tables, one key each ("k0".."k<n-1>"), with
// LSNs 1..n, so that each flush appends one edit to the manifest.
func flushes(t *testing.T, d *DB, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		set(t, d, uint64(i+1), fmt.Sprintf("k%d", i), "v")
		flush(t, d)
	}
}

// manifestRecords returns the offsets of the records of a manifest log and
// its end.
func manifestRecords(t *testing.T, data []byte) []int {
	t.Helper()
	var offs []int
	for off := manifestLogHeaderSize; off < len(data); {
		offs = append(offs, off)
		off += recordHeaderSize + int(binary.LittleEndian.Uint32(data[off:]))
	}
	return append(offs, len(data))
}

func currentManifest(t *testing.T, fs vfs.FS) string {
	t.Helper()
	st, err := readManifest(fs, dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir + "/" + st.file
}

// TestManifestTornTail: a manifest log cut anywhere inside its last record,
// or whose last record is garbage, opens to the state before that record.
func TestManifestTornTail(t *testing.T) {
	build := func(t *testing.T) (*vfs.MemFS, string, []byte) {
		fs := vfs.NewMem()
		d := mustOpen(t, fs)
		flushes(t, d, 0, 3)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		name := currentManifest(t, fs)
		return fs, name, readAll(t, fs, name)
	}
	_, _, data := build(t)
	offs := manifestRecords(t, data)
	if len(offs) != 5 { // snapshot, 3 flushes, end
		t.Fatalf("record offsets %v", offs)
	}
	last := offs[len(offs)-2]
	type variant struct {
		name string
		data []byte
	}
	var variants []variant
	for cut := last + 1; cut < len(data); cut++ {
		variants = append(variants, variant{fmt.Sprintf("cut at %d", cut), data[:cut]})
	}
	zeroed := append([]byte{}, data...)
	clear(zeroed[last+recordHeaderSize:])
	variants = append(variants, variant{"last payload zeroed", zeroed})
	flipped := append([]byte{}, data...)
	flipped[len(flipped)-1] ^= 0x40
	variants = append(variants, variant{"last payload flipped", flipped})
	variants = append(variants, variant{"zeroed tail after the last record", append(append([]byte{}, data...), make([]byte, 100)...)})
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			fs, name, _ := build(t)
			writeAll(t, fs, name, v.data)
			d := mustOpen(t, fs)
			defer d.Close()
			want := uint64(2)
			if strings.HasPrefix(v.name, "zeroed tail") {
				want = 3
			}
			if d.FlushedLSN() != want {
				t.Fatalf("FlushedLSN %d, want %d", d.FlushedLSN(), want)
			}
			if got := len(scan(t, d, nil, nil)); got != int(want) {
				t.Fatalf("%d keys, want %d", got, want)
			}
			// The store goes on: the torn record is never appended to.
			flushes(t, d, 10, 2)
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			d = mustOpen(t, fs)
			if got := len(scan(t, d, nil, nil)); got != int(want)+2 {
				t.Fatalf("after more flushes and a reopen: %d keys, want %d", got, want+2)
			}
			checkNoStrayFiles(t, fs)
		})
	}
}

// TestManifestCorruptRecord: a bad record before the tail fails Open with
// ErrCorrupt naming the file and the offset.
func TestManifestCorruptRecord(t *testing.T) {
	tests := []struct {
		name   string
		damage func(data []byte, offs []int) (want string)
	}{
		{"checksum", func(data []byte, offs []int) string {
			data[offs[1]+recordHeaderSize] ^= 1
			return fmt.Sprintf("offset %d", offs[1])
		}},
		{"length zero", func(data []byte, offs []int) string {
			binary.LittleEndian.PutUint32(data[offs[2]:], 0)
			return fmt.Sprintf("offset %d", offs[2])
		}},
		{"header", func(data []byte, offs []int) string {
			data[0] ^= 1
			return "bad header"
		}},
		{"valid checksum, bad edit", func(data []byte, offs []int) string {
			// A deletion of a table that does not exist, checksummed,
			// over the start of the first edit (what follows it is left
			// as garbage: replay stops at the bad edit).
			copy(data[offs[1]:], appendRecord(nil, []byte{tagDeletedTable, 3, 77}))
			return fmt.Sprintf("offset %d", offs[1])
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			d := mustOpen(t, fs)
			flushes(t, d, 0, 3)
			d.Close()
			name := currentManifest(t, fs)
			data := readAll(t, fs, name)
			want := tc.damage(data, manifestRecords(t, data))
			writeAll(t, fs, name, data)
			_, err := Open(fs, dir, Options{})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), manifestPrefix) {
				t.Fatalf("open: %v; want ErrCorrupt naming the manifest and %q", err, want)
			}
		})
	}
}

// TestCorruptCurrent: CURRENT naming no manifest, or garbage, fails Open.
func TestCorruptCurrent(t *testing.T) {
	for _, content := range []string{"MANIFEST-000009\n", "garbage\n", "MANIFEST-000001"} {
		fs := vfs.NewMem()
		d := mustOpen(t, fs)
		flushes(t, d, 0, 1)
		d.Close()
		writeAll(t, fs, dir+"/"+currentName, []byte(content))
		if _, err := Open(fs, dir, Options{}); err == nil {
			t.Fatalf("CURRENT %q: open succeeded", content)
		}
	}
}

// TestManifestRotation: a log past its size limit is replaced by a new one
// holding a snapshot; a crash before every file operation of a rotating
// flush reopens to the state before or after that flush.
func TestManifestRotation(t *testing.T) {
	opts := Options{DisableAutoCompaction: true, manifestRotateBytes: 200}
	open := func(fs vfs.FS) *DB {
		d, err := Open(fs, dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	fs := vfs.NewMem()
	d := open(fs)
	first := d.manifest.num
	flushes(t, d, 0, 20)
	if d.manifest.num < first+3 {
		t.Fatalf("manifest %d after 20 flushes, started at %d: no rotation", d.manifest.num, first)
	}
	checkNoStrayFiles(t, fs)
	d.Close()
	d = open(fs)
	if got := len(scan(t, d, nil, nil)); got != 20 || d.FlushedLSN() != 20 {
		t.Fatalf("after reopen: %d keys, FlushedLSN %d", got, d.FlushedLSN())
	}
	d.Close()

	// Find a flush that rotates, then crash before each of its operations.
	scenario := func() (*vfs.MemFS, *DB) {
		fs := vfs.NewMem()
		d := open(fs)
		flushes(t, d, 0, 3)
		return fs, d
	}
	fs, d = scenario()
	var ops []string
	fs.InjectError(func(op vfs.Op, name string) error { ops = append(ops, op.String()+" "+name); return nil })
	before := d.manifest.num
	for i := 3; d.manifest.num == before; i++ {
		ops = ops[:0]
		flushes(t, d, i, 1)
	}
	rotatingFlush := int(d.FlushedLSN()) - 1
	d.Close()
	if !strings.Contains(strings.Join(ops, ","), currentTmpName) {
		t.Fatalf("the rotating flush did not switch CURRENT: %v", ops)
	}
	for n := range len(ops) + 1 {
		fs, d := scenario()
		flushes(t, d, 3, rotatingFlush-3)
		i := 0
		var crashed *vfs.MemFS
		fs.InjectError(func(vfs.Op, string) error {
			if i == n {
				crashed = fs.CrashClone()
			}
			i++
			return nil
		})
		flushes(t, d, rotatingFlush, 1)
		if crashed == nil {
			crashed = fs.CrashClone()
		}
		d.Close()
		d = open(crashed)
		lsn := d.FlushedLSN()
		if lsn != uint64(rotatingFlush) && lsn != uint64(rotatingFlush+1) {
			t.Fatalf("crash before op %d: FlushedLSN %d", n, lsn)
		}
		if got := len(scan(t, d, nil, nil)); got != int(lsn) {
			t.Fatalf("crash before op %d: %d keys, FlushedLSN %d", n, got, lsn)
		}
		d.Close()
		checkNoStrayFiles(t, crashed)
	}
}

// TestManifestWriteErrors: manifest and CURRENT operations that keep
// failing, during a flush, a compaction and a rotation. Each returns a
// clean error or fails the store (ErrFailed) as the package documents, and
// the directory reopens, as it is and after a crash, with every flush that
// succeeded.
func TestManifestWriteErrors(t *testing.T) {
	tests := []struct {
		op   vfs.Op
		file string
	}{
		{vfs.OpWrite, manifestPrefix},
		{vfs.OpSync, manifestPrefix},
		{vfs.OpCreate, manifestPrefix},
		{vfs.OpCreate, currentTmpName},
		{vfs.OpWrite, currentTmpName},
		{vfs.OpSync, currentTmpName},
		{vfs.OpRename, currentTmpName},
		{vfs.OpSyncDir, ""},
		{vfs.OpSyncDir, "after the CURRENT rename"},
	}
	for _, tc := range tests {
		for _, during := range []string{"flush", "compaction", "rotation"} {
			t.Run(fmt.Sprintf("%s %s during %s", tc.op, tc.file, during), func(t *testing.T) {
				opts := Options{DisableAutoCompaction: true}
				if during == "rotation" {
					opts.manifestRotateBytes = 1 // every edit rotates
				}
				fs := vfs.NewMem()
				d, err := Open(fs, dir, opts)
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				flushes(t, d, 0, 4)
				acked := 4
				set(t, d, 5, "k4", "v")
				renamed := false
				fs.InjectError(func(op vfs.Op, name string) error {
					if tc.file == "after the CURRENT rename" {
						if op == vfs.OpRename && strings.Contains(name, currentTmpName) {
							renamed = true
						} else if op == tc.op && renamed {
							return syscall.EIO
						}
						return nil
					}
					if op == tc.op && strings.Contains(name, tc.file) {
						return syscall.EIO
					}
					return nil
				})
				var opErr error
				switch during {
				case "flush", "rotation":
					opErr = d.Flush()
				case "compaction":
					opErr = d.Compact()
				}
				fs.InjectError(nil)
				switch {
				case opErr == nil && during == "rotation":
					// The edit took effect; a failed rotation before CURRENT
					// switched leaves the old log in use, and after it the
					// store fails.
					acked = 5
					set(t, d, 6, "k5", "v")
					if err := d.Flush(); renamed != errors.Is(err, ErrFailed) {
						t.Fatalf("after a failed rotation (CURRENT renamed: %v), the next flush: %v", renamed, err)
					}
				case opErr == nil:
					// Only a failure outside the path (a compaction writes no
					// CURRENT unless the append fails) can leave no error.
					if tc.file != currentTmpName && tc.op != vfs.OpCreate && !renamed && tc.file != "after the CURRENT rename" {
						t.Fatalf("no error")
					}
					if during == "flush" {
						acked = 5
					}
				case !errors.Is(opErr, syscall.EIO):
					t.Fatalf("err = %v, want EIO", opErr)
				case during == "compaction" && !errors.Is(opErr, ErrFailed):
					// Clean: the next compaction succeeds.
					if err := d.Compact(); err != nil {
						t.Fatalf("retry: %v", err)
					}
				case during == "flush" && !errors.Is(opErr, ErrFailed):
					t.Fatalf("failed flush not sticky: %v", opErr)
				}
				if got := len(scan(t, d, nil, nil)); got < 5 {
					t.Fatalf("%d keys readable, want 5", got)
				}
				crashed := fs.CrashClone()
				d.Close()
				for _, img := range []*vfs.MemFS{fs, crashed} {
					d, err := Open(img, dir, opts)
					if err != nil {
						t.Fatalf("reopen: %v", err)
					}
					got := len(scan(t, d, nil, nil))
					if got < acked || uint64(got) != d.FlushedLSN() {
						t.Fatalf("reopen after %v: %d keys, FlushedLSN %d, want at least %d", opErr, got, d.FlushedLSN(), acked)
					}
					d.Close()
					checkNoStrayFiles(t, img)
				}
			})
		}
	}
}

// TestReadsLegacyManifest: a version 2 single-file MANIFEST (one version
// edit) opens, and is replaced by a manifest log.
func TestReadsLegacyManifest(t *testing.T) {
	fs := vfs.NewMem()
	d, err := Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := layeredTables(t, d)
	if err := d.Compact(); err != nil {
		t.Fatal(err)
	}
	flushes(t, d, 100, 2)
	want = scan(t, d, nil, nil)
	d.mu.RLock()
	snap := snapshotEdit(d.mu.current.levels, d.mu.current.rangeDels, d.mu.flushedLSN, d.mu.nextFileNum, d.mu.seq, d.mu.compactPointer)
	d.mu.RUnlock()
	d.Close()
	st, err := readManifest(fs, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{currentName, st.file} {
		if err := fs.Remove(dir + "/" + name); err != nil {
			t.Fatal(err)
		}
	}
	out := binary.LittleEndian.AppendUint32(nil, legacyMagic)
	out = binary.LittleEndian.AppendUint32(out, legacyVersion2)
	out = snap.encode(out)
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
	writeAll(t, fs, dir+"/"+legacyManifestName, out)

	d, err = Open(fs, dir, manualOpts)
	if err != nil {
		t.Fatal(err)
	}
	if got := scan(t, d, nil, nil); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal("contents differ after opening the legacy manifest")
	}
	if got := levelsOf(d); got != "L0:2 L1:1" {
		t.Fatalf("levels %s, want L0:2 L1:1", got)
	}
	d.Close()
	checkNoStrayFiles(t, fs) // MANIFEST is gone
}
