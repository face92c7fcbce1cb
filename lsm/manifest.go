package lsm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	iofs "io/fs"
	"strconv"
	"strings"

	"github.com/cairndb/cairn/internal/vfs"
)

// The manifest is a log of version edits, MANIFEST-NNNNNN, named by the
// CURRENT file; see doc.go for the format.
const (
	currentName    = "CURRENT"
	currentTmpName = "CURRENT.tmp"
	manifestPrefix = "MANIFEST-"

	manifestLogMagic      = 0x6c6d6663 // "cfml"
	manifestLogVersion    = 3
	manifestLogHeaderSize = 4 + 4
	recordHeaderSize      = 4 + 4
	maxManifestRecord     = 64 << 20
	maxManifestBytes      = 256 << 20

	// legacyManifestName is the single-file manifest of versions 1 and 2,
	// still read by Open and replaced by a manifest log.
	legacyManifestName    = "MANIFEST"
	legacyManifestTmpName = "MANIFEST.tmp"
	legacyMagic           = 0x6d6e6663 // "cfnm"
	legacyVersion2        = 2
	legacyVersion1        = 1
	legacyHeaderSize      = 4 + 4
	legacyV1FixedSize     = 4 + 4 + 8 + 8 + 4
	maxLegacyManifest     = 64 << 20
)

func manifestFileName(n uint64) string { return fmt.Sprintf("%s%06d", manifestPrefix, n) }

// parseManifestFileName returns the number of a MANIFEST-NNNNNN name.
func parseManifestFileName(name string) (uint64, bool) {
	digits, ok := strings.CutPrefix(name, manifestPrefix)
	if !ok || len(digits) < 6 {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil && n > 0
}

// manifestState is the store's durable state as replayed from a manifest.
type manifestState struct {
	levels      [numLevels][]*fileMeta // tables without t
	flushedLSN  uint64
	nextFileNum uint64
	lastSeq     uint64
	pointers    [numLevels][]byte
	rangeDels   []rangeDel
	// file is the manifest read (a log, or the legacy MANIFEST).
	file string
	// legacyV1: the tables carry no size or key range; Open reads them.
	legacyV1 bool
}

// apply applies one edit, checking it against the state.
func (st *manifestState) apply(e *versionEdit) error {
	levels, err := applyEdit(st.levels, e)
	if err != nil {
		return err
	}
	rds, err := applyRangeDels(st.rangeDels, e)
	if err != nil {
		return err
	}
	st.levels, st.rangeDels = levels, rds
	if e.hasFlushedLSN {
		st.flushedLSN = e.flushedLSN
	}
	if e.hasNextFileNum {
		st.nextFileNum = e.nextFileNum
	}
	if e.hasLastSeq {
		st.lastSeq = max(st.lastSeq, e.lastSeq)
	}
	for l, p := range e.compactPointer {
		if p != nil {
			st.pointers[l] = p
		}
	}
	return nil
}

// check checks what must hold after replay: every table numbered below the
// next file number.
func (st *manifestState) check() error {
	var err error
	for _, files := range st.levels {
		for _, f := range files {
			if f.fileNum == 0 || f.fileNum >= st.nextFileNum {
				err = fmt.Errorf("table number %d not below the next file number %d", f.fileNum, st.nextFileNum)
			}
		}
	}
	if countTables(st.levels) > maxTableFiles {
		err = fmt.Errorf("%d tables, over the limit of %d", countTables(st.levels), maxTableFiles)
	}
	return err
}

// checkSnapshot checks what an edit opening a manifest must hold: the next
// file number and FlushedLSN set, and no deletions.
func checkSnapshot(e *versionEdit) error {
	if !e.hasNextFileNum || !e.hasFlushedLSN {
		return errors.New("snapshot without next file number or flushed LSN")
	}
	if len(e.deleted) > 0 || len(e.deletedRangeDels) > 0 {
		return errors.New("snapshot deletes tables or range tombstones")
	}
	if len(e.added) > maxTableFiles {
		return fmt.Errorf("%d tables, over the limit of %d", len(e.added), maxTableFiles)
	}
	return nil
}

// appendRecord appends one manifest record: payload length u32, CRC-32C
// u32 of the payload, payload.
func appendRecord(out, payload []byte) []byte {
	out = binary.LittleEndian.AppendUint32(out, uint32(len(payload)))
	out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(payload, castagnoli))
	return append(out, payload...)
}

// replayManifest replays a manifest log. A torn last record (the file ends
// inside it, or it is the last one and its checksum fails: a crash during
// its append) is cut off; a bad record before the tail is ErrCorrupt with
// the file name and offset. It returns the state and the length of the
// valid prefix.
func replayManifest(data []byte, name string) (*manifestState, int, error) {
	corrupt := func(off int, format string, args ...any) error {
		return fmt.Errorf("%w: manifest %s at offset %d: %s", ErrCorrupt, name, off, fmt.Sprintf(format, args...))
	}
	if len(data) < manifestLogHeaderSize || binary.LittleEndian.Uint32(data[0:4]) != manifestLogMagic {
		return nil, 0, corrupt(0, "bad header")
	}
	if v := binary.LittleEndian.Uint32(data[4:8]); v != manifestLogVersion {
		return nil, 0, corrupt(4, "unsupported version %d", v)
	}
	st := &manifestState{file: name}
	off := manifestLogHeaderSize
	for records := 0; off < len(data); records++ {
		rest := data[off:]
		if len(rest) < recordHeaderSize {
			break // torn header
		}
		n := binary.LittleEndian.Uint32(rest[0:4])
		sum := binary.LittleEndian.Uint32(rest[4:8])
		if n == 0 && sum == 0 && allZero(rest) {
			break // a zeroed tail: space allocated, record never written
		}
		if n == 0 || n > maxManifestRecord {
			return nil, 0, corrupt(off, "record length %d", n)
		}
		if uint64(n) > uint64(len(rest)-recordHeaderSize) {
			break // torn: the file ends inside the record
		}
		payload := rest[recordHeaderSize : recordHeaderSize+int(n)]
		last := recordHeaderSize+int(n) == len(rest)
		if crc32.Checksum(payload, castagnoli) != sum {
			if last {
				break // torn: a crash during the append of the last record
			}
			return nil, 0, corrupt(off, "record checksum mismatch")
		}
		e, err := decodeVersionEdit(payload)
		if err == nil && records == 0 {
			err = checkSnapshot(e)
		}
		if err == nil {
			err = st.apply(e)
		}
		if err != nil {
			return nil, 0, corrupt(off, "%v", err)
		}
		off += recordHeaderSize + int(n)
	}
	if off == manifestLogHeaderSize {
		return nil, 0, corrupt(off, "no version snapshot")
	}
	if err := st.check(); err != nil {
		return nil, 0, corrupt(off, "%v", err)
	}
	return st, off, nil
}

func allZero(b []byte) bool { return len(bytes.Trim(b, "\x00")) == 0 }

// readFile reads a whole small file, refusing more than limit bytes.
func readFile(fs vfs.FS, name string, limit int64) ([]byte, error) {
	f, err := fs.Open(name)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	err = errors.Join(err, f.Close())
	if err != nil {
		return nil, fmt.Errorf("lsm: read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s: over %d bytes", ErrCorrupt, name, limit)
	}
	return data, nil
}

// readManifest returns the state recorded in dir, or nil for a new store:
// the manifest log CURRENT names, or else a legacy MANIFEST.
func readManifest(fs vfs.FS, dir string) (*manifestState, error) {
	cur, err := readFile(fs, fs.PathJoin(dir, currentName), 256)
	if errors.Is(err, iofs.ErrNotExist) {
		return readLegacyManifest(fs, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("lsm: read CURRENT: %w", err)
	}
	name, ok := strings.CutSuffix(string(cur), "\n")
	if _, valid := parseManifestFileName(name); !ok || !valid {
		return nil, fmt.Errorf("%w: CURRENT names %q", ErrCorrupt, cur)
	}
	data, err := readFile(fs, fs.PathJoin(dir, name), maxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("lsm: manifest named by CURRENT: %w", err)
	}
	st, _, err := replayManifest(data, name)
	return st, err
}

// manifestWriter appends edits to a manifest log. Guarded by
// DB.manifestMu.
type manifestWriter struct {
	fs   vfs.FS
	dir  string
	num  uint64
	f    vfs.File
	size int64
}

// createManifest starts manifest log num with snapshot as its first
// record, syncs it, and makes CURRENT name it (temporary file, fsync,
// rename, directory sync). renamed reports, on an error, whether CURRENT
// may already name the new log: then either log may be the one a crash
// leaves. Before the rename, the new files are removed on error.
func createManifest(fs vfs.FS, dir string, num uint64, snapshot *versionEdit) (w *manifestWriter, renamed bool, err error) {
	name := fs.PathJoin(dir, manifestFileName(num))
	f, err := fs.Create(name)
	if err != nil {
		return nil, false, fmt.Errorf("lsm: create manifest: %w", err)
	}
	out := binary.LittleEndian.AppendUint32(nil, manifestLogMagic)
	out = binary.LittleEndian.AppendUint32(out, manifestLogVersion)
	out = appendRecord(out, snapshot.encode(nil))
	if _, err := f.Write(out); err != nil {
		return nil, false, errors.Join(fmt.Errorf("lsm: write %s: %w", name, err), f.Close(), fs.Remove(name))
	}
	if err := f.Sync(); err != nil {
		return nil, false, errors.Join(fmt.Errorf("lsm: sync %s: %w", name, err), f.Close(), fs.Remove(name))
	}
	if err := setCurrent(fs, dir, manifestFileName(num)); err != nil {
		return nil, false, errors.Join(err, f.Close(), fs.Remove(name))
	}
	if err := fs.SyncDir(dir); err != nil {
		return nil, true, errors.Join(fmt.Errorf("lsm: sync dir %s after switching CURRENT: %w", dir, err), f.Close())
	}
	return &manifestWriter{fs: fs, dir: dir, num: num, f: f, size: int64(len(out))}, false, nil
}

// setCurrent writes CURRENT.tmp naming the manifest, syncs it, and renames
// it over CURRENT. The caller syncs the directory.
func setCurrent(fs vfs.FS, dir, manifest string) error {
	tmp := fs.PathJoin(dir, currentTmpName)
	f, err := fs.Create(tmp)
	if err != nil {
		return fmt.Errorf("lsm: create %s: %w", tmp, err)
	}
	if _, err := f.Write([]byte(manifest + "\n")); err != nil {
		return errors.Join(fmt.Errorf("lsm: write %s: %w", tmp, err), f.Close(), fs.Remove(tmp))
	}
	if err := f.Sync(); err != nil {
		return errors.Join(fmt.Errorf("lsm: sync %s: %w", tmp, err), f.Close(), fs.Remove(tmp))
	}
	if err := f.Close(); err != nil {
		return errors.Join(fmt.Errorf("lsm: close %s: %w", tmp, err), fs.Remove(tmp))
	}
	if err := fs.Rename(tmp, fs.PathJoin(dir, currentName)); err != nil {
		return errors.Join(fmt.Errorf("lsm: install CURRENT: %w", err), fs.Remove(tmp))
	}
	return nil
}

// append writes one edit record and syncs the log. After an error the
// record may be partly on disk: the log must not be appended to again.
func (w *manifestWriter) append(e *versionEdit) error {
	rec := appendRecord(nil, e.encode(nil))
	name := w.fs.PathJoin(w.dir, manifestFileName(w.num))
	if _, err := w.f.Write(rec); err != nil {
		return fmt.Errorf("lsm: append to %s: %w", name, err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("lsm: sync %s: %w", name, err)
	}
	w.size += int64(len(rec))
	return nil
}

// remove closes the log and removes its file (a newer log replaced it).
func (w *manifestWriter) remove() error {
	return errors.Join(w.f.Close(), w.fs.Remove(w.fs.PathJoin(w.dir, manifestFileName(w.num))))
}

func (w *manifestWriter) close() error { return w.f.Close() }

// readLegacyManifest reads a single-file MANIFEST (versions 1 and 2), or
// returns nil if there is none.
func readLegacyManifest(fs vfs.FS, dir string) (*manifestState, error) {
	name := fs.PathJoin(dir, legacyManifestName)
	data, err := readFile(fs, name, maxLegacyManifest)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := decodeLegacyManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, name)
	}
	st.file = legacyManifestName
	return st, nil
}

// decodeLegacyManifest decodes manifest versions 1 and 2: magic u32,
// version u32, a body, CRC-32C u32 of everything before it. Version 2's
// body is one version edit building the whole version; version 1's is
// FlushedLSN u64, next file number u64, count u32, and count table numbers
// u64, newest first.
func decodeLegacyManifest(data []byte) (*manifestState, error) {
	if len(data) < legacyHeaderSize+crcSize {
		return nil, fmt.Errorf("%w: manifest: %d bytes, too short", ErrCorrupt, len(data))
	}
	body, sum := data[:len(data)-crcSize], binary.LittleEndian.Uint32(data[len(data)-crcSize:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: manifest: checksum mismatch", ErrCorrupt)
	}
	if binary.LittleEndian.Uint32(body[0:4]) != legacyMagic {
		return nil, fmt.Errorf("%w: manifest: bad magic number", ErrCorrupt)
	}
	var e *versionEdit
	v1 := false
	switch v := binary.LittleEndian.Uint32(body[4:8]); v {
	case legacyVersion2:
		var err error
		if e, err = decodeVersionEdit(body[legacyHeaderSize:]); err != nil {
			return nil, fmt.Errorf("%w: manifest: %w", ErrCorrupt, err)
		}
	case legacyVersion1:
		var err error
		if e, err = decodeLegacyV1(body); err != nil {
			return nil, err
		}
		v1 = true
	default:
		return nil, fmt.Errorf("%w: manifest: unsupported version %d", ErrCorrupt, v)
	}
	st := &manifestState{legacyV1: v1}
	err := checkSnapshot(e)
	if err == nil && !v1 {
		err = st.apply(e)
	} else if err == nil {
		// Key ranges are unknown until the tables are read: Open applies
		// the edit then.
		st.levels = legacyV1Levels(e)
		st.flushedLSN, st.nextFileNum = e.flushedLSN, e.nextFileNum
	}
	if err == nil {
		err = st.check()
	}
	if err != nil {
		return nil, fmt.Errorf("%w: manifest: %w", ErrCorrupt, err)
	}
	return st, nil
}

func legacyV1Levels(e *versionEdit) [numLevels][]*fileMeta {
	var levels [numLevels][]*fileMeta
	for _, a := range e.added {
		levels[a.level] = append(levels[a.level], a.meta)
	}
	return levels
}

// decodeLegacyV1 reads the version 1 body: the oldest table becomes L1 (in
// version 1 it is the only one a compaction may have written with a number
// above newer tables') and the others L0.
func decodeLegacyV1(body []byte) (*versionEdit, error) {
	if len(body) < legacyV1FixedSize {
		return nil, fmt.Errorf("%w: manifest: %d bytes, too short", ErrCorrupt, len(body))
	}
	e := &versionEdit{}
	e.setFlushedLSN(binary.LittleEndian.Uint64(body[8:16]))
	e.setNextFileNum(binary.LittleEndian.Uint64(body[16:24]))
	count := binary.LittleEndian.Uint32(body[24:28])
	if count > maxTableFiles || len(body) != legacyV1FixedSize+8*int(count) {
		return nil, fmt.Errorf("%w: manifest: %d tables in %d bytes", ErrCorrupt, count, len(body))
	}
	for i := range int(count) {
		n := binary.LittleEndian.Uint64(body[legacyV1FixedSize+8*i:])
		level := 0
		if i == int(count)-1 {
			level = 1
		} else if i > 0 && n >= e.added[i-1].meta.fileNum {
			return nil, fmt.Errorf("%w: manifest: version 1 tables out of order", ErrCorrupt)
		}
		for _, a := range e.added {
			if a.meta.fileNum == n {
				return nil, fmt.Errorf("%w: manifest: table %d listed twice", ErrCorrupt, n)
			}
		}
		e.addFile(level, &fileMeta{fileNum: n})
	}
	return e, nil
}
