package lsm

import (
	"errors"
	"fmt"
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
	// L0CompactionThreshold: when there are more tables than this, the
	// background compaction merges them all into one. Default 4.
	L0CompactionThreshold int
	// L0StopWritesThreshold: when there are this many tables, Flush first
	// waits for one compaction. Default 12; it is raised to
	// L0CompactionThreshold+1 if set below that.
	L0StopWritesThreshold int
	// DisableAutoCompaction turns off the background compaction; Compact
	// and the Flush backpressure still compact.
	DisableAutoCompaction bool
	// CompactionFilter, when set, is called during compaction for every
	// live value that is the newest version of its key in the compaction's
	// input; returning true drops it (older versions in tables outside the
	// compaction stay hidden: see the package documentation). key and
	// value are valid only during the call. It runs on the compaction's
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
	Tables             int    // live table files
	BlockReads         uint64 // data blocks read from table files
	MetaBlockReads     uint64 // index and filter blocks read from table files
	BlockCacheHits     uint64
	BlockCacheMisses   uint64
	BlockCacheBytes    int64  // bytes held by the block cache
	FilterSkips        uint64 // table lookups a bloom filter answered
	Compactions        uint64 // completed compactions
	CompactionFailures uint64
	// LastCompactionError is the most recent compaction failure (the
	// background compaction has no caller to return it to), or nil.
	LastCompactionError error
	WriteStalls         uint64 // flushes that waited for a compaction
	ObsoleteRemoveFails uint64 // replaced table files that could not be removed (Open removes them)
}

// DB is an ordered key/value store. See the package documentation.
type DB struct {
	fs    vfs.FS
	dir   string
	opts  Options
	cache *blockCache // nil when disabled
	stats readStats

	// Lock order: flushMu, compactMu, manifestMu, mu.
	// flushMu serializes Flush and Close.
	flushMu sync.Mutex
	// compactMu serializes compactions (background, Compact, and the
	// Flush backpressure).
	compactMu sync.Mutex
	// manifestMu serializes manifest writes with the table-list change
	// each one records, so that the manifest on disk always names the
	// table list being installed.
	manifestMu sync.Mutex

	compactSignal chan struct{} // buffered 1: "the table count may be high"
	stop          chan struct{} // closed by Close
	stopOnce      sync.Once
	done          chan struct{} // closed when the background goroutine exits

	mu struct {
		sync.RWMutex
		mem         *memtable
		imm         *memtable // frozen memtable being flushed, or nil
		tables      []*table  // newest first; each holds one ref for being listed
		open        map[*table]struct{}
		flushedLSN  uint64
		nextFileNum uint64 // never reused within one DB: the block cache relies on it
		closed      bool
		failed      error // sticky failure: writes and compactions refused

		compactions         uint64
		compactionFailures  uint64
		lastCompactionError error
		writeStalls         uint64
		obsoleteRemoveFails uint64
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
	m, err := readManifest(fs, dir)
	if err != nil {
		return nil, err
	}
	if m == nil {
		m = &manifest{nextFileNum: 1}
	}
	live := map[string]bool{manifestName: true}
	for _, n := range m.tables {
		live[tableName(n)] = true
	}
	names, err := fs.List(dir)
	if err != nil {
		return nil, fmt.Errorf("lsm: list %s: %w", dir, err)
	}
	removed := false
	for _, name := range names {
		if live[name] {
			continue
		}
		if err := fs.Remove(fs.PathJoin(dir, name)); err != nil {
			return nil, fmt.Errorf("lsm: remove file not in manifest: %w", err)
		}
		removed = true
	}
	if removed {
		if err := fs.SyncDir(dir); err != nil {
			return nil, fmt.Errorf("lsm: sync dir %s: %w", dir, err)
		}
	}
	var tables []*table
	for _, n := range m.tables {
		t, err := openTable(fs, fs.PathJoin(dir, tableName(n)), n, d.cache, &d.stats)
		if err != nil {
			for _, open := range tables {
				err = errors.Join(err, open.close())
			}
			return nil, err
		}
		t.refs.Store(1)
		tables = append(tables, t)
	}
	d.mu.mem = newMemtable()
	d.mu.tables = tables
	d.mu.open = make(map[*table]struct{}, len(tables))
	for _, t := range tables {
		d.mu.open[t] = struct{}{}
	}
	d.mu.flushedLSN = m.flushedLSN
	d.mu.nextFileNum = m.nextFileNum
	go d.background()
	d.maybeScheduleCompaction(len(tables))
	return d, nil
}

// Apply applies the batch's sets and deletes to the memtable; readers see all
// of it or none of it. lsn is the WAL position of the batch: the memtable
// remembers the highest lsn applied, and Flush makes it FlushedLSN. Callers
// apply batches in LSN order, so that a flush never covers an lsn whose
// batch has not been applied yet.
func (d *DB) Apply(b *Batch, lsn uint64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mu.closed {
		return ErrClosed
	}
	d.mu.mem.apply(b)
	d.mu.mem.maxLSN = max(d.mu.mem.maxLSN, lsn)
	return nil
}

// Get returns a copy of the newest value of key; ok is false if the key is
// absent or deleted. Tables whose bloom filter rules the key out are
// skipped without reading a block.
func (d *DB) Get(key []byte) (value []byte, ok bool, err error) {
	d.mu.RLock()
	if d.mu.closed {
		d.mu.RUnlock()
		return nil, false, ErrClosed
	}
	for _, m := range []*memtable{d.mu.mem, d.mu.imm} {
		if m == nil {
			continue
		}
		if e, found := m.get(key); found {
			d.mu.RUnlock()
			return liveCopy(e)
		}
	}
	tables := d.mu.tables
	refTables(tables)
	d.mu.RUnlock()
	defer d.unrefTables(tables)

	h := keyHash(key)
	for _, t := range tables {
		e, found, err := t.get(key, h)
		if err != nil {
			return nil, false, fmt.Errorf("lsm: get: %w", err)
		}
		if found {
			return liveCopy(e)
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

// refTables pins tables; called with mu held (read or write), so that a
// table in the current list cannot be dropped in between.
func refTables(tables []*table) {
	for _, t := range tables {
		t.refs.Add(1)
	}
}

// unrefTables unpins tables; an obsolete table whose last reference goes
// is closed, its file removed and its blocks evicted from the cache.
func (d *DB) unrefTables(tables []*table) {
	for _, t := range tables {
		if n := t.refs.Add(-1); n == 0 {
			d.deleteObsolete(t)
		} else if n < 0 {
			panic(fmt.Sprintf("lsm: table %s: reference count %d", t.name, n))
		}
	}
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
// now; nil bounds are unbounded. The bounds are copied. On a closed DB the
// iterator reports ErrClosed. The iterator pins the current tables until
// Close.
func (d *DB) NewIter(lower, upper []byte) *Iterator { return d.newIter(lower, upper, true) }

// NewLiveIter is NewIter without the memtable snapshot: the active
// memtable is read as it is at each refill of the iterator (a bounded range
// of a few keys is read in one refill, under the read lock), so a key
// written while the iterator is open may or may not appear, in key order.
// Frozen memtables and tables are a consistent view as with NewIter. It
// exists because snapshotting the memtable clones its B-tree, which makes
// every later write copy the nodes on its path: callers that do not need a
// snapshot (the heap, whose rows carry their own MVCC versions) avoid that
// cost.
func (d *DB) NewLiveIter(lower, upper []byte) *Iterator { return d.newIter(lower, upper, false) }

func (d *DB) newIter(lower, upper []byte, snapshot bool) *Iterator {
	it := &Iterator{}
	if lower != nil {
		it.lower = append([]byte{}, lower...)
	}
	if upper != nil {
		it.upper = append([]byte{}, upper...)
	}
	if snapshot {
		// Clone writes to the tree's copy-on-write context: exclusive lock.
		d.mu.Lock()
		defer d.mu.Unlock()
	} else {
		d.mu.RLock()
		defer d.mu.RUnlock()
	}
	if d.mu.closed {
		it.err = ErrClosed
		return it
	}
	if !snapshot {
		it.sources = append(it.sources, &memSource{tree: d.mu.mem.tree, lower: it.lower, upper: it.upper, mu: &d.mu.RWMutex})
	} else if d.mu.mem.tree.Len() > 0 {
		it.sources = append(it.sources, &memSource{tree: d.mu.mem.tree.Clone(), lower: it.lower, upper: it.upper})
	}
	if d.mu.imm != nil {
		// A frozen memtable is never written again: no clone needed.
		it.sources = append(it.sources, &memSource{tree: d.mu.imm.tree, lower: it.lower, upper: it.upper})
	}
	tables := d.mu.tables
	refTables(tables)
	it.release = func() { d.unrefTables(tables) }
	for _, t := range tables {
		it.sources = append(it.sources, newTableSource(t, true))
	}
	return it
}

// Flush writes the memtable to a new table file, fsyncs it, records it and
// the memtable's highest lsn in the manifest, and then drops the memtable.
// Readers and writers proceed during the write. A failure is sticky (see
// ErrFailed).
//
// Backpressure: when there are L0StopWritesThreshold tables or more, Flush
// first runs (or waits for) one compaction. If that compaction fails, Flush
// goes on and adds a table; maxTableFiles remains the hard limit.
func (d *DB) Flush() error {
	d.flushMu.Lock()
	defer d.flushMu.Unlock()

	d.mu.Lock()
	if err := d.writableLocked(); err != nil {
		d.mu.Unlock()
		return err
	}
	stall := len(d.mu.tables) >= d.opts.L0StopWritesThreshold
	if stall {
		d.mu.writeStalls++
	}
	d.mu.Unlock()
	if stall {
		// Bounded: one compaction attempt, which merges every table.
		err := d.compact(d.opts.L0StopWritesThreshold)
		if err != nil && (errors.Is(err, ErrFailed) || errors.Is(err, ErrClosed)) {
			return err
		}
	}

	d.mu.Lock()
	if err := d.writableLocked(); err != nil {
		d.mu.Unlock()
		return err
	}
	imm := d.mu.mem
	if imm.tree.Len() == 0 && imm.maxLSN <= d.mu.flushedLSN {
		d.mu.Unlock()
		return nil
	}
	d.mu.imm = imm
	d.mu.mem = newMemtable()
	var fileNum uint64
	if imm.tree.Len() > 0 {
		fileNum = d.mu.nextFileNum
		d.mu.nextFileNum++
	}
	d.mu.Unlock()

	var err error
	if d.opts.BeforeFlush != nil {
		err = d.opts.BeforeFlush(imm.maxLSN)
	}
	var t *table
	if err == nil && fileNum != 0 {
		t, err = d.writeTable(fileNum, uint64(imm.tree.Len()), func(add func(entry) error) error {
			var werr error
			imm.tree.Ascend(func(e entry) bool {
				werr = add(e)
				return werr == nil
			})
			return werr
		})
	}
	var n int
	if err == nil {
		n, err = d.installFlush(imm, t)
	}
	if err != nil {
		d.mu.Lock()
		defer d.mu.Unlock()
		// imm stays readable; its batches are still in the caller's WAL.
		d.mu.failed = fmt.Errorf("%w: %w", ErrFailed, err)
		return d.mu.failed
	}
	d.maybeScheduleCompaction(n)
	return nil
}

// writableLocked returns the error that refuses writes, if any.
func (d *DB) writableLocked() error {
	if d.mu.closed {
		return ErrClosed
	}
	return d.mu.failed
}

// installFlush records the flushed table (nil if the memtable held only an
// lsn) and imm's lsn in the manifest, then in memory. It returns the new
// table count.
func (d *DB) installFlush(imm *memtable, t *table) (int, error) {
	d.manifestMu.Lock()
	defer d.manifestMu.Unlock()
	d.mu.RLock()
	newTables := d.mu.tables
	if t != nil {
		newTables = append([]*table{t}, newTables...)
	}
	m := &manifest{flushedLSN: max(d.mu.flushedLSN, imm.maxLSN), nextFileNum: d.mu.nextFileNum}
	d.mu.RUnlock()
	var err error
	if len(newTables) > maxTableFiles {
		err = fmt.Errorf("lsm: %d tables, over the limit of %d", len(newTables), maxTableFiles)
	} else {
		_, err = writeManifest(d.fs, d.dir, m.withTables(newTables))
	}
	if err != nil {
		if t != nil {
			// The file stays: a manifest that reached its name may list it.
			err = errors.Join(err, t.close())
		}
		return 0, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if t != nil {
		t.refs.Store(1)
		d.mu.open[t] = struct{}{}
	}
	d.mu.tables = newTables
	d.mu.imm = nil
	d.mu.flushedLSN = m.flushedLSN
	return len(newTables), nil
}

func (m *manifest) withTables(tables []*table) *manifest {
	m.tables = m.tables[:0]
	for _, t := range tables {
		m.tables = append(m.tables, t.fileNum)
	}
	return m
}

// writeTable writes a table from the entries that fill passes to add (in
// increasing key order), syncs it and its directory entry, and reopens it
// (which validates the footer, filter and index). On error the partial
// file is removed.
func (d *DB) writeTable(fileNum, expectedKeys uint64, fill func(add func(entry) error) error) (*table, error) {
	name := d.fs.PathJoin(d.dir, tableName(fileNum))
	f, err := d.fs.Create(name)
	if err != nil {
		return nil, fmt.Errorf("lsm: create table: %w", err)
	}
	tw := newTableWriter(f, d.opts.Compression.blockType(), expectedKeys)
	werr := fill(tw.add)
	if werr == nil {
		werr = tw.finish()
	}
	if werr == nil {
		werr = f.Sync()
	}
	if werr != nil {
		return nil, errors.Join(fmt.Errorf("lsm: write table %s: %w", name, werr), f.Close(), d.fs.Remove(name))
	}
	if err := f.Close(); err != nil {
		return nil, errors.Join(fmt.Errorf("lsm: close table %s: %w", name, err), d.fs.Remove(name))
	}
	// The table's directory entry is durable before any manifest names it.
	if err := d.fs.SyncDir(d.dir); err != nil {
		return nil, errors.Join(fmt.Errorf("lsm: sync dir %s after writing %s: %w", d.dir, name, err), d.fs.Remove(name))
	}
	t, err := openTable(d.fs, name, fileNum, d.cache, &d.stats)
	if err != nil {
		return nil, errors.Join(err, d.fs.Remove(name))
	}
	return t, nil
}

// FlushedLSN returns the lsn through which every applied batch is in table
// files, as recorded in the manifest.
func (d *DB) FlushedLSN() uint64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.mu.flushedLSN
}

// MemtableSize returns the approximate bytes held in memory (the active and
// any frozen memtable). Compare with Options.MemtableBytes to decide when to
// Flush.
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
		Tables:              len(d.mu.tables),
		BlockReads:          d.stats.blockReads.Load(),
		MetaBlockReads:      d.stats.metaBlockReads.Load(),
		FilterSkips:         d.stats.filterSkips.Load(),
		Compactions:         d.mu.compactions,
		CompactionFailures:  d.mu.compactionFailures,
		LastCompactionError: d.mu.lastCompactionError,
		WriteStalls:         d.mu.writeStalls,
		ObsoleteRemoveFails: d.mu.obsoleteRemoveFails,
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
	d.mu.tables, d.mu.open, d.mu.mem, d.mu.imm = nil, nil, newMemtable(), nil
	return err
}
