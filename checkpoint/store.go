package checkpoint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cairndb/cairn/internal/histogram"
	"github.com/cairndb/cairn/internal/vfs"
	"github.com/cairndb/cairn/lsm"
	"github.com/cairndb/cairn/wal"
)

// Options configure a Store. Zero values mean defaults.
type Options struct {
	// WALSegmentBytes is the size of one WAL segment.
	WALSegmentBytes int64
	// MemtableBytes is the memtable size at which a checkpoint is due.
	MemtableBytes int64
	// WALWriterDelay is how often the WAL's background writer syncs
	// records nobody waited for (asynchronous commits); default 200 ms.
	WALWriterDelay time.Duration
	// MaxWALBytes is the volume of WAL written since the last checkpoint's
	// redo point at which a checkpoint is due (PostgreSQL's max_wal_size);
	// default 1 GiB.
	MaxWALBytes int64
	// BlockCacheBytes limits the LSM's block cache (lsm.Options); zero
	// gives the lsm package's default.
	BlockCacheBytes int64
	// OnWALFailure, if set, is called once when the WAL fails for good
	// (wal.Options.OnFail), with the full error, for the server log.
	OnWALFailure func(err error)
	// ArchiveSegment, if set, archives one finished WAL segment: path is
	// its file, name its base name. ArchiveFinished calls it for each
	// finished segment in order; a segment is not removed before it was
	// archived, and Ingest writes its keys to the WAL (see backup.go).
	ArchiveSegment func(path, name string) error
	// Now, if set, is the clock that times checkpoints (Stats, and the
	// Info given to OnCheckpoint) and the WAL's fsyncs; nil: nothing is
	// timed.
	Now func() time.Time
	// OnCheckpoint, if set, is called after each checkpoint that
	// succeeded, on the goroutine that ran it (log_checkpoints).
	OnCheckpoint func(Info)
}

// Info describes a finished checkpoint.
type Info struct {
	// Duration is the time it took (zero without Options.Now).
	Duration time.Duration
	// RedoLSN is the new redo point; WALBytes the WAL written between
	// the previous checkpoint's redo point and this one's.
	RedoLSN  uint64
	WALBytes uint64
	// TableBytes is the size of the sorted tables after the flush.
	TableBytes uint64
}

// Stats are a store's counters, for monitoring.
type Stats struct {
	WAL wal.Stats
	LSM lsm.Metrics
	// Checkpoints counts the checkpoints that succeeded;
	// CheckpointSeconds has the time each took (with Options.Now).
	Checkpoints       uint64
	CheckpointSeconds histogram.Snapshot
}

// checkpointSecondsBounds are Stats.CheckpointSeconds' buckets: 1 ms to
// about 65 s.
var checkpointSecondsBounds = histogram.Exponential(0.001, 2, 17)

// ErrCorruptControl marks a control file that fails its checksum.
var ErrCorruptControl = errors.New("checkpoint: corrupt control file")

const (
	// lockName is the lock file that keeps a second opener out.
	lockName       = "cairn.pid"
	controlName    = "CONTROL"
	controlMagic   = 0x6361726e // "carn"
	controlVersion = 1
	controlSize    = 4 + 4 + 8 + 4
)

// Store is the node's durable ordered key/value store.
type Store struct {
	fs   vfs.FS
	dir  string
	opts Options

	lock io.Closer // the data directory's lock, held until Close

	checkpoints       atomic.Uint64
	checkpointSeconds *histogram.Histogram
	log               *wal.Log
	db                *lsm.DB

	writeMu sync.Mutex // WAL order = apply order

	// filter is the compaction filter installed by SetCompactionFilter.
	filter atomic.Pointer[func(key, value []byte) bool]

	checkpointMu sync.Mutex
	redo         atomic.Uint64

	backup  backupState  // backup.go
	archive archiveState // backup.go

	// due receives (without blocking the writer) when a Write takes the
	// WAL past MaxWALBytes since the redo point.
	due chan struct{}

	// ReplayedRecords counts WAL records applied during recovery.
	ReplayedRecords int
}

// Open opens or creates the store in dir and recovers it.
func Open(fs vfs.FS, dir string, opts Options) (*Store, error) {
	if opts.MemtableBytes == 0 {
		opts.MemtableBytes = 32 << 20
	}
	if opts.MaxWALBytes <= 0 {
		opts.MaxWALBytes = 1 << 30
	}
	if err := fs.MkdirAll(dir); err != nil {
		return nil, fmt.Errorf("checkpoint: creating %s: %w", dir, err)
	}
	// Nothing in the directory is read before the lock is ours: a second
	// opener would replay and checkpoint under the holder's feet.
	lock, err := fs.Lock(fs.PathJoin(dir, lockName))
	if err != nil {
		return nil, fmt.Errorf("checkpoint: locking %s: %w", dir, err)
	}
	s, err := recoverLocked(fs, dir, opts, lock)
	if err != nil {
		if cerr := lock.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
		return nil, err
	}
	return s, nil
}

// recoverLocked recovers the store in dir once Open holds its lock.
func recoverLocked(fs vfs.FS, dir string, opts Options, lock io.Closer) (*Store, error) {
	s := &Store{fs: fs, dir: dir, opts: opts, lock: lock, due: make(chan struct{}, 1),
		checkpointSeconds: histogram.New(checkpointSecondsBounds)}
	redo, err := readControl(fs, fs.PathJoin(dir, controlName))
	if err != nil {
		return nil, err
	}
	s.redo.Store(redo)
	s.db, err = lsm.Open(fs, fs.PathJoin(dir, "lsm"), lsm.Options{
		MemtableBytes:   opts.MemtableBytes,
		BlockCacheBytes: opts.BlockCacheBytes,
		// A table must never hold a change the WAL could still lose:
		// otherwise a crash would keep a later change whose earlier
		// companions (in unsynced records) are gone.
		CompactionFilter: func(key, value []byte) bool {
			if f := s.filter.Load(); f != nil {
				return (*f)(key, value)
			}
			return false
		},
		BeforeFlush: func(maxLSN uint64) error {
			if s.log == nil || maxLSN == 0 {
				return nil
			}
			return s.log.SyncTo(wal.LSN(maxLSN))
		},
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoint: opening lsm: %w", err)
	}
	s.log, err = wal.Open(fs, fs.PathJoin(dir, "wal"), wal.Options{
		SegmentSize:   opts.WALSegmentBytes,
		FlushInterval: opts.WALWriterDelay,
		OnFail:        opts.OnWALFailure,
		Now:           opts.Now,
	})
	if err != nil {
		s.db.Close()
		return nil, fmt.Errorf("checkpoint: opening wal: %w", err)
	}
	if flushed := s.db.FlushedLSN(); flushed+1 < redo && flushed != 0 {
		s.log.Close()
		s.db.Close()
		return nil, fmt.Errorf("checkpoint: control file redo LSN %d is past the tables' LSN %d", redo, flushed)
	}
	err = s.log.Replay(wal.LSN(redo), func(lsn wal.LSN, payload []byte) error {
		b, err := lsm.DecodeBatch(payload)
		if err != nil {
			return fmt.Errorf("WAL record at LSN %d: %w", lsn, err)
		}
		s.ReplayedRecords++
		return s.db.Apply(b, uint64(lsn))
	})
	if err != nil {
		s.log.Close()
		s.db.Close()
		return nil, fmt.Errorf("checkpoint: replaying wal: %w", err)
	}
	return s, nil
}

// payloadBuffers hold the bytes of WAL records being encoded, so that a
// Write (one per row a statement writes) does not allocate them each time;
// a buffer grown past payloadBufferBytesKeep by a large batch is left to
// the collector.
var payloadBuffers = sync.Pool{New: func() any { return new([]byte) }}

const payloadBufferBytesKeep = 64 << 10

// Write appends b to the WAL and applies it to the memtable. It returns the
// record's LSN; the write is durable once Sync(lsn) returns nil. A write the
// WAL refuses is not applied: on a full disk (SQLSTATE 53100) the store
// stays usable and a later Write may succeed; after a WAL failure
// (Failed; 58030, or 53100 when the disk was full) every Write fails.
func (s *Store) Write(b *lsm.Batch) (uint64, error) {
	buf := payloadBuffers.Get().(*[]byte)
	payload := b.AppendEncoded((*buf)[:0])
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	lsn, err := s.log.Append(payload)
	// Append copied the record into the log's buffer.
	if cap(payload) <= payloadBufferBytesKeep {
		*buf = payload
		payloadBuffers.Put(buf)
	}
	if err != nil {
		return 0, walError(fmt.Errorf("checkpoint: appending to wal: %w", err))
	}
	if err := s.db.Apply(b, uint64(lsn)); err != nil {
		return 0, fmt.Errorf("checkpoint: applying batch: %w", err)
	}
	if s.walDue(uint64(lsn)) {
		select {
		case s.due <- struct{}{}:
		default:
		}
	}
	return uint64(lsn), nil
}

// Ingest adds the keys and values fill passes (in strictly ascending key
// order, a key range nothing else holds or writes meanwhile) to the LSM as
// a table, without the WAL (lsm.DB.Ingest). It first syncs every WAL
// record appended so far, so that whatever a crash keeps of the ingest, it
// keeps every record written before it; the ingest is durable when
// Ingest returns, so a record appended after it (a commit) orders after it.
func (s *Store) Ingest(fill func(add func(key, value []byte) error) error) error {
	s.backup.ingestMu.RLock()
	defer s.backup.ingestMu.RUnlock()
	if s.backup.running || s.opts.ArchiveSegment != nil {
		return s.ingestLogged(fill)
	}
	if err := s.log.SyncTo(s.log.NextLSN()); err != nil {
		return walError(fmt.Errorf("checkpoint: syncing wal before an ingest: %w", err))
	}
	if err := s.db.Ingest(fill); err != nil {
		return fmt.Errorf("checkpoint: ingesting: %w", err)
	}
	return nil
}

// SetCompactionFilter installs fn as the LSM's compaction filter: entries
// for which it returns true are dropped when compaction rewrites them. The
// layer above (the heap) knows which of its entries are dead.
func (s *Store) SetCompactionFilter(fn func(key, value []byte) bool) {
	s.filter.Store(&fn)
}

// Sync waits until the WAL is on stable storage through lsn. An error
// means the WAL failed (Failed): whether the records reached the disk is
// unknown.
func (s *Store) Sync(lsn uint64) error {
	if err := s.log.SyncTo(wal.LSN(lsn)); err != nil {
		return walError(fmt.Errorf("checkpoint: syncing wal: %w", err))
	}
	return nil
}

// Failed returns the WAL failure that makes the store refuse every write
// until it is reopened (a failed WAL write or fsync), or nil. Reads go on.
func (s *Store) Failed() error { return s.log.Failed() }

// SyncedLSN returns the end of the durable prefix of the WAL.
func (s *Store) SyncedLSN() uint64 { return uint64(s.log.SyncedLSN()) }

// Get returns the newest value of key.
func (s *Store) Get(key []byte) ([]byte, bool, error) { return s.db.Get(key) }

// NewIter returns an iterator over [lower, upper) as of now.
func (s *Store) NewIter(lower, upper []byte) *lsm.Iterator { return s.db.NewIter(lower, upper) }

// NewLiveIter returns an iterator over [lower, upper) that reads the
// memtable live (lsm.DB.NewLiveIter).
func (s *Store) NewLiveIter(lower, upper []byte) *lsm.Iterator { return s.db.NewLiveIter(lower, upper) }

// NewLiveIterInto is lsm.DB.NewLiveIterInto.
func (s *Store) NewLiveIterInto(it *lsm.Iterator, lower, upper []byte) *lsm.Iterator {
	return s.db.NewLiveIterInto(it, lower, upper)
}

// CheckpointDue reports whether the memtable has grown past its budget or
// the WAL past MaxWALBytes since the redo point.
func (s *Store) CheckpointDue() bool {
	return s.db.MemtableSize() >= s.opts.MemtableBytes || s.walDue(uint64(s.log.NextLSN()))
}

// walDue reports whether the WAL through end exceeds MaxWALBytes since the
// redo point.
func (s *Store) walDue(end uint64) bool {
	redo := s.redo.Load()
	return end > redo && end-redo >= uint64(s.opts.MaxWALBytes)
}

// Due receives a value when a Write takes the WAL past MaxWALBytes since the
// redo point, so the checkpointer need not wait for its next poll. A value
// may be stale (a checkpoint already ran): check CheckpointDue.
func (s *Store) Due() <-chan struct{} { return s.due }

// WALStats reports the log's sync counters.
func (s *Store) WALStats() wal.Stats { return s.log.Stats() }

// Stats reports the store's counters: the WAL's, the LSM's and the
// checkpoints'.
func (s *Store) Stats() Stats {
	return Stats{WAL: s.log.Stats(), LSM: s.db.Metrics(), Checkpoints: s.checkpoints.Load(),
		CheckpointSeconds: s.checkpointSeconds.Snapshot()}
}

// Checkpoint flushes the memtable, records the redo point and drops WAL
// segments that recovery no longer needs.
//
// After a WAL failure it fails at once: nothing could be made durable, and
// the WAL is what the restart recovers from. On a full disk the flush
// fails without harm (lsm: the memtable stays in memory) and the WAL is
// kept; a later Checkpoint retries.
func (s *Store) Checkpoint() error {
	s.checkpointMu.Lock()
	defer s.checkpointMu.Unlock()
	return s.checkpointLocked()
}

// checkpointLocked is Checkpoint with checkpointMu held.
func (s *Store) checkpointLocked() error {
	if err := s.log.Failed(); err != nil {
		return fmt.Errorf("checkpoint: the WAL failed: %w", err)
	}
	var start time.Time
	if s.opts.Now != nil {
		start = s.opts.Now()
	}
	prevRedo := s.redo.Load()
	// Everything appended before this point is applied to the memtable
	// (Write holds writeMu across both), so after the flush every record
	// below redo is in tables.
	s.writeMu.Lock()
	redo := uint64(s.log.NextLSN())
	s.writeMu.Unlock()
	// Flush syncs the WAL through everything it writes (BeforeFlush).
	if err := s.db.Flush(); err != nil {
		return fmt.Errorf("checkpoint: flushing memtable: %w", err)
	}
	if flushed := s.db.FlushedLSN(); flushed+1 < redo {
		// Records between flushed and redo were applied before the flush
		// and so are in the tables; the flushed LSN only lags when the
		// last records carried no data. Redo from the safer point.
		redo = flushed + 1
	}
	if err := writeControl(s.fs, s.dir, redo); err != nil {
		return err
	}
	s.redo.Store(redo)
	if err := s.log.RemoveBefore(wal.LSN(s.keepFrom(redo))); err != nil {
		return fmt.Errorf("checkpoint: removing old wal segments: %w", err)
	}
	info := Info{RedoLSN: redo}
	if redo > prevRedo {
		info.WALBytes = redo - prevRedo
	}
	if s.opts.Now != nil {
		info.Duration = s.opts.Now().Sub(start)
		s.checkpointSeconds.Observe(info.Duration.Seconds())
	}
	s.checkpoints.Add(1)
	if s.opts.OnCheckpoint != nil {
		for _, l := range s.db.Metrics().Levels {
			info.TableBytes += l.Bytes
		}
		s.opts.OnCheckpoint(info)
	}
	return nil
}

// Check reads every sorted table in full and verifies its checksums, key
// order and entry count (lsm.DB.Check).
func (s *Store) Check() (lsm.CheckReport, error) { return s.db.Check() }

// CheckReporting is Check reporting the tables checked (lsm.DB.CheckReporting).
func (s *Store) CheckReporting(report func(done, total int)) (lsm.CheckReport, error) {
	return s.db.CheckReporting(report)
}

// Compact merges the LSM's tables now (compaction otherwise runs in the
// background when tables pile up).
func (s *Store) Compact() error { return s.db.Compact() }

// WALCut returns what recovery cut from the tail of the WAL when Open
// ran (wal.Log.Cut), and false when the log ended cleanly.
func (s *Store) WALCut() (wal.Cut, bool) { return s.log.Cut() }

// RedoLSN is where recovery would start replaying now.
func (s *Store) RedoLSN() uint64 { return s.redo.Load() }

// Close closes the log and the tables without a checkpoint, and then
// releases the data directory's lock; callers that want a fast restart
// checkpoint first. After a WAL failure the error includes that failure
// (test with errors.Is against Failed's error).
func (s *Store) Close() error {
	err := s.log.Close()
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	if cerr := s.lock.Close(); err == nil {
		err = cerr
	}
	return err
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func writeControl(fs vfs.FS, dir string, redo uint64) error {
	buf := make([]byte, 0, controlSize)
	buf = binary.LittleEndian.AppendUint32(buf, controlMagic)
	buf = binary.LittleEndian.AppendUint32(buf, controlVersion)
	buf = binary.LittleEndian.AppendUint64(buf, redo)
	buf = binary.LittleEndian.AppendUint32(buf, crc32.Checksum(buf, castagnoli))
	tmp := fs.PathJoin(dir, controlName+".tmp")
	f, err := fs.Create(tmp)
	if err != nil {
		return fmt.Errorf("checkpoint: creating control file: %w", err)
	}
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return fmt.Errorf("checkpoint: writing control file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("checkpoint: syncing control file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint: closing control file: %w", err)
	}
	if err := fs.Rename(tmp, fs.PathJoin(dir, controlName)); err != nil {
		return fmt.Errorf("checkpoint: installing control file: %w", err)
	}
	if err := fs.SyncDir(dir); err != nil {
		return fmt.Errorf("checkpoint: syncing %s: %w", dir, err)
	}
	return nil
}

// readControl returns the redo LSN, or 0 when there is no control file yet.
func readControl(fs vfs.FS, name string) (uint64, error) {
	f, err := fs.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("checkpoint: opening control file: %w", err)
	}
	defer f.Close()
	buf := make([]byte, controlSize)
	if _, err := io.ReadFull(f, buf); err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrCorruptControl, name, err)
	}
	body, sum := buf[:controlSize-4], binary.LittleEndian.Uint32(buf[controlSize-4:])
	if crc32.Checksum(body, castagnoli) != sum ||
		binary.LittleEndian.Uint32(body) != controlMagic {
		return 0, fmt.Errorf("%w: %s: checksum mismatch", ErrCorruptControl, name)
	}
	if v := binary.LittleEndian.Uint32(body[4:]); v != controlVersion {
		return 0, fmt.Errorf("%w: %s: unknown version %d", ErrCorruptControl, name, v)
	}
	return binary.LittleEndian.Uint64(body[8:]), nil
}

// BlockBounds is lsm.DB.BlockBounds: where the data blocks holding keys
// in [lower, upper) end, for a reader that samples the range by blocks.
func (s *Store) BlockBounds(lower, upper []byte) ([][]byte, error) {
	return s.db.BlockBounds(lower, upper)
}
