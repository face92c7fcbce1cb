package lsm

import (
	"fmt"

	"github.com/cairndb/cairn/internal/vfs"
)

// Pin holds one version of the store for a backup: its tables stay on
// disk, whatever flushes and compactions do meanwhile, until Release. A
// pinned version costs the disk space of the tables compactions replaced
// since, as a long-running iterator does.
type Pin struct {
	d    *DB
	v    *version
	snap *versionEdit
	done bool
}

// PinReport says what Pin.CopyTo wrote.
type PinReport struct {
	Tables int    // sorted tables in the copy
	Linked int    // of which hard links
	Bytes  uint64 // bytes of those tables
	// FlushedLSN is the manifest's flushed LSN: every WAL record at or
	// below it is in the tables.
	FlushedLSN uint64
}

// Pin returns the current version, pinned. The caller must keep flushes
// out meanwhile if it needs the version to match a WAL position (the
// checkpoint layer pins under its checkpoint mutex); compactions do not
// change what the version holds.
func (d *DB) Pin() (*Pin, error) {
	// manifestMu: the version and the counters come from the same edit.
	d.manifestMu.Lock()
	defer d.manifestMu.Unlock()
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.mu.closed {
		return nil, ErrClosed
	}
	v := d.mu.current
	v.refs.Add(1)
	snap := snapshotEdit(v.levels, v.rangeDels, d.mu.flushedLSN, d.mu.nextFileNum, d.mu.seq, d.mu.compactPointer)
	return &Pin{d: d, v: v, snap: snap}, nil
}

// CopyTo writes the pinned version as a store of its own into dst, which
// must not hold one: each table hard-linked where the file system allows
// (tables are immutable) and copied otherwise, then a manifest naming
// exactly those tables, CURRENT, and a sync of dst. lsm.Open on dst then
// opens the pinned version.
func (p *Pin) CopyTo(dst string) (PinReport, error) { return p.CopyToReporting(dst, nil) }

// Bytes is the size of the pinned tables: what CopyTo copies.
func (p *Pin) Bytes() uint64 {
	var n uint64
	p.v.forEach(func(_ int, f *fileMeta) { n += f.size })
	return n
}

// CopyToReporting is CopyTo calling report (if not nil) with the bytes of
// the tables written so far, after each table.
func (p *Pin) CopyToReporting(dst string, report func(bytes uint64)) (PinReport, error) {
	fs := p.d.fs
	rep := PinReport{FlushedLSN: p.snap.flushedLSN}
	if p.done {
		return rep, ErrClosed
	}
	if err := fs.MkdirAll(dst); err != nil {
		return rep, fmt.Errorf("lsm: creating %s: %w", dst, err)
	}
	var err error
	p.v.forEach(func(_ int, f *fileMeta) {
		if err != nil {
			return
		}
		var linked bool
		linked, err = vfs.LinkOrCopy(fs, f.t.name, fs.PathJoin(dst, tableName(f.fileNum)))
		if err != nil {
			err = fmt.Errorf("lsm: copying table %s: %w", tableName(f.fileNum), err)
			return
		}
		rep.Tables++
		rep.Bytes += f.size
		if linked {
			rep.Linked++
		}
		if report != nil {
			report(rep.Bytes)
		}
	})
	if err != nil {
		return rep, err
	}
	w, _, err := createManifest(fs, dst, 1, p.snap)
	if err != nil {
		return rep, err
	}
	return rep, w.close()
}

// Release unpins the version; its tables that no newer version holds are
// removed then. Releasing twice returns ErrClosed.
func (p *Pin) Release() error {
	if p.done {
		return ErrClosed
	}
	p.done = true
	p.d.unrefVersion(p.v)
	return nil
}
