package checkpoint

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/wal"
)

// ErrBackupRunning is returned by Backup while another backup of the store
// runs.
var ErrBackupRunning = errors.New("checkpoint: a backup is already running")

// loggedIngestBatchBytes is the size of the WAL records a logged Ingest
// writes.
const loggedIngestBatchBytes = 1 << 20

// backupState is what a running backup holds.
type backupState struct {
	mu sync.Mutex // one backup at a time (TryLock)
	// ingestMu: an Ingest holds it shared; a backup takes it to set
	// running, so that no unlogged Ingest is under way while it runs.
	ingestMu sync.RWMutex
	running  bool // under ingestMu
	// pin is the start of the oldest WAL segment the running backup
	// still copies (0: none); Checkpoint keeps it.
	pin atomic.Uint64
}

// archiveState tracks WAL archiving.
type archiveState struct {
	mu sync.Mutex // serializes ArchiveFinished
	// next is the end of the last segment archived: segments from it on
	// are kept until archived. 0 until the first is.
	next atomic.Uint64
}

// keepFrom is the LSN before which a checkpoint at redo may remove WAL
// segments: not past a segment a running backup copies, nor past one not
// yet archived.
func (s *Store) keepFrom(redo uint64) uint64 {
	keep := redo
	if p := s.backup.pin.Load(); p != 0 {
		keep = min(keep, p)
	}
	if s.opts.ArchiveSegment != nil {
		keep = min(keep, s.archive.next.Load())
	}
	return keep
}

// BackupInfo says what Backup copied.
type BackupInfo struct {
	// RedoLSN is where recovery of the copy starts replaying the WAL.
	RedoLSN uint64
	// EndLSN is where the copy's WAL ends: it holds every record below.
	EndLSN uint64
	// Tables reports the sorted tables copied or linked.
	Tables lsm.PinReport
	// WALSegments and WALBytes count the WAL copied.
	WALSegments int
	WALBytes    int64
}

// Backup writes a copy of the store into dst (an empty or missing
// directory) while writes go on, in the layout of a data directory:
//
//  1. Under the checkpoint mutex it checkpoints, so that the tables hold
//     every WAL record before the redo point, and pins both that version
//     of the tables (lsm.DB.Pin: compactions do not remove its files) and
//     the WAL from the segment holding the redo point (checkpoints keep
//     it). No flush runs between the checkpoint and the pin.
//  2. It hard-links (or copies) the pinned tables into dst/lsm with a
//     manifest naming exactly them, and writes dst/CONTROL with the redo
//     point.
//  3. It syncs the WAL through its current end, the backup's end point,
//     and copies every segment from the redo point's through that end,
//     the last one cut at the end point and padded with zeros to its
//     size. Opening dst recovers the state as of the end point.
//
// While it runs, Ingest writes its keys to the WAL instead of adding a
// table the WAL does not know of. The source is only read, except for the
// checkpoint. One backup runs at a time (ErrBackupRunning).
func (s *Store) Backup(dst string) (BackupInfo, error) { return s.BackupReporting(dst, nil) }

// BackupProgress is how far a running Backup has come: the bytes of
// tables and WAL it has written of Total (the pinned tables' size and the
// WAL from the redo point's segment to the log's end when the tables were
// pinned: the WAL written since adds to both).
type BackupProgress struct{ Done, Total uint64 }

// BackupReporting is Backup calling report (if not nil) after each table
// and WAL segment it writes.
func (s *Store) BackupReporting(dst string, report func(BackupProgress)) (BackupInfo, error) {
	var info BackupInfo
	if !s.backup.mu.TryLock() {
		return info, ErrBackupRunning
	}
	defer s.backup.mu.Unlock()
	s.backup.ingestMu.Lock()
	s.backup.running = true
	s.backup.ingestMu.Unlock()
	defer func() {
		s.backup.ingestMu.Lock()
		s.backup.running = false
		s.backup.ingestMu.Unlock()
	}()

	s.checkpointMu.Lock()
	err := s.checkpointLocked()
	var pin *lsm.Pin
	var base wal.LSN
	redo := s.redo.Load()
	if err == nil {
		for _, start := range s.log.Segments() {
			if uint64(start) <= redo {
				base = start
			}
		}
		s.backup.pin.Store(uint64(base))
		pin, err = s.db.Pin()
	}
	s.checkpointMu.Unlock()
	if err != nil {
		s.backup.pin.Store(0)
		return info, fmt.Errorf("checkpoint: starting a backup: %w", err)
	}
	defer func() {
		pin.Release()
		s.backup.pin.Store(0)
	}()
	info.RedoLSN = redo

	fs := s.fs
	if err := fs.MkdirAll(fs.PathJoin(dst, "wal")); err != nil {
		return info, fmt.Errorf("checkpoint: creating %s: %w", dst, err)
	}
	progress := BackupProgress{Total: pin.Bytes() + uint64(s.log.NextLSN()) - uint64(base)}
	tell := func() {
		if report != nil {
			progress.Total = max(progress.Total, progress.Done)
			report(progress)
		}
	}
	tell()
	if info.Tables, err = pin.CopyToReporting(fs.PathJoin(dst, "lsm"), func(b uint64) { progress.Done = b; tell() }); err != nil {
		return info, fmt.Errorf("checkpoint: backing up the tables: %w", err)
	}
	tablesDone := progress.Done
	if err := writeControl(fs, dst, redo); err != nil {
		return info, err
	}

	end := s.log.NextLSN()
	progress.Total = tablesDone + uint64(end) - uint64(base)
	if err := s.log.SyncTo(end); err != nil {
		return info, walError(fmt.Errorf("checkpoint: syncing wal for a backup: %w", err))
	}
	info.EndLSN = uint64(end)
	for _, start := range s.log.Segments() {
		if start < base || (start >= end && start != base) {
			continue
		}
		n, err := copySegment(fs, s.log.SegmentPath(start), fs.PathJoin(dst, "wal", wal.SegmentName(start)), int64(end-start))
		if err != nil {
			return info, fmt.Errorf("checkpoint: backing up the wal: %w", err)
		}
		info.WALSegments++
		info.WALBytes += n
		progress.Done = tablesDone + uint64(min(end, start+wal.LSN(n))-base)
		tell()
	}
	if err := fs.SyncDir(fs.PathJoin(dst, "wal")); err != nil {
		return info, fmt.Errorf("checkpoint: syncing %s: %w", dst, err)
	}
	if err := fs.SyncDir(dst); err != nil {
		return info, fmt.Errorf("checkpoint: syncing %s: %w", dst, err)
	}
	return info, nil
}

// copySegment copies at most the first limit bytes of the WAL segment src
// to dst, pads dst with zeros to src's size (a segment is never shorter
// than the segment size: appending overwrites in place) and syncs it. It
// returns the bytes copied.
func copySegment(fs vfs.FS, src, dst string, limit int64) (int64, error) {
	size, err := fs.Stat(src)
	if err != nil {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	n, err := vfs.CopyFile(fs, src, dst, min(size, limit))
	if err != nil {
		return 0, err
	}
	if n == size {
		return n, nil
	}
	f, err := fs.OpenReadWrite(dst)
	if err != nil {
		return 0, fmt.Errorf("checkpoint: padding %s: %w", dst, err)
	}
	err = f.Truncate(size)
	if err == nil {
		err = f.Sync()
	}
	if err = errors.Join(err, f.Close()); err != nil {
		return 0, fmt.Errorf("checkpoint: padding %s: %w", dst, err)
	}
	return n, nil
}

// ArchiveFinished hands every finished WAL segment not archived yet to
// Options.ArchiveSegment, in order, and returns how many it archived. It
// stops at the first failure, which it returns: that segment and the
// later ones are kept and tried again by the next call. After a restart
// the segments still on disk are archived again (an archive must accept a
// segment it already holds). Without ArchiveSegment it does nothing.
func (s *Store) ArchiveFinished() (int, error) {
	if s.opts.ArchiveSegment == nil {
		return 0, nil
	}
	s.archive.mu.Lock()
	defer s.archive.mu.Unlock()
	n := 0
	for _, seg := range s.log.Finished() {
		if uint64(seg.End) <= s.archive.next.Load() {
			continue
		}
		if err := s.opts.ArchiveSegment(s.log.SegmentPath(seg.Start), seg.Name); err != nil {
			return n, fmt.Errorf("checkpoint: archiving WAL segment %s: %w", seg.Name, err)
		}
		s.archive.next.Store(uint64(seg.End))
		n++
	}
	return n, nil
}

// SwitchWAL ends the current WAL segment, if it holds any record, so that
// it is finished and can be archived (PostgreSQL's pg_switch_wal): the
// next record, an empty one written and synced here, starts a new
// segment. It returns the end of the finished segment (0 if none).
func (s *Store) SwitchWAL() (uint64, error) {
	s.writeMu.Lock()
	switched := s.log.SwitchSegment()
	s.writeMu.Unlock()
	if !switched {
		return 0, nil
	}
	lsn, err := s.Write(&lsm.Batch{})
	if err != nil {
		return 0, err
	}
	return lsn, s.Sync(lsn)
}

// ingestLogged is Ingest while a backup runs or the WAL is archived: the
// keys go through the WAL as ordinary records, so that a restore that
// replays the WAL finds them, and are durable when it returns.
func (s *Store) ingestLogged(fill func(add func(key, value []byte) error) error) error {
	var b lsm.Batch
	size := 0
	var last uint64
	flush := func() error {
		if b.Len() == 0 {
			return nil
		}
		lsn, err := s.Write(&b)
		if err != nil {
			return err
		}
		last, b, size = lsn, lsm.Batch{}, 0
		return nil
	}
	err := fill(func(key, value []byte) error {
		b.Set(key, value)
		if size += len(key) + len(value); size >= loggedIngestBatchBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("checkpoint: ingesting through the wal: %w", err)
	}
	if last == 0 {
		return nil
	}
	return s.Sync(last)
}
