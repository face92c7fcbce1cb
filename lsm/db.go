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
}

// DB is an ordered key/value store. See the package documentation.
type DB struct {
	fs   vfs.FS
	dir  string
	opts Options

	// flushMu serializes Flush and Close.
	flushMu sync.Mutex

	mu struct {
		sync.RWMutex
		mem         *memtable
		imm         *memtable // frozen memtable being flushed, or nil
		tables      []*table  // newest first
		flushedLSN  uint64
		nextFileNum uint64
		closed      bool
		failed      error // sticky Flush failure
	}
}

// Open opens the store in dir, creating it if needed. It reads the manifest,
// deletes files the manifest does not name, and opens the tables.
func Open(fs vfs.FS, dir string, opts Options) (*DB, error) {
	if opts.MemtableBytes <= 0 {
		opts.MemtableBytes = defaultMemtableBytes
	}
	d := &DB{fs: fs, dir: dir, opts: opts}
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
		t, err := openTable(fs, fs.PathJoin(dir, tableName(n)), n)
		if err != nil {
			for _, open := range tables {
				err = errors.Join(err, open.close())
			}
			return nil, err
		}
		tables = append(tables, t)
	}
	d.mu.mem = newMemtable()
	d.mu.tables = tables
	d.mu.flushedLSN = m.flushedLSN
	d.mu.nextFileNum = m.nextFileNum
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
// absent or deleted.
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
	d.mu.RUnlock()

	for _, t := range tables {
		e, found, err := t.get(key)
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

// NewIter returns an iterator over the live keys in [lower, upper) as of
// now; nil bounds are unbounded. The bounds are copied. On a closed DB the
// iterator reports ErrClosed.
func (d *DB) NewIter(lower, upper []byte) *Iterator {
	it := &Iterator{}
	if lower != nil {
		it.lower = append([]byte{}, lower...)
	}
	if upper != nil {
		it.upper = append([]byte{}, upper...)
	}
	// Clone writes to the tree's copy-on-write context: exclusive lock.
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mu.closed {
		it.err = ErrClosed
		return it
	}
	it.sources = append(it.sources, &memSource{tree: d.mu.mem.tree.Clone()})
	if d.mu.imm != nil {
		// A frozen memtable is never written again: no clone needed.
		it.sources = append(it.sources, &memSource{tree: d.mu.imm.tree})
	}
	for _, t := range d.mu.tables {
		it.sources = append(it.sources, &tableSource{t: t})
	}
	return it
}

// Flush writes the memtable to a new table file, fsyncs it, records it and
// the memtable's highest lsn in the manifest, and then drops the memtable.
// Readers and writers proceed during the write. A failure is sticky (see
// ErrFailed).
func (d *DB) Flush() error {
	d.flushMu.Lock()
	defer d.flushMu.Unlock()

	d.mu.Lock()
	if d.mu.closed {
		d.mu.Unlock()
		return ErrClosed
	}
	if d.mu.failed != nil {
		d.mu.Unlock()
		return d.mu.failed
	}
	imm := d.mu.mem
	if imm.tree.Len() == 0 && imm.maxLSN <= d.mu.flushedLSN {
		d.mu.Unlock()
		return nil
	}
	d.mu.imm = imm
	d.mu.mem = newMemtable()
	tables := d.mu.tables
	m := &manifest{flushedLSN: max(d.mu.flushedLSN, imm.maxLSN), nextFileNum: d.mu.nextFileNum}
	d.mu.Unlock()

	var err error
	if d.opts.BeforeFlush != nil {
		err = d.opts.BeforeFlush(imm.maxLSN)
	}
	var newTables []*table
	if err == nil {
		newTables, err = d.flushLocked(imm, tables, m)
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		// imm stays readable; its batches are still in the caller's WAL.
		d.mu.failed = fmt.Errorf("%w: %w", ErrFailed, err)
		return d.mu.failed
	}
	d.mu.tables = newTables
	d.mu.imm = nil
	d.mu.flushedLSN = m.flushedLSN
	d.mu.nextFileNum = m.nextFileNum
	return nil
}

// flushLocked writes imm as a table (if it holds entries) and installs the
// manifest. Called with flushMu held and mu released.
func (d *DB) flushLocked(imm *memtable, tables []*table, m *manifest) ([]*table, error) {
	newTables := tables
	if imm.tree.Len() > 0 {
		fileNum := m.nextFileNum
		m.nextFileNum++
		t, err := d.writeTable(imm, fileNum)
		if err != nil {
			return nil, err
		}
		newTables = append([]*table{t}, tables...)
	}
	if len(newTables) > maxTableFiles {
		return nil, fmt.Errorf("lsm: %d tables, over the limit of %d", len(newTables), maxTableFiles)
	}
	for _, t := range newTables {
		m.tables = append(m.tables, t.fileNum)
	}
	if err := writeManifest(d.fs, d.dir, m); err != nil {
		if len(newTables) > len(tables) {
			err = errors.Join(err, newTables[0].close())
		}
		return nil, err
	}
	return newTables, nil
}

// writeTable writes, syncs and reopens (which validates the footer and
// index) the table for a frozen memtable.
func (d *DB) writeTable(imm *memtable, fileNum uint64) (*table, error) {
	name := d.fs.PathJoin(d.dir, tableName(fileNum))
	f, err := d.fs.Create(name)
	if err != nil {
		return nil, fmt.Errorf("lsm: create table: %w", err)
	}
	tw := newTableWriter(f)
	var werr error
	imm.tree.Ascend(func(e entry) bool {
		werr = tw.add(e)
		return werr == nil
	})
	if werr == nil {
		werr = tw.finish()
	}
	if werr == nil {
		werr = f.Sync()
	}
	if werr != nil {
		return nil, errors.Join(fmt.Errorf("lsm: write table %s: %w", name, werr), f.Close())
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("lsm: close table %s: %w", name, err)
	}
	return openTable(d.fs, name, fileNum)
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

// Options returns the options in effect (defaults filled in).
func (d *DB) Options() Options { return d.opts }

// Close closes the table files. It does not flush: unflushed batches are
// recovered from the caller's WAL. Iterators must not be used after Close.
func (d *DB) Close() error {
	d.flushMu.Lock()
	defer d.flushMu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mu.closed {
		return ErrClosed
	}
	d.mu.closed = true
	var err error
	for _, t := range d.mu.tables {
		err = errors.Join(err, t.close())
	}
	d.mu.tables, d.mu.mem, d.mu.imm = nil, newMemtable(), nil
	return err
}
