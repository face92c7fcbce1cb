package lsm

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/cairndb/cairn/internal/vfs"
)

// Options configure a DB. The zero value gives the defaults.
type Options struct {
	// MemtableBytes is the memtable size at which the owner should Flush
	// (a hint: the DB does not flush by itself). Default 4 MiB.
	MemtableBytes int64
	// BeforeFlush, when set, is called with the highest LSN in a frozen
	// memtable before any of it is written to a table. The owner of the
	// write-ahead log syncs the log through that LSN here, so a table never
	// holds a change the log could still lose in a crash. An error fails
	// the flush.
	BeforeFlush func(maxLSN uint64) error
	// BlockCacheBytes limits the cache of data, index and filter blocks
	// shared by all tables. Default 8 MiB; negative disables the cache
	// (every lookup then reads its index, filter and data blocks from the
	// file).
	BlockCacheBytes int64
	// L0CompactionThreshold: when L0 (the flushed tables) holds this many
	// tables, the background compaction merges them into L1. Default 4.
	L0CompactionThreshold int
	// L0StopWritesThreshold: when L0 holds this many tables, Flush first
	// runs an L0 compaction. Default 12; it is raised to
	// L0CompactionThreshold+1 if set below that.
	L0StopWritesThreshold int
	// L1TargetBytes is the size of L1 above which it is compacted into
	// L2; each next level's target is levelSizeMultiplier (10) times the
	// one above. L6, the last level, has no target. Default 10 MiB.
	L1TargetBytes int64
	// TargetFileBytes is the size at which a compaction cuts its output
	// into a new table. Default 2 MiB.
	TargetFileBytes int64
	// manifestRotateBytes is the manifest log size at which a new log is
	// started (tests set it small). Default defaultManifestRotateBytes.
	manifestRotateBytes int64
	// DisableAutoCompaction turns off the background compaction; Compact
	// and the Flush backpressure still compact.
	DisableAutoCompaction bool
	// CompactionFilter, when set, is called during compaction for every
	// live value that is the newest version of its key in the compaction's
	// input and older than every open Snapshot; returning true drops it
	// (older versions in tables outside the compaction stay hidden: see
	// the package documentation). key (the user key) and value are valid
	// only during the call. It runs on the compaction's
	// goroutine and must not call the DB.
	CompactionFilter func(key, value []byte) (drop bool)
	// Compression is how flushes and compactions compress table blocks.
	// Default SnappyCompression. Tables written with another setting stay
	// readable: each block records its own compression.
	Compression Compression
}

// Compression selects the compression of table blocks.
type Compression int

const (
	// DefaultCompression is SnappyCompression.
	DefaultCompression Compression = iota
	// NoCompression stores every block as it is.
	NoCompression
	// SnappyCompression compresses each data and index block with Snappy
	// and stores it compressed if that saves at least 1/8 of its bytes.
	SnappyCompression
)

func (c Compression) String() string {
	switch c {
	case DefaultCompression:
		return "default"
	case NoCompression:
		return "none"
	case SnappyCompression:
		return "snappy"
	}
	return fmt.Sprintf("Compression(%d)", int(c))
}

// blockType is the compression type byte the table writer uses for c.
func (c Compression) blockType() byte {
	if c == NoCompression {
		return compressionNone
	}
	return compressionSnappy
}

// Metrics are counters and gauges for monitoring and tests.
type Metrics struct {
	Tables             int                     // live table files
	Levels             [numLevels]LevelMetrics // per level; Levels[0] is L0
	BlockReads         uint64                  // data blocks read from table files
	MetaBlockReads     uint64                  // index and filter blocks read from table files
	BlockCacheHits     uint64
	BlockCacheMisses   uint64
	BlockCacheBytes    int64  // bytes held by the block cache
	FilterSkips        uint64 // table lookups a bloom filter answered
	Compactions        uint64 // completed compactions, trivial moves included
	TrivialMoves       uint64 // compactions that moved a table to the next level without rewriting it
	CompactionFailures uint64
	// LastCompactionError is the most recent compaction failure (the
	// background compaction has no caller to return it to), or nil.
	LastCompactionError error
	WriteStalls         uint64 // flushes that waited for a compaction
	ObsoleteRemoveFails uint64 // replaced table files that could not be removed (Open removes them)
	// ManifestRotationFailures counts new manifest logs, started because
	// the log reached its size limit, that failed: before CURRENT named
	// them the old log stays in use; after it (a failed directory sync)
	// the store fails (ErrFailed).
	ManifestRotationFailures uint64
	// BytesFlushed is the table bytes written by flushes, BytesCompacted
	// those written by compactions, and BytesCompactedIn the table bytes
	// compactions read, since Open.
	BytesFlushed     uint64
	BytesCompacted   uint64
	BytesCompactedIn uint64
	// BytesIngested is the table bytes Ingest added since Open.
	BytesIngested uint64
	// CompactionDebtBytes estimates the table bytes compaction must
	// rewrite to bring every level within its bounds: L0's bytes when it
	// holds L0CompactionThreshold tables or more, and each lower level's
	// bytes beyond its target size (compactionDebt).
	CompactionDebtBytes uint64
}

// LevelMetrics describe one level.
type LevelMetrics struct {
	Tables int
	Bytes  uint64
}

// WriteAmp is the table bytes written (flushes and compactions) per byte
// flushed since Open: 1 when no compaction rewrote anything. It counts
// table files only (the caller's WAL and the manifest are not included).
func (m Metrics) WriteAmp() float64 {
	if m.BytesFlushed == 0 {
		return 0
	}
	return float64(m.BytesFlushed+m.BytesCompacted) / float64(m.BytesFlushed)
}

// DB is an ordered key/value store. See the package documentation.
type DB struct {
	fs    vfs.FS
	dir   string
	opts  Options
	cache *blockCache // nil when disabled
	stats readStats

	// Lock order: ingestMu, flushMu, compactMu, manifestMu, mu.
	// ingestMu is held by Ingest, and shared by NewSnapshot (ingest.go).
	ingestMu sync.RWMutex
	// flushMu serializes Flush and Close.
	flushMu sync.Mutex
	// compactMu serializes compactions (background, Compact, and the
	// Flush backpressure).
	compactMu sync.Mutex
	// manifestMu serializes manifest writes with the version change each
	// one records, so that the manifest on disk always describes the
	// version being installed.
	manifestMu sync.Mutex

	manifest *manifestWriter // the manifest log; guarded by manifestMu

	compactSignal chan struct{} // buffered 1: "a level may need compacting"
	stop          chan struct{} // closed by Close
	stopOnce      sync.Once
	done          chan struct{} // closed when the background goroutine exits

	mu struct {
		sync.RWMutex
		mem     *memtable
		imm     *memtable // frozen memtable being flushed, or nil
		current *version  // the DB holds one reference
		open    map[*table]struct{}
		// compactPointer[l] is the largest key of the last table of level
		// l picked for compaction: the next pick starts after it.
		compactPointer [numLevels][]byte
		flushedLSN     uint64
		nextFileNum    uint64 // never reused within one DB: the block cache relies on it
		// seq is the last sequence number applied: readers see versions
		// up to it.
		seq uint64
		// snapshots holds the sequence numbers of open Snapshots,
		// ascending (with repeats).
		snapshots []uint64
		closed    bool
		failed    error // sticky failure: writes and compactions refused

		compactions           uint64
		trivialMoves          uint64
		compactionFailures    uint64
		lastCompactionError   error
		writeStalls           uint64
		obsoleteRemoveFails   uint64
		manifestRotationFails uint64
		bytesFlushed          uint64
		bytesIngested         uint64
		bytesCompacted        uint64
		bytesCompactedIn      uint64
	}
}

func (o *Options) setDefaults() {
	if o.MemtableBytes <= 0 {
		o.MemtableBytes = defaultMemtableBytes
	}
	if o.Compression == DefaultCompression {
		o.Compression = SnappyCompression
	}
	if o.BlockCacheBytes == 0 {
		o.BlockCacheBytes = defaultBlockCacheBytes
	}
	if o.L0CompactionThreshold <= 0 {
		o.L0CompactionThreshold = defaultL0CompactionThreshold
	}
	if o.L0StopWritesThreshold <= 0 {
		o.L0StopWritesThreshold = defaultL0StopWritesThreshold
	}
	o.L0StopWritesThreshold = max(o.L0StopWritesThreshold, o.L0CompactionThreshold+1)
	if o.L1TargetBytes <= 0 {
		o.L1TargetBytes = defaultL1TargetBytes
	}
	if o.TargetFileBytes <= 0 {
		o.TargetFileBytes = defaultTargetFileBytes
	}
	if o.manifestRotateBytes <= 0 {
		o.manifestRotateBytes = defaultManifestRotateBytes
	}
}

// Open opens the store in dir, creating it if needed. It reads the manifest,
// deletes files the manifest does not name, opens the tables, and starts
// the background compaction.
func Open(fs vfs.FS, dir string, opts Options) (*DB, error) {
	opts.setDefaults()
	if opts.Compression != NoCompression && opts.Compression != SnappyCompression {
		return nil, fmt.Errorf("lsm: unknown compression %v", opts.Compression)
	}
	d := &DB{
		fs: fs, dir: dir, opts: opts,
		compactSignal: make(chan struct{}, 1),
		stop:          make(chan struct{}),
		done:          make(chan struct{}),
	}
	if opts.BlockCacheBytes > 0 {
		d.cache = newBlockCache(opts.BlockCacheBytes)
	}
	if err := fs.MkdirAll(dir); err != nil {
		return nil, fmt.Errorf("lsm: create dir %s: %w", dir, err)
	}
	st, err := readManifest(fs, dir)
	if err != nil {
		return nil, err
	}
	if st == nil {
		st = &manifestState{nextFileNum: 1}
	}
	live := map[string]bool{currentName: true}
	if st.file != "" {
		live[st.file] = true
	}
	for _, files := range st.levels {
		for _, f := range files {
			live[tableName(f.fileNum)] = true
		}
	}
	names, err := fs.List(dir)
	if err != nil {
		return nil, fmt.Errorf("lsm: list %s: %w", dir, err)
	}
	for _, name := range names {
		if live[name] {
			continue
		}
		if err := fs.Remove(fs.PathJoin(dir, name)); err != nil {
			return nil, fmt.Errorf("lsm: remove file not in manifest: %w", err)
		}
	}
	var opened []*table
	fail := func(err error) (*DB, error) {
		for _, t := range opened {
			err = errors.Join(err, t.close())
		}
		return nil, err
	}
	for _, files := range st.levels {
		for _, f := range files {
			name := fs.PathJoin(dir, tableName(f.fileNum))
			t, err := openTable(fs, name, f.fileNum, d.cache, &d.stats)
			if err != nil {
				return fail(err)
			}
			opened = append(opened, t)
			f.t = t
			if st.legacyV1 {
				if err := fillLegacyMeta(fs, f); err != nil {
					return fail(err)
				}
			}
		}
	}
	if st.legacyV1 {
		e := snapshotEdit(st.levels, st.rangeDels, st.flushedLSN, st.nextFileNum, st.lastSeq, st.pointers)
		if st.levels, err = applyEdit([numLevels][]*fileMeta{}, e); err != nil {
			return fail(fmt.Errorf("%w: manifest %s: %w", ErrCorrupt, st.file, err))
		}
	}
	// Start a new manifest log holding the whole version: a torn tail of
	// the old one is never appended to, and the log is compacted. Then the
	// old log goes.
	manifestNum := uint64(1)
	if n, ok := parseManifestFileName(st.file); ok {
		manifestNum = n + 1
	}
	for _, files := range st.levels {
		for _, f := range files {
			st.lastSeq = max(st.lastSeq, f.largestSeq)
		}
	}
	for _, r := range st.rangeDels {
		st.lastSeq = max(st.lastSeq, r.seq)
	}
	snap := snapshotEdit(st.levels, st.rangeDels, st.flushedLSN, st.nextFileNum, st.lastSeq, st.pointers)
	w, _, err := createManifest(fs, dir, manifestNum, snap)
	if err != nil {
		// Whichever manifest a crash leaves names the same version.
		return fail(err)
	}
	if st.file != "" {
		// Harmless if it fails: the next Open removes it.
		_ = fs.Remove(fs.PathJoin(dir, st.file))
	}
	d.manifest = w
	d.mu.mem = newMemtable()
	d.mu.current = newVersion(st.levels, st.rangeDels)
	d.mu.open = make(map[*table]struct{}, len(opened))
	for _, t := range opened {
		d.mu.open[t] = struct{}{}
	}
	d.mu.flushedLSN = st.flushedLSN
	d.mu.nextFileNum = st.nextFileNum
	d.mu.seq = st.lastSeq
	d.mu.compactPointer = st.pointers
	go d.background()
	d.maybeScheduleCompaction()
	return d, nil
}

// fillLegacyMeta reads the size and key range of a table listed by a
// version 1 manifest, which does not record them.
func fillLegacyMeta(fs vfs.FS, f *fileMeta) error {
	size, err := fs.Stat(f.t.name)
	if err != nil {
		return fmt.Errorf("lsm: stat table %s: %w", f.t.name, err)
	}
	f.size = uint64(size)
	f.legacyKeys = true
	s := newTableSource(f.t, false)
	if s.first(); s.valid() {
		f.smallest = makeIKey(s.key(), 0)
	}
	if s.last(); s.valid() {
		f.largest = makeIKey(s.key(), 0)
	}
	if err := s.err(); err != nil {
		return err
	}
	if f.smallest == nil || f.largest == nil {
		return corruptf(f.t.name, "no entries")
	}
	return nil
}

// Apply applies the batch's sets and deletes to the memtable; readers see all
// of it or none of it. Its operations take the next sequence numbers, in
// order. lsn is the WAL position of the batch: the memtable remembers the
// highest lsn applied, and Flush makes it FlushedLSN. Callers apply
// batches in LSN order, so that a flush never covers an lsn whose batch has
// not been applied yet.
func (d *DB) Apply(b *Batch, lsn uint64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mu.closed {
		return ErrClosed
	}
	d.mu.mem.apply(b, d.mu.seq+1)
	d.mu.seq += uint64(len(b.ops))
	d.mu.mem.maxLSN = max(d.mu.mem.maxLSN, lsn)
	return nil
}

// Get returns a copy of the newest value of key; ok is false if the key is
// absent or deleted. It looks in the memtables, then in the L0 tables whose
// key range holds key (newest first), then in the one table of each deeper
// level whose range holds it (a binary search); tables whose bloom filter
// rules the key out are skipped without reading a block.
func (d *DB) Get(key []byte) (value []byte, ok bool, err error) { return d.get(key, maxSeq) }

// get is Get as of sequence number seq: it sees versions up to seq.
func (d *DB) get(key []byte, seq uint64) (value []byte, ok bool, err error) {
	d.mu.RLock()
	if d.mu.closed {
		d.mu.RUnlock()
		return nil, false, ErrClosed
	}
	lookup := makeIKey(key, seq)
	part := userPart(lookup)
	v := d.mu.current
	v.refs.Add(1)
	defer d.unrefVersion(v)
	// The newest range tombstone over the key that the reader sees: it
	// hides every older version.
	cover := coverSeq(v.rangeDels, part, seq)
	for _, m := range []*memtable{d.mu.mem, d.mu.imm} {
		if m != nil {
			cover = max(cover, coverSeq(m.rangeDels, part, seq))
		}
	}
	for _, m := range []*memtable{d.mu.mem, d.mu.imm} {
		if m == nil {
			continue
		}
		if e, found := m.get(lookup, part); found {
			d.mu.RUnlock()
			if ikeySeq(e.key) < cover {
				return nil, false, nil
			}
			return liveCopy(e)
		}
	}
	d.mu.RUnlock()

	h := keyHash(part)
	get := func(f *fileMeta) (bool, []byte, bool, error) {
		e, eseq, found, err := tableGet(f, key, lookup, h)
		if err != nil {
			return true, nil, false, fmt.Errorf("lsm: get: %w", err)
		}
		if !found {
			return false, nil, false, nil
		}
		if eseq < cover {
			return true, nil, false, nil
		}
		value, ok, err := liveCopy(e)
		return true, value, ok, err
	}
	for _, f := range v.levels[0] {
		if !f.contains(part) {
			continue
		}
		if done, value, ok, err := get(f); done {
			return value, ok, err
		}
	}
	for l := 1; l < numLevels; l++ {
		f := v.findFile(l, part)
		if f == nil {
			continue
		}
		if done, value, ok, err := get(f); done {
			return value, ok, err
		}
	}
	return nil, false, nil
}

func liveCopy(e entry) ([]byte, bool, error) {
	if e.deleted {
		return nil, false, nil
	}
	return append([]byte{}, e.value...), true, nil
}

// unrefVersion drops a reference to v; when the last goes, each of its
// tables loses one, and a table no version holds any more is closed, its
// file removed and its blocks evicted from the cache.
func (d *DB) unrefVersion(v *version) {
	n := v.refs.Add(-1)
	if n > 0 {
		return
	}
	if n < 0 {
		panic(fmt.Sprintf("lsm: version reference count %d", n))
	}
	v.forEach(func(_ int, f *fileMeta) {
		if n := f.t.refs.Add(-1); n == 0 {
			d.deleteObsolete(f.t)
		} else if n < 0 {
			panic(fmt.Sprintf("lsm: table %s: reference count %d", f.t.name, n))
		}
	})
}

func (d *DB) deleteObsolete(t *table) {
	d.mu.Lock()
	if d.mu.closed {
		// Close closed the file; Open removes it.
		d.mu.Unlock()
		return
	}
	delete(d.mu.open, t)
	d.mu.Unlock()
	if d.cache != nil {
		d.cache.evictFile(t.fileNum)
	}
	err := errors.Join(t.close(), d.fs.Remove(t.name))
	if err != nil {
		// Harmless: the manifest no longer names the file, and the next
		// Open removes it.
		d.mu.Lock()
		d.mu.obsoleteRemoveFails++
		d.mu.Unlock()
	}
}

// NewIter returns an iterator over the live keys in [lower, upper) as of
// now (the current sequence number); nil bounds are unbounded. The bounds
// are copied. On a closed DB the iterator reports ErrClosed. The iterator
// pins the current tables until Close.
func (d *DB) NewIter(lower, upper []byte) *Iterator { return d.newIter(lower, upper, 0, false) }

// NewLiveIter is NewIter. It once read the active memtable live, without a
// snapshot, to spare the cost of cloning it; with sequence numbers every
// iterator reads the memtable live and skips versions newer than its own
// sequence number, so both are consistent views as of their creation.
func (d *DB) NewLiveIter(lower, upper []byte) *Iterator { return d.newIter(lower, upper, 0, false) }

// NewLiveIterInto is NewLiveIter made in it rather than in a new
// Iterator, which saves a reader that makes one read at a time (under its
// own lock) an allocation per read. it is closed first if it is open; the
// keys it returned before may be overwritten.
func (d *DB) NewLiveIterInto(it *Iterator, lower, upper []byte) *Iterator {
	if it.ver != nil {
		it.Close()
	}
	*it = Iterator{}
	d.initIter(it, lower, upper, 0, false)
	return it
}

// newIter returns an iterator as of sequence number seq if atSeq, else as
// of the newest.
func (d *DB) newIter(lower, upper []byte, seq uint64, atSeq bool) *Iterator {
	it := &Iterator{}
	d.initIter(it, lower, upper, seq, atSeq)
	return it
}

// initIter makes the zero Iterator it newIter's iterator.
func (d *DB) initIter(it *Iterator, lower, upper []byte, seq uint64, atSeq bool) {
	// The bounds and their internal keys share one buffer, inside the
	// iterator when they fit; each is capped, so that an append to one
	// cannot reach the next.
	buf := it.inl.bounds[:0]
	if n := 2*(len(lower)+len(upper)) + 2*(2+seqBytes+4); n > cap(buf) {
		buf = make([]byte, 0, n)
	}
	bound := func(user []byte) (key, ikey []byte) {
		start := len(buf)
		buf = append(buf, user...)
		key = buf[start:len(buf):len(buf)]
		start = len(buf)
		buf = appendIKey(buf, user, maxSeq)
		return key, buf[start:len(buf):len(buf)]
	}
	if lower != nil {
		it.lower, it.iLower = bound(lower)
	}
	if upper != nil {
		it.upper, it.iUpper = bound(upper)
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.mu.closed {
		it.err = ErrClosed
		return
	}
	if !atSeq {
		seq = d.mu.seq
	}
	it.seq = seq
	v := d.mu.current
	it.sources, it.heap, it.part = it.inl.sources[:0], it.inl.heap[:0], it.inl.part[:0]
	// The active memtable is read without the lock while Apply goes on
	// inserting; versions applied later have larger sequence numbers and
	// are skipped.
	it.mems[0] = newMemSource(d.mu.mem)
	it.sources = append(it.sources, &it.mems[0])
	if d.mu.imm != nil {
		it.mems[1] = newMemSource(d.mu.imm)
		it.sources = append(it.sources, &it.mems[1])
	}
	v.refs.Add(1)
	it.db, it.ver = d, v
	it.addVersionSources(v)
	// The range tombstones the iterator may need, as of now: the memtable
	// only appends to its list, so the prefix taken here stays unchanged.
	it.addRangeDels(d.mu.mem.rangeDels)
	it.addRangeDels(v.rangeDels)
	if d.mu.imm != nil {
		it.addRangeDels(d.mu.imm.rangeDels)
	}
}

// addRangeDels adds the range tombstones of rds that may hide a version
// the iterator reads: at or below its sequence number, and overlapping
// its bounds (a tombstone over another table's rows costs a lookup
// nothing, neither an allocation nor a comparison per key).
func (it *Iterator) addRangeDels(rds []rangeDel) {
	var lo, hi []byte // user parts
	if it.iLower != nil {
		lo = userPart(it.iLower)
	}
	if it.iUpper != nil {
		hi = userPart(it.iUpper)
	}
	for i := range rds {
		r := &rds[i]
		if r.seq <= it.seq && (hi == nil || bytes.Compare(r.start, hi) < 0) && (lo == nil || bytes.Compare(r.end, lo) > 0) {
			it.rangeDels = append(it.rangeDels, *r)
		}
	}
}

// addVersionSources adds the sources of v's tables that may hold keys in
// the iterator's bounds, newest first: one per L0 table, one level
// iterator per deeper level (the first ones inside the iterator).
func (it *Iterator) addVersionSources(v *version) {
	var lo, hi []byte // user parts
	if it.iLower != nil {
		lo = userPart(it.iLower)
	}
	if it.iUpper != nil {
		hi = userPart(it.iUpper)
	}
	for _, f := range v.levels[0] {
		if f.overlaps(lo, nil) && (hi == nil || bytes.Compare(userPart(f.smallest), hi) < 0) {
			it.sources = append(it.sources, newFileSource(f, true))
		}
	}
	for l := 1; l < numLevels; l++ {
		files := v.overlapping(l, lo, nil)
		for len(files) > 0 && hi != nil && bytes.Compare(userPart(files[len(files)-1].smallest), hi) >= 0 {
			files = files[:len(files)-1]
		}
		if len(files) == 0 {
			continue
		}
		if it.levels < len(it.inl.levels) {
			s := &it.inl.levels[it.levels]
			it.levels++
			s.init(files, true)
			it.sources = append(it.sources, s)
		} else {
			it.sources = append(it.sources, newLevelSource(files, true))
		}
	}
}

// Flush writes the memtable to a new L0 table file, fsyncs it, records it
// and the memtable's highest lsn in the manifest, and then drops the
// memtable. Readers and writers proceed during the write. A failure is
// sticky (see ErrFailed), except a full disk met before the manifest edit:
// then the partial table is removed, the frozen memtable stays readable and
// is flushed first by the next Flush, and the error (vfs.IsNoSpace) is
// returned without failing the store.
//
// Backpressure: when L0 holds L0StopWritesThreshold tables or more, Flush
// first runs (or waits for) one L0 compaction. If that compaction fails,
// Flush goes on and adds a table; maxTableFiles remains the hard limit.
func (d *DB) Flush() error {
	d.flushMu.Lock()
	defer d.flushMu.Unlock()

	d.mu.Lock()
	if err := d.writableLocked(); err != nil {
		d.mu.Unlock()
		return err
	}
	stall := len(d.mu.current.levels[0]) >= d.opts.L0StopWritesThreshold
	if stall {
		d.mu.writeStalls++
	}
	d.mu.Unlock()
	if stall {
		// Bounded: one compaction attempt, of L0.
		_, err := d.compactPicked(func(v *version, _ *[numLevels][]byte) *compaction {
			if len(v.levels[0]) < d.opts.L0StopWritesThreshold {
				return nil // a compaction finished while we waited
			}
			return pickL0(v)
		})
		if err != nil && (errors.Is(err, ErrFailed) || errors.Is(err, ErrClosed)) {
			return err
		}
	}
	for {
		d.mu.Lock()
		if err := d.writableLocked(); err != nil {
			d.mu.Unlock()
			return err
		}
		// A memtable a full disk kept frozen goes first; the active one
		// is frozen once it is gone.
		imm, retried := d.mu.imm, d.mu.imm != nil
		if !retried {
			imm = d.mu.mem
			if imm.len() == 0 && len(imm.rangeDels) == 0 && imm.maxLSN <= d.mu.flushedLSN {
				d.mu.Unlock()
				return nil
			}
			d.mu.imm = imm
			d.mu.mem = newMemtable()
		}
		var fileNum uint64
		if imm.len() > 0 {
			fileNum = d.mu.nextFileNum
			d.mu.nextFileNum++
		}
		d.mu.Unlock()
		if err := d.flushMemtable(imm, fileNum); err != nil {
			return err
		}
		d.maybeScheduleCompaction()
		if !retried {
			return nil
		}
	}
}

// flushMemtable writes imm, the frozen memtable, as table fileNum (none if
// 0) and installs it. A full disk before the manifest edit leaves imm
// frozen and the store usable; any other failure fails the store.
func (d *DB) flushMemtable(imm *memtable, fileNum uint64) error {
	var err error
	if d.opts.BeforeFlush != nil {
		err = d.opts.BeforeFlush(imm.maxLSN)
	}
	var f *fileMeta
	if err == nil && fileNum != 0 {
		// writeTable removes a partial table itself.
		f, err = d.writeTable(fileNum, uint64(imm.len()), imm.forEach)
		if err != nil && vfs.IsNoSpace(err) {
			return fmt.Errorf("lsm: flushing memtable (kept in memory until the next flush): %w", err)
		}
	}
	if err == nil {
		var uncertain bool
		uncertain, err = d.installFlush(imm, f)
		if err != nil && !uncertain {
			// No manifest names the table: it goes. On a full disk the
			// memtable stays frozen for the next flush.
			if f != nil {
				err = errors.Join(err, d.removeTable(f))
			}
			if vfs.IsNoSpace(err) {
				return fmt.Errorf("lsm: flushing memtable (kept in memory until the next flush): %w", err)
			}
		}
	}
	if err != nil {
		d.mu.Lock()
		defer d.mu.Unlock()
		// imm stays readable; its batches are still in the caller's WAL.
		d.mu.failed = fmt.Errorf("%w: %w", ErrFailed, err)
		return d.mu.failed
	}
	return nil
}

// Failed returns the sticky failure that refuses flushes and compactions
// (ErrFailed), or nil.
func (d *DB) Failed() error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.mu.failed
}

// writableLocked returns the error that refuses writes, if any.
func (d *DB) writableLocked() error {
	if d.mu.closed {
		return ErrClosed
	}
	return d.mu.failed
}

// installFlush records the flushed table (nil if the memtable held only an
// lsn) in L0 and imm's lsn in the manifest, then in memory. uncertain is
// logAndApply's: on an error, whether a crash might keep the edit.
func (d *DB) installFlush(imm *memtable, f *fileMeta) (uncertain bool, err error) {
	var e versionEdit
	if f != nil {
		e.addFile(0, f)
	}
	// The memtable's range tombstones go to the version (see doc.go).
	e.addedRangeDels = imm.rangeDels
	d.mu.RLock()
	e.setFlushedLSN(max(d.mu.flushedLSN, imm.maxLSN))
	d.mu.RUnlock()
	uncertain, err = d.logAndApply(&e, func() {
		d.mu.imm = nil
		if f != nil {
			d.mu.bytesFlushed += f.size
		}
	})
	if err != nil && uncertain && f != nil {
		// The file stays: a manifest that reached its name may list it.
		err = errors.Join(err, f.t.close())
	}
	return uncertain, err
}

// logAndApply records e in the manifest and then installs the version it
// makes, with the new tables open, calling locked (if not nil) with mu held
// as it does. The edit's next file number is filled in.
//
// A failed append leaves the log unusable (the record may be partly on
// disk), so a new manifest log is started at once, holding the version
// without e; if that succeeds, e is certainly not recorded and the error
// is clean. uncertain reports, on an error, that e may or may not be in
// the manifest a crash would leave: then the caller must fail the store
// and keep e's new tables on disk. A new log is also started, after e is
// applied, when the log reaches its size limit; if that fails before
// CURRENT is switched, the old log goes on; after it, the store fails
// (ErrFailed) though e itself took effect.
func (d *DB) logAndApply(e *versionEdit, locked func()) (uncertain bool, err error) {
	d.manifestMu.Lock()
	defer d.manifestMu.Unlock()
	d.mu.RLock()
	base := d.mu.current.levels
	baseRangeDels := d.mu.current.rangeDels
	flushedLSN := d.mu.flushedLSN
	e.setNextFileNum(d.mu.nextFileNum)
	e.setLastSeq(d.mu.seq)
	if !e.hasFlushedLSN {
		e.setFlushedLSN(flushedLSN)
	}
	pointers := d.mu.compactPointer
	d.mu.RUnlock()
	levels, err := applyEdit(base, e)
	if err != nil {
		return false, fmt.Errorf("lsm: assertion failed: version edit: %w", err)
	}
	if n := countTables(levels); n > maxTableFiles {
		return false, fmt.Errorf("lsm: %d tables, over the limit of %d", n, maxTableFiles)
	}
	rangeDels, err := applyRangeDels(baseRangeDels, e)
	if err != nil {
		return false, fmt.Errorf("lsm: assertion failed: version edit: %w", err)
	}
	// A range tombstone no table holds an older version under goes.
	if obsolete := obsoleteRangeDels(levels, rangeDels); len(obsolete) > 0 {
		// One the edit adds is just not added.
		added := e.addedRangeDels[:0:0]
		for _, r := range e.addedRangeDels {
			if !slices.Contains(obsolete, r.seq) {
				added = append(added, r)
			}
		}
		for _, r := range baseRangeDels {
			if slices.Contains(obsolete, r.seq) {
				e.deletedRangeDels = append(e.deletedRangeDels, r.seq)
			}
		}
		e.addedRangeDels = added
		if rangeDels, err = applyRangeDels(baseRangeDels, e); err != nil {
			return false, fmt.Errorf("lsm: assertion failed: version edit: %w", err)
		}
	}
	if err := d.manifest.append(e); err != nil {
		snap := snapshotEdit(base, baseRangeDels, flushedLSN, e.nextFileNum, e.lastSeq, pointers)
		if rerr := d.rotateManifestLocked(snap); rerr != nil {
			return true, fmt.Errorf("%w; starting a new manifest without the edit: %w", err, rerr)
		}
		return false, err
	}
	for l, p := range e.compactPointer {
		if p != nil {
			pointers[l] = p
		}
	}

	v := newVersion(levels, rangeDels)
	d.mu.Lock()
	for _, a := range e.added {
		d.mu.open[a.meta.t] = struct{}{}
	}
	old := d.mu.current
	d.mu.current = v
	d.mu.flushedLSN = e.flushedLSN
	d.mu.compactPointer = pointers
	if locked != nil {
		locked()
	}
	d.mu.Unlock()
	// Tables only old held become obsolete; readers still holding old
	// keep them open until they finish.
	d.unrefVersion(old)

	if d.manifest.size >= d.opts.manifestRotateBytes {
		snap := snapshotEdit(levels, rangeDels, e.flushedLSN, e.nextFileNum, e.lastSeq, pointers)
		if err := d.rotateManifestLocked(snap); err != nil {
			var uncertain *uncertainManifestError
			d.mu.Lock()
			d.mu.manifestRotationFails++
			if errors.As(err, &uncertain) {
				d.mu.failed = fmt.Errorf("%w: %w", ErrFailed, err)
			}
			// Otherwise the old log goes on; the next edit tries again.
			d.mu.Unlock()
		}
	}
	return false, nil
}

// uncertainManifestError: CURRENT was renamed to name a new manifest log
// but the directory sync failed; a crash may leave either log.
type uncertainManifestError struct{ err error }

func (e *uncertainManifestError) Error() string { return e.err.Error() }
func (e *uncertainManifestError) Unwrap() error { return e.err }

// rotateManifestLocked starts the next manifest log holding snap,
// switches CURRENT to it and removes the old log. On an error before
// CURRENT was switched the old log stays in use. Called with manifestMu
// held.
func (d *DB) rotateManifestLocked(snap *versionEdit) error {
	w, renamed, err := createManifest(d.fs, d.dir, d.manifest.num+1, snap)
	if err != nil {
		if renamed {
			return &uncertainManifestError{err}
		}
		return err
	}
	old := d.manifest
	d.manifest = w
	// Harmless if it fails: the next Open removes it.
	_ = old.remove()
	return nil
}

// obsoleteRangeDels returns the sequence numbers of the range tombstones
// that can hide nothing: no table overlapping their range may hold a
// version in it older than they are. A table a compaction wrote applying
// the tombstone knows; for any other, its smallest sequence number must be
// above the tombstone's. Versions in the memtables are all newer than any
// flushed tombstone.
func obsoleteRangeDels(levels [numLevels][]*fileMeta, rangeDels []rangeDel) []uint64 {
	var out []uint64
	for _, r := range rangeDels {
		needed := false
		for _, files := range levels {
			for _, f := range files {
				if !f.overlaps(r.start, r.end) {
					continue
				}
				if f.rangeDelsChecked[r.seq] {
					needed = f.rangeDelsNeeded[r.seq]
				} else {
					needed = f.smallestSeq <= r.seq
				}
				if needed {
					break
				}
			}
			if needed {
				break
			}
		}
		if !needed {
			out = append(out, r.seq)
		}
	}
	return out
}

func countTables(levels [numLevels][]*fileMeta) int {
	n := 0
	for _, files := range levels {
		n += len(files)
	}
	return n
}

// snapshotEdit returns the edit that builds levels from nothing.
func snapshotEdit(levels [numLevels][]*fileMeta, rangeDels []rangeDel, flushedLSN, nextFileNum, lastSeq uint64, pointers [numLevels][]byte) *versionEdit {
	e := &versionEdit{compactPointer: pointers, addedRangeDels: rangeDels}
	e.setFlushedLSN(flushedLSN)
	e.setNextFileNum(nextFileNum)
	e.setLastSeq(lastSeq)
	for l, files := range levels {
		for _, f := range files {
			e.addFile(l, f)
		}
	}
	return e
}

// tableBuilder writes one table file.
type tableBuilder struct {
	d                 *DB
	fileNum           uint64
	name              string
	f                 vfs.File
	tw                *tableWriter
	smallest, largest []byte
	largestSeq        uint64
	smallestSeq       uint64
	entries           uint64
	// rangeDelsNeeded: see fileMeta (compaction outputs only).
	rangeDelsNeeded map[uint64]bool
}

func (d *DB) newTableBuilder(fileNum, expectedKeys uint64) (*tableBuilder, error) {
	name := d.fs.PathJoin(d.dir, tableName(fileNum))
	f, err := d.fs.Create(name)
	if err != nil {
		return nil, fmt.Errorf("lsm: create table: %w", err)
	}
	tw := newTableWriter(f, d.opts.Compression.blockType(), expectedKeys)
	tw.filterKey = userPart
	return &tableBuilder{d: d, fileNum: fileNum, name: name, f: f, tw: tw}, nil
}

func (b *tableBuilder) add(e entry) error {
	if err := b.tw.add(e); err != nil {
		return err
	}
	if b.entries == 0 {
		b.smallest = append([]byte{}, e.key...)
	}
	b.largest = append(b.largest[:0], e.key...)
	seq := ikeySeq(e.key)
	b.largestSeq = max(b.largestSeq, seq)
	if b.entries == 0 || seq < b.smallestSeq {
		b.smallestSeq = seq
	}
	b.entries++
	return nil
}

// dataBytes is about the size of the table written so far.
func (b *tableBuilder) dataBytes() uint64 { return b.tw.offset }

// finish writes the rest of the table, syncs and closes the file, and
// reopens it (which validates the footer and the top index). The caller
// syncs the directory. On error the file is removed.
func (b *tableBuilder) finish() (*fileMeta, error) {
	err := b.tw.finish()
	if err == nil {
		err = b.f.Sync()
	}
	var size int64
	if err == nil {
		size, err = b.f.Size()
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("lsm: write table %s: %w", b.name, err), b.f.Close(), b.d.fs.Remove(b.name))
	}
	if err := b.f.Close(); err != nil {
		return nil, errors.Join(fmt.Errorf("lsm: close table %s: %w", b.name, err), b.d.fs.Remove(b.name))
	}
	t, err := openTable(b.d.fs, b.name, b.fileNum, b.d.cache, &b.d.stats)
	if err != nil {
		return nil, errors.Join(err, b.d.fs.Remove(b.name))
	}
	return &fileMeta{fileNum: b.fileNum, size: uint64(size), smallest: b.smallest, largest: b.largest, largestSeq: b.largestSeq, smallestSeq: b.smallestSeq, t: t}, nil
}

// abort closes and removes a table that will not be finished.
func (b *tableBuilder) abort() error {
	return errors.Join(b.f.Close(), b.d.fs.Remove(b.name))
}

// removeTable closes and removes a finished table that no version names.
// Opening it cached its top index: that goes too.
func (d *DB) removeTable(f *fileMeta) error {
	if d.cache != nil {
		d.cache.evictFile(f.fileNum)
	}
	return errors.Join(f.t.close(), d.fs.Remove(f.t.name))
}

// writeTable writes a table from the entries that fill passes to add (in
// increasing key order), syncs it and its directory entry, and reopens it.
// On error the partial file is removed.
func (d *DB) writeTable(fileNum, expectedKeys uint64, fill func(add func(entry) error) error) (*fileMeta, error) {
	b, err := d.newTableBuilder(fileNum, expectedKeys)
	if err != nil {
		return nil, err
	}
	if err := fill(b.add); err != nil {
		return nil, errors.Join(fmt.Errorf("lsm: write table %s: %w", b.name, err), b.abort())
	}
	f, err := b.finish()
	if err != nil {
		return nil, err
	}
	// The table's directory entry is durable before any manifest names it.
	if err := d.fs.SyncDir(d.dir); err != nil {
		return nil, errors.Join(fmt.Errorf("lsm: sync dir %s after writing %s: %w", d.dir, b.name, err), d.removeTable(f))
	}
	return f, nil
}

// FlushedLSN returns the lsn through which every applied batch is in table
// files, as recorded in the manifest.
func (d *DB) FlushedLSN() uint64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.mu.flushedLSN
}

// MemtableSize returns the bytes held in memory by the active and any
// frozen memtable: the arena bytes used and the range tombstones (see the
// package documentation, Memtable). Compare with Options.MemtableBytes to
// decide when to Flush.
func (d *DB) MemtableSize() int64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	size := d.mu.mem.size
	if d.mu.imm != nil {
		size += d.mu.imm.size
	}
	return size
}

// Metrics returns the current counters.
func (d *DB) Metrics() Metrics {
	d.mu.RLock()
	m := Metrics{
		BlockReads:               d.stats.blockReads.Load(),
		MetaBlockReads:           d.stats.metaBlockReads.Load(),
		FilterSkips:              d.stats.filterSkips.Load(),
		Compactions:              d.mu.compactions,
		TrivialMoves:             d.mu.trivialMoves,
		CompactionFailures:       d.mu.compactionFailures,
		LastCompactionError:      d.mu.lastCompactionError,
		WriteStalls:              d.mu.writeStalls,
		ObsoleteRemoveFails:      d.mu.obsoleteRemoveFails,
		ManifestRotationFailures: d.mu.manifestRotationFails,
		BytesFlushed:             d.mu.bytesFlushed,
		BytesCompacted:           d.mu.bytesCompacted,
		BytesCompactedIn:         d.mu.bytesCompactedIn,
		BytesIngested:            d.mu.bytesIngested,
	}
	if v := d.mu.current; v != nil {
		for l, files := range v.levels {
			m.Levels[l] = LevelMetrics{Tables: len(files), Bytes: levelBytes(files)}
			m.Tables += len(files)
		}
		m.CompactionDebtBytes = d.compactionDebt(v)
	}
	d.mu.RUnlock()
	if d.cache != nil {
		m.BlockCacheHits, m.BlockCacheMisses, m.BlockCacheBytes = d.cache.stats()
	}
	return m
}

// Options returns the options in effect (defaults filled in).
func (d *DB) Options() Options { return d.opts }

// Close stops the background compaction (an unfinished one is abandoned
// and its output removed), and closes the table files. It does not flush:
// unflushed batches are recovered from the caller's WAL. Iterators must not
// be used after Close.
func (d *DB) Close() error {
	d.stopOnce.Do(func() { close(d.stop) })
	<-d.done
	d.flushMu.Lock()
	defer d.flushMu.Unlock()
	d.compactMu.Lock()
	defer d.compactMu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mu.closed {
		return ErrClosed
	}
	d.mu.closed = true
	var err error
	for t := range d.mu.open {
		err = errors.Join(err, t.close())
	}
	d.mu.current, d.mu.open, d.mu.mem, d.mu.imm = nil, nil, newMemtable(), nil
	d.manifestMu.Lock()
	err = errors.Join(err, d.manifest.close())
	d.manifestMu.Unlock()
	return err
}
