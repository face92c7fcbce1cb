package lsm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync/atomic"
)

// numLevels is the number of levels: L0 (flushed tables, which may
// overlap) and L1..L6 (non-overlapping tables).
const numLevels = 7

// fileMeta describes one table of a version: what the manifest records
// about it, and the open table.
type fileMeta struct {
	fileNum    uint64
	size       uint64 // bytes of the file
	smallest   []byte // first internal key in the table
	largest    []byte // last internal key in the table
	largestSeq uint64 // highest sequence number in the table
	// smallestSeq is the lowest sequence number in the table; 0 when not
	// recorded (tables added by manifest tags 5 and 7).
	smallestSeq uint64
	// rangeDelsChecked, for a table a compaction wrote, holds the range
	// tombstones it applied while writing, and rangeDelsNeeded those of
	// them that still cover a version in the table (kept for a
	// snapshot). In memory only: after a reopen the table is judged by
	// smallestSeq (see obsoleteRangeDels).
	rangeDelsChecked map[uint64]bool
	rangeDelsNeeded  map[uint64]bool
	// legacyKeys: the table was written before sequence numbers, and
	// holds user keys; it is read as if each were an internal key at
	// sequence number 0, and smallest and largest are such keys.
	legacyKeys bool
	t          *table // nil only while a manifest is being decoded
}

// overlaps reports whether the table's user keys may meet [lo, hi], given
// as user parts (ikey.go), both inclusive; a nil bound is unbounded.
func (f *fileMeta) overlaps(lo, hi []byte) bool {
	if hi != nil && bytes.Compare(userPart(f.smallest), hi) > 0 {
		return false
	}
	if lo != nil && bytes.Compare(userPart(f.largest), lo) < 0 {
		return false
	}
	return true
}

// contains reports whether the table's range holds the user key whose user
// part is part.
func (f *fileMeta) contains(part []byte) bool { return f.overlaps(part, part) }

// version is an immutable set of tables by level. L0 is newest first (by
// decreasing file number: flushes take their numbers in flush order);
// L1..L6 are sorted by key and do not overlap. A version is reference
// counted: the DB holds one reference on its current version, and every
// Get, Iterator and compaction holds one on the version it reads. Each
// table counts the versions that hold it (table.refs); a table no version
// holds is obsolete, and its file is closed and removed.
type version struct {
	levels [numLevels][]*fileMeta
	// rangeDels are the flushed range tombstones (see doc.go: they are
	// kept with the version, not in tables). Never modified.
	rangeDels []rangeDel
	refs      atomic.Int32
}

// newVersion returns a version over levels holding one reference (the
// caller's) and a reference on each of its tables.
func newVersion(levels [numLevels][]*fileMeta, rangeDels []rangeDel) *version {
	v := &version{levels: levels, rangeDels: rangeDels}
	v.refs.Store(1)
	v.forEach(func(_ int, f *fileMeta) { f.t.refs.Add(1) })
	return v
}

func (v *version) forEach(fn func(level int, f *fileMeta)) {
	for l, files := range v.levels {
		for _, f := range files {
			fn(l, f)
		}
	}
}

func (v *version) numTables() int {
	n := 0
	for _, files := range v.levels {
		n += len(files)
	}
	return n
}

func levelBytes(files []*fileMeta) uint64 {
	var n uint64
	for _, f := range files {
		n += f.size
	}
	return n
}

// findFile returns the table of level l >= 1 whose range holds the user
// key with user part part, or nil. Tables of a level below L0 never share
// a user key (compactions cut tables only between user keys).
func (v *version) findFile(l int, part []byte) *fileMeta {
	files := v.levels[l]
	i := sort.Search(len(files), func(i int) bool { return bytes.Compare(userPart(files[i].largest), part) >= 0 })
	if i < len(files) && bytes.Compare(userPart(files[i].smallest), part) <= 0 {
		return files[i]
	}
	return nil
}

// overlapping returns the tables of level l >= 1 that overlap [lo, hi]
// (user parts, inclusive; nil is unbounded).
func (v *version) overlapping(l int, lo, hi []byte) []*fileMeta {
	files := v.levels[l]
	i := 0
	if lo != nil {
		i = sort.Search(len(files), func(i int) bool { return bytes.Compare(userPart(files[i].largest), lo) >= 0 })
	}
	j := i
	for j < len(files) && (hi == nil || bytes.Compare(userPart(files[j].smallest), hi) <= 0) {
		j++
	}
	return files[i:j:j]
}

// keyRange returns the smallest and largest user parts of files.
func keyRange(files ...[]*fileMeta) (lo, hi []byte) {
	for _, fs := range files {
		for _, f := range fs {
			if s := userPart(f.smallest); lo == nil || bytes.Compare(s, lo) < 0 {
				lo = s
			}
			if l := userPart(f.largest); hi == nil || bytes.Compare(l, hi) > 0 {
				hi = l
			}
		}
	}
	return lo, hi
}

// versionEdit is one change of the version: what a flush or a compaction
// records in the manifest. A whole version is an edit that adds every
// table to an empty one.
type versionEdit struct {
	hasFlushedLSN  bool
	flushedLSN     uint64
	hasNextFileNum bool
	nextFileNum    uint64
	compactPointer [numLevels][]byte // nil: unchanged
	hasLastSeq     bool
	lastSeq        uint64
	deleted        []levelFile
	added          []levelMeta
	// Range tombstones added (by a flush) and removed (by seq, once no
	// table holds a version they could hide).
	addedRangeDels   []rangeDel
	deletedRangeDels []uint64
}

type levelFile struct {
	level   int
	fileNum uint64
}

type levelMeta struct {
	level int
	meta  *fileMeta
}

func (e *versionEdit) setFlushedLSN(n uint64)  { e.hasFlushedLSN, e.flushedLSN = true, n }
func (e *versionEdit) setNextFileNum(n uint64) { e.hasNextFileNum, e.nextFileNum = true, n }
func (e *versionEdit) setLastSeq(n uint64)     { e.hasLastSeq, e.lastSeq = true, n }
func (e *versionEdit) deleteFile(l int, f *fileMeta) {
	e.deleted = append(e.deleted, levelFile{l, f.fileNum})
}
func (e *versionEdit) addFile(l int, f *fileMeta) { e.added = append(e.added, levelMeta{l, f}) }

// applyEdit returns levels with e's deletions and additions applied, in
// version order, checking that deleted tables exist, added ones do not,
// and that L1..L6 do not overlap. It does not change the input.
func applyEdit(base [numLevels][]*fileMeta, e *versionEdit) ([numLevels][]*fileMeta, error) {
	var out [numLevels][]*fileMeta
	gone := make(map[levelFile]bool, len(e.deleted))
	for _, d := range e.deleted {
		if d.level < 0 || d.level >= numLevels {
			return out, fmt.Errorf("deleted table %d at level %d", d.fileNum, d.level)
		}
		gone[d] = true
	}
	present := make(map[uint64]bool)
	for l, files := range base {
		for _, f := range files {
			if gone[levelFile{l, f.fileNum}] {
				delete(gone, levelFile{l, f.fileNum})
				continue
			}
			out[l] = append(out[l], f)
			present[f.fileNum] = true
		}
	}
	for d := range gone {
		return out, fmt.Errorf("deleted table %d is not at level %d", d.fileNum, d.level)
	}
	for _, a := range e.added {
		if a.level < 0 || a.level >= numLevels {
			return out, fmt.Errorf("table %d added at level %d", a.meta.fileNum, a.level)
		}
		if present[a.meta.fileNum] {
			return out, fmt.Errorf("table %d added twice", a.meta.fileNum)
		}
		if !validIKey(a.meta.smallest) || !validIKey(a.meta.largest) {
			return out, fmt.Errorf("table %d: malformed key range", a.meta.fileNum)
		}
		if bytes.Compare(a.meta.smallest, a.meta.largest) > 0 {
			return out, fmt.Errorf("table %d: smallest key above largest", a.meta.fileNum)
		}
		present[a.meta.fileNum] = true
		out[a.level] = append(out[a.level], a.meta)
	}
	sortLevels(&out)
	for l := 1; l < numLevels; l++ {
		for i := 1; i < len(out[l]); i++ {
			if bytes.Compare(userPart(out[l][i-1].largest), userPart(out[l][i].smallest)) >= 0 {
				return out, fmt.Errorf("level %d: tables %d and %d overlap", l, out[l][i-1].fileNum, out[l][i].fileNum)
			}
		}
	}
	return out, nil
}

func sortLevels(levels *[numLevels][]*fileMeta) {
	slices.SortFunc(levels[0], func(a, b *fileMeta) int {
		// Newest first.
		switch {
		case a.fileNum > b.fileNum:
			return -1
		case a.fileNum < b.fileNum:
			return 1
		}
		return 0
	})
	for l := 1; l < numLevels; l++ {
		slices.SortFunc(levels[l], func(a, b *fileMeta) int { return bytes.Compare(a.smallest, b.smallest) })
	}
}

// Version edit encoding (the manifest's records; see doc.go): a sequence
// of fields, each a uvarint tag followed by its values.
const (
	tagFlushedLSN     = 1 // uvarint
	tagNextFileNum    = 2 // uvarint
	tagCompactPointer = 3 // uvarint level, uvarint length, key
	tagDeletedTable   = 4 // uvarint level, uvarint file number
	// tagLegacyTable is a table of user keys, written before sequence
	// numbers: uvarint level, uvarint file number, uvarint size,
	// smallest, largest (each uvarint length, user key).
	tagLegacyTable = 5
	tagLastSeq     = 6 // uvarint
	// tagAddedTableV2: uvarint level, uvarint file number, uvarint size,
	// smallest, largest (each uvarint length, internal key), uvarint
	// largest sequence number.
	tagAddedTableV2 = 7
	// tagAddedTable is tagAddedTableV2 followed by uvarint smallest
	// sequence number.
	tagAddedTable = 8
	// tagRangeDel: start, end (each uvarint length, user key), uvarint
	// sequence number.
	tagRangeDel = 9
	// tagDeletedRangeDel: uvarint sequence number.
	tagDeletedRangeDel = 10
)

// applyRangeDels returns base with e's range tombstone changes, checking
// that a deleted one exists.
func applyRangeDels(base []rangeDel, e *versionEdit) ([]rangeDel, error) {
	if len(e.addedRangeDels) == 0 && len(e.deletedRangeDels) == 0 {
		return base, nil
	}
	gone := make(map[uint64]bool, len(e.deletedRangeDels))
	for _, seq := range e.deletedRangeDels {
		gone[seq] = true
	}
	out := make([]rangeDel, 0, len(base)+len(e.addedRangeDels))
	for _, r := range base {
		if gone[r.seq] {
			delete(gone, r.seq)
			continue
		}
		out = append(out, r)
	}
	for seq := range gone {
		return nil, fmt.Errorf("deleted range tombstone %d does not exist", seq)
	}
	for _, r := range e.addedRangeDels {
		if bytes.Compare(r.start, r.end) >= 0 {
			return nil, fmt.Errorf("range tombstone %d is empty", r.seq)
		}
		out = append(out, r)
	}
	return out, nil
}

func (e *versionEdit) encode(out []byte) []byte {
	if e.hasFlushedLSN {
		out = appendUvarints(out, tagFlushedLSN, e.flushedLSN)
	}
	if e.hasNextFileNum {
		out = appendUvarints(out, tagNextFileNum, e.nextFileNum)
	}
	for l, p := range e.compactPointer {
		if p != nil {
			out = appendUvarints(out, tagCompactPointer, uint64(l), uint64(len(p)))
			out = append(out, p...)
		}
	}
	for _, d := range e.deleted {
		out = appendUvarints(out, tagDeletedTable, uint64(d.level), d.fileNum)
	}
	if e.hasLastSeq {
		out = appendUvarints(out, tagLastSeq, e.lastSeq)
	}
	for _, a := range e.added {
		f := a.meta
		smallest, largest := f.smallest, f.largest
		tag := uint64(tagAddedTable)
		if f.legacyKeys {
			tag = tagLegacyTable
			smallest, largest = appendUserKey(nil, userPart(smallest)), appendUserKey(nil, userPart(largest))
		}
		out = appendUvarints(out, tag, uint64(a.level), f.fileNum, f.size, uint64(len(smallest)))
		out = append(out, smallest...)
		out = appendUvarints(out, uint64(len(largest)))
		out = append(out, largest...)
		if !f.legacyKeys {
			out = appendUvarints(out, f.largestSeq, f.smallestSeq)
		}
	}
	for _, r := range e.addedRangeDels {
		start, end := appendUserKey(nil, r.start), appendUserKey(nil, r.end)
		out = appendUvarints(out, tagRangeDel, uint64(len(start)))
		out = append(out, start...)
		out = appendUvarints(out, uint64(len(end)))
		out = append(out, end...)
		out = appendUvarints(out, r.seq)
	}
	for _, seq := range e.deletedRangeDels {
		out = appendUvarints(out, tagDeletedRangeDel, seq)
	}
	return out
}

func appendUvarints(out []byte, vs ...uint64) []byte {
	for _, v := range vs {
		out = binary.AppendUvarint(out, v)
	}
	return out
}

var errEditLevel = errors.New("level out of range")

// decodeVersionEdit parses an encoded edit; keys are copied.
func decodeVersionEdit(data []byte) (*versionEdit, error) {
	d := decoder{buf: data}
	e := &versionEdit{}
	level := func() int {
		l := d.uvarint()
		if d.err == nil && l >= numLevels {
			d.err = fmt.Errorf("%w: %d", errEditLevel, l)
		}
		return int(l)
	}
	for len(d.buf) > 0 && d.err == nil {
		switch tag := d.uvarint(); tag {
		case tagFlushedLSN:
			e.setFlushedLSN(d.uvarint())
		case tagNextFileNum:
			e.setNextFileNum(d.uvarint())
		case tagCompactPointer:
			l := level()
			p := d.bytes()
			if d.err == nil {
				e.compactPointer[l] = append([]byte{}, p...)
			}
		case tagDeletedTable:
			l := level()
			n := d.uvarint()
			e.deleted = append(e.deleted, levelFile{l, n})
		case tagLastSeq:
			e.setLastSeq(d.uvarint())
		case tagAddedTable, tagAddedTableV2:
			l := level()
			f := &fileMeta{fileNum: d.uvarint(), size: d.uvarint()}
			f.smallest = append([]byte{}, d.bytes()...)
			f.largest = append([]byte{}, d.bytes()...)
			f.largestSeq = d.uvarint()
			if tag == tagAddedTable {
				f.smallestSeq = d.uvarint()
			}
			e.added = append(e.added, levelMeta{l, f})
		case tagRangeDel:
			r := rangeDel{start: appendUserPart(nil, d.bytes()), end: appendUserPart(nil, d.bytes()), seq: d.uvarint()}
			e.addedRangeDels = append(e.addedRangeDels, r)
		case tagDeletedRangeDel:
			e.deletedRangeDels = append(e.deletedRangeDels, d.uvarint())
		case tagLegacyTable:
			l := level()
			f := &fileMeta{fileNum: d.uvarint(), size: d.uvarint(), legacyKeys: true}
			f.smallest = makeIKey(d.bytes(), 0)
			f.largest = makeIKey(d.bytes(), 0)
			e.added = append(e.added, levelMeta{l, f})
		default:
			if d.err == nil {
				d.err = fmt.Errorf("unknown field tag %d", tag)
			}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	return e, nil
}
