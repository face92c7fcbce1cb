package lsm

import (
	"errors"
	"fmt"
	"slices"
)

// errCompactionAborted stops a compaction that Close interrupted.
var errCompactionAborted = errors.New("lsm: compaction abandoned at close")

// background runs compactions when signalled, until Close.
func (d *DB) background() {
	defer close(d.done)
	for {
		select {
		case <-d.stop:
			return
		case <-d.compactSignal:
		}
		// Failures are counted in Metrics; the next flush signals again.
		_ = d.compact(d.opts.L0CompactionThreshold + 1)
	}
}

// maybeScheduleCompaction wakes the background compaction if n tables are
// over the threshold.
func (d *DB) maybeScheduleCompaction(n int) {
	if d.opts.DisableAutoCompaction || n <= d.opts.L0CompactionThreshold {
		return
	}
	select {
	case d.compactSignal <- struct{}{}:
	default: // already signalled
	}
}

// Compact merges every table into one, dropping tombstones and the values
// Options.CompactionFilter rejects, and waits for it. It does nothing when
// there are no tables. A failed compaction leaves the store as it was (the
// partial output is removed) and may be retried, except that a failure to
// sync the directory after the new manifest took its name is sticky, like a
// failed flush (ErrFailed): which manifest survives a crash is then
// unknown, and a directory fsync is not retried.
func (d *DB) Compact() error { return d.compact(1) }

// compact merges all tables if there are at least minTables of them.
func (d *DB) compact(minTables int) error {
	d.compactMu.Lock()
	defer d.compactMu.Unlock()
	d.mu.Lock()
	if err := d.writableLocked(); err != nil {
		d.mu.Unlock()
		return err
	}
	if n := len(d.mu.tables); n == 0 || n < minTables {
		d.mu.Unlock()
		return nil
	}
	inputs := slices.Clone(d.mu.tables)
	refTables(inputs)
	fileNum := d.mu.nextFileNum
	d.mu.nextFileNum++
	d.mu.Unlock()

	// The inputs are every table, so nothing older lies below the output.
	err := d.runCompaction(inputs, fileNum, true)
	d.unrefTables(inputs)

	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.mu.compactionFailures++
		d.mu.lastCompactionError = err
		return err
	}
	d.mu.compactions++
	return nil
}

// runCompaction merges inputs (a contiguous, oldest run of the table list,
// newest first) into table fileNum and installs it in their place. bottom
// says no table older than the inputs exists: tombstones and filtered
// values are then dropped; otherwise they are written as tombstones, which
// must keep hiding older versions.
//
// The steps, each durable before the next: write and fsync the output and
// sync its directory entry; write the new manifest (temporary file, fsync,
// rename, directory sync); swap the table list in memory; drop the inputs,
// whose files go when the last reader unpins them. A crash before the
// rename leaves the old manifest and an unlisted output, which Open
// removes; after it, the new manifest and unlisted inputs.
func (d *DB) runCompaction(inputs []*table, fileNum uint64, bottom bool) error {
	var expected uint64
	for _, t := range inputs {
		expected += t.count
	}
	var written int
	out, err := d.writeTable(fileNum, expected, func(add func(entry) error) error {
		sources := make([]source, len(inputs))
		for i, t := range inputs {
			s := newTableSource(t, false)
			s.first()
			sources[i] = s
		}
		for n := 0; ; n++ {
			if n%compactionAbortCheckEntries == 0 {
				select {
				case <-d.stop:
					return errCompactionAborted
				default:
				}
			}
			w, err := smallest(sources)
			if err != nil {
				return err
			}
			if w < 0 {
				return nil
			}
			// The newest version of the smallest key; its key is the
			// source's buffer, valid until stepPast.
			s := sources[w]
			e := entry{key: s.key(), value: s.value(), deleted: s.deleted()}
			if !e.deleted && d.opts.CompactionFilter != nil && d.opts.CompactionFilter(e.key, e.value) {
				e = entry{key: e.key, deleted: true}
			}
			if !e.deleted || !bottom {
				if err := add(e); err != nil {
					return err
				}
				written++
			}
			stepPast(sources, w, false)
		}
	})
	if err != nil {
		return fmt.Errorf("lsm: compaction: %w", err)
	}
	if written == 0 {
		// Everything was deleted: install no table. The empty file goes.
		err := errors.Join(out.close(), d.fs.Remove(out.name))
		if err != nil {
			return fmt.Errorf("lsm: compaction: removing empty output: %w", err)
		}
		out = nil
	}
	return d.installCompaction(inputs, out)
}

// installCompaction replaces inputs by out (nil: by nothing) in the
// manifest and then in memory.
func (d *DB) installCompaction(inputs []*table, out *table) error {
	d.manifestMu.Lock()
	defer d.manifestMu.Unlock()
	d.mu.RLock()
	cur := d.mu.tables
	k := len(cur) - len(inputs)
	// Flushes only add newer tables in front while a compaction runs, and
	// compactions are serialized: the inputs are still the oldest tables.
	if k < 0 || !slices.Equal(cur[k:], inputs) {
		d.mu.RUnlock()
		err := errors.New("lsm: compaction: assertion failed: inputs are no longer the oldest tables")
		if out != nil {
			err = errors.Join(err, out.close(), d.fs.Remove(out.name))
		}
		return err
	}
	newTables := slices.Clone(cur[:k])
	if out != nil {
		newTables = append(newTables, out)
	}
	m := (&manifest{flushedLSN: d.mu.flushedLSN, nextFileNum: d.mu.nextFileNum}).withTables(newTables)
	d.mu.RUnlock()

	renamed, err := writeManifest(d.fs, d.dir, m)
	if err != nil {
		err = fmt.Errorf("lsm: compaction: %w", err)
		if renamed {
			// The new manifest may or may not survive a crash: keep both
			// its table and the inputs, serve reads from the inputs, and
			// refuse further manifest writes.
			if out != nil {
				err = errors.Join(err, out.close())
			}
			err = fmt.Errorf("%w: %w", ErrFailed, err)
			d.mu.Lock()
			d.mu.failed = err
			d.mu.Unlock()
			return err
		}
		if out != nil {
			err = errors.Join(err, out.close(), d.fs.Remove(out.name))
		}
		return err
	}

	d.mu.Lock()
	if out != nil {
		out.refs.Store(1)
		d.mu.open[out] = struct{}{}
	}
	d.mu.tables = newTables
	d.mu.Unlock()
	// Drop the list's references; readers still holding an input keep it
	// open until they finish.
	d.unrefTables(inputs)
	return nil
}
