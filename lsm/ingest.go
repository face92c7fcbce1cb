package lsm

import (
	"bytes"
	"errors"
	"fmt"
)

// Ingest writes the keys and values fill passes to add, in strictly
// ascending key order, as one new table, and adds it to the store with one
// manifest edit: the bulk path of a load into a fresh key range, which
// skips the caller's WAL, the memtable and the flush.
//
// The caller promises that no version of any key it adds exists in the
// store and that nothing writes those keys until Ingest returns (a fresh
// key range that only it reaches). The versions get one new sequence
// number, above every version applied before; versions applied later get
// higher ones. They become visible all at once when the table is
// installed, and are durable then: the table and its directory entry are
// synced before the manifest edit that names it, and the manifest edit
// is synced (and records the sequence number) before Ingest returns. So
// the caller's WAL need not hold them, and a record the caller logs after
// Ingest returns orders after them on replay. A crash before the edit
// leaves an unlisted table, which Open removes.
//
// The table goes to the deepest level above which no level holds a table
// whose key range meets its own (L0 if L1 does): reads and compactions
// meet it below tables that may hold newer versions of other keys in its
// range, which is harmless since they hold none of its keys. Snapshots
// (NewSnapshot) wait while an Ingest runs, since one taken after the
// sequence number was chosen would see the table appear. An empty fill
// adds nothing.
func (d *DB) Ingest(fill func(add func(key, value []byte) error) error) error {
	d.ingestMu.Lock()
	defer d.ingestMu.Unlock()
	d.mu.Lock()
	if err := d.writableLocked(); err != nil {
		d.mu.Unlock()
		return err
	}
	d.mu.seq++
	seq := d.mu.seq
	fileNum := d.mu.nextFileNum
	d.mu.nextFileNum++
	d.mu.Unlock()

	var ikey, prev []byte
	n := 0
	f, err := d.writeTable(fileNum, 0, func(add func(entry) error) error {
		return fill(func(key, value []byte) error {
			if n > 0 && bytes.Compare(prev, key) >= 0 {
				return fmt.Errorf("lsm: ingested keys out of order: %q after %q", key, prev)
			}
			prev = append(prev[:0], key...)
			n++
			ikey = appendIKey(ikey[:0], key, seq)
			return add(entry{key: ikey, value: value})
		})
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return d.removeTable(f)
	}

	// No compaction may install a table overlapping the new one in the
	// level chosen between the choice and the edit.
	d.compactMu.Lock()
	defer d.compactMu.Unlock()
	d.mu.RLock()
	v := d.mu.current
	lo, hi := userPart(f.smallest), userPart(f.largest)
	level := 0
	for l := 1; l < numLevels && len(v.overlapping(l, lo, hi)) == 0; l++ {
		level = l
	}
	d.mu.RUnlock()
	var e versionEdit
	e.addFile(level, f)
	uncertain, err := d.logAndApply(&e, func() { d.mu.bytesIngested += f.size })
	if err != nil {
		if uncertain {
			// The table stays: a manifest that reached its name may list
			// it. The store fails, as after an uncertain flush.
			d.mu.Lock()
			d.mu.failed = fmt.Errorf("%w: %w", ErrFailed, err)
			d.mu.Unlock()
			return errors.Join(err, f.t.close())
		}
		return errors.Join(err, d.removeTable(f))
	}
	d.maybeScheduleCompaction()
	return nil
}
